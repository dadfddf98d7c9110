"""The publication on the study's page (for the team) and on a participant's home page (what
happened to what they said)."""

from __future__ import annotations

from typing import Any

from coproduce.accounts.models import User
from coproduce.equity.models import FindingResponse
from coproduce.publications.models import EasyReadVersion, PublishedStudy
from coproduce.studies.models import Participant, Study
from coproduce.studies.sections import (
    ParticipantSection,
    StudySection,
    register_participant_section,
    register_section,
)


def team_context(study: Study, user: User) -> dict[str, Any]:
    return {
        "published": PublishedStudy.objects.filter(study=study).first(),
        "easy_read": EasyReadVersion.objects.filter(study=study).first(),
    }


def participant_context(study: Study, participant: Participant) -> dict[str, Any]:
    """Once the study is public: its findings, and the team's response to each ("you said, we
    did"), so people see what came of what they said."""
    published = PublishedStudy.objects.filter(study=study, public=True).first()
    if published is None:
        return {"published": None, "findings": []}
    responses = dict(
        FindingResponse.objects.filter(finding__study=study).values_list("finding_id", "text")
    )
    findings = study.findings.order_by("position", "pk")
    return {"published": published, "findings": [(f, responses.get(f.pk, "")) for f in findings]}


register_participant_section(
    ParticipantSection("publication", 30, "publications/for_you.html", participant_context)
)
register_section(StudySection("publishing", 50, "publications/section.html", team_context))
