"""Vote intake: the fast path for `POST /api/conversations/<code>/votes`.

A busy conversation sends thousands of votes a second. Django's request stack (middleware,
URL resolving, django-ninja's validation, the ORM) costs several milliseconds of CPU per vote,
so this WSGI wrapper takes the ordinary case, a valid vote from a joined participant on an open
statement, straight to two SQL statements, and hands every other request to Django unchanged
(with its body replayed). Anything unusual (bad JSON, unknown statement, closed conversation,
no consent, a retried idempotency key, a disallowed host) therefore gets the API's one answer,
written once, in `coproduce.conversations.api`. See docs/decisions/0002-vote-intake.md.
"""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import OperationalError, connection, transaction
from django.http.request import split_domain_port, validate_host
from django.utils import timezone

from coproduce.conversations.models import (
    Conversation,
    ConversationParticipant,
    CurrentVote,
    Moderation,
    Statement,
    StatementStatus,
)
from coproduce.conversations.models import Vote as StoredVote
from coproduce.conversations.services import INSERT_VOTE, UPSERT_CURRENT_VOTE, number_member
from coproduce.conversations.tasks import request_analysis
from coproduce.core.evidence import Channel
from coproduce.core.signing import signed
from coproduce.core.text import unstorable
from coproduce.studies.models import Consent, Participant
from coproduce.studies.throttle import COUNT_ONE, counting, holder_key, limit, this_window

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

VOTES_PATH = re.compile(r"/api/conversations/([a-z0-9]{1,16})/votes")
LONGEST_BODY = 4096
LONGEST_KEY = 100
NEVER_BY_COUNT = 2**31

STATEMENT = Statement._meta.db_table
CONVERSATION = Conversation._meta.db_table
PARTICIPANT = Participant._meta.db_table
CONSENT = Consent._meta.db_table
MEMBER = ConversationParticipant._meta.db_table
VOTE_TABLE = StoredVote._meta.db_table
CURRENT_TABLE = CurrentVote._meta.db_table


# A participant's consent stands: their latest consent is not withdrawn (no consent at all gives
# NULL, which is false). The hand-written mirror of ParticipantQuerySet.consenting(), the one
# rule; tests/conversations/test_vote_intake.py checks the two agree on every consent history.
def consent_stands(participant_id: str) -> str:
    """SQL true when the participant whose id is in that column has a consent that stands."""
    return f"""(SELECT k.withdrawn_at IS NULL FROM {CONSENT} k
           WHERE k.participant_id = {participant_id}
           ORDER BY k.given_at DESC, k.id DESC LIMIT 1)"""  # noqa: S608 - column names only


CONSENT_STANDS = consent_stands("p.id")

# Everything a vote needs, in one query: the statement open for votes in an open conversation,
# the participant with this xid in the conversation's study whose consent stands (and the
# statement's writer's, if a participant wrote it), and whether the voter already has their
# number in the conversation.
LOOKUP = f"""
    SELECT s.id AS statement_id, c.id AS conversation_id, p.id AS participant_id,
           EXISTS (SELECT 1 FROM {MEMBER} m
                   WHERE m.conversation_id = c.id AND m.participant_id = p.id) AS is_member
    FROM {STATEMENT} s
    JOIN {CONVERSATION} c ON c.id = s.conversation_id
    JOIN {PARTICIPANT} p ON p.study_id = c.study_id AND p.xid = %s
    WHERE c.code = %s AND s.number = %s
      AND (c.opens_at IS NULL OR c.opens_at <= %s)
      AND (c.closes_at IS NULL OR c.closes_at > %s)
      AND (s.status IN ('{StatementStatus.APPROVED}', '{StatementStatus.META}')
           OR (s.status = '{StatementStatus.PENDING}' AND c.moderation = '{Moderation.LENIENT}'))
      AND {CONSENT_STANDS}
      AND (s.author_id IS NULL OR {consent_stands("s.author_id")})
"""  # noqa: S608 - table names come from the models; every value is a parameter

SECRET = f"SELECT embed_secret FROM {CONVERSATION} WHERE code = %s"  # noqa: S608


# PostgreSQL does it all in one statement (one round trip, atomic on its own): find, insert the
# vote unless its idempotency key was used, and upsert the current vote. No row back means
# "not a plain vote" and nothing was written.
COUNT_IF_FOUND = "SELECT %s, %s, 1 FROM found"


