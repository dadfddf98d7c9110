"""What can be done in a conversation: set it up, write and moderate statements, vote.

Views, the API and the CLI call these; every rule about statements and votes lives here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, TypeVar

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.conversations.models import (
    Conversation,
    ConversationParticipant,
    CurrentVote,
    Moderation,
    Statement,
    StatementComment,
    StatementStatus,
    Vote,
    VoteValue,
)
from coproduce.conversations.tasks import request_analysis
from coproduce.core.analysis.similar import Match, most_similar, normalise
from coproduce.core.errors import Conflict, InvalidInput, NotFound
from coproduce.core.evidence import Channel
from coproduce.studies import audit
from coproduce.studies.bulk import let_others_write, pause_between_chunks
from coproduce.studies.models import AuditEvent, Participant, Study
from coproduce.studies.permissions import Permission
from coproduce.studies.services import join, require

CONVERSATION_FIELDS = (
    "question",
    "description",
    "position",
    "opens_at",
    "closes_at",
    "moderation",
    "participants_can_write",
    "statement_max_length",
    "ask_about_you",
    "purpose",
    "invites_comments",
    "comment_prompt",
)
TAG = re.compile(r"<[^>]*>")
VISIBLE = (StatementStatus.APPROVED, StatementStatus.META)


def get_conversation(code: str) -> Conversation:
    """The conversation with this code, or a NotFound saying how to find it."""
    conversation = Conversation.objects.select_related("study").filter(code=code).first()
    if conversation is None:
        raise NotFound(
            _("No conversation has the code '%(code)s'; it is shown on the study's page.")
            % {"code": code}
        )
    return conversation


@transaction.atomic
def create_conversation(study: Study, by: User, question: str, **fields: Any) -> Conversation:
    """Start a conversation in a study; only editors may."""
    require(by, Permission.CHANGE_STUDY, study)
    question = question.strip()
    if not question:
        raise InvalidInput(_("A conversation needs a question; write one."))
    unknown = set(fields) - set(CONVERSATION_FIELDS)
    if unknown:
        raise InvalidInput(_("Conversations have no field '%(f)s'.") % {"f": sorted(unknown)[0]})
    fields.setdefault("position", study.conversations.count())
    return Conversation.objects.create(study=study, question=question, **fields)


def visible_statements(conversation: Conversation) -> Any:
    """Statements participants may vote on (lenient moderation also shows pending ones); never
    a statement whose writer has withdrawn."""
    statuses: tuple[str, ...] = VISIBLE
    if conversation.moderation == Moderation.LENIENT:
        statuses = (*VISIBLE, StatementStatus.PENDING)
    return standing_statements(conversation).filter(status__in=statuses)


def standing_statements(conversation: Conversation) -> Any:
    """The conversation's statements, leaving out those whose writer has withdrawn."""
    consenting = Participant.objects.filter(study=conversation.study_id).consenting()
    return conversation.statements.filter(
        Q(author__isnull=True) | Q(author__in=consenting.values("pk"))
    )


def check_still_taking_part(participant: Participant) -> None:
    """Refuse a contribution from someone who has withdrawn (they may join again, afresh)."""
    if not Participant.objects.filter(pk=participant.pk).consenting().exists():
        raise Conflict(
            _("You have withdrawn from this study, so nothing more is taken from you; thank you.")
        )


def clean_statement_text(conversation: Conversation, text: str) -> str:
    """The statement as it will be stored, or InvalidInput saying what to change."""
    cleaned = " ".join(TAG.sub(" ", text or "").split())
    if not cleaned:
        raise InvalidInput(_("Write a statement before sending it."))
    if len(cleaned) > conversation.statement_max_length:
        raise InvalidInput(
            _("Your statement is %(n)d characters long; keep it to %(max)d or fewer.")
            % {"n": len(cleaned), "max": conversation.statement_max_length}
        )
    return cleaned


def similar_statement(conversation: Conversation, text: str) -> Match | None:
    """An existing (not rejected) statement that says much the same, if there is one."""
    existing = conversation.statements.exclude(status=StatementStatus.REJECTED).values_list(
        "pk", "text"
    )
    return most_similar(text, existing)


