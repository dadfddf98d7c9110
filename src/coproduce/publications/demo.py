"""The demo study's Easy Read version: written as a team would, keeping every Easy Read rule,
and published with the study."""

from __future__ import annotations

from coproduce.accounts.models import User
from coproduce.demo.registry import DemoContext, register_demo_part
from coproduce.publications import easy_read
from coproduce.publications.easy_read import PointForm
from coproduce.publications.models import EasyReadPart
from coproduce.studies.models import Role

TITLE = "Working together on research: Easy Read"
INTRODUCTION = (
    "About this study",
    [
        ("We asked people how groups can work together well.", "people"),
        ("People with lived experience helped run the study.", "team"),
        ("People told us what they think in many ways.", "talk"),
        ("This is what we found.", "research"),
    ],
)
# The findings' parts, in the findings' order: a heading and points, each with picture words.
FINDINGS = [
    (
        "Pay people for their time",
        [
            ("Taking part costs people money.", "money"),
            ("It takes time too.", "time"),
            ("People should be paid for their time.", "pay"),
            ("Groups should pay people on time.", "calendar"),
        ],
    ),
    (
        "Ask people before you decide",
        [
            ("Some people were asked after things were decided.", "hourglass"),
            ("This felt unfair to them.", "sad"),
        ],
    ),
    (
        "Share real choices early",
        [
            ("Some groups let members make real choices.", "vote"),
            ("This helped people trust each other.", "handshake"),
        ],
    ),
    (
        "Tell people what happened",
        [
            ("People want to be listened to.", "listen"),
            ("People also want to know what happened next.", "question"),
        ],
    ),
    (
        "Good relationships matter",
        [
            ("It helps to see the same faces.", "people"),
            ("A cup of tea helps people feel welcome.", "hot beverage"),
            ("Meeting in a friendly place helps too.", "house"),
        ],
    ),
    (
        "Sharing power brings change",
        [
            ("Things got better when groups shared power with members.", "better"),
        ],
    ),
]
NEXT = (
    "What happens next",
    [
        ("We will share this with groups across Greater Manchester.", "map"),
        ("We will tell you what they do about it.", "speech balloon"),
        ("Thank you for taking part.", "thank"),
    ],
)
WORDS = [
    ("lived experience", "You know about something because it happened to you."),
]


def write(part: EasyReadPart, by: User, heading: str, points: list[tuple[str, str]]) -> None:
    forms = [PointForm(text, picture, None, "") for text, picture in points]
    easy_read.save_part(part, by, heading, forms, {})


def build(context: DemoContext) -> None:
    study, owner = context.study, context.team[Role.OWNER]
    version = easy_read.version_for(study, owner)
    parts = easy_read.ordered_parts(version)
    write(parts[0], owner, *INTRODUCTION)
    findings = [p for p in parts if p.kind == EasyReadPart.Kind.FINDING]
    for part, (heading, points) in zip(findings, FINDINGS, strict=True):
        write(part, owner, heading, points)
    write(parts[-1], owner, *NEXT)
    for word, meaning in WORDS:
        easy_read.explain_word(version, owner, word, meaning)
    easy_read.save_settings(version, owner, TITLE, 16, published=True)


register_demo_part("easy_read", 100, build)
