"""The analysis section of a study's page."""

from __future__ import annotations

from typing import Any

from coproduce.accounts.models import User
from coproduce.coding.models import Code, Coding, Finding, Theme, ThemeStatus
from coproduce.studies.models import Study
from coproduce.studies.sections import StudySection, register_section


def context(study: Study, user: User) -> dict[str, Any]:
    return {
        "codes": Code.objects.filter(study=study).count(),
        "codings": Coding.objects.filter(study=study).count(),
        "themes": Theme.objects.filter(study=study, status=ThemeStatus.ACCEPTED).count(),
        "suggested": Theme.objects.filter(study=study, status=ThemeStatus.SUGGESTED).count(),
        "findings": Finding.objects.filter(study=study).count(),
    }


register_section(StudySection("analysis", 40, "coding/section.html", context))
