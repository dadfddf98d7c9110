"""The names of what a team member may do in a study; studies/rules.py says who holds each."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from coproduce.accounts.models import Someone
    from coproduce.studies.models import Study


class Permission(StrEnum):
    """A permission, checked per study: `user.has_perm(Permission.CHANGE_STUDY, study)`."""

    ADD_STUDY = "studies.add_study"
    VIEW_STUDY = "studies.view_study"
    CHANGE_STUDY = "studies.change_study"
    DELETE_STUDY = "studies.delete_study"
    MANAGE_TEAM = "studies.manage_team"
    VIEW_PARTICIPANTS = "studies.view_participants"
    RECORD_CONSENT = "studies.record_consent"
    EXPORT_STUDY = "studies.export_study"


def require(user: Someone, permission: Permission, study: Study | None = None) -> None:
    """Raise PermissionDenied unless the user holds the permission for this study."""
    if not user.has_perm(permission, study):
        raise PermissionDenied(
            _("Your role in this study does not allow that (%(permission)s); ask its owner.")
            % {"permission": permission}
        )
