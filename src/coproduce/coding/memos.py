"""Memos: the team's notes while analysing, on a code, an evidence item or the whole study.

Each function that changes something takes the acting user (`by`) and checks their role first.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.coding.evidence import evidence_for
from coproduce.coding.models import Code, Memo
from coproduce.core.errors import InvalidInput
from coproduce.studies import services as study_services
from coproduce.studies.models import Study
from coproduce.studies.permissions import Permission

EDIT = Permission.CHANGE_STUDY
MOST_CHARACTERS = 20_000


def add_memo(
    study: Study, by: User, text: str, *, code: Code | None = None, evidence_id: str = ""
) -> Memo:
    """A memo on a code, on an item (by its evidence id), or (neither) on the study."""
    study_services.require(by, EDIT, study)
    text = text.strip()
    if not text:
        raise InvalidInput(_("Write the memo first, then save it."))
    if len(text) > MOST_CHARACTERS:
        raise InvalidInput(
            _("A memo may be at most %(n)d characters; split it in two.") % {"n": MOST_CHARACTERS}
        )
    if code is not None and code.study_id != study.pk:
        raise InvalidInput(_("That code is not in this study."))
    if evidence_id and evidence_id not in evidence_for(study, by):
        raise InvalidInput(
            _("There is no item %(e)s in this study that you may read.") % {"e": evidence_id[:60]}
        )
    return Memo.objects.create(
        study=study, code=code, evidence_id="" if code else evidence_id, author=by, text=text
    )


def remove_memo(memo: Memo, by: User) -> None:
    """Its author, or the study's owner, may remove a memo."""
    study_services.require(by, EDIT, memo.study)
    if memo.author_id != by.pk and not by.has_perm(Permission.MANAGE_TEAM, memo.study):
        raise InvalidInput(_("Only the memo's author or the study's owner may remove it."))
    memo.delete()


def memos_for(study: Study, by: User) -> list[Memo]:
    """The study's memos this team member may read (item memos only on items they may read)."""
    study_services.require(by, Permission.VIEW_STUDY, study)
    readable = evidence_for(study, by)
    found = Memo.objects.filter(study=study).select_related("code", "author")
    return [m for m in found if not m.evidence_id or m.evidence_id in readable]