def next_number(conversation: Conversation) -> int:
    current = conversation.statements.aggregate(top=Max("number"))["top"]
    return 0 if current is None else current + 1


@dataclass(frozen=True)
class NewStatement:
    text: str
    author: Participant | None = None
    written_by: User | None = None
    is_seed: bool = False
    status: str | None = None
    channel: Channel = Channel.WEB
    session: str = ""
    created_at: datetime | None = None


@transaction.atomic
def add_statements(conversation: Conversation, new: Iterable[NewStatement]) -> list[Statement]:
    """Add statements, numbered in order; an exact duplicate of one already there is refused."""
    # Lock the conversation row so numbers stay unique when several people write at once.
    Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
    number = next_number(conversation)
    seen = {normalise(t) for t in conversation.statements.values_list("text", flat=True)}
    created: list[Statement] = []
    for item in new:
        text = clean_statement_text(conversation, item.text)
        key = normalise(text)
        if key in seen:
            raise Conflict(
                _("The statement “%(text)s” is already in this conversation; vote on it instead.")
                % {"text": text[:80]}
            )
        seen.add(key)
        status = item.status or (
            StatementStatus.APPROVED if item.is_seed or item.written_by else StatementStatus.PENDING
        )
        created.append(
            Statement(
                conversation=conversation,
                number=number,
                text=text,
                author=item.author,
                written_by=item.written_by,
                is_seed=item.is_seed,
                status=status,
                channel=item.channel,
                session=item.session,
                created_at=item.created_at or timezone.now(),
            )
        )
        number += 1
    return Statement.objects.bulk_create(created)


def write_statement(
    conversation: Conversation,
    participant: Participant,
    text: str,
    *,
    channel: Channel = Channel.WEB,
) -> Statement:
    """A participant adds their own statement to the conversation."""
    check_open(conversation, participant)
    check_still_taking_part(participant)
    if not conversation.participants_can_write:
        raise Conflict(_("This conversation does not take new statements from participants."))
    statement = add_statements(
        conversation, [NewStatement(text=text, author=participant, channel=channel)]
    )[0]
    member_number(conversation, participant)
    return statement


def check_open(conversation: Conversation, participant: Participant | None = None) -> None:
    if not conversation.is_open():
        raise Conflict(_("This conversation is closed; thank you for your interest."))
    if participant is not None and participant.study_id != conversation.study_id:
        raise InvalidInput(_("That participant is not in this conversation's study."))


MEMBER_TABLE = ConversationParticipant._meta.db_table
CONVERSATION_TABLE = Conversation._meta.db_table
FIND_MEMBER = (
    f"SELECT number FROM {MEMBER_TABLE} WHERE conversation_id = %s AND participant_id = %s"  # noqa: S608
)
# The next number in the conversation. Two first votes at once may both pick the same number:
# the unique constraint lets one in and the other finds nothing inserted and tries again, so no
# lock is needed. ("WHERE" before "ON CONFLICT" keeps SQLite's parser sure ON is the upsert's.)
ADD_MEMBER = f"""
    INSERT INTO {MEMBER_TABLE} (conversation_id, participant_id, number)
    SELECT %s, %s, COALESCE(MAX(number) + 1, 0) FROM {MEMBER_TABLE} WHERE conversation_id = %s
    ON CONFLICT DO NOTHING
    RETURNING number
"""  # noqa: S608


def member_number(conversation: Conversation, participant: Participant) -> int:
    """The participant's number in this conversation, given on first contribution."""
    return number_member(conversation.pk, participant.pk)


def number_member(conversation_id: int, participant_id: int) -> int:
    """Give a participant the next number in a conversation unless they have one; return it."""
    with connection.cursor() as cursor:
        while True:
            cursor.execute(FIND_MEMBER, [conversation_id, participant_id])
            row = cursor.fetchone()
            if row is not None:
                return int(row[0])
            cursor.execute(ADD_MEMBER, [conversation_id, participant_id, conversation_id])
            row = cursor.fetchone()
            if row is not None:
                return int(row[0])


