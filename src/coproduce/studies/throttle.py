"""Limits on what one browser, one address or one external id may send in an hour: joining,
writing statements, voting and telling stories. Counted in the database, so every server of a
site shares the same counts; over a limit, the answer is 429 with a sentence.

Each limit is "N per hour" and can be set from the environment (COPRODUCE_LIMIT_<KIND>, for
example COPRODUCE_LIMIT_VOTES=1200); 0 turns it off.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext as _

from coproduce.core.errors import ConfigurationError, TooMany
from coproduce.studies.models import ActionCount

HOUR = 3600


@dataclass(frozen=True)
class Limit:
    kind: str
    per_hour: int
    what: str  # for the sentence: "joins", "statements"...


DEFAULTS = {
    # A whole class or a drop-in session may join from one address.
    "joins": 300,
    "statements": 60,
    "votes": 1500,
    "stories": 30,
}


def limit(kind: str) -> Limit:
    raw = (os.environ.get(f"COPRODUCE_LIMIT_{kind.upper()}") or "").strip()
    if raw and not raw.isdecimal():
        raise ConfigurationError(
            f"COPRODUCE_LIMIT_{kind.upper()}={raw!r} is not a whole number per hour; set it to,"
            f" say, {DEFAULTS[kind]}, or 0 for no limit."
        )
    return Limit(kind, int(raw) if raw else DEFAULTS[kind], kind)


COUNTS = ActionCount._meta.db_table


def counting(source: str) -> str:
    """SQL that counts one more for a holder in an hour's window and returns the count after it;
    `source` gives the row, as "VALUES (%s, %s, 1)" or a SELECT of (key, window, 1)."""
    return (
        f'INSERT INTO {COUNTS} (key, "window", count) {source}'
        f' ON CONFLICT (key, "window") DO UPDATE SET count = {COUNTS}.count + 1 RETURNING count'
    )


COUNT_ONE = counting("VALUES (%s, %s, 1)")


def this_window() -> int:
    """The hour's window a count falls in (hours since 1970)."""
    return int(time.time()) // HOUR


def holder_key(kind: str, holder: str) -> str:
    return f"{kind}:{holder}"[:200]


def refusal(rule: Limit) -> TooMany:
    return TooMany(
        _(
            "Too many %(what)s from here in the last hour (the limit is %(n)d);"
            " please wait a while and try again."
        )
        % {"what": _(rule.what), "n": rule.per_hour}
    )


def spend(kind: str, *holders: str) -> None:
    """Count one more `kind` for each holder ("address:203.0.113.9", "session:abc", "xid:..."),
    refusing with TooMany when any of them is over its hour's limit (nothing is counted then)."""
    rule = limit(kind)
    if rule.per_hour == 0:
        return
    window = this_window()
    with transaction.atomic(), connection.cursor() as cursor:
        for holder in holders:
            cursor.execute(COUNT_ONE, [holder_key(kind, holder), window])
            (count,) = cursor.fetchone()
            if int(count) > rule.per_hour:
                transaction.set_rollback(True)
                raise refusal(rule)


def forget_old(before_window: int | None = None) -> int:
    """Remove counts from windows that have passed (run by the worker now and then)."""
    window = before_window if before_window is not None else int(time.time()) // HOUR - 1
    return ActionCount.objects.filter(window__lt=window).delete()[0]
