"""How long the names people type may be, checked before the database is asked to store them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from coproduce.core.errors import InvalidInput


def fitted(value: str, model: type[models.Model], field: str, what: str) -> str:
    """`value` stripped, or one sentence when it is longer than `model.field` holds.

    A long name is refused rather than cut: nothing a person typed is silently lost, and the
    database (PostgreSQL refuses, SQLite would store it whole) never decides.
    """
    value = value.strip()
    limit = getattr(model._meta.get_field(field), "max_length", None)
    if limit is not None and len(value) > limit:
        raise InvalidInput(
            _("The %(what)s is %(n)d characters long; shorten it to %(max)d or fewer.")
            % {"what": what, "n": len(value), "max": limit}
        )
    return value