VOTE_TABLE = Vote._meta.db_table
CURRENT_TABLE = CurrentVote._meta.db_table
# ON CONFLICT DO NOTHING: only the unique idempotency key can clash; then nothing is counted.
# Table names come from the models and every value is a parameter, so this is no injection.
INSERT_VOTE = f"""
    INSERT INTO {VOTE_TABLE}
        (conversation_id, statement_id, participant_id, value, channel, session,
         idempotency_key, created_at)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
    ON CONFLICT DO NOTHING
    RETURNING id
"""  # noqa: S608
UPSERT_CURRENT_VOTE = f"""
    INSERT INTO {CURRENT_TABLE}
        (conversation_id, statement_id, participant_id, value, channel, voted_at)
    VALUES (%s, %s, %s, %s, %s, %s)
    ON CONFLICT (statement_id, participant_id)
    DO UPDATE SET value = excluded.value, channel = excluded.channel, voted_at = excluded.voted_at
"""  # noqa: S608


def vote(
    statement: Statement,
    participant: Participant,
    value: int,
    *,
    channel: Channel = Channel.WEB,
    session: str = "",
    idempotency_key: str | None = None,
    at: datetime | None = None,
) -> Vote:
    """Record a vote (see cast_vote); returns the vote that stands for this request."""
    return cast_vote(
        statement,
        participant,
        value,
        channel=channel,
        session=session,
        idempotency_key=idempotency_key,
        at=at,
    )[0]


@transaction.atomic
def cast_vote(
    statement: Statement,
    participant: Participant,
    value: int,
    *,
    channel: Channel = Channel.WEB,
    session: str = "",
    idempotency_key: str | None = None,
    at: datetime | None = None,
) -> tuple[Vote, bool]:
    """Record a vote; the latest vote per participant and statement is the one that counts.

    With an idempotency key, sending the same vote again returns the first one unchanged and
    False for "created".
    """
    if value not in VoteValue.values:
        raise InvalidInput(_("A vote is 1 (agree), -1 (disagree) or 0 (pass)."))
    conversation = statement.conversation
    check_open(conversation, participant)
    if not visible_statements(conversation).filter(pk=statement.pk).exists():
        raise Conflict(_("That statement is not open for votes."))
    check_still_taking_part(participant)
    moment = at or timezone.now()
    key = idempotency_key or None
    stored_at = connection.ops.adapt_datetimefield_value(moment)
    with connection.cursor() as cursor:
        # Plain SQL on the hot path: the ORM's query building costs more than the writes.
        cursor.execute(
            INSERT_VOTE,
            [
                conversation.pk,
                statement.pk,
                participant.pk,
                value,
                channel,
                session,
                key,
                stored_at,
            ],
        )
        row = cursor.fetchone()
        if row is None:
            # This request was sent before (a retry): the first one counted, this one does not.
            first = Vote.objects.get(participant=participant, idempotency_key=key)
            if first.statement_id != statement.pk or first.value != value:
                raise InvalidInput(
                    _(
                        "This Idempotency-Key was already used for another vote (statement"
                        " %(n)d, %(v)s), so this one was not counted; send each new vote with"
                        " a new key."
                    )
                    % {"n": first.statement.number, "v": first.get_value_display()}
                )
            return first, False
        cursor.execute(
            UPSERT_CURRENT_VOTE,
            [conversation.pk, statement.pk, participant.pk, value, str(channel), stored_at],
        )
    member_number(conversation, participant)
    request_analysis(conversation.pk)
    cast = Vote(
        id=row[0],
        conversation=conversation,
        statement=statement,
        participant=participant,
        value=value,
        channel=channel,
        session=session,
        idempotency_key=key,
        created_at=moment,
    )
    return cast, True


COMMENT_LONGEST = 2000


def clean_comment(text: str) -> str:
    """A comment as it will be stored (spaces tidied), or InvalidInput saying what to change."""
    cleaned = " ".join(TAG.sub(" ", text or "").split())
    if len(cleaned) > COMMENT_LONGEST:
        raise InvalidInput(
            _("Your comment is %(n)d characters long; keep it to %(max)d or fewer.")
            % {"n": len(cleaned), "max": COMMENT_LONGEST}
        )
    return cleaned


