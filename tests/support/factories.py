"""Small builders for test data, going through the same services the product uses."""

from __future__ import annotations

import functools

from django.contrib.auth.hashers import make_password
from django.test import Client

from coproduce.accounts.models import User
from coproduce.conversations import services as conversation_services
from coproduce.conversations.models import Conversation
from coproduce.core.evidence import Channel, ConsentLevel, ContributorRole
from coproduce.stories import services as story_services
from coproduce.stories.services import NewStory
from coproduce.studies import services
from coproduce.studies.models import Membership, Organisation, Participant, Role, Study

PASSWORD = "a-long-test-passphrase"


@functools.cache
def password_hash() -> str:
    """PASSWORD hashed once by the real hasher. Hashing is slow on purpose (about 0.2 s), so
    every test account shares this one hash; signing in checks it as it checks any other."""
    return make_password(PASSWORD)


def account(email: str, name: str = "") -> User:
    """A team member's account whose password is PASSWORD."""
    user = User.objects.create_user(email, None, name=name or email.split("@")[0])
    user.password = password_hash()
    user.save(update_fields=["password"])
    return user


def study_with_team(slug: str = "food-study") -> tuple[Study, dict[str, User]]:
    """A study with one team member in every role."""
    team = {role: account(f"{role}@{slug}.example") for role in Role.values}
    study = services.create_study(team[Role.OWNER], f"Study {slug}", slug=slug)
    for role, user in team.items():
        if role != Role.OWNER:
            Membership.objects.create(study=study, user=user, role=role)
    return study, team


def client_for(user: User) -> Client:
    """A test client signed in as this user."""
    client = Client()
    client.force_login(user)
    return client


def wipe() -> None:
    """Empty the database of studies, organisations and accounts (for import tests)."""
    Study.objects.all().delete()
    Organisation.objects.all().delete()
    User.objects.all().delete()


def story(**changes: object) -> NewStory:
    """A story as a participant would tell it, with these fields changed."""
    values: dict[str, object] = {
        "kind": "snapshot",
        "consent_level": ConsentLevel.PUBLISH,
        "text": "Being asked, not told, made all the difference to me.",
        "question": "What made the difference?",
        "sectors": ["Housing"],
        "feeling": "positive",
        "feeling_words": "relieved, finally",
    }
    values.update(changes)
    return NewStory(**values)  # type: ignore[arg-type]


# Seed statements of the two-camps conversation.
STATEMENTS = [
    "Pay people for their time.",
    "Meet in familiar places.",
    "Share the budget with everyone.",
    "Train staff together with service users.",
    "Use plain words in every document.",
    "Let people choose how they take part.",
    "Report back what changed.",
    "Keep meetings short.",
]


def two_camps() -> tuple[Conversation, dict[str, object], list[Participant]]:
    """24 people in two camps; one wrote a statement but only agreed to be stored, not quoted;
    mostly people with lived experience on the web, a few by phone."""
    study, team = study_with_team()
    conversation = conversation_services.create_conversation(study, team[Role.OWNER], "What helps?")
    conversation_services.add_statements(
        conversation,
        [
            conversation_services.NewStatement(text=t, is_seed=True, written_by=team[Role.OWNER])
            for t in STATEMENTS
        ],
    )
    people = [
        services.join(
            study,
            ConsentLevel.PUBLISH if i else ConsentLevel.STORE,
            xid=f"p{i}",
            channel=Channel.PHONE if i < 3 else Channel.WEB,
            role=ContributorRole.LIVED_EXPERIENCE if i % 3 else ContributorRole.PRACTITIONER,
        )
        for i in range(24)
    ]
    written = conversation_services.add_statements(
        conversation,
        [conversation_services.NewStatement(text="Private thoughts of p0.", author=people[0])],
    )
    conversation_services.moderate(conversation, team[Role.OWNER], [written[0].number], "approved")
    for i, person in enumerate(people):
        for statement in conversation.statements.all():
            conversation_services.vote(
                statement, person, 1 if i % 2 == statement.number % 2 else -1
            )
    return conversation, team, people


STORIES = [
    "The night bus stopped running, so I lost my evening job at the hospital.",
    "Buses after ten are rare and I wait an hour in the dark.",
    "Our rent went up twice this year and the flat is still damp.",
    "The landlord will not fix the mould in the children's room.",
]


def told(study: Study, texts: list[str] = STORIES) -> list[str]:
    """Participants tell these stories; their evidence ids."""
    ids = []
    for text in texts:
        s = story_services.tell_story(study, story(text=text), role="lived_experience")
        ids.append(f"story:{s.pk}")
    return ids


def signed(conversation: Conversation, body: dict[str, object]) -> dict[str, object]:
    """The body as an embedding site sends it: its xid signed with the conversation's secret."""
    from coproduce.conversations.embedding import sign_xid

    if "xid" in body and "xid_signature" not in body:
        return {**body, "xid_signature": sign_xid(conversation, str(body["xid"]))}
    return body


def sign_placeholders(body: bytes, code: str) -> bytes:
    """Replace the SIGN placeholder in a vote body with the xid's real signature."""
    import json

    if SIGN.encode() not in body:
        return body
    data = json.loads(body)
    conversation = Conversation.objects.get(code=code)
    return json.dumps(signed(conversation, {k: v for k, v in data.items() if v != SIGN})).encode()


# Stands for "the right signature" in bodies written before the conversation exists.
SIGN = "<signature of the xid>"
