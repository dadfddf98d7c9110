"""The evidence-item interface: every strand's items look alike to the rest of Coproduce."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from coproduce.core.evidence import (
    Channel,
    ConsentLevel,
    ContributorRole,
    EvidenceItem,
    EvidenceRecord,
    Strand,
    with_consent,
)
from coproduce.studies import strands
from coproduce.studies.models import Study
from coproduce.studies.strands import evidence_items, register_strand, registered_strands


@dataclass
class Note:
    """A stand-in strand item written the way a real strand would expose one."""

    evidence_id: str
    text: str
    consent: ConsentLevel
    author: str | None = "P-001"
    role: ContributorRole = ContributorRole.LIVED_EXPERIENCE
    channel: Channel = Channel.PAPER
    strand: Strand = Strand.PILOT
    created: datetime = datetime(2026, 3, 1, tzinfo=UTC)


def notes() -> list[Note]:
    return [
        Note("pilot:1", "We set the agenda together.", ConsentLevel.PUBLISH),
        Note("pilot:2", "Only for the team.", ConsentLevel.STORE),
        Note("pilot:3", "I changed my mind.", ConsentLevel.WITHDRAWN),
        Note("pilot:4", "Quote me without my name.", ConsentLevel.QUOTE),
    ]


def test_items_satisfy_the_protocol() -> None:
    assert isinstance(notes()[0], EvidenceItem)
    record = EvidenceRecord.from_item(notes()[0])
    assert record.evidence_id == "pilot:1" and record.strand is Strand.PILOT


def test_consent_filter_never_passes_withdrawn_items() -> None:
    assert [n.evidence_id for n in with_consent(notes(), ConsentLevel.WITHDRAWN)] == [
        "pilot:1",
        "pilot:2",
        "pilot:4",
    ]
    assert [n.evidence_id for n in with_consent(notes(), ConsentLevel.QUOTE)] == [
        "pilot:1",
        "pilot:4",
    ]


def test_consent_levels_are_ordered() -> None:
    assert ConsentLevel.WITHDRAWN < ConsentLevel.STORE < ConsentLevel.QUOTE < ConsentLevel.PUBLISH


@pytest.mark.django_db
def test_registered_strands_feed_a_study_s_evidence() -> None:
    study = Study.objects.create(title="Pilots", slug="pilots")
    register_strand(Strand.PILOT, lambda s: notes() if s == study else [])
    try:
        assert Strand.PILOT in registered_strands()
        quotable = evidence_items(study, at_least=ConsentLevel.QUOTE)
        assert [r.evidence_id for r in quotable] == ["pilot:1", "pilot:4"]
        assert all(isinstance(r, EvidenceRecord) for r in quotable)
        assert evidence_items(study, strands=[Strand.STORY]) == []
    finally:
        strands._sources.pop(Strand.PILOT)
