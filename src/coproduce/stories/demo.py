"""About 100 demo stories across types, sectors, roles and feelings, some with personal data to
redact; about half checked, some ready for outputs with quotes, one withdrawn."""

from __future__ import annotations

from coproduce.core.evidence import Channel, ConsentLevel
from coproduce.core.personal_data import find_personal_data
from coproduce.demo.registry import DemoContext, register_demo_part
from coproduce.stories import services
from coproduce.stories.models import DEFAULT_SECTORS, Feeling, StoryKind
from coproduce.stories.services import NewStory
from coproduce.studies.models import Role

STORY_COUNT = 100
QUESTION = "Tell us about a time you were involved in shaping a service. What happened?"

OPENINGS = {
    Feeling.POSITIVE: [
        "The first time they asked what I thought, I did not expect anyone to listen.",
        "I joined the group after my own time using the service.",
        "We started meeting in the library because it felt like neutral ground.",
        "It began with a cup of tea and a question nobody had asked me before.",
    ],
    Feeling.NEGATIVE: [
        "I was invited to one meeting and never heard back.",
        "They called it co-production, but the decisions were already made.",
        "I filled in three forms before anyone asked what I actually needed.",
        "The meetings were at ten in the morning, when I was at work.",
    ],
    Feeling.MIXED: [
        "Some of it worked and some of it really did not.",
        "I gave a lot of my time, and I am still not sure what changed.",
        "The staff were kind, but the system around them was not built for this.",
        "It started well, then the funding ended halfway through.",
    ],
}
MIDDLES = {
    "Health and social care": "We rewrote the discharge letters so that people could read them.",
    "Housing": "We walked the estate with the housing officers and showed them the damp.",
    "Local authorities": "The council let us score the bids for the community fund.",
    "Communities": "We ran the food bank rota ourselves and chose what to stock.",
    "Education": "Parents helped design the new homework club from the start.",
    "Other": "We shaped how the helpline answered people in crisis.",
}
ENDINGS = {
    Feeling.POSITIVE: [
        "Being paid for my time made me feel like an equal, not a volunteer doing a favour.",
        "Now I train new staff, and they ask me things I used to be afraid to say.",
        "They came back and told us what had changed because of what we said.",
    ],
    Feeling.NEGATIVE: [
        "Nobody ever told us what happened to our ideas.",
        "I paid for my own bus fare every time and it added up.",
        "It felt like ticking a box so they could say they had asked us.",
    ],
    Feeling.MIXED: [
        "I would do it again, but only if they shared the budget with us.",
        "The people were great; the paperwork was not.",
        "We got one thing changed, which is one more than before.",
    ],
}
# Stories with personal data in them, for the check to find and the team to redact.
PERSONAL = [
    "My support worker Sarah Jones rang me on 07700 900456 to say the meeting had moved.",
    "You can reach me at dee.okafor@example.org if you want to hear more.",
    "I live at 22 Canal Street, M1 3HE, so the hub was only a short walk for me.",
    "My son Tyler was born on 04/07/2012 and he came to the sessions with me.",
    "Mrs Patel from the housing office was the first one who really listened.",
]
FEELINGS = (Feeling.POSITIVE, Feeling.NEGATIVE, Feeling.MIXED, Feeling.POSITIVE, Feeling.MIXED)
KINDS = (StoryKind.SNAPSHOT, StoryKind.MONOLOGUE, StoryKind.DIALOGUE)
WORDS = ("", "", "hopeful", "tired of asking", "proud", "frustrated")
TAGS = ("payment", "feedback", "access", "trust", "power", "time")


def build(context: DemoContext) -> None:
    study, rng = context.study, context.rng
    facilitator = context.team[Role.FACILITATOR]
    researcher = context.team[Role.RESEARCHER]
    services.sectors_for(study)
    tellers = rng.sample(context.participants, STORY_COUNT)
    for i, teller in enumerate(tellers):
        feeling = FEELINGS[i % len(FEELINGS)]
        kind = KINDS[i % len(KINDS)]
        sectors = rng.sample(DEFAULT_SECTORS[:5], rng.choice((1, 1, 2))) if i % 9 else ["Other"]
        parts = [rng.choice(OPENINGS[feeling]), MIDDLES[sectors[0]], rng.choice(ENDINGS[feeling])]
        if i % 10 in (3, 4):  # some checked and redacted, some left for the team to check
            parts.insert(1, PERSONAL[(i // 10) % len(PERSONAL)])
        text = " ".join(parts)
        if kind == StoryKind.DIALOGUE:
            lines = [f"Reporter: {QUESTION}", f"{teller.pseudonym}: {parts[0]}"]
            lines += ["Reporter: What happened next?", f"{teller.pseudonym}: {' '.join(parts[1:])}"]
            text = "\n\n".join(lines)
        consent = max(teller.consent_level(), ConsentLevel.STORE)
        gathered = i % 3 == 0
        story = services.record_story(
            study,
            teller,
            NewStory(
                kind=kind,
                consent_level=consent,
                text=text,
                question=QUESTION if kind != StoryKind.MONOLOGUE else "",
                sectors=sectors,
                feeling=feeling,
                feeling_words=rng.choice(WORDS),
                channel=Channel.FACILITATOR if gathered else Channel.WEB,
                collected_in="Community hub drop-in" if gathered else "",
                tags=rng.sample(TAGS, rng.choice((0, 1, 2))),
            ),
            by=facilitator if gathered else None,
        )
        if i % 2 == 0:
            hits = find_personal_data(story.text)
            services.save_check(story, researcher, [(h.start, h.end, h.kind) for h in hits])
            if story.consent() >= ConsentLevel.QUOTE and i % 4 == 0:
                services.set_publishable(story, researcher, True)
                ending = parts[-1]
                if story.text.count(ending) == 1:
                    services.mark_quote(story, researcher, ending)
    last = tellers[-1].stories.first()
    if last is not None:
        services.withdraw_story(last, last.teller)


register_demo_part("stories", 20, build)
