"""Coding: a coder marks a passage of an evidence item with a code.

Each function that changes something takes the acting user (`by`) and checks their role first.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.coding.evidence import evidence
from coproduce.coding.models import (
    Code,
    Coding,
)
from coproduce.core.errors import Conflict, InvalidInput
from coproduce.studies import services as study_services
from coproduce.studies.models import Study
from coproduce.studies.permissions import Permission

EDIT = Permission.CHANGE_STUDY


def code_passage(
    study: Study,
    by: User,
    code: Code,
    evidence_id: str,
    *,
    start: int | None = None,
    end: int | None = None,
    passage: str = "",
) -> Coding:
    """Code a passage, given by its offsets or by its words (which must occur exactly once)."""
    study_services.require(by, EDIT, study)
    if code.study_id != study.pk:
        raise InvalidInput(_("That code belongs to another study."))
    text = evidence(study, evidence_id).text
    if start is None or end is None:
        start, end = locate(text, passage)
    if not 0 <= start < end <= len(text):
        raise InvalidInput(
            _("The passage (%(s)d to %(e)d) lies outside the text's %(n)d characters.")
            % {"s": start, "e": end, "n": len(text)}
        )
    try:
        with transaction.atomic():
            return Coding.objects.create(
                study=study,
                code=code,
                evidence_id=evidence_id,
                start=start,
                end=end,
                passage=text[start:end],
                coder=by,
            )
    except IntegrityError:
        raise Conflict(
            _("You have already coded that passage with '%(c)s'.") % {"c": code.name}
        ) from None


def locate(text: str, passage: str) -> tuple[int, int]:
    wanted = passage.strip()
    if not wanted:
        raise InvalidInput(_("Select or paste the words to code, exactly as they appear."))
    first = text.find(wanted)
    if first < 0:
        raise InvalidInput(_("Those words are not in the text; copy them exactly as they appear."))
    if text.find(wanted, first + 1) >= 0:
        raise InvalidInput(_("Those words appear more than once; select a longer passage."))
    return first, first + len(wanted)


def remove_coding(coding: Coding, by: User) -> None:
    study_services.require(by, EDIT, coding.study)
    if coding.coder_id != by.pk and not by.has_perm(Permission.MANAGE_TEAM, coding.study):
        raise InvalidInput(_("Only the coder (or the study's owner) can remove a coding."))
    coding.delete()


def coder_of(coding: Coding) -> str:
    return coding.imported_coder or coding.coder.name or coding.coder.email


def counts_by_item(study: Study, by: User) -> dict[str, int]:
    """How many codings each evidence item has, for a team member who may see the study."""
    study_services.require(by, Permission.VIEW_STUDY, study)
    found = Coding.objects.filter(study=study).values_list("evidence_id").annotate(n=Count("id"))
    return dict(found.order_by())
