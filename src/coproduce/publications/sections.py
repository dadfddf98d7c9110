"""The publication on a participant's home page: what happened to what they said."""

from __future__ import annotations

from typing import Any

from coproduce.publications.models import PublishedStudy
from coproduce.studies.models import Participant, Study
from coproduce.studies.sections import ParticipantSection, register_participant_section


def participant_context(study: Study, participant: Participant) -> dict[str, Any]:
    return {"published": PublishedStudy.objects.filter(study=study, public=True).first()}


register_participant_section(
    ParticipantSection("publication", 30, "publications/for_you.html", participant_context)
)