@transaction.atomic
def vote_with_comment(
    statement: Statement,
    participant: Participant,
    value: int,
    comment: str = "",
    *,
    channel: Channel = Channel.WEB,
    session: str = "",
) -> Vote:
    """A vote and, where the conversation asks for one, the optional comment beside it; both or
    neither are kept."""
    text = clean_comment(comment)
    if text and not statement.conversation.invites_comments:
        raise InvalidInput(_("This conversation does not ask for comments; send the vote alone."))
    cast = vote(statement, participant, value, channel=channel, session=session)
    if text:
        StatementComment.objects.create(
            statement=statement,
            participant=participant,
            text=text,
            channel=channel,
            session=session,
        )
    return cast


class CastVote(NamedTuple):
    """A vote to store in bulk (a study archive, the demo): what a Vote row holds, by ids."""

    conversation_id: int
    statement_id: int
    participant_id: int
    value: int
    channel: str
    session: str
    created_at: datetime
    idempotency_key: str | None = None


def save_history(history: Sequence[CastVote]) -> None:
    """Store many votes at once (a study archive, the demo) and the current vote each one
    leaves: plain SQL a chunk a transaction (a savepoint inside a caller's), pausing between
    chunks on SQLite as every bulk write does.

    The latest vote per participant and statement counts; at the same moment, the later in the
    list (`_latest`, as for a Polis import).
    """
    moment = _moment_text()
    latest = _latest(history, statement=1, participant=2, moment=6)
    rows: Rows = [(*v[:6], moment(v.created_at), v.idempotency_key) for v in history]
    current: Rows = [(*v[:5], moment(v.created_at)) for _, v in sorted(latest.items())]
    pause = pause_between_chunks()
    with _bulk_writing():
        for table, chunks in ((KEYED, rows), (CURRENT, current)):
            for start in range(0, len(chunks), KEYED_CHUNK):
                _insert_chunk(table, chunks[start : start + KEYED_CHUNK], pause)
    for conversation_id in {v.conversation_id for v in history}:
        request_analysis(conversation_id)


# Votes a transaction when they come with sessions and keys of their own (study archives).
KEYED_CHUNK = 10_000


def _moment_text() -> Callable[[datetime], Any]:
    """A moment as this database takes it in a bulk write: for SQLite, the UTC text Django
    writes (without Django's checks per value); for others, as Django adapts it."""
    if connection.vendor != "sqlite":
        return connection.ops.adapt_datetimefield_value

    def as_text(moment: datetime) -> str:
        if moment.utcoffset():
            moment = moment.astimezone(UTC)
        return moment.replace(tzinfo=None).isoformat(" ")

    return as_text


HISTORY, CURRENT, KEYED = "history", "current", "history with keys"
Rows = list[tuple[Any, ...]]
# A bulk write's rows: (conversation, statement, participant, value, channel, session, moment)
# for the history, then the idempotency key for the history with keys (study archives), and
# without the session for the current votes.
INSERT = {
    HISTORY: """INSERT INTO conversations_vote
        (conversation_id, statement_id, participant_id, value, channel, session, created_at)
        VALUES (%s, %s, %s, %s, %s, %s, %s)""",
    CURRENT: """INSERT INTO conversations_currentvote
        (conversation_id, statement_id, participant_id, value, channel, voted_at)
        VALUES (%s, %s, %s, %s, %s, %s)""",
    KEYED: """INSERT INTO conversations_vote (conversation_id, statement_id, participant_id,
        value, channel, session, created_at, idempotency_key)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s)""",
}
COPY = {
    HISTORY: """COPY conversations_vote
        (conversation_id, statement_id, participant_id, value, channel, session, created_at)
        FROM STDIN""",
    CURRENT: """COPY conversations_currentvote
        (conversation_id, statement_id, participant_id, value, channel, voted_at) FROM STDIN""",
    KEYED: """COPY conversations_vote (conversation_id, statement_id, participant_id, value,
        channel, session, created_at, idempotency_key) FROM STDIN""",
}
# Rows a transaction in a bulk write: on SQLite about a quarter of a second of its write lock.
CHUNK = 50_000
# SQLite's page cache while a bulk write runs (KiB, as PRAGMA cache_size takes it negative): the
# vote tables' indexes outgrow the default 2 MB, and every row then reads pages from disk again.
BULK_CACHE_KIB = 65_536


