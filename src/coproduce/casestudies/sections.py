"""The case studies section of a study's page."""

from __future__ import annotations

from typing import Any

from coproduce.accounts.models import User
from coproduce.casestudies.models import CaseStudy
from coproduce.studies.models import Study
from coproduce.studies.permissions import Permission
from coproduce.studies.sections import StudySection, register_section


def context(study: Study, user: User) -> dict[str, Any]:
    return {
        "cases": CaseStudy.objects.filter(study=study).select_related("organisation"),
        "can_edit": user.has_perm(Permission.CHANGE_STUDY, study),
    }


register_section(StudySection("case_studies", 30, "casestudies/section.html", context))
