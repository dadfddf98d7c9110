"""The JSON API for embedding a conversation elsewhere, with the participant's external id (XID).

The embedding site sends the same XID for the same person, with its signature (xid_signature:
HMAC-SHA256 of "<code>:<xid>" under the conversation's embedding secret; docs/conversations.md).
A vote sent again with the same Idempotency-Key header is acknowledged again but counted once.
"""

from __future__ import annotations

from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import BeforeValidator, StrictInt

from coproduce.conversations import routing, services
from coproduce.conversations.embedding import check_xid
from coproduce.conversations.models import Conversation, Statement, StatementStatus
from coproduce.core.errors import Conflict, CoproduceError, InvalidInput, NotFound, TooMany
from coproduce.core.evidence import ConsentLevel
from coproduce.studies import services as study_services
from coproduce.studies.models import Participant
from coproduce.studies.throttle import spend

router = Router(tags=["conversations"])


class ConversationOut(Schema):
    code: str
    question: str
    description: str
    open: bool
    participants_can_write: bool
    statement_max_length: int


class StatementOut(Schema):
    number: int
    text: str
    is_meta: bool


class JoinIn(Schema):
    xid: str
    xid_signature: str
    consent: Literal["store", "quote", "publish"]


class ParticipantOut(Schema):
    pseudonym: str
    voted: int
    statements: int


def whole_number(value: object) -> object:
    """JSON true and false are not votes, although Python counts them as 1 and 0."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("a vote is the number 1 (agree), -1 (disagree) or 0 (pass)")
    return value


class VoteIn(Schema):
    xid: str
    xid_signature: str
    statement: StrictInt
    vote: Annotated[Literal[-1, 0, 1], BeforeValidator(whole_number)]


class VoteOut(Schema):
    id: int
    statement: int
    vote: int


class StatementIn(Schema):
    xid: str
    xid_signature: str
    text: str
    confirm: bool = False


class WrittenOut(Schema):
    statement: StatementOut | None = None
    status: str | None = None
    similar: StatementOut | None = None


STATUS = {NotFound: 404, Conflict: 409, InvalidInput: 422, TooMany: 429}


def fail(error: CoproduceError) -> HttpError:
    status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)
    return HttpError(status, str(error))


def conversation_or_404(code: str) -> Conversation:
    try:
        return services.get_conversation(code)
    except CoproduceError as error:
        raise fail(error) from None


def signed_or_403(conversation: Conversation, xid: str, signature: str) -> None:
    try:
        check_xid(conversation, xid, signature)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None


def participant_for(conversation: Conversation, xid: str, signature: str) -> Participant:
    """The participant with this signed xid whose consent stands, in one query."""
    signed_or_403(conversation, xid, signature)
    found = Participant.objects.filter(study_id=conversation.study_id, xid=xid).consenting()
    participant = found.first()
    if participant is None:
        raise HttpError(403, "This xid has not joined the study; POST to .../participants first.")
    return participant


def statement_out(s: Statement) -> StatementOut:
    return StatementOut(number=s.number, text=s.text, is_meta=s.status == StatementStatus.META)


@router.get("/conversations/{code}", response=ConversationOut)
def conversation(request: HttpRequest, code: str) -> ConversationOut:
    c = conversation_or_404(code)
    return ConversationOut(
        code=c.code,
        question=c.question,
        description=c.description,
        open=c.is_open(),
        participants_can_write=c.participants_can_write,
        statement_max_length=c.statement_max_length,
    )


@router.get("/conversations/{code}/statements", response=list[StatementOut])
def statements(request: HttpRequest, code: str) -> list[StatementOut]:
    c = conversation_or_404(code)
    return [statement_out(s) for s in services.visible_statements(c).order_by("number")]


@router.post("/conversations/{code}/participants", response={200: ParticipantOut})
def join(request: HttpRequest, code: str, body: JoinIn) -> ParticipantOut:
    c = conversation_or_404(code)
    signed_or_403(c, body.xid, body.xid_signature)
    try:
        person = study_services.join(c.study, ConsentLevel[body.consent.upper()], xid=body.xid)
    except CoproduceError as error:
        raise fail(error) from None
    done, total = routing.progress(c, person)
    return ParticipantOut(pseudonym=person.pseudonym, voted=done, statements=total)


@router.get("/conversations/{code}/next", response={200: StatementOut, 204: None})
def next_statement(
    request: HttpRequest, code: str, xid: str, xid_signature: str = ""
) -> Status[StatementOut | None]:
    c = conversation_or_404(code)
    chosen = routing.next_statement(c, participant_for(c, xid, xid_signature))
    return Status(204, None) if chosen is None else Status(200, statement_out(chosen))


@router.post("/conversations/{code}/votes", response={201: VoteOut, 200: VoteOut})
def vote(request: HttpRequest, code: str, body: VoteIn) -> Status[VoteOut]:
    # One query finds the statement with its conversation; the common case needs no other.
    statement = (
        Statement.objects.select_related("conversation")
        .filter(conversation__code=code, number=body.statement)
        .first()
    )
    if statement is None:
        conversation_or_404(code)
        raise HttpError(404, f"Statement {body.statement} is not in this conversation.")
    person = participant_for(statement.conversation, body.xid, body.xid_signature)
    try:
        spend("votes", f"xid:{code}:{body.xid}")
    except CoproduceError as error:
        raise fail(error) from None
    key = request.headers.get("Idempotency-Key") or None
    if key is not None and len(key) > 100:
        raise HttpError(422, "The Idempotency-Key header is longer than 100 characters.")
    try:
        cast, created = services.cast_vote(statement, person, body.vote, idempotency_key=key)
    except CoproduceError as error:
        raise fail(error) from None
    out = VoteOut(id=cast.pk, statement=statement.number, vote=cast.value)
    return Status(201 if created else 200, out)


@router.post("/conversations/{code}/statements", response={201: WrittenOut, 200: WrittenOut})
def write(request: HttpRequest, code: str, body: StatementIn) -> Status[WrittenOut]:
    c = conversation_or_404(code)
    person = participant_for(c, body.xid, body.xid_signature)
    try:
        spend("statements", f"xid:{code}:{body.xid}")
    except CoproduceError as error:
        raise fail(error) from None
    if not body.confirm:
        similar = services.similar_statement(c, body.text)
        if similar is not None:
            offer = statement_out(Statement.objects.get(pk=similar.key))
            return Status(200, WrittenOut(similar=offer))
    try:
        written = services.write_statement(c, person, body.text)
    except CoproduceError as error:
        raise fail(error) from None
    return Status(201, WrittenOut(statement=statement_out(written), status=written.status))
