"""The stories section of a study's page and of a participant's home page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from coproduce.accounts.models import User
from coproduce.stories.models import Story
from coproduce.studies.models import Participant, Study
from coproduce.studies.permissions import Permission
from coproduce.studies.sections import (
    ParticipantSection,
    StudySection,
    register_participant_section,
    register_section,
)


def context(study: Study, user: User) -> dict[str, Any]:
    stories = Story.objects.filter(study=study, withdrawn_at__isnull=True)
    return {
        "total": stories.count(),
        "by_kind": stories.values("kind").annotate(n=Count("id")).order_by("kind"),
        "checked": stories.filter(checked_at__isnull=False).count(),
        "can_gather": user.has_perm(Permission.RECORD_CONSENT, study),
    }


register_section(StudySection("stories", 20, "stories/section.html", context))


def participant_context(study: Study, participant: Participant) -> dict[str, Any]:
    return {
        "your_stories": Story.objects.filter(study=study, teller=participant).order_by("number")
    }


register_participant_section(
    ParticipantSection("stories", 20, "stories/for_you.html", participant_context)
)
