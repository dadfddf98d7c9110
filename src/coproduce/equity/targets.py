"""The team's equity targets: floors per role, a ceiling per channel, the flag thresholds."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.core.errors import InvalidInput
from coproduce.equity.models import EquityTargets
from coproduce.equity.voices import role_names
from coproduce.studies.models import Study
from coproduce.studies.permissions import Permission
from coproduce.studies.services import require


def _percent(value: object, what: str) -> int:
    text = str(value if value is not None else "").strip()
    if not text.isdecimal() or len(text) > 3 or not 0 <= int(text) <= 100:
        raise InvalidInput(
            _("%(what)s must be a whole percentage from 0 to 100; got “%(got)s”.")
            % {"what": what, "got": text[:20]}
        )
    return int(text)


@transaction.atomic
def set_targets(
    study: Study,
    by: User,
    *,
    role_floors: Mapping[str, object],
    channel_ceiling: object,
    difference: object,
    talk_floor: object,
) -> EquityTargets:
    """Save the study's targets; every figure is a percentage (empty floors mean no target)."""
    require(by, Permission.CHANGE_STUDY, study)
    floors = {}
    for role, value in role_floors.items():
        if role not in role_names():
            raise InvalidInput(
                _("There is no role “%(r)s”; choose one of the listed roles.") % {"r": role[:40]}
            )
        if str(value).strip():
            percent = _percent(value, role_names()[role])
            if percent:
                floors[role] = percent
    if sum(floors.values()) > 100:
        raise InvalidInput(_("The role targets add up to more than 100%; lower some of them."))
    targets, _created = EquityTargets.objects.update_or_create(
        study=study,
        defaults={
            "role_floors": floors,
            "channel_ceiling": _percent(channel_ceiling, _("The channel limit")),
            "difference": _percent(difference, _("The difference that shows both counts")),
            "talk_floor": _percent(talk_floor, _("The service user's share of talk")),
        },
    )
    return targets
