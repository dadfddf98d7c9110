"""How long the words people type may be, checked before the database is asked to store them.

One check for every app: a value that is too long is refused in one sentence naming what it
is and how long it may be. Nothing a person typed is ever cut short without a word, and the
database (PostgreSQL refuses, SQLite would store it whole) never decides.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from coproduce.core.errors import InvalidInput

# Describing yourself in your own words: long enough for a paragraph, not for a document.
SELF_DESCRIPTION_LIMIT = 2000


def within(value: str, limit: int, what: str) -> str:
    """`value` stripped, or one sentence when it is longer than `limit` characters."""
    value = value.strip()
    if len(value) > limit:
        raise InvalidInput(
            _("The %(what)s is %(n)d characters long; shorten it to %(max)d or fewer.")
            % {"what": what, "n": len(value), "max": limit}
        )
    return value


def fitted(value: str, model: type[models.Model], field: str, what: str) -> str:
    """`value` stripped, or one sentence when it is longer than `model.field` holds."""
    limit = getattr(model._meta.get_field(field), "max_length", None)
    return value.strip() if limit is None else within(value, limit, what)
