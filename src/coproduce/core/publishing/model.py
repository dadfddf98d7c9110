"""The publication of a study, as plain data: what every renderer reads, and nothing else.

The Django side (coproduce.publications.builder) fills it from the database with only material
that may be published; renderers (report, interactive summary, open data, and the accessible
formats that follow) turn it into files. Pure Python: no Django here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coproduce.core.publishing.easy_read import EasyRead

# Counts this small are not shown on anything public, so that nobody can be picked out.
SMALLEST_SHOWN = 5


def shown(count: int) -> str:
    """A count as public outputs show it: "fewer than 5" for 1 to 4, the number otherwise."""
    if 0 < count < SMALLEST_SHOWN:
        return f"fewer than {SMALLEST_SHOWN}"
    return f"{count:,}"


@dataclass(frozen=True)
class Tally:
    """A labelled count (people by role, contributions by channel, stories by sector)."""

    label: str
    count: int


@dataclass(frozen=True)
class StrandEvidence:
    """What one strand gathered, in the shape of the UCL evidence base: people, their unique
    contributions, votes where the strand has them, and the most on any one question."""

    strand: str
    title: str
    people: int
    items: int
    votes: int = 0
    most_per_question: int = 0
    breakdown: tuple[Tally, ...] = ()  # stories by sector, conversations by question...
    breakdown_title: str = ""


@dataclass(frozen=True)
class Quote:
    """Verbatim words, with where they came from (never who, beyond their role)."""

    words: str
    strand: str
    role: str


@dataclass(frozen=True)
class Validation:
    """How participants answered when the finding was checked with them (member checking):
    each person once, and the hands of the room at reflection sessions."""

    agree: int
    disagree: int
    unsure: int
    by_role: tuple[tuple[str, int, int, int], ...] = ()  # role, agree, disagree, unsure
    room: tuple[int, int, int] = (0, 0, 0)  # hands: agree, disagree, unsure
    revised: tuple[str, ...] = ()  # why the team changed it after checking

    @property
    def people(self) -> int:
        return self.agree + self.disagree + self.unsure


@dataclass(frozen=True)
class GroupShare:
    """A group's share of the people and of the contributions (roles, channels)."""

    label: str
    people_share: float
    contribution_share: float


@dataclass(frozen=True)
class Equity:
    """Whose voices were heard: participation inequality, who took part, and where counting
    each person once tells another story. No pseudonym appears in it."""

    people: int
    silent: int
    gini: float
    top_tenth: float
    top_person: float
    lorenz: tuple[tuple[float, float], ...]
    by_role: tuple[GroupShare, ...] = ()
    by_channel: tuple[GroupShare, ...] = ()
    differences: tuple[str, ...] = ()
    talk: tuple[tuple[str, float], ...] = ()  # share of interview words by perspective
    quoted: tuple[GroupShare, ...] = ()  # share of quotes (as people_share: of participants)
    quoted_by_strand: tuple[tuple[str, float], ...] = ()  # strand, share of quotes


@dataclass(frozen=True)
class Finding:
    number: int
    title: str
    text: str
    themes: tuple[str, ...]
    strands: tuple[str, ...]
    items: int
    people: int
    quotes: tuple[Quote, ...]
    by_strand: tuple[Tally, ...] = ()  # supporting items in each strand, for its chart
    validation: Validation | None = None  # how participants answered when it was checked


@dataclass(frozen=True)
class Recommendation:
    number: int
    text: str
    findings: tuple[int, ...]


@dataclass(frozen=True)
class CaseStudy:
    organisation: str
    slug: str
    what_it_does: str
    who_it_serves: str
    example: str
    enabling_factors: str
    challenges: str
    outcomes_staff: str
    outcomes_service_users: str
    quotes_staff: tuple[Quote, ...]
    quotes_service_users: tuple[Quote, ...]
    logo: str = ""  # a data: URI of the organisation's logo (PNG or JPEG), or empty


@dataclass(frozen=True)
class Person:
    """A team member as credited: their name and role in the study."""

    name: str
    role: str


@dataclass(frozen=True)
class Contribution:
    """One published contribution for the open data: pseudonymous, checked, consented."""

    evidence_id: str
    strand: str
    author: str  # the pseudonym
    role: str
    channel: str
    created: date
    text: str


@dataclass(frozen=True)
class Publication:
    """Everything a study publishes. Built from publishable material only."""

    slug: str
    title: str
    summary: str
    aims: tuple[str, ...]
    edition: date  # the date of the latest material in it, so a rebuild is identical
    team: tuple[Person, ...]
    partners: tuple[str, ...]
    funder: str
    evidence: tuple[StrandEvidence, ...]
    roles: tuple[Tally, ...]
    channels: tuple[Tally, ...]
    method: tuple[str, ...]
    findings: tuple[Finding, ...]
    recommendations: tuple[Recommendation, ...]
    recommendations_ordered: bool
    case_studies: tuple[CaseStudy, ...]
    contributions: tuple[Contribution, ...] = ()
    limitations: tuple[str, ...] = ()
    acknowledgements: tuple[str, ...] = ()
    attribution: tuple[str, ...] = ()
    easy_read: EasyRead | None = None  # the team's Easy Read version, when it has written one
    equity: Equity | None = None  # whose voices were heard, when there were participants

    def people(self) -> int:
        """Everyone who contributed, across strands (each strand counts its own people)."""
        return sum(s.people for s in self.evidence)

    def contribution_count(self) -> int:
        return sum(s.items for s in self.evidence)
