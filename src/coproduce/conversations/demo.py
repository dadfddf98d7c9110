"""The conversations part of the demo: six questions, hundreds of people, real opinion groups.

Votes come from a latent-opinion model: each participant leans towards one of three outlooks
(enthusiast, pragmatist, sceptic) and each statement appeals to each outlook differently, so the
opinion groups an analysis finds are really there. Invented, with a fixed seed.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta

from coproduce.conversations.models import (
    Conversation,
    ConversationParticipant,
    Moderation,
    Statement,
    StatementStatus,
)
from coproduce.conversations.services import CastVote, save_history
from coproduce.core.evidence import Channel
from coproduce.demo.registry import DEMO_SEED, DemoContext, register_demo_part
from coproduce.studies.models import Participant, Role

# Each statement: text and its appeal to (enthusiast, pragmatist, sceptic), from -2 to 2.
QUESTIONS: list[tuple[str, list[tuple[str, tuple[float, float, float]]]]] = [
    (
        "What makes co-production work in your organisation?",
        [
            (
                "Managers who give staff the time and freedom to do things differently.",
                (2, 1.5, 0.5),
            ),
            (
                "Paying people with lived experience for their time, properly and on time.",
                (2, 1, 1),
            ),
            (
                "It only works when the people we support set the agenda from day one.",
                (2, -0.5, -1),
            ),
            ("Having a budget we can change when service users suggest something.", (1.5, 1.5, 0)),
            ("Good facilitation matters more than any policy document.", (1, 1.5, 0.5)),
            (
                "Co-production is just how we have always worked; we never called it that.",
                (1.5, 0.5, -0.5),
            ),
            ("Training for staff on sharing power.", (1, 1, -0.5)),
            ("Meeting in places people already go, not in our offices.", (1.5, 1, 0.5)),
            ("Honestly, most of it depends on one or two committed people.", (-0.5, 1, 1.5)),
            ("Clear roles, so everyone knows what they are responsible for.", (0, 1.5, 1)),
            ("Feeding back what changed because of what people told us.", (2, 1.5, 1)),
            (
                "Food, childcare and travel costs sorted before the meeting, not after.",
                (1.5, 1, 0.5),
            ),
        ],
    ),
    (
        "What gets in the way?",
        [
            ("Funders want fixed outcomes before we have asked anyone anything.", (2, 1.5, 0)),
            (
                "Short-term funding means relationships end just as they start working.",
                (2, 1.5, 0.5),
            ),
            ("Staff are too stretched to do it properly.", (1, 1.5, 1)),
            ("The same few service users get asked every time.", (1, 1.5, 1.5)),
            ("It slows decisions down more than it is worth.", (-2, -0.5, 1.5)),
            ("Professionals are not used to being challenged by service users.", (1.5, 0.5, -1)),
            ("Benefit rules make paying people complicated.", (1.5, 1, 0.5)),
            ("Nobody agrees what co-production actually means.", (-0.5, 1, 1.5)),
            ("Risk-averse boards.", (1, 0.5, -0.5)),
            (
                "Meetings at times that suit staff, not people with caring responsibilities.",
                (1.5, 1, 0),
            ),
            ("Jargon and acronyms shut people out.", (2, 1.5, 0.5)),
        ],
    ),
    (
        "How should we measure whether co-production made a difference?",
        [
            ("Ask the people involved what success looks like for them.", (2, 1, 0)),
            (
                "Use the same outcome measures as any other project, so results can be compared.",
                (-1.5, 0.5, 2),
            ),
            ("Stories of change tell you more than numbers.", (2, 0, -1.5)),
            ("Count who took part and who did not, not just how many.", (1, 1.5, 1)),
            ("Measure how relationships changed, not only services.", (1.5, 1, -0.5)),
            ("Evaluation should be co-produced too.", (2, 0.5, -1)),
            ("You cannot measure it, and trying to spoils it.", (0.5, -1, -1.5)),
            ("Track whether suggestions actually led to changes.", (1.5, 2, 1.5)),
            ("Before-and-after wellbeing scores for everyone involved.", (0, 1, 1.5)),
            ("An independent evaluator is the only way to be credible.", (-1.5, 0, 1.5)),
        ],
    ),
    (
        "Who is not being heard, and how could we reach them?",
        [
            ("People who do not use the internet; we need paper and phone options.", (1.5, 1.5, 1)),
            ("Young carers, who have no time to come to meetings.", (1.5, 1, 0.5)),
            ("People who had a bad experience and walked away from services.", (2, 1, 0)),
            ("Go through community groups people already trust.", (1.5, 1.5, 0.5)),
            ("Offer interpreters and Easy Read as standard, not on request.", (2, 1, 0)),
            ("We should accept that some people do not want to be involved.", (-1, 0.5, 1.5)),
            ("Quieter people speak up more in small groups or one to one.", (1.5, 1.5, 1)),
            ("Online surveys mostly hear from people who are already confident.", (1, 1.5, 1)),
            (
                "Paying for people's time would bring in people who cannot afford to volunteer.",
                (1.5, 1, 0),
            ),
            ("Men are much harder to reach in our services.", (0, 0.5, 1)),
        ],
    ),
    (
        "What should funders and commissioners do differently?",
        [
            ("Fund the time it takes to build relationships, not just activities.", (2, 1.5, 0.5)),
            ("Let outcomes be agreed after the people involved have had a say.", (2, 0.5, -1)),
            ("Multi-year grants as the norm.", (2, 1.5, 1)),
            ("Put people with lived experience on funding panels.", (2, 0.5, -0.5)),
            ("Ask for evidence of co-production in every bid.", (0.5, 0, -1)),
            ("Accept that co-produced projects may change direction.", (2, 1, -0.5)),
            ("Simpler reporting, so small groups can take part.", (1.5, 1.5, 1.5)),
            ("Commissioners should come to our spaces and listen.", (1.5, 1, 0)),
            ("Stop using co-production as a box to tick.", (1.5, 1, 1)),
        ],
    ),
    (
        "What has co-production changed for you personally?",
        [
            ("I feel my experience is valued, not just my problems.", (2, 0.5, -0.5)),
            ("It gave me confidence to speak up in other places.", (2, 0.5, -0.5)),
            ("I learned more from service users than from any training.", (2, 1, -0.5)),
            ("It has been exhausting as well as rewarding.", (0.5, 1.5, 1)),
            ("I got a job partly because of what I did on the project.", (1.5, 0.5, 0)),
            ("I am not sure it changed anything; decisions were already made.", (-2, -0.5, 1.5)),
            ("I made friends I would never have met otherwise.", (1.5, 0.5, 0)),
            ("I now question how my organisation makes decisions.", (1.5, 0.5, 0)),
            ("Being paid made me feel like a real member of the team.", (2, 1, 0.5)),
        ],
    ),
]

# Statements participants wrote that the team's moderator has approved: evidence for coding.
WRITTEN_APPROVED = [
    (0, "Being asked what we thought, and then hearing back what changed, kept me coming."),
    (0, "Decisions often felt already made before anyone asked us."),
    (1, "Being paid for my time made it possible for me to come at all."),
    (2, "Meetings in the evening clash with childcare for lots of us."),
    (3, "A cup of tea and the same faces every week is how trust grows."),
    (4, "We should decide together what success looks like before we start."),
    (5, "Staff listened properly once we met in the library instead of their office."),
]
# Statements participants wrote that a moderator still has to look at.
WRITTEN_PENDING = [
    (0, "Trust takes years to build and one bad meeting to lose."),
    (1, "Too many forms before anyone can get involved."),
    (2, "Ask people a year later, not just at the end of the project."),
    (3, "Text messages work better than e-mail for lots of the people we support."),
]
WRITTEN_TO_REJECT = [
    (1, "Click here for cheap loans www.example.com/loans"),
    (4, "The council officer in our area is useless and should be sacked"),
    (5, "asdfgh"),
]
OUTLOOKS = 3
OUTLOOK_MIX = (0.45, 0.35, 0.20)


def build(context: DemoContext) -> None:
    study, rng = context.study, context.rng
    people = context.participants
    outlook = {p.pk: rng.choices(range(OUTLOOKS), weights=OUTLOOK_MIX)[0] for p in people}
    # How much each person votes, as in real conversations: a few vote on nearly everything,
    # most on a part. Drawn from a random source of its own, so everything else the demo
    # draws stays as it was.
    keen = random.Random(DEMO_SEED + 1)  # noqa: S311 - a seeded demo, not a secret
    engagement = {p.pk: 1.0 if keen.random() < 0.08 else keen.uniform(0.15, 0.7) for p in people}
    votes: list[CastVote] = []
    members: list[ConversationParticipant] = []
    for position, (question, statements) in enumerate(QUESTIONS):
        conversation = Conversation.objects.create(
            study=study,
            question=question,
            position=position,
            moderation=Moderation.STRICT,
            # The first conversation's results are published, to show the public page.
            results_public=position == 0,
            created_at=min(p.joined_at for p in people) - timedelta(days=2),
        )
        rows = Statement.objects.bulk_create(
            Statement(
                conversation=conversation,
                number=n,
                text=text,
                is_seed=True,
                written_by=context.team[Role.RESEARCHER],
                status=StatementStatus.APPROVED,
                created_at=conversation.created_at,
            )
            for n, (text, _appeal) in enumerate(statements)
        )
        appeal = {s.pk: statements[s.number][1] for s in rows}
        taking_part = [p for p in people if rng.random() < 0.75]
        for number, participant in enumerate(taking_part):
            members.append(
                ConversationParticipant(
                    conversation=conversation, participant=participant, number=number
                )
            )
            channel = Channel(participant.channel)
            moment = participant.joined_at + timedelta(minutes=rng.randint(1, 600))
            for statement in rows:
                if rng.random() > 0.8:
                    continue
                value = latent_vote(rng, appeal[statement.pk][outlook[participant.pk]])
                moment += timedelta(seconds=rng.randint(4, 40))
                if keen.random() > engagement[participant.pk]:
                    continue
                votes.append(
                    CastVote(
                        conversation.pk,
                        statement.pk,
                        participant.pk,
                        value,
                        channel,
                        "Community hub drop-in" if channel != Channel.WEB else "",
                        moment,
                    )
                )
        add_written(conversation, position, taking_part)
    ConversationParticipant.objects.bulk_create(members, batch_size=2000)
    save_history(votes)


def latent_vote(rng: random.Random, appeal: float) -> int:
    """Agree, disagree or pass, more likely to agree the more the statement appeals."""
    if rng.random() < 0.12:
        return 0
    agree = 1 / (1 + math.exp(-1.6 * appeal))
    return 1 if rng.random() < agree else -1


def add_written(conversation: Conversation, position: int, people: list[Participant]) -> None:
    number = conversation.statements.count()
    written = [(q, t, StatementStatus.APPROVED) for q, t in WRITTEN_APPROVED] + [
        (q, t, StatementStatus.PENDING) for q, t in WRITTEN_PENDING + WRITTEN_TO_REJECT
    ]
    for index, (question, text, status) in enumerate(written):
        if question != position or not people:
            continue
        author = people[(index * 7) % len(people)]
        Statement.objects.create(
            conversation=conversation,
            number=number,
            text=text,
            author=author,
            status=status,
            channel=Channel(author.channel),
        )
        number += 1


register_demo_part("conversations", 10, build)
