# ruff: noqa: RUF059  (each test unpacks the whole study it is given, using what it needs)
"""Voice equity over a real (test) study, and member checking through the conversation engine:
a prolific person who tips a finding is named, votes count once per person whichever channel
they came through, and withdrawal takes a person's checking votes and comments away."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduce.conversations import services as conversations
from coproduce.conversations.models import StatementStatus
from coproduce.core.errors import InvalidInput, NotFound
from coproduce.core.evidence import Channel, ConsentLevel
from coproduce.equity import member_check, targets, voices
from coproduce.equity.models import FindingRevision
from coproduce.studies import services as studies
from coproduce.studies.models import Participant, Role
from tests.support.equity import a_lopsided_study
from tests.support.factories import client_for

pytestmark = pytest.mark.django_db


def test_a_prolific_person_who_tips_a_finding_is_named() -> None:
    study, _team, anna, others, silent, first, second, talk = a_lopsided_study().parts()
    summary = voices.voices(study)
    weighted = {w.name: w.tally for w in summary.weightings}
    finding_tally = weighted["Findings: the evidence behind each"]
    assert finding_tally.leader_by_items() == first.title
    assert finding_tally.leader_by_people() == second.title
    said = " ".join(finding_tally.sentences())
    assert f"{anna.pseudonym} (12 items)" in said
    # Participation: 7 enrolled, one silent; Anna made 12 of 17 contributions.
    assert summary.overall.people == 7
    assert summary.overall.silent == 1
    assert summary.overall.top_person == pytest.approx(12 / 17)
    assert summary.overall.gini > 0.5
    assert silent.pseudonym not in said


def test_targets_raise_plain_alerts_and_bad_targets_are_refused() -> None:
    study, team, *_ = a_lopsided_study().parts()
    owner = team[Role.OWNER]
    targets.set_targets(
        study,
        owner,
        role_floors={"practitioner": "40"},
        channel_ceiling="60",
        difference="10",
        talk_floor="30",
    )
    alerts = [a.sentence for a in voices.voices(study).alerts]
    assert any(
        a.startswith("Staff or practitioner") and "under the target of at least 40%" in a
        for a in alerts
    )
    assert any("Web" in a and "over the limit of 60%" in a for a in alerts)
    for bad in ("-5", "101", "ten", "1e3"):
        with pytest.raises(InvalidInput, match="whole percentage"):
            targets.set_targets(
                study, owner, role_floors={}, channel_ceiling=bad, difference="10", talk_floor="30"
            )
    with pytest.raises(InvalidInput, match="no role"):
        targets.set_targets(
            study,
            owner,
            role_floors={"wizard": "5"},
            channel_ceiling="60",
            difference="10",
            talk_floor="30",
        )
    with pytest.raises(InvalidInput, match="more than 100%"):
        targets.set_targets(
            study,
            owner,
            role_floors={"practitioner": "60", "researcher": "60"},
            channel_ceiling="60",
            difference="10",
            talk_floor="30",
        )


def test_member_check_counts_each_person_once_across_channels() -> None:
    study, team, anna, others, silent, first, second, talk = a_lopsided_study().parts()
    owner, facilitator = team[Role.OWNER], team[Role.FACILITATOR]
    check = member_check.open_member_check(study, owner)
    statements = {c.finding_id: c.statement for c in check.findings.all()}
    assert check.conversation.purpose == "member_check"
    assert statements[first.pk].status == StatementStatus.APPROVED
    # Web: two people; one of them also answers on paper, changing their mind: counted once.
    conversations.vote_with_comment(statements[first.pk], others[0], 1, "Also the phone line.")
    conversations.vote_with_comment(statements[first.pk], others[1], -1)
    member_check.record_paper(
        check,
        facilitator,
        member_check.PaperResponses(
            channel=Channel.PAPER,
            session="Tuesday group",
            answers={first.pk: "-1", second.pk: "1"},
            comments={first.pk: "Not for me."},
            pseudonym=others[0].pseudonym,
        ),
    )
    # Someone new on paper.
    member_check.record_paper(
        check,
        facilitator,
        member_check.PaperResponses(
            channel=Channel.PAPER,
            session="Tuesday group",
            answers={first.pk: "1"},
            consent_level=ConsentLevel.STORE,
        ),
    )
    session = member_check.start_session(check, facilitator, "Network session, Manchester")
    member_check.record_hands(
        session, facilitator, first, "9", "2", "1", "Waiting is real but not the main thing."
    )
    member_check.record_hands(
        session, facilitator, first, "10", "2", "1", "Waiting is real."
    )  # replaces
    results = {r.finding.pk: r for r in member_check.results(study)}
    one = results[first.pk]
    assert (one.people.agree, one.people.disagree, one.people.unsure) == (1, 2, 0)
    assert one.people.total == 3  # three people, though four votes were cast
    assert one.by_channel["paper"].total == 2 and one.by_channel["web"].total == 1
    assert (one.room.agree, one.room.disagree, one.room.unsure) == (10, 2, 1)
    assert one.all_voices.total == 16
    texts = [c.text for c in one.comments]
    assert (
        "Also the phone line." in texts and "Not for me." in texts and "Waiting is real." in texts
    )
    assert results[second.pk].people.agree == 1
    only = member_check.result_of(first)
    assert only is not None and only.finding == first and only.people == one.people
    assert only.comments == one.comments
    # A fixed number of queries, not some per finding.
    with CaptureQueriesContext(connection) as all_of_them:
        member_check.results(study)
    with CaptureQueriesContext(connection) as one_of_them:
        member_check.result_of(first)
    assert len(all_of_them) == len(one_of_them) <= 12
    # Member-check votes are not evidence, nor conversation participation.
    assert voices.voices(study).overall.contributions == 17


def test_withdrawal_removes_a_persons_checking_votes_and_comments() -> None:
    study, team, anna, others, silent, first, second, talk = a_lopsided_study().parts()
    check = member_check.open_member_check(study, team[Role.OWNER])
    statement = check.findings.get(finding=first).statement
    conversations.vote_with_comment(statement, others[2], 1, "Spot on, and here is my story.")
    conversations.vote_with_comment(statement, others[3], -1)
    studies.withdraw(others[2])
    result = member_check.results(study)[0]
    assert result.people.total == 1
    assert result.people.disagree == 1
    assert all("my story" not in c.text for c in result.comments)
    page = client_for(team[Role.OWNER]).get(f"/studies/{study.slug}/member-check/").content.decode()
    assert "my story" not in page
    with pytest.raises(Exception, match="withdrawn"):
        conversations.vote_with_comment(statement, others[2], 1)


def test_revisions_are_kept_and_responses_reach_participants_once_published() -> None:
    from django.utils import timezone

    from coproduce.publications.models import PublishedStudy

    study, team, anna, others, silent, first, second, talk = a_lopsided_study().parts()
    owner = team[Role.OWNER]
    member_check.open_member_check(study, owner)
    with pytest.raises(InvalidInput, match="why"):
        member_check.revise_finding(first, owner, "Waiting lists are one problem", "", "  ")
    member_check.revise_finding(
        first,
        owner,
        "Waiting lists are one problem among several",
        "",
        "People said it is not the main one.",
    )
    revision = FindingRevision.objects.get(finding=first)
    assert revision.title_before == "Waiting lists are the main problem"
    member_check.respond(first, owner, "We asked the service to publish waiting times monthly.")
    from django.test import Client

    from coproduce.site.requests import SESSION_KEY

    client = Client()
    session = client.session
    session[SESSION_KEY] = {str(study.pk): others[0].pk}
    session.save()
    home = client.get(f"/join/{study.join_code}/you/").content.decode()
    assert "publish waiting times" not in home  # not published yet
    PublishedStudy.objects.create(study=study, edition=timezone.localdate(), public=True)
    home = client.get(f"/join/{study.join_code}/you/").content.decode()
    assert "We did" in home and "publish waiting times monthly" in home
    assert "Waiting lists are one problem among several" in home


def test_bad_member_check_input_is_refused_with_a_sentence() -> None:
    study, team, anna, others, silent, first, second, talk = a_lopsided_study().parts()
    owner, facilitator, observer = team[Role.OWNER], team[Role.FACILITATOR], team[Role.OBSERVER]
    with pytest.raises(Exception, match="does not allow"):
        member_check.open_member_check(study, observer)
    check = member_check.open_member_check(study, owner)
    again = member_check.open_member_check(study, owner)  # opening again adds nothing new
    assert again.pk == check.pk and check.findings.count() == 2
    with pytest.raises(InvalidInput, match="pseudonym"):
        member_check.record_paper(
            check,
            facilitator,
            member_check.PaperResponses(Channel.PAPER, "", {first.pk: "1"}, pseudonym="P-NOBODY"),
        )
    with pytest.raises(NotFound):
        member_check.record_paper(
            check,
            facilitator,
            member_check.PaperResponses(Channel.PAPER, "", {999999: "1"}, consent_level=1),
        )
    with pytest.raises(InvalidInput, match="paper, phone or in person"):
        member_check.record_paper(
            check,
            facilitator,
            member_check.PaperResponses(Channel.WEB, "", {first.pk: "1"}, consent_level=1),
        )
    with pytest.raises(InvalidInput, match="goes with a vote"):
        member_check.record_paper(
            check,
            facilitator,
            member_check.PaperResponses(
                Channel.PAPER, "", {first.pk: ""}, {first.pk: "words"}, consent_level=1
            ),
        )
    assert Participant.objects.filter(study=study).count() == 7  # nothing half-written
    session = member_check.start_session(check, facilitator, "Room one")
    with pytest.raises(InvalidInput, match="already a session"):
        member_check.start_session(check, facilitator, "Room  one")
    for bad in ("-1", "1.5", "lots", "100001", "\ud800"):
        with pytest.raises(InvalidInput, match="whole number"):
            member_check.record_hands(session, facilitator, first, bad, "0", "0")
    with pytest.raises(InvalidInput, match="2000"):
        conversations.vote_with_comment(
            check.findings.get(finding=first).statement, others[0], 1, "x" * 2001
        )
    with pytest.raises(InvalidInput, match="does not ask for comments"):
        conversations.vote_with_comment(talk.statements.first(), others[0], 1, "a comment")


def test_the_cli_prints_the_summary_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    from coproduce.cli import main

    study, *_ = a_lopsided_study().parts()
    with pytest.raises(SystemExit) as ended:
        main(["equity", study.slug, "--json"])
    assert ended.value.code in (0, None)
    data = json.loads(capsys.readouterr().out)
    assert data["overall"]["people"] == 7
    assert data["person_weighted"][0]["rows"]


def test_member_checking_travels_in_the_study_archive(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from coproduce.archive import dump_study, export_study, import_study
    from tests.support.factories import wipe

    study, team, anna, others, silent, first, second, talk = a_lopsided_study().parts()
    owner = team[Role.OWNER]
    targets.set_targets(
        study,
        owner,
        role_floors={"practitioner": "30"},
        channel_ceiling="70",
        difference="8",
        talk_floor="25",
    )
    check = member_check.open_member_check(study, owner)
    statement = check.findings.get(finding=first).statement
    conversations.vote_with_comment(statement, others[0], 1, "True for me.")
    session = member_check.start_session(check, owner, "Room")
    member_check.record_hands(session, owner, first, "5", "1", "0", "Mostly.")
    member_check.revise_finding(second, owner, "Kindness matters a lot", "", "Said in the room.")
    member_check.respond(first, owner, "We publish waiting times.")
    before = dump_study(study)
    assert before["equity"]["member_check"]["sessions"][0]["tallies"][0]["agree"] == 5
    archive = export_study(study, tmp_path / "study.zip")
    wipe()
    imported = import_study(archive)
    assert dump_study(imported) == before
    result = member_check.results(imported)[0]
    assert result.people.agree == 1 and result.room.agree == 5
    assert [c.text for c in result.comments][:1] == ["True for me."]