def store_votes(
    conversation_id: int,
    votes: Sequence[tuple[int, int, int, int]],
    channel: Channel,
    *,
    pause: float = 0.0,
    analyse: bool = True,
) -> int:
    """Store many votes at once (a Polis import): (statement id, participant id, value, when in
    milliseconds since 1970, as Polis counts) each, with the current vote each person leaves on
    each statement (the latest counts; at the same moment, the later in the list). Plain
    parameterised SQL in chunks (COPY on PostgreSQL), as the ORM's bulk_create costs far more
    per row than the database does. Returns how many were stored.

    Each chunk is a transaction of its own (a savepoint inside a caller's), so SQLite's write
    lock is held a fraction of a second at a time; `pause` seconds between chunks let other
    writers (votes, sign-ins) take it meanwhile. PostgreSQL, which has no such lock, writes the
    history and the current votes at once on two connections (its checks of every row's
    references, most of the time an import takes, then run on two processors). `analyse=False`
    leaves asking for the opinion analysis to the caller (an import asks once its conversation
    is shown)."""
    moment = MomentText(connection.vendor)
    how = str(channel)

    def history() -> Iterator[Rows]:
        for start in range(0, len(votes), CHUNK):
            yield [
                (conversation_id, statement_id, participant_id, value, how, "", moment(ms))
                for statement_id, participant_id, value, ms in votes[start : start + CHUNK]
            ]

    def current() -> Iterator[Rows]:
        # In the order of the unique index (statement, participant): each chunk then adds to
        # its end, rather than to pages all over it.
        rows: Rows = [
            (conversation_id, statement_id, participant_id, value, how, moment(ms))
            for _, (statement_id, participant_id, value, ms) in sorted(
                _latest(votes, statement=0, participant=1, moment=3).items()
            )
        ]
        for start in range(0, len(rows), CHUNK):
            yield rows[start : start + CHUNK]

    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with ThreadPoolExecutor(2) as pool:
            both = [pool.submit(_on_own_connection, t, chunks) for t, chunks in
                    ((HISTORY, history()), (CURRENT, current()))]  # fmt: skip
            count = both[0].result()
            both[1].result()
    else:
        with _bulk_writing():
            count = sum(_insert_chunk(HISTORY, chunk, pause) for chunk in history())
            for chunk in current():
                _insert_chunk(CURRENT, chunk, pause)
    if analyse:
        request_analysis(conversation_id)
    return count


Row = TypeVar("Row", bound=tuple[Any, ...])


def _latest(
    rows: Iterable[Row], *, statement: int, participant: int, moment: int
) -> dict[tuple[int, int], Row]:
    """The rule of every bulk write for which vote counts: (statement, participant) to the row
    of the latest vote, and at the same moment of the later in the list. The fields are named by
    position, so a million Polis votes need no new tuple each (nor the collector's time)."""
    latest: dict[tuple[int, int], Row] = {}
    for row in rows:
        key = (row[statement], row[participant])
        kept = latest.get(key)
        if kept is None or row[moment] >= kept[moment]:
            latest[key] = row
    return latest


def _on_own_connection(table: str, chunks: Iterator[Rows]) -> int:
    """Write these chunks on this thread's own connection, closed at the end."""
    try:
        return sum(_insert_chunk(table, chunk, 0.0) for chunk in chunks)
    finally:
        connection.close()


class MomentText:
    """Milliseconds since 1970 as the text a database reads for a moment: for SQLite, what
    Django writes (UTC, microseconds only when there are some); for PostgreSQL, with its zone.
    Made from the second's text, kept, as votes come many to a second."""

    def __init__(self, vendor: str) -> None:
        self.zone = "+00" if vendor == "postgresql" else ""
        self.seconds: dict[int, str] = {}

    def __call__(self, ms: int) -> str:
        second, rest = divmod(ms, 1000)
        text = self.seconds.get(second)
        if text is None:
            text = (EPOCH + timedelta(seconds=second)).isoformat(" ")
            self.seconds[second] = text
        return f"{text}.{rest:03d}000{self.zone}" if rest else f"{text}{self.zone}"


EPOCH = datetime(1970, 1, 1)


