"""Polis interchange: import a Polis export into a study, export a conversation as one."""

from __future__ import annotations

import contextlib
import csv
import gc
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.conversations.models import (
    Conversation,
    ConversationParticipant,
    CurrentVote,
    Moderation,
    Statement,
    StatementStatus,
    Vote,
)
from coproduce.conversations.services import remove_votes, standing_statements, store_votes
from coproduce.conversations.tasks import request_analysis
from coproduce.core.errors import InvalidInput
from coproduce.core.evidence import Channel, ConsentLevel
from coproduce.core.files import atomic_path
from coproduce.core.formats.polis import (
    PolisExport,
    from_ms,
    polis_datetime,
    read_export,
    to_ms,
)
from coproduce.core.formats.spreadsheet import SafeWriter
from coproduce.studies.bulk import pause_between_chunks
from coproduce.studies.models import Participant, Study
from coproduce.studies.permissions import Permission
from coproduce.studies.services import current_consent_text, new_pseudonyms, require

STATUS_FROM_MODERATED = {
    1: StatementStatus.APPROVED,
    0: StatementStatus.PENDING,
    -1: StatementStatus.REJECTED,
}
MODERATED_FROM_STATUS = {
    StatementStatus.APPROVED: 1,
    StatementStatus.META: 1,
    StatementStatus.PENDING: 0,
    StatementStatus.REJECTED: -1,
}


def import_polis(
    path: Path,
    study: Study,
    by: User | None = None,
    consent: ConsentLevel = ConsentLevel.PUBLISH,
) -> Conversation:
    """Import a Polis export (folder or zip) as a new conversation: all of it, or nothing.

    The conversation is made hidden (Conversation.importing), then its people, statements and
    votes are written in chunks, each its own transaction, so a large export never holds
    SQLite's write lock for long; the conversation appears, and its analysis is asked for, when
    the last vote is in. If anything fails on the way, what was written is removed (in chunks
    too) and nothing shows."""
    if by is not None:
        require(by, Permission.CHANGE_STUDY, study)
    with without_cycle_collection():
        export = read_export(path)
    if connection.in_atomic_block:  # inside a caller's transaction: all of it in there
        return load(export, study, consent, source=path.name)
    with transaction.atomic():
        conversation = hidden_conversation(export, study, path.name)
    try:
        with without_cycle_collection():
            fill(
                conversation,
                export,
                consent,
                pause_between_chunks(),
            )
    except BaseException:
        discard(conversation)
        raise
    return conversation


@contextlib.contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Python's collector of reference cycles paused for the duration: a large export is
    millions of small tuples, none in a cycle, which it would otherwise walk through again and
    again (a third of the time spent reading one)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# People (with their consent and conversation number) written in one transaction.
PEOPLE_CHUNK = 5_000


def load(export: PolisExport, study: Study, consent: ConsentLevel, source: str) -> Conversation:
    """The whole export in the caller's transaction (tests, the demo)."""
    conversation = hidden_conversation(export, study, source)
    fill(conversation, export, consent)
    return conversation


def hidden_conversation(export: PolisExport, study: Study, source: str) -> Conversation:
    first = min((c.timestamp_ms for c in export.comments if c.timestamp_ms), default=None)
    return Conversation.objects.create(
        study=study,
        question=(export.topic or f"Imported from {source}")[:500],
        description=export.summary.get("conversation-description", ""),
        moderation=Moderation.STRICT,
        position=study.conversations.count(),
        created_at=from_ms(first) if first else timezone.now(),
        importing=True,
    )


def fill(
    conversation: Conversation, export: PolisExport, consent: ConsentLevel, pause: float = 0.0
) -> None:
    """Participants, statements and votes, each in chunks of their own transactions; then the
    conversation is shown."""
    xids = {p.participant: p.xid for p in export.participants}
    pids = sorted(
        {v.voter_id for v in export.votes} | {c.author_id for c in export.comments} | set(xids)
    )
    people = make_participants(conversation, pids, xids, consent, pause)
    with transaction.atomic():
        statements = Statement.objects.bulk_create(
            Statement(
                conversation=conversation,
                number=c.comment_id,
                text=c.body,
                author=people[c.author_id],
                status=STATUS_FROM_MODERATED[c.moderated]
                if not c.is_meta
                else StatementStatus.META,
                is_seed=c.is_seed,
                channel=Channel.IMPORT,
                created_at=from_ms(c.timestamp_ms) if c.timestamp_ms else conversation.created_at,
            )
            for c in export.comments
        )
    by_number = {s.number: s for s in statements}
    time.sleep(pause)
    load_votes(export, conversation, people, by_number, pause=pause)
    with transaction.atomic():
        Conversation.everything.filter(pk=conversation.pk).update(importing=False)
        request_analysis(conversation.pk)
    conversation.importing = False


