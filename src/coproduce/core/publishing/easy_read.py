"""The Easy Read version of a study, and the rules it must keep before it is published.

The team writes it, finding by finding, as short points: one idea each, with a picture beside
it. The rules follow the Easy Read guidance used in the UK (Mencap's "Am I making myself
clear?", the Department of Health's "Making written information easier to understand for people
with learning disabilities", 2010): short sentences, one idea a sentence, a picture for each
idea, hard words explained, large type (at least 14 point), a short document (at most 20
pages), and the same word for the same thing throughout. Each problem names its sentence.

The word rules (one idea, hard words, the same word) are for English; a version in another
language is held to the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MOST_WORDS = 15
SMALLEST_TEXT = 14  # point
MOST_PAGES = 20
TEXT_SIZES = (14, 16, 18, 20)

SENTENCE_END = re.compile(r"(?<=[.!?])[\"\u201d\u2019)]*\s+")
WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['\u2019-][A-Za-z0-9\u00c0-\u024f]+)*")

# Joins that put a second idea into a sentence. "and" or "but" alone often join two things
# rather than two ideas, so they count only after a comma.
JOINS = (
    (re.compile(r";"), "a semicolon"),
    (re.compile(r":\s+\w"), "a colon"),
    (re.compile(r",\s+(and|but|so|or|yet)\b", re.I), "“, {0}”"),
    (
        re.compile(
            r"\b(although|though|however|whereas|whilst|while|which|unless|therefore|"
            r"moreover|furthermore|nevertheless|meanwhile|whose|whom)\b",
            re.I,
        ),
        "“{0}”",
    ),
)

# Words that need explaining for Easy Read readers: research, services and policy words, as
# Easy Read guides list them. A word counts as explained when the version explains it.
HARD_WORDS = frozenset(
    """
    accessibility accountability analyse analysis anonymous anonymised assessment benchmark
    beneficiary capacity collaborate collaboration commission commissioned commissioners
    community-reporting confidential confidentiality consent consultation co-design co-designed
    co-produce co-produced co-production co-researcher co-researchers criteria data
    demographic diversity eligibility eligible empower empowerment engagement equality equity
    evaluate evaluation evidence facilitate facilitator findings framework funder governance
    implement implementation inclusion inclusive infrastructure initiative interim intervention
    legislation lived-experience methodology methods mitigate monitoring objective outcome
    outcomes participant participants partnership pilot policy practitioner prevalence
    prioritise procurement qualitative quantitative recommendation recommendations remuneration
    representative research-led resilience safeguarding stakeholder stakeholders strategic
    strategy sustainability sustainable synthesis thematic triangulation transparency
    transparent validate validation vcse voluntary workforce
    """.split()
)

# Words for the same thing: once a version uses one, it keeps to it.
SAME_THING = (
    ("study", "project"),
    ("money", "funding", "cash"),
    ("staff", "workers", "employees"),
    ("help", "support"),
    ("results", "findings"),
    ("survey", "questionnaire"),
    ("wages", "salary"),
    ("council", "local authority"),
    ("service users", "clients", "customers"),
    ("doctor", "gp"),
    ("carer", "caregiver"),
)


@dataclass(frozen=True)
class Picture:
    """A picture beside a point: an OpenMoji symbol by its code, or the team's own image (a
    data: URI); either way with words saying what it shows."""

    alt: str
    symbol: str = ""
    image: str = ""


@dataclass(frozen=True)
class Point:
    """One idea: a sentence or two, and its picture."""

    text: str
    picture: Picture | None = None


@dataclass(frozen=True)
class Part:
    """A page section: a heading (a finding's, or the introduction's) and its points."""

    heading: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Word:
    """A hard word the version uses, and what it means in easy words."""

    word: str
    meaning: str


@dataclass(frozen=True)
class EasyRead:
    title: str
    parts: tuple[Part, ...]
    words: tuple[Word, ...] = ()
    text_size: int = 16  # point
    lang: str = "en-GB"


@dataclass(frozen=True)
class Problem:
    """A broken rule: which rule, where (part and point), the sentence, and what to do."""

    rule: str
    where: str
    sentence: str
    advice: str

    def __str__(self) -> str:
        said = f"“{self.sentence}” ({self.where})" if self.sentence else self.where
        return f"{said}: {self.advice}"


def sentences(text: str) -> list[str]:
    """The sentences of a point: split after . ! or ?, and at line ends."""
    found: list[str] = []
    for line in text.splitlines():
        found += [s.strip() for s in SENTENCE_END.split(line.strip()) if s.strip()]
    return found


def words_of(sentence: str) -> list[str]:
    return WORD.findall(sentence)


def stem(word: str) -> str:
    """A word's plain form, enough to match "participants" to "participant"."""
    w = word.lower().replace("\u2019", "'")
    for end, keep in (("'s", ""), ("ies", "y"), ("ing", ""), ("ed", ""), ("s", "")):
        if len(w) > len(end) + 2 and w.endswith(end) and not w.endswith("ss"):
            return w[: -len(end)] + keep
    return w


