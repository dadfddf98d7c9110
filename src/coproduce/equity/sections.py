"""Voice equity and member checking on the study's page ("you said, we did" is on each
participant's home page, with the publication)."""

from __future__ import annotations

from typing import Any

from coproduce.accounts.models import User
from coproduce.equity.member_check import member_check_of
from coproduce.studies.models import Study
from coproduce.studies.permissions import Permission
from coproduce.studies.sections import (
    StudySection,
    register_section,
)


def context(study: Study, user: User) -> dict[str, Any]:
    return {
        "member_check": member_check_of(study),
        "can_edit": user.has_perm(Permission.CHANGE_STUDY, study),
    }


register_section(StudySection("equity", 45, "equity/section.html", context))
