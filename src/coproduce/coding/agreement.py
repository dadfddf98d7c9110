"""How far coders agree: per code, over the items or sentences every compared coder coded.

Each function that changes something takes the acting user (`by`) and checks their role first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from coproduce.coding import codebook
from coproduce.coding.codings import coder_of
from coproduce.coding.evidence import evidence_by_id
from coproduce.coding.models import (
    Coding,
)
from coproduce.core.analysis.agreement import Agreement, per_code
from coproduce.core.errors import InvalidInput
from coproduce.core.evidence import EvidenceRecord
from coproduce.studies.models import Study
from coproduce.studies.permissions import Permission

EDIT = Permission.CHANGE_STUDY


SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


@dataclass(frozen=True)
class Disagreement:
    """A unit where the compared coders did not all apply a code: what each of them marked."""

    evidence_id: str
    text: str  # the unit's words: the item, or the sentence
    code: str
    marked: list[tuple[str, list[str]]]  # each compared coder and the passages they coded


@dataclass(frozen=True)
class AgreementReport:
    unit: str
    coders: list[str]  # the coders compared
    units: int
    codes: list[Agreement]
    everyone: list[str] = field(default_factory=list)  # everyone who has coded in the study
    disagreements: list[Disagreement] = field(default_factory=list)


def agreement(
    study: Study, unit: str = "item", coders: Sequence[str] | None = None
) -> AgreementReport:
    """Per-code agreement over the items (or sentences) that every compared coder coded.

    `coders` names whom to compare; names nobody codes under are ignored, and with fewer than
    two left everyone is compared.
    """
    if unit not in ("item", "segment"):
        raise InvalidInput(_("Agreement is measured per item or per segment."))
    codings = list(Coding.objects.filter(study=study).select_related("coder"))
    by_coder: dict[str, list[Coding]] = defaultdict(list)
    for c in codings:
        by_coder[coder_of(c)].append(c)
    everyone = sorted(by_coder)
    chosen = sorted(name for name in coders or () if name in by_coder)
    if len(chosen) < 2:
        chosen = everyone
    if len(chosen) < 2:
        return AgreementReport(unit, chosen, 0, [], everyone)
    shared = set.intersection(*({c.evidence_id for c in by_coder[name]} for name in chosen))
    texts = evidence_by_id(study)
    items = sorted(i for i in shared if i in texts)
    # Each item's units with their character spans: the whole item, or each sentence.
    segments: dict[str, list[tuple[str, int, int]]] = {}
    for item in items:
        text = texts[item].text
        segments[item] = (
            [(item, 0, len(text))]
            if unit == "item"
            else [
                (f"{item}#{n}", m.start(), m.end())
                for n, m in enumerate(SENTENCE.finditer(text))
                if m.group().strip()
            ]
        )
    units = [u for item in items for u, _s, _e in segments[item]]
    paths = codebook.paths(study)
    applied: dict[str, set[tuple[str, str]]] = {name: set() for name in chosen}
    for name in chosen:
        for c in by_coder[name]:
            for u, start, end in segments.get(c.evidence_id, []):
                if c.start < end and c.end > start:
                    applied[name].add((u, paths[c.code_id]))
    used = {code for pairs in applied.values() for _u, code in pairs}
    names = list(paths.values())
    return AgreementReport(
        unit,
        chosen,
        len(units),
        per_code(applied, units, [n for n in names if n in used]),
        everyone,
        disagreements(chosen, by_coder, applied, segments, texts, paths),
    )


def disagreements(
    chosen: list[str],
    by_coder: dict[str, list[Coding]],
    applied: dict[str, set[tuple[str, str]]],
    segments: dict[str, list[tuple[str, int, int]]],
    texts: dict[str, EvidenceRecord],
    paths: dict[int, str],
) -> list[Disagreement]:
    """Every unit and code that some compared coders applied and others did not, with the
    passages each coder marked there, for the team to talk through side by side."""
    found = []
    order = {path: n for n, path in enumerate(paths.values())}
    for item, units in segments.items():
        for u, start, end in units:
            codes = {code for name in chosen for unit, code in applied[name] if unit == u}
            for code in sorted(codes, key=lambda c: order.get(c, 0)):
                if all((u, code) in applied[name] for name in chosen):
                    continue
                marked = [
                    (
                        name,
                        [
                            c.passage
                            for c in by_coder[name]
                            if c.evidence_id == item
                            and paths[c.code_id] == code
                            and c.start < end
                            and c.end > start
                        ],
                    )
                    for name in chosen
                ]
                words = texts[item].text[start:end].strip()
                found.append(Disagreement(item, words, code, marked))
    return found