HARD_STEMS = {stem(w): w for w in HARD_WORDS}


def english(version: EasyRead) -> bool:
    return version.lang.lower().startswith("en")


def places(version: EasyRead) -> list[tuple[str, Point]]:
    """Each point with where it is, as people find it: its part's heading and its number."""
    return [
        (f"{part.heading or 'untitled part'}, point {n}", point)
        for part in version.parts
        for n, point in enumerate(part.points, 1)
    ]


def problems(version: EasyRead, pages: int | None = None) -> list[Problem]:
    """Every rule the version breaks, in reading order; `pages` is its rendered length."""
    found: list[Problem] = []
    if version.text_size < SMALLEST_TEXT:
        found.append(
            Problem(
                "text-size",
                "the text size",
                "",
                f"it is {version.text_size} point; make it at least {SMALLEST_TEXT}",
            )
        )
    if not any(part.points for part in version.parts):
        found.append(Problem("empty", "the version", "", "write at least one point"))
    explained = {stem(w.word) for w in version.words if w.meaning.strip()}
    first_said: dict[int, str] = {}
    for where, point in places(version):
        found += picture_problems(where, point)
        for sentence in sentences(point.text):
            found += sentence_problems(where, sentence, english(version), explained)
            if english(version):
                found += same_word_problems(where, sentence, first_said)
    if pages is not None and pages > MOST_PAGES:
        found.append(
            Problem(
                "pages",
                "the whole version",
                "",
                f"it is {pages} pages long; keep it to {MOST_PAGES} by leaving some points out",
            )
        )
    return found


def text_problems(text: str, words: tuple[Word, ...] = (), lang: str = "en-GB") -> list[Problem]:
    """The rules one point's words break on their own (for checking as the team types)."""
    version = EasyRead("", (Part("", (Point(text),)),), words, lang=lang)
    explained = {stem(w.word) for w in words if w.meaning.strip()}
    first_said: dict[int, str] = {}
    found: list[Problem] = []
    for sentence in sentences(text):
        found += sentence_problems("this point", sentence, english(version), explained)
        if english(version):
            found += same_word_problems("this point", sentence, first_said)
    return found


def picture_problems(where: str, point: Point) -> list[Problem]:
    picture = point.picture
    if picture is None or not (picture.symbol or picture.image):
        return [Problem("picture", where, first_words(point.text), "put a picture beside it")]
    if not picture.alt.strip():
        return [
            Problem(
                "picture", where, first_words(point.text), "say in words what its picture shows"
            )
        ]
    return []


def first_words(text: str) -> str:
    said = sentences(text)
    return said[0] if said else ""


def sentence_problems(
    where: str, sentence: str, english: bool, explained: set[str]
) -> list[Problem]:
    found = []
    count = len(words_of(sentence))
    if count > MOST_WORDS:
        advice = f"it has {count} words; keep each sentence to {MOST_WORDS}"
        found.append(Problem("sentence-length", where, sentence, advice))
    if not english:
        return found
    joins = [
        label.format(m.group(1) if m.groups() else m.group(0))
        for p, label in JOINS
        for m in [p.search(sentence)]
        if m
    ]
    if joins:
        advice = f"it joins two ideas with {joins[0]}; make it two sentences"
        found.append(Problem("one-idea", where, sentence, advice))
    for word in words_of(sentence):
        if stem(word) in HARD_STEMS and stem(word) not in explained:
            advice = f"“{word}” is a hard word: explain this word, or use an easier one"
            found.append(Problem("hard-word", where, sentence, advice))
    return found


def same_word_problems(where: str, sentence: str, first_said: dict[int, str]) -> list[Problem]:
    """Words for a thing already called something else earlier in the version."""
    found = []
    lower = sentence.lower()
    for group, names in enumerate(SAME_THING):
        for name in names:
            if not re.search(rf"\b{re.escape(name)}s?\b", lower):
                continue
            earlier = first_said.setdefault(group, name)
            if earlier != name:
                advice = f"it says “{name}” for what was called “{earlier}” before; use one word"
                found.append(Problem("same-word", where, sentence, advice))
    return found


def refusal(version: EasyRead, found: list[Problem]) -> str:
    """The one sentence `publish` gives when the version breaks rules, naming each sentence."""
    listed = "; ".join(str(p) for p in found[:20])
    more = f"; and {len(found) - 20} more" if len(found) > 20 else ""
    return (
        f"The Easy Read version “{version.title}” breaks {len(found)} of its rules, so nothing "
        f"was published: {listed}{more}. Change these in the Easy Read editor and publish again."
    )
