"""Conversations: statements, votes, moderation, routing and counts, through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from coproduce.conversations import routing, services
from coproduce.conversations.counts import conversation_counts
from coproduce.conversations.models import CurrentVote, Moderation, StatementStatus, Vote
from coproduce.conversations.seeds import import_seed_csv
from coproduce.core.analysis.routing import StatementTally, choose_next, priority
from coproduce.core.analysis.similar import most_similar, normalise, similarity
from coproduce.core.errors import Conflict, InvalidInput
from coproduce.core.evidence import Channel, ConsentLevel, Strand
from coproduce.studies import services as study_services
from coproduce.studies.models import Role
from coproduce.studies.strands import evidence_items
from tests.support.factories import study_with_team

pytestmark = pytest.mark.django_db


def setup(moderation: str = Moderation.STRICT):  # type: ignore[no-untyped-def]
    study, team = study_with_team()
    conversation = services.create_conversation(
        study, team[Role.OWNER], "What helps?", moderation=moderation
    )
    seeds = services.add_statements(
        conversation,
        [
            services.NewStatement(text=t, is_seed=True, written_by=team[Role.OWNER])
            for t in (
                "Paying people for their time.",
                "Meeting in familiar places.",
                "Clear roles.",
            )
        ],
    )
    person = study_services.join(study, ConsentLevel.QUOTE)
    return study, team, conversation, seeds, person


def test_latest_vote_counts_and_history_is_kept() -> None:
    _, _, conversation, seeds, person = setup()
    services.vote(seeds[0], person, 1)
    services.vote(seeds[0], person, -1)
    assert Vote.objects.filter(participant=person).count() == 2
    current = CurrentVote.objects.get(participant=person, statement=seeds[0])
    assert current.value == -1
    assert conversation.members.get().participant == person


def test_a_retried_vote_with_the_same_key_counts_once() -> None:
    _, _, _, seeds, person = setup()
    first = services.vote(seeds[1], person, 1, idempotency_key="abc")
    again = services.vote(seeds[1], person, 1, idempotency_key="abc")
    assert first.pk == again.pk and Vote.objects.count() == 1


def test_votes_on_closed_conversations_and_rejected_statements_are_refused() -> None:
    _, team, conversation, seeds, person = setup()
    services.moderate(conversation, team[Role.OWNER], [seeds[2].number], StatementStatus.REJECTED)
    seeds[2].refresh_from_db()
    with pytest.raises(Conflict, match="not open for votes"):
        services.vote(seeds[2], person, 1)
    with pytest.raises(InvalidInput, match="1 \\(agree\\)"):
        services.vote(seeds[0], person, 5)
    conversation.closes_at = timezone.now() - timedelta(minutes=1)
    conversation.save()
    with pytest.raises(Conflict, match="closed"):
        services.vote(seeds[0], person, 1)


def test_participant_statements_wait_for_moderation_when_strict() -> None:
    _, team, conversation, _, person = setup()
    statement = services.write_statement(conversation, person, "  Time to <b>build</b> trust.  ")
    assert statement.text == "Time to build trust."
    assert statement.status == StatementStatus.PENDING
    assert statement not in services.visible_statements(conversation)
    with pytest.raises(Conflict, match="not open for votes"):
        services.vote(statement, person, 1)
    services.moderate(conversation, team[Role.OWNER], [statement.number], StatementStatus.APPROVED)
    assert services.visible_statements(conversation).filter(pk=statement.pk).exists()


def test_lenient_moderation_shows_statements_unless_rejected() -> None:
    _, _, conversation, _, person = setup(Moderation.LENIENT)
    statement = services.write_statement(conversation, person, "Childcare during meetings.")
    assert services.visible_statements(conversation).filter(pk=statement.pk).exists()
    services.vote(statement, person, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write a statement"),
        ("   <p></p> ", "Write a statement"),
        ("x" * 401, "401 characters"),
    ],
)
def test_bad_statements_are_refused(text: str, message: str) -> None:
    _, _, conversation, _, person = setup()
    with pytest.raises(InvalidInput, match=message):
        services.write_statement(conversation, person, text)


def test_exact_duplicates_are_refused_and_near_ones_found() -> None:
    _, _, conversation, _, person = setup()
    with pytest.raises(Conflict, match="already in this conversation"):
        services.write_statement(conversation, person, "paying people for their TIME!")
    match = services.similar_statement(conversation, "Pay people for their time")
    assert match is not None and match.text == "Paying people for their time."
    assert services.similar_statement(conversation, "Bring cake to every meeting") is None


def test_similarity_measures() -> None:
    assert normalise("Café,  TIME!") == "cafe time"
    assert similarity("same words here", "Same words here.") == 1.0
    assert similarity("", "anything") == 0.0
    assert most_similar("abc", [(1, "xyz")]) is None


def test_only_editors_moderate_and_start_conversations() -> None:
    study, team, conversation, seeds, _ = setup()
    from django.core.exceptions import PermissionDenied

    for role in (Role.FACILITATOR, Role.OBSERVER):
        with pytest.raises(PermissionDenied):
            services.moderate(conversation, team[role], [seeds[0].number], "rejected")
        with pytest.raises(PermissionDenied):
            services.create_conversation(study, team[role], "Another?")
    with pytest.raises(InvalidInput, match="needs a question"):
        services.create_conversation(study, team[Role.OWNER], "  ")


def test_routing_covers_every_statement_once() -> None:
    _, _, conversation, seeds, person = setup()
    shown = []
    while (statement := routing.next_statement(conversation, person)) is not None:
        shown.append(statement.number)
        services.vote(statement, person, 0)
    assert sorted(shown) == [s.number for s in seeds]
    assert routing.progress(conversation, person) == (3, 3)


def test_priority_follows_the_polis_formula() -> None:
    fresh = StatementTally(1, agrees=0, disagrees=0, seen=0)
    assert priority(fresh) == pytest.approx(((1 - 1 / 2) * 1 * 1 / 2 * 9) ** 2)
    tally = StatementTally(2, agrees=3, disagrees=1, seen=5, extremity=0.5)
    importance = (1 - 2 / 7) * 1.5 * 4 / 7
    assert priority(tally) == pytest.approx((importance * (1 + 8 * 2 ** (-1))) ** 2)
    assert priority(StatementTally(3, 0, 0, 0, is_meta=True)) == 49
    many = [StatementTally(i, i, 0, i) for i in range(10)]
    assert choose_next(many, seed=7, analysed=True) == choose_next(many, seed=7, analysed=True)
    assert choose_next([], seed=1, analysed=False) is None


def test_seed_csv_reports_every_bad_row_and_imports_nothing() -> None:
    _, team, conversation, _, _ = setup()
    bad = b"text,meta\nGood one,\n,\nClear roles.\nGood one\n" + b"x" * 500 + b"\n"
    with pytest.raises(InvalidInput) as caught:
        import_seed_csv(conversation, team[Role.OWNER], bad)
    message = str(caught.value)
    for fragment in (
        "Line 3",
        "Line 4: already in the conversation",
        "Line 5: the same as line 2",
        "Line 6",
    ):
        assert fragment in message
    assert conversation.statements.count() == 3
    assert (
        import_seed_csv(
            conversation,
            team[Role.OWNER],
            "\ufefftext,meta\nNew one,\nAbout this survey,yes\n".encode(),
        )
        == 2
    )
    assert conversation.statements.get(text="About this survey").status == StatementStatus.META
    with pytest.raises(InvalidInput, match="column called"):
        import_seed_csv(conversation, team[Role.OWNER], b"words\nhello\n")
    with pytest.raises(InvalidInput, match="not UTF-8"):
        import_seed_csv(conversation, team[Role.OWNER], b"text\ncaf\xe9\n")


def test_counts_are_computed_from_the_data() -> None:
    study, _, conversation, seeds, person = setup()
    other = study_services.join(study, ConsentLevel.PUBLISH, channel=Channel.PAPER)
    services.vote(seeds[0], person, 1)
    services.vote(seeds[0], person, -1)  # a changed vote is one response
    services.vote(seeds[1], other, 1, channel=Channel.PAPER)
    services.write_statement(conversation, other, "Tea and biscuits.")
    counts = conversation_counts(study)
    assert (counts.participants, counts.statements, counts.votes) == (2, 4, 2)
    assert counts.responses == 6 and counts.most_statements_per_question == 4
    assert counts.channels == {"web": 2, "paper": 1}
    assert counts.votes_per_participant == 1


def test_statements_are_evidence_items_with_their_author_s_consent() -> None:
    study, team, conversation, _, person = setup()
    written = services.write_statement(conversation, person, "Being paid made me feel valued.")
    # Waiting for moderation (spam among such), a statement is not evidence yet.
    assert evidence_items(study, strands=[Strand.CONVERSATION]) == []
    services.moderate(conversation, team[Role.OWNER], [written.number], "approved")
    items = evidence_items(study, strands=[Strand.CONVERSATION])
    assert [(i.text, i.author, i.consent) for i in items] == [
        ("Being paid made me feel valued.", person.pseudonym, ConsentLevel.QUOTE)
    ]
    study_services.withdraw(person)
    assert evidence_items(study, strands=[Strand.CONVERSATION]) == []


def test_the_services_check_who_acts_not_the_views() -> None:
    """Recording paper responses, publishing results and adding seeds each check the role."""
    from django.core.exceptions import PermissionDenied

    study, team = study_with_team()
    conversation = services.create_conversation(study, team[Role.OWNER], "What helps?")
    assert services.add_seed_statements(conversation, team[Role.OWNER], ["One.", " ", "Two."]) == 2
    paper = services.FacilitatedResponses(
        channel=Channel.PAPER,
        session="Library, Tuesday",
        consent_level=ConsentLevel.QUOTE,
        answers={1: "1", 2: ""},
        new_statements="Three.\n",
    )
    for role in (Role.OBSERVER,):
        with pytest.raises(PermissionDenied):
            services.record_responses(conversation, team[role], paper)
    recorded = services.record_responses(conversation, team[Role.FACILITATOR], paper)
    assert (recorded.votes, recorded.statements) == (1, 1)
    for refused in (
        lambda: services.add_seed_statements(conversation, team[Role.FACILITATOR], ["No."]),
        lambda: services.publish_results(conversation, team[Role.FACILITATOR], public=True),
        lambda: services.publish_results(conversation, team[Role.OBSERVER], public=True),
        lambda: services.refresh_results(conversation, team[Role.OBSERVER]),
        lambda: study_services.join(study, 2, recorded_by=team[Role.OBSERVER]),
    ):
        with pytest.raises(PermissionDenied):
            refused()
    services.publish_results(conversation, team[Role.RESEARCHER], public=True)
    conversation.refresh_from_db()
    assert conversation.results_public and conversation.statements.count() == 3


def test_a_participant_describes_themselves_through_the_service() -> None:
    study, _team = study_with_team()
    person = study_services.join(study, ConsentLevel.QUOTE)
    study_services.describe_participant(person, "", "  A carer  ")
    person.refresh_from_db()
    assert (person.role, person.self_description) == ("not_said", "A carer")
    with pytest.raises(InvalidInput, match="not one of the roles"):
        study_services.describe_participant(person, "mayor", "")