def record_postgresql(counted: bool) -> str:
    """The one statement; when `counted`, it also counts the vote against the external id's
    hourly limit (coproduce.studies.throttle) and casts it only while the count is within it."""
    count = f",\n    counted AS ({counting(COUNT_IF_FOUND)})" if counted else ""
    within = ", counted k WHERE k.count <= %s" if counted else ""
    over = "(SELECT count FROM counted)" if counted else "0"
    return f"""
    WITH found AS ({LOOKUP}){count},
    cast_vote AS (
        INSERT INTO {VOTE_TABLE}
            (conversation_id, statement_id, participant_id, value, channel, session,
             idempotency_key, created_at)
        SELECT f.conversation_id, f.statement_id, f.participant_id, %s, %s, '', %s, %s
        FROM found f{within}
        ON CONFLICT DO NOTHING
        RETURNING id, conversation_id, statement_id, participant_id, value, channel, created_at
    ),
    current AS (
        INSERT INTO {CURRENT_TABLE}
            (conversation_id, statement_id, participant_id, value, channel, voted_at)
        SELECT conversation_id, statement_id, participant_id, value, channel, created_at
        FROM cast_vote
        ON CONFLICT (statement_id, participant_id) DO UPDATE
        SET value = excluded.value, channel = excluded.channel, voted_at = excluded.voted_at
    )
    SELECT v.id, v.conversation_id, v.participant_id, f.is_member, {over}
    FROM found f LEFT JOIN cast_vote v ON true
"""  # noqa: S608


RECORD_POSTGRESQL = {counted: record_postgresql(counted) for counted in (False, True)}
OVER_THE_LIMIT = "over the limit"

