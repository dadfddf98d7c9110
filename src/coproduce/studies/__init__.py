"""Studies: the study, its partner organisations, its team and roles, participants and consent."""
