"""A study whose participants vote through the API, in a database of a test's own (fresh_env);
and sending a vote as an embedding site does."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from tests.support.processes import django_in

PREPARE = """
import json
from coproduce.accounts.models import User
from coproduce.conversations import services
from coproduce.conversations.embedding import sign_xid
from coproduce.core.evidence import ConsentLevel
from coproduce.studies import services as studies
from coproduce.studies.models import Consent, Participant
owner = User.objects.create_user("voting@example.org", "x" * 20)
study = studies.create_study(owner, "Voting", slug="voting")
conversation = services.create_conversation(study, owner, "Shall we?")
services.add_statements(conversation, [
    services.NewStatement(text=f"Statement {i}", is_seed=True, written_by=owner)
    for i in range(STATEMENTS)
])
names = studies.new_pseudonyms(study, PEOPLE)
people = Participant.objects.bulk_create(
    Participant(study=study, pseudonym=n, xid=f"d-{i}") for i, n in enumerate(names)
)
text = studies.current_consent_text(study)
Consent.objects.bulk_create(
    Consent(participant=p, consent_text=text, level=ConsentLevel.PUBLISH) for p in people
)
signed = [sign_xid(conversation, f"d-{i}") for i in range(PEOPLE)]
print(json.dumps([conversation.code, signed]))
"""


def voting_study(env: dict[str, str], people: int, statements: int) -> tuple[str, list[str]]:
    """A conversation with `statements` statements and `people` consenting participants with
    xids d-0, d-1, ...: its code and each xid's signature."""
    script = f"PEOPLE, STATEMENTS = {people}, {statements}\n{PREPARE}"
    code, signatures = json.loads(django_in(env, script))
    return str(code), [str(s) for s in signatures]


def a_vote(signatures: list[str], n: int, statements: int) -> bytes:
    """The n-th of a run of votes, spread over the people and the statements."""
    return json.dumps(
        {
            "xid": f"d-{n % len(signatures)}",
            "xid_signature": signatures[n % len(signatures)],
            "statement": (n * 7) % statements,
            "vote": n % 3 - 1,
        }
    ).encode()


def send(url: str, body: bytes, key: str) -> bool:
    """True when the server acknowledged the vote (stored now, or before under this key)."""
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url,
        data=body,
        headers={"Content-Type": "application/json", "Idempotency-Key": key},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return bool(answer.status in (200, 201))
    except (urllib.error.HTTPError, OSError):
        return False
