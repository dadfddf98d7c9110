"""Who may do what with a study: every view, API call and CLI command asks these rules.

Permissions are object-level (`user.has_perm(Permission.CHANGE_STUDY, study)`) and come from the
user's role in that study. Participants have no account and no team permission at all; their
own pages are bound to their browser session.
"""

from __future__ import annotations

from typing import Any

import rules

from coproduce.accounts.models import Someone, User
from coproduce.studies.models import Membership, Role, Study
from coproduce.studies.permissions import Permission

EDITORS = (Role.OWNER, Role.RESEARCHER, Role.CO_RESEARCHER)
PEOPLE_WORKERS = (*EDITORS, Role.FACILITATOR)


def role_in(user: Someone, study: Study | None) -> str | None:
    """The user's role in the study, or None; looked up once per user and study per request."""
    if study is None or not isinstance(user, User) or not user.is_authenticated:
        return None
    cache: dict[int, str | None] = user.__dict__.setdefault("_coproduce_roles", {})
    if study.pk not in cache:
        cache[study.pk] = (
            Membership.objects.filter(study=study, user=user).values_list("role", flat=True).first()
        )
    return cache[study.pk]


def has_role(*roles: str) -> Any:
    """A predicate true when the user holds one of these roles in the study."""

    @rules.predicate(name=f"has_role({','.join(roles)})")
    def predicate(user: Someone, study: Study | None) -> bool:
        return role_in(user, study) in roles

    return predicate


is_member = has_role(*Role.values)
is_owner = has_role(Role.OWNER)
can_edit = has_role(*EDITORS)
works_with_people = has_role(*PEOPLE_WORKERS)
is_site_admin = rules.is_superuser

rules.add_perm(Permission.ADD_STUDY, rules.is_authenticated)
rules.add_perm(Permission.VIEW_STUDY, is_member | is_site_admin)
rules.add_perm(Permission.CHANGE_STUDY, can_edit | is_site_admin)
rules.add_perm(Permission.DELETE_STUDY, is_owner | is_site_admin)
rules.add_perm(Permission.MANAGE_TEAM, is_owner | is_site_admin)
rules.add_perm(Permission.VIEW_PARTICIPANTS, works_with_people | is_site_admin)
rules.add_perm(Permission.RECORD_CONSENT, works_with_people | is_site_admin)
rules.add_perm(Permission.EXPORT_STUDY, has_role(Role.OWNER, Role.RESEARCHER) | is_site_admin)
