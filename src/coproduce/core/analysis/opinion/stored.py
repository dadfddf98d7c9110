"""An analysis as stored (the JSON of Analysis.to_json), read back as typed records.

The stored JSON is the one place its keys are spelled out: Analysis.to_json writes it, and this
module reads it, so no code outside the core walks the JSON by string keys.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Tally:
    """How many of the people who saw a statement agreed and disagreed (the rest passed)."""

    agree: int
    disagree: int
    seen: int

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Tally:
        return cls(int(data["agree"]), int(data["disagree"]), int(data["seen"]))


@dataclass(frozen=True)
class StoredRepresentative:
    """A statement that sets a group apart, on which side, with the group's own tally."""

    statement: int
    side: str  # "agree" or "disagree"
    tally: Tally


@dataclass(frozen=True)
class StoredGroup:
    id: int
    size: int
    centre: tuple[float, float]
    hull: tuple[tuple[float, float], ...]
    representative: tuple[StoredRepresentative, ...]


@dataclass(frozen=True)
class StoredStatement:
    statement: int
    set_aside: bool
    tally: Tally
    by_group: tuple[tuple[int, Tally], ...]  # (group id, tally among its members), as stored


@dataclass(frozen=True)
class StoredAnalysis:
    """What the results pages and outputs need from a stored analysis."""

    participants: dict[int, int | None]  # participant key -> group id, None when not placed
    groups: tuple[StoredGroup, ...]
    statements: tuple[StoredStatement, ...]
    consensus_agree: tuple[int, ...]  # statement keys
    consensus_disagree: tuple[int, ...]
    message: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StoredAnalysis:
        consensus = data.get("consensus", {})
        return cls(
            participants={
                int(k): None if g is None else int(g) for k, g in data["participants"].items()
            },
            groups=tuple(_group(g) for g in data["groups"]),
            statements=tuple(_statement(s) for s in data["statements"]),
            consensus_agree=tuple(int(c["statement"]) for c in consensus.get("agree", ())),
            consensus_disagree=tuple(int(c["statement"]) for c in consensus.get("disagree", ())),
            message=data.get("message") or "",
        )


def _group(data: Mapping[str, Any]) -> StoredGroup:
    return StoredGroup(
        id=int(data["id"]),
        size=int(data["size"]),
        centre=(float(data["centre"][0]), float(data["centre"][1])),
        hull=tuple((float(x), float(y)) for x, y in data.get("hull", [])),
        representative=tuple(
            StoredRepresentative(int(r["statement"]), str(r["side"]), Tally.of(r))
            for r in data["repness"]
        ),
    )


def _statement(data: Mapping[str, Any]) -> StoredStatement:
    return StoredStatement(
        statement=int(data["statement"]),
        set_aside=bool(data["set_aside"]),
        tally=Tally.of(data),
        by_group=tuple((int(g), Tally.of(c)) for g, c in data.get("groups", {}).items()),
    )


def relabelled(
    data: Mapping[str, Any], participants: Mapping[int, str], statements: Mapping[int, int]
) -> dict[str, Any]:
    """A copy of the stored JSON with participant and statement keys replaced by the names the
    public knows them by (pseudonyms, statement numbers)."""
    copy: dict[str, Any] = json.loads(json.dumps(data))
    copy["participants"] = {participants[int(k)]: g for k, g in copy["participants"].items()}
    for group in copy["groups"]:
        for r in group["repness"]:
            r["statement"] = statements[r["statement"]]
    for side in copy["consensus"].values():
        for c in side:
            c["statement"] = statements[c["statement"]]
    for s in copy["statements"]:
        s["statement"] = statements[s["statement"]]
    return copy