def make_participants(
    conversation: Conversation,
    pids: list[int],
    xids: dict[int, str | None],
    consent: ConsentLevel,
    pause: float = 0.0,
) -> dict[int, Participant]:
    """The export's people as participants of the study, with their consent and their number
    in the conversation, a chunk of them a transaction."""
    study = conversation.study
    taken = set(study.participants.exclude(xid=None).values_list("xid", flat=True))
    clashes = [xid for xid in xids.values() if xid and xid in taken]
    if clashes:
        raise InvalidInput(
            f"participants-votes.csv: xid {clashes[0]!r} already belongs to a participant of "
            "this study; import into another study."
        )
    pseudonyms = new_pseudonyms(study, len(pids))
    text = current_consent_text(study)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    people: dict[int, Participant] = {}
    for start in range(0, len(pids), PEOPLE_CHUNK):
        chunk = pids[start : start + PEOPLE_CHUNK]
        with transaction.atomic():
            created = Participant.objects.bulk_create(
                Participant(
                    study=study,
                    pseudonym=pseudonyms[start + i],
                    xid=xids.get(pid),
                    channel=Channel.IMPORT,
                )
                for i, pid in enumerate(chunk)
            )
            # Plain SQL for the two tables nothing is read back from: the ORM's bulk_create
            # costs ten times as much per row here.
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO studies_consent (participant_id, consent_text_id, level,"
                    " channel, given_at) VALUES (%s, %s, %s, %s, %s)",
                    [(p.pk, text.pk, int(consent), Channel.IMPORT.value, now) for p in created],
                )
                cursor.executemany(
                    "INSERT INTO conversations_conversationparticipant"
                    " (conversation_id, participant_id, number) VALUES (%s, %s, %s)",
                    [(conversation.pk, p.pk, pid) for pid, p in zip(chunk, created, strict=True)],
                )
        people.update(zip(chunk, created, strict=True))
        time.sleep(pause)
    return people


def discard(conversation: Conversation) -> None:
    """Remove an import that did not finish, in chunks: its votes, its people, the rest."""
    remove_votes(conversation.pk)
    members = ConversationParticipant.objects.filter(conversation_id=conversation.pk)
    while people := list(members.values_list("participant_id", flat=True)[:PEOPLE_CHUNK]):
        with transaction.atomic():
            Statement.objects.filter(conversation_id=conversation.pk).delete()
            Participant.objects.filter(pk__in=people).delete()
    with transaction.atomic():
        Conversation.everything.filter(pk=conversation.pk).delete()


def load_votes(
    export: PolisExport,
    conversation: Conversation,
    people: dict[int, Participant],
    statements: dict[int, Statement],
    pause: float = 0.0,
) -> None:
    fallback = round(conversation.created_at.timestamp() * 1000)
    statement_ids = {number: s.pk for number, s in statements.items()}
    person_ids = {pid: p.pk for pid, p in people.items()}
    store_votes(
        conversation.pk,
        [
            (
                statement_ids[v.comment_id],
                person_ids[v.voter_id],
                v.vote,
                fallback if v.timestamp_ms is None else v.timestamp_ms,
            )
            for v in export.votes
        ],
        Channel.IMPORT,
        pause=pause,
        analyse=False,
    )


def export_polis(conversation: Conversation, out: Path, *, published: bool = False) -> Path:
    """Write the conversation as a Polis export folder (comments, votes, participants, summary).

    `published`: for a publication, only people who agreed to publish what they share, and
    only statements moderation approved (the team's own among them)."""
    out.mkdir(parents=True, exist_ok=True)
    # Nothing of anyone who has withdrawn: not their statements, not their votes, and no votes
    # on their statements.
    at_least = ConsentLevel.PUBLISH if published else ConsentLevel.STORE
    consenting = Participant.objects.filter(study=conversation.study_id).consenting(at_least)
    standing = set(consenting.values_list("pk", flat=True))
    members = conversation.members.filter(participant__in=standing)
    numbers = dict(members.values_list("participant_id", "number"))
    team_author = max(numbers.values(), default=-1) + 1  # statements the study team wrote
    statements = [
        s
        for s in standing_statements(conversation).order_by("number")
        if s.author_id is None or s.author_id in standing
    ]
    if published:
        statements = [s for s in statements if s.status == StatementStatus.APPROVED]
    kept = {s.number for s in statements}
    current = [
        (pid, number, value)
        for pid, number, value in CurrentVote.objects.filter(
            conversation=conversation, participant__in=standing
        ).values_list("participant_id", "statement__number", "value")
        if number in kept
    ]
    tally: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    matrix: dict[int, dict[int, int]] = defaultdict(dict)
    for pid, number, value in current:
        matrix[numbers[pid]][number] = value
        if value:
            tally[number][0 if value == 1 else 1] += 1
    write_comments(out, statements, numbers, team_author, tally)
    write_votes(out, conversation, numbers, kept)
    write_participants(out, conversation, statements, numbers, matrix)
    write_summary(out, conversation, statements, numbers, matrix)
    return out