def remove_votes(conversation_id: int, pause: float | None = None) -> None:
    """Remove a conversation's votes (an import that did not finish), a chunk a transaction,
    pausing between chunks on SQLite as a bulk write does."""
    for model in (Vote, CurrentVote):
        rows = model.objects.filter(conversation_id=conversation_id)
        while ids := list(rows.values_list("pk", flat=True)[:CHUNK]):
            with transaction.atomic():
                model.objects.filter(pk__in=ids).delete()
            let_others_write(pause)


@contextmanager
def _bulk_writing() -> Iterator[None]:
    """A larger page cache on SQLite for the duration, then the one it had."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


def _insert_chunk(table: str, rows: Rows, pause: float) -> int:
    if not rows:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: several times faster than many INSERTs
            with cursor.cursor.copy(COPY[table]) as copy:
                if table == KEYED:  # sessions and keys are anyone's text: psycopg escapes it
                    for row in rows:
                        copy.write_row(row)
                else:  # numbers, a channel name, a moment: nothing COPY must escape
                    line = "\t".join(["%s"] * len(rows[0])) + "\n"
                    copy.write("".join([line % row for row in rows]))
        else:
            cursor.executemany(INSERT[table], rows)
    let_others_write(pause)
    return len(rows)


@transaction.atomic
def moderate(conversation: Conversation, by: User, numbers: Iterable[int], status: str) -> int:
    """Approve, reject or mark as meta a set of statements; returns how many changed."""
    require(by, Permission.CHANGE_STUDY, conversation.study)
    if status not in StatementStatus.values:
        raise InvalidInput(_("'%(s)s' is not a statement status.") % {"s": status})
    chosen = sorted(set(numbers))
    changed = conversation.statements.filter(number__in=chosen).update(status=status)
    if changed:
        request_analysis(conversation.pk)
        subject = f"statements {', '.join(map(str, chosen))} of {conversation.code}: {status}"
        audit.record(conversation.study, by, AuditEvent.Action.MODERATED, subject)
    return changed


def add_seed_statements(conversation: Conversation, by: User, lines: Iterable[str]) -> int:
    """The team adds seed statements, one a line (blank lines skipped); how many were added."""
    require(by, Permission.CHANGE_STUDY, conversation.study)
    texts = [line for line in lines if line.strip()]
    new = [NewStatement(text=text, is_seed=True, written_by=by) for text in texts]
    return len(add_statements(conversation, new))


@dataclass(frozen=True)
class FacilitatedResponses:
    """One person's paper, phone or in-person responses, as a facilitator types them in."""

    channel: Channel
    session: str  # the facilitator's name for the event or round of calls
    consent_level: int
    answers: dict[int, str]  # statement number -> "1", "-1", "0", or "" when not answered
    new_statements: str = ""  # one a line


@dataclass(frozen=True)
class Recorded:
    """Who the responses were recorded as, and what was recorded."""

    pseudonym: str
    votes: int
    statements: int


@transaction.atomic
def record_responses(
    conversation: Conversation, by: User, responses: FacilitatedResponses
) -> Recorded:
    """Record one person's responses as a new participant, all or nothing; the facilitator must
    be allowed to record consent in the study."""
    require(by, Permission.RECORD_CONSENT, conversation.study)
    channel, session = responses.channel, responses.session
    participant = join(conversation.study, responses.consent_level, channel=channel, recorded_by=by)
    votes = 0
    for number, answer in responses.answers.items():
        if answer in ("1", "-1", "0"):
            statement = conversation.statements.get(number=number)
            vote(statement, participant, int(answer), channel=channel, session=session)
            votes += 1
    lines = [line for line in responses.new_statements.splitlines() if line.strip()]
    if lines:
        add_statements(
            conversation,
            [
                NewStatement(text=line, author=participant, channel=channel, session=session)
                for line in lines
            ],
        )
        member_number(conversation, participant)
    return Recorded(participant.pseudonym, votes, len(lines))


def publish_results(conversation: Conversation, by: User, public: bool) -> None:
    """Show the conversation's results to everyone with the link, or to the team only."""
    require(by, Permission.CHANGE_STUDY, conversation.study)
    conversation.results_public = public
    conversation.save(update_fields=["results_public"])


def refresh_results(conversation: Conversation, by: User) -> None:
    """Ask for the opinion analysis to be brought up to date in the background."""
    require(by, Permission.CHANGE_STUDY, conversation.study)
    request_analysis(conversation.pk)
