"""The demo study's voice equity and member checking.

A realistic imbalance for the equity page to find: three very active people who write a dozen
statements each, people with lived experience just under the team's 40% target, the web
bringing in most contributions, and one joint interview where the member of staff talks most
(built by the case-studies part). Then the findings are checked with participants: on the
web (some with a comment), on paper through a facilitator, and at an in-person reflection
session; one finding is revised after it, and the team answers each ("you said, we did").
"""

from __future__ import annotations

from coproduce.conversations import services as conversations
from coproduce.conversations.models import Purpose, StatementStatus
from coproduce.core.evidence import Channel, ConsentLevel, ContributorRole
from coproduce.demo.registry import DemoContext, register_demo_part
from coproduce.equity import member_check, targets
from coproduce.studies.models import Participant, Role

# What the three most active people keep saying (a dozen statements each).
PROLIFIC = [
    "Meetings should be in the evening so people who work can come.",
    "The minutes should go out within a week, in plain English.",
    "Every group should have a paid co-ordinator, not a volunteer.",
    "Travel should be paid in cash on the day, not weeks later.",
    "We need a crèche at every session.",
    "New members should have a buddy for their first three meetings.",
    "The board should include two people who use the service.",
    "Decisions should be written on the wall before the meeting ends.",
    "There should be a budget the members control themselves.",
    "The agenda should go out a week before, with space for members' items.",
    "Feedback forms should be on paper as well as online.",
    "Someone should phone people who stop coming, to ask why.",
]
WHO_FOR = ("carers", "people in work", "young people")
COMMENTS = [
    "Yes, but it took years to get there in our group.",
    "Money for travel is the part that made the difference for me.",
    "This is true for the big groups, less so for small ones.",
    "What is missing is childcare: without it I could not come at all.",
]
REVISION = (
    "People at the reflection session said trust came from small promises kept, not from"
    " decisions alone; the headline now says so."
)
RESPONSES = [
    "We asked every funder in the network to pay people for their time at the same rate, and"
    " three have agreed so far.",
    "We now share the decisions log with members each month.",
]


def build(context: DemoContext) -> None:
    study, rng = context.study, context.rng
    owner, facilitator = context.team[Role.OWNER], context.team[Role.FACILITATOR]
    talk = study.conversations.filter(purpose=Purpose.GATHER).order_by("position", "pk").first()
    web = list(
        Participant.objects.filter(study=study, channel=Channel.WEB)
        .consenting()
        .order_by("pseudonym")
    )
    if talk is not None:
        for person, who in zip(web[:3], WHO_FOR, strict=False):  # the three most active
            written = [
                conversations.NewStatement(
                    text=f"{t} It matters most for {who}.",
                    author=person,
                    status=StatementStatus.APPROVED,
                )
                for t in PROLIFIC
            ]
            conversations.add_statements(talk, written)
            conversations.member_number(talk, person)
    targets.set_targets(
        study,
        owner,
        role_floors={ContributorRole.LIVED_EXPERIENCE: "40"},
        channel_ceiling="60",
        difference="10",
        talk_floor="30",
    )
    check = member_check.open_member_check(study, owner)
    checked = list(check.findings.select_related("statement").order_by("finding__position"))
    # On the web: about a third of the web participants answer, some with a comment.
    for n, person in enumerate(rng.sample(web, k=len(web) // 3)):
        for c in checked:
            value = rng.choices([1, -1, 0], weights=[7, 2, 1])[0]
            comment = COMMENTS[n % len(COMMENTS)] if n % 9 == 0 and c is checked[0] else ""
            conversations.vote_with_comment(c.statement, person, value, comment)
    # On paper: eight forms typed in by the facilitator after a drop-in session.
    for n in range(8):
        member_check.record_paper(
            check,
            facilitator,
            member_check.PaperResponses(
                channel=Channel.PAPER,
                session="Drop-in at the community centre",
                answers={c.finding_id: rng.choice(["1", "1", "1", "0", "-1"]) for c in checked},
                comments={checked[-1].finding_id: "More about money, please."} if n == 0 else {},
                consent_level=ConsentLevel.QUOTE,
            ),
        )
    # In the room: the network's reflection session.
    session = member_check.start_session(check, facilitator, "Network reflection session")
    for n, c in enumerate(checked):
        member_check.record_hands(
            session,
            facilitator,
            c.finding,
            str(14 - n),
            str(2 + n % 3),
            str(3),
            "Small promises kept build trust." if n == 1 else "",
        )
    if len(checked) > 1:
        second = checked[1].finding
        member_check.revise_finding(
            second, owner, second.title + ", kept in small promises", second.text, REVISION
        )
    for c, response in zip(checked, RESPONSES, strict=False):
        member_check.respond(c.finding, owner, response)


register_demo_part("equity", 95, build)
