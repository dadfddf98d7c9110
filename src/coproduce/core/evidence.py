"""The evidence-item interface every strand shares.

A statement in a conversation, a community-reporting story, a turn of a joint interview, a review
extract or a pilot reflection is, for coding, themes, voice equity and publishing, the same thing:
a piece of text, said by someone (pseudonymous), in a role, through a channel, in a strand, with a
level of consent. Strands expose their items through this protocol so the rest of Coproduce
treats them alike. Pure Python: no Django here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Protocol, runtime_checkable


class Strand(StrEnum):
    """Where a piece of evidence was gathered."""

    CONVERSATION = "conversation"
    STORY = "story"
    INTERVIEW = "interview"
    REVIEW = "review"
    PILOT = "pilot"
    DOCUMENT = "document"  # a text imported from another QDA tool (.qdpx)


class Channel(StrEnum):
    """How a contribution reached the study; many channels reach quieter voices."""

    WEB = "web"
    FACILITATOR = "facilitator"
    PAPER = "paper"
    PHONE = "phone"
    IN_PERSON = "in_person"
    IMPORT = "import"


class ContributorRole(StrEnum):
    """The role a contributor says they hold in co-production (optional, never forced)."""

    LIVED_EXPERIENCE = "lived_experience"
    PRACTITIONER = "practitioner"
    RESEARCHER = "researcher"
    COMMISSIONER = "commissioner"
    OTHER = "other"
    NOT_SAID = "not_said"


class ConsentLevel(IntEnum):
    """What a contributor agreed may be done with what they said, from least to most.

    Ordered, so that "at least QUOTE" is a comparison. WITHDRAWN is below everything: a
    withdrawn contribution is kept out of every output from the moment of withdrawal.
    """

    WITHDRAWN = 0
    STORE = 1
    QUOTE = 2
    PUBLISH = 3


@runtime_checkable
class EvidenceItem(Protocol):
    """What every strand's contributions offer to coding, analysis and publishing."""

    @property
    def evidence_id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def author(self) -> str | None: ...
    @property
    def role(self) -> ContributorRole: ...
    @property
    def channel(self) -> Channel: ...
    @property
    def strand(self) -> Strand: ...
    @property
    def consent(self) -> ConsentLevel: ...
    @property
    def created(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    """A plain, immutable evidence item: what the analysis core and renderers receive.

    `evidence_id` is unique across strands ("story:12", "statement:40"); `author` is the
    contributor's pseudonym, never a name.
    """

    evidence_id: str
    text: str
    author: str | None
    role: ContributorRole
    channel: Channel
    strand: Strand
    consent: ConsentLevel
    created: datetime
    # Passed the personal-data check with its redactions applied (stories); True for strands
    # that have no such check.
    checked: bool = True

    @classmethod
    def from_item(cls, item: EvidenceItem) -> EvidenceRecord:
        """Copy any evidence item into a plain record."""
        return cls(
            evidence_id=item.evidence_id,
            text=item.text,
            author=item.author,
            role=item.role,
            channel=item.channel,
            strand=item.strand,
            consent=item.consent,
            created=item.created,
            checked=getattr(item, "checked", True),
        )


def with_consent(items: Iterable[EvidenceItem], at_least: ConsentLevel) -> Iterator[EvidenceItem]:
    """Only the items whose contributor agreed to at least `at_least` (withdrawn never pass)."""
    floor = max(at_least, ConsentLevel.STORE)
    return (item for item in items if item.consent >= floor)


def held_back(record: EvidenceRecord, use: ConsentLevel) -> str | None:
    """Why this item may not leave the team's restricted view for this use, or None if it may.

    The one rule for what leaves: its contributor agreed to the use and has not withdrawn, and
    it passed the personal-data check with its redactions applied. (Statements reach the
    evidence only once moderation approved them, and withdrawn items not at all.) `use` is
    STORE for sharing inside the study beyond the restricted view (observers, other tools),
    QUOTE for quoting its words, PUBLISH for publishing it whole.
    """
    if record.consent == ConsentLevel.WITHDRAWN:
        return "its contributor has withdrawn"
    if record.consent < use:
        wanted = "quoted" if use == ConsentLevel.QUOTE else "published in full"
        return f"its contributor did not agree to it being {wanted}"
    if not record.checked:
        return "it has not been checked for personal data yet"
    return None


def may_leave(records: Iterable[EvidenceRecord], use: ConsentLevel) -> Iterator[EvidenceRecord]:
    """Only the items that may leave the restricted view for this use."""
    return (r for r in records if held_back(r, use) is None)
