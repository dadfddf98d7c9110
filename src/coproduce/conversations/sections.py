"""The conversations section of a study's page, with the evidence counts."""

from __future__ import annotations

from typing import Any

from coproduce.accounts.models import User
from coproduce.conversations.counts import conversation_counts
from coproduce.studies.models import Study
from coproduce.studies.permissions import Permission
from coproduce.studies.sections import StudySection, register_section


def context(study: Study, user: User) -> dict[str, Any]:
    return {
        "conversations": study.conversations.all(),
        "counts": conversation_counts(study),
        "can_edit": user.has_perm(Permission.CHANGE_STUDY, study),
    }


register_section(StudySection("conversations", 10, "conversations/section.html", context))
