"""Voice equity (who was heard, how evenly, counted by people as well as by items) and member
checking (the findings checked with the people who gave the evidence)."""
