"""Where each evidence strand's items come from, so coding, analysis and publishing see them all.

Each strand app registers a source once (in its AppConfig.ready); callers ask for a study's
evidence without knowing which strands exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from coproduce.core.evidence import ConsentLevel, EvidenceItem, EvidenceRecord, Strand, with_consent
from coproduce.studies.models import Study

EvidenceSource = Callable[[Study], Iterable[EvidenceItem]]
_sources: dict[Strand, EvidenceSource] = {}


def register_strand(strand: Strand, source: EvidenceSource) -> None:
    """Make a strand's items available; registering a strand twice replaces its source."""
    _sources[strand] = source


def registered_strands() -> list[Strand]:
    return sorted(_sources, key=list(Strand).index)


def evidence_items(
    study: Study,
    *,
    strands: Iterable[Strand] | None = None,
    at_least: ConsentLevel = ConsentLevel.STORE,
) -> list[EvidenceRecord]:
    """The study's evidence from the chosen strands that has at least this consent."""
    chosen = registered_strands() if strands is None else list(strands)
    records: list[EvidenceRecord] = []
    for strand in chosen:
        source = _sources.get(strand)
        if source is None:
            continue
        records.extend(EvidenceRecord.from_item(i) for i in with_consent(source(study), at_least))
    return records