# The headers Django's middleware would add to an API answer.
HEADERS = [
    ("Content-Type", "application/json; charset=utf-8"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cache-Control", "no-store"),
]


class Vote:
    """A vote as the API receives it, once it has passed the cheap checks."""

    __slots__ = ("code", "key", "signature", "statement", "value", "xid")

    def __init__(
        self, code: str, xid: str, signature: str, statement: int, value: int, key: str | None
    ) -> None:
        self.code, self.xid, self.signature = code, xid, signature
        self.statement, self.value, self.key = statement, value, key


def read_vote(code: str, body: bytes, key: str | None) -> Vote | None:
    """The vote in this body, or None when it is anything but a plain valid vote."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python recurses
        return None
    if not isinstance(data, dict) or data.keys() != {"xid", "xid_signature", "statement", "vote"}:
        return None
    xid, signature = data["xid"], data["xid_signature"]
    if has_lone_surrogate(xid) or has_lone_surrogate(signature):
        return None  # Django answers with the sentence
    number, value = data["statement"], data["vote"]
    if (
        type(xid) is not str
        or type(signature) is not str
        or type(number) is not int
        or type(value) is not int
        or value not in (-1, 0, 1)
        or not 0 <= number < 2**31
    ):
        return None
    if key is not None and (len(key) > LONGEST_KEY or not key):
        return None
    return Vote(code, xid, signature, number, value, key)


def has_lone_surrogate(value: object) -> bool:
    """A string with half of a UTF-16 pair ("\\ud800" in JSON), which no database can store."""
    return isinstance(value, str) and unstorable(value) is not None


# A conversation's embedding secret is read once and kept this long, so a vote needs no extra
# query; a secret the team replaces stops working in every process within this time.
SECRET_SECONDS = 30.0
_secrets: dict[str, tuple[str, float]] = {}


def embed_secret(code: str) -> str | None:
    """The conversation's embedding secret (None when there is no such conversation)."""
    now = time.monotonic()
    cached = _secrets.get(code)
    if cached is not None and now - cached[1] < SECRET_SECONDS:
        return cached[0]
    with connection.cursor() as cursor:
        cursor.execute(SECRET, [code])
        row = cursor.fetchone()
    if row is None:
        return None
    _secrets[code] = (str(row[0]), now)
    return str(row[0])


def forget_secret(code: str) -> None:
    """Read the secret afresh next time (this process replaced it)."""
    _secrets.pop(code, None)


def record(vote: Vote) -> int | str | None:
    """Store the vote and its current vote, counting it against its external id's hourly limit
    in the same transaction: the new vote's id, OVER_THE_LIMIT (nothing stored), or None to let
    Django answer."""
    secret = embed_secret(vote.code)
    if secret is None or not signed(secret, vote.code, vote.xid, vote.signature):
        return None  # Django answers: no such conversation, or an xid not signed (403)
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    most = limit("votes").per_hour
    if connection.vendor == "postgresql":
        return record_in_one_statement(vote, stamp, most)
    with connection.cursor() as cursor:
        cursor.execute(LOOKUP, [vote.xid, vote.code, vote.statement, stamp, stamp])
        found = cursor.fetchone()
        if found is None:
            return None
        statement_id, conversation_id, participant_id, is_member = found
        with transaction.atomic():
            if most:
                cursor.execute(COUNT_ONE, [limit_key(vote), this_window()])
                if int(cursor.fetchone()[0]) > most:
                    transaction.set_rollback(True)
                    return OVER_THE_LIMIT
            cursor.execute(
                INSERT_VOTE,
                [
                    conversation_id,
                    statement_id,
                    participant_id,
                    vote.value,
                    Channel.WEB.value,
                    "",
                    vote.key,
                    stamp,
                ],
            )
            row = cursor.fetchone()
            if row is None:
                # A retry of a vote already counted: Django answers with the first one.
                return None
            cursor.execute(
                UPSERT_CURRENT_VOTE,
                [conversation_id, statement_id, participant_id, vote.value, Channel.WEB, stamp],
            )
            if not is_member:
                number_member(conversation_id, participant_id)
    request_analysis(conversation_id)
    return int(row[0])


def record_in_one_statement(vote: Vote, stamp: object, most: int) -> int | str | None:
    import psycopg

    counted = [limit_key(vote), this_window()] if most else []
    within = [most] if most else []
    connection.ensure_connection()
    raw = connection.connection
    # A prepared statement, so PostgreSQL plans it once per connection rather than for every
    # vote (planning costs several times what running it does). Django turns psycopg's
    # preparing off (None); a threshold no query reaches keeps every other query unprepared
    # while `prepare=True` prepares this one.
    if raw.prepare_threshold is None:
        raw.prepare_threshold = NEVER_BY_COUNT
    with psycopg.Cursor(raw) as cursor:
        cursor.execute(
            RECORD_POSTGRESQL[bool(most)],
            [
                *(vote.xid, vote.code, vote.statement, stamp, stamp),
                *counted,
                *(vote.value, Channel.WEB.value, vote.key, stamp),
                *within,
            ],
            prepare=True,
        )
        row = cursor.fetchone()
    if row is None:
        return None
    vote_id, conversation_id, participant_id, is_member, count = row
    if vote_id is None:
        return OVER_THE_LIMIT if most and count > most else None
    if not is_member:
        number_member(conversation_id, participant_id)
    request_analysis(conversation_id)
    return int(vote_id)


def limit_key(vote: Vote) -> str:
    """The vote's external id, as the hourly limit on votes counts it."""
    return holder_key("votes", f"xid:{vote.code}:{vote.xid}")


TOO_MANY = json.dumps(
    {
        "detail": "Too many votes from this person in the last hour; please wait a while and"
        " try again."
    }
).encode()


BUSY_JSON = json.dumps(
    {
        "detail": "The site is busy with a long piece of work (an import) and could not save"
        " this vote just now; nothing was lost: send it again in a few seconds."
    }
).encode()


def answer(
    start_response: Callable[..., Any], status: str, payload: bytes, *, retry: bool = False
) -> list[bytes]:
    headers = [*HEADERS, ("Content-Length", str(len(payload)))]
    if retry:
        headers.append(("Retry-After", "5"))
    start_response(status, headers)
    return [payload]


class VoteIntake:
    """WSGI middleware: answer plain votes directly, pass everything else to Django."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        match = VOTES_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if match is None or not self.host_allowed(environ):
            return self.app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return self.app(environ, start_response)
        if not 0 < length <= LONGEST_BODY:
            return self.app(environ, start_response)
        body = environ["wsgi.input"].read(length)
        vote = read_vote(match.group(1), body, environ.get("HTTP_IDEMPOTENCY_KEY"))
        outcome: int | str | None = None
        if vote is not None:
            # The signals Django sends around every request; they close connections that are
            # broken or too old, as for any other request.
            request_started.send(sender=self.__class__, environ=environ)
            try:
                outcome = record(vote)
            except OperationalError as error:
                if "database is locked" not in str(error):
                    raise
                outcome = "busy"  # SQLite's write lock held past the timeout: a long import
            finally:
                request_finished.send(sender=self.__class__)
        if outcome == "busy":
            return answer(start_response, "503 Service Unavailable", BUSY_JSON, retry=True)
        if outcome == OVER_THE_LIMIT:
            return answer(start_response, "429 Too Many Requests", TOO_MANY)
        if vote is None or not isinstance(outcome, int):
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            return self.app(environ, start_response)
        made = json.dumps({"id": outcome, "statement": vote.statement, "vote": vote.value})
        return answer(start_response, "201 Created", made.encode())

    @staticmethod
    def host_allowed(environ: dict[str, Any]) -> bool:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        domain, _port = split_domain_port(host)
        allowed = settings.ALLOWED_HOSTS
        if settings.DEBUG and not allowed:
            allowed = [".localhost", "127.0.0.1", "[::1]"]
        return bool(domain) and validate_host(domain, allowed)