@contextlib.contextmanager
def csv_file(path: Path) -> Iterator[Any]:
    """A CSV writer for `path`; the file appears whole when the block ends, or not at all.
    No text cell can run as a formula in a spreadsheet (core.formats.spreadsheet)."""
    with atomic_path(path) as partial, partial.open("w", newline="", encoding="utf-8") as f:
        yield SafeWriter(csv.writer(f))


def write_comments(
    out: Path,
    statements: list[Statement],
    numbers: dict[int, int],
    team_author: int,
    tally: dict[int, list[int]],
) -> None:
    with csv_file(out / "comments.csv") as w:
        w.writerow(
            [
                "timestamp",
                "datetime",
                "comment-id",
                "author-id",
                "agrees",
                "disagrees",
                "moderated",
                "is-meta",
                "is-seed",
                "comment-body",
            ]
        )
        for s in statements:
            agrees, disagrees = tally.get(s.number, (0, 0))
            w.writerow(
                [
                    to_ms(s.created_at),
                    polis_datetime(s.created_at),
                    s.number,
                    numbers[s.author_id] if s.author_id else team_author,
                    agrees,
                    disagrees,
                    MODERATED_FROM_STATUS[StatementStatus(s.status)],
                    int(s.status == StatementStatus.META),
                    int(s.is_seed),
                    s.text,
                ]
            )


def write_votes(
    out: Path, conversation: Conversation, numbers: dict[int, int], kept: set[int]
) -> None:
    history = Vote.objects.filter(
        conversation=conversation, participant__in=list(numbers), statement__number__in=kept
    ).order_by("created_at", "id")
    with csv_file(out / "votes.csv") as w:
        w.writerow(["timestamp", "datetime", "comment-id", "voter-id", "vote"])
        for moment, number, pid, value in history.values_list(
            "created_at", "statement__number", "participant_id", "value"
        ).iterator(chunk_size=5000):
            w.writerow([to_ms(moment), polis_datetime(moment), number, numbers[pid], value])


def write_participants(
    out: Path,
    conversation: Conversation,
    statements: list[Statement],
    numbers: dict[int, int],
    matrix: dict[int, dict[int, int]],
) -> None:
    xids = dict(Participant.objects.filter(pk__in=numbers).values_list("pk", "xid"))
    authored: dict[int, int] = defaultdict(int)
    for s in statements:
        if s.author_id:
            authored[numbers[s.author_id]] += 1
    columns = [s.number for s in statements]
    with csv_file(out / "participants-votes.csv") as w:
        w.writerow(
            [
                "participant",
                "xid",
                "group-id",
                "n-comments",
                "n-votes",
                "n-agree",
                "n-disagree",
                *columns,
            ]
        )
        for participant_pk, pid in sorted(numbers.items(), key=lambda item: item[1]):
            votes = matrix.get(pid, {})
            values = list(votes.values())
            w.writerow(
                [
                    pid,
                    xids.get(participant_pk) or "",
                    "",
                    authored.get(pid, 0),
                    len(values),
                    values.count(1),
                    values.count(-1),
                    *(votes.get(c, "") for c in columns),
                ]
            )


def write_summary(
    out: Path,
    conversation: Conversation,
    statements: list[Statement],
    numbers: dict[int, int],
    matrix: dict[int, dict[int, int]],
) -> None:
    commenters = {s.author_id for s in statements if s.author_id}
    rows = [
        ("topic", conversation.question),
        ("url", conversation.participant_url()),
        ("voters", len(matrix)),
        ("voters-in-conv", sum(1 for v in matrix.values() if len(v) >= min(7, len(statements)))),
        ("commenters", len(commenters)),
        ("comments", len(statements)),
        ("groups", ""),
        ("conversation-description", conversation.description),
    ]
    with csv_file(out / "summary.csv") as w:
        w.writerows(rows)
