"""Open data: CSV files of what the study published, described by a Frictionless data package.

Pseudonymous ids only, publishable material only. A count from 1 to 4 is left empty (so that
nobody can be picked out), as the package's description says.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from coproduce.core.formats.spreadsheet import SafeWriter
from coproduce.core.publishing.model import SMALLEST_SHOWN, Publication

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


def public_count(count: int) -> str:
    return "" if 0 < count < SMALLEST_SHOWN else str(count)


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = SafeWriter(csv.writer(out, lineterminator="\n"))
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([str(v) for v in row])
    return out.getvalue().encode("utf-8")


def field(name: str, kind: str, description: str) -> dict[str, Any]:
    return {"name": name, "type": kind, "description": description}


COUNT = "integer"


def render_open_data(pub: Publication) -> dict[str, bytes]:
    """The data folder's files, by their path inside it."""
    tables: dict[str, tuple[str, list[dict[str, Any]], bytes]] = {
        "evidence-base": (
            "People and contributions in each strand of the study.",
            [
                field("strand", "string", "The strand (conversation, story, interview...)."),
                field("people", COUNT, "People who contributed (empty: fewer than 5)."),
                field("contributions", COUNT, "Unique contributions (empty: fewer than 5)."),
                field("votes", COUNT, "Votes, where the strand has them."),
                field("most_per_question", COUNT, "The most contributions to one question."),
            ],
            table(
                ["strand", "people", "contributions", "votes", "most_per_question"],
                [
                    (
                        s.strand,
                        public_count(s.people),
                        public_count(s.items),
                        s.votes,
                        s.most_per_question,
                    )
                    for s in pub.evidence
                ],
            ),
        ),
        "findings": (
            "The study's findings and what they rest on.",
            [
                field("number", COUNT, "The finding's number."),
                field("title", "string", "The finding in a sentence."),
                field("text", "string", "What the team wrote about it."),
                field("themes", "string", "The themes it brings together, separated by ';'."),
                field("strands", "string", "The strands it rests on, separated by ';'."),
                field("contributions", COUNT, "Supporting contributions (empty: fewer than 5)."),
                field("people", COUNT, "People behind them (empty: fewer than 5)."),
            ],
            table(
                ["number", "title", "text", "themes", "strands", "contributions", "people"],
                [
                    (
                        f.number,
                        f.title,
                        f.text,
                        "; ".join(f.themes),
                        "; ".join(f.strands),
                        public_count(f.items),
                        public_count(f.people),
                    )
                    for f in pub.findings
                ],
            ),
        ),
        "quotes": (
            "Verbatim quotes supporting each finding, with their strand and the speaker's role.",
            [
                field("finding", COUNT, "The finding's number."),
                field("words", "string", "The quote, as checked for personal data."),
                field("strand", "string", "Where it was said."),
                field("role", "string", "The role its speaker gave."),
            ],
            table(
                ["finding", "words", "strand", "role"],
                [(f.number, q.words, q.strand, q.role) for f in pub.findings for q in f.quotes],
            ),
        ),
        "recommendations": (
            "The study's recommendations"
            + ("" if pub.recommendations_ordered else ", not in any order of priority")
            + ".",
            [
                field("number", COUNT, "Its number."),
                field("text", "string", "The recommendation."),
                field("findings", "string", "The findings it follows from, separated by ';'."),
            ],
            table(
                ["number", "text", "findings"],
                [
                    (r.number, r.text, "; ".join(str(n) for n in r.findings))
                    for r in pub.recommendations
                ],
            ),
        ),
        "contributions": (
            "Every contribution its contributor agreed to publish in full, checked for personal "
            "data; contributors are known only by a made-up code.",
            [
                field("id", "string", "The contribution's id in the study."),
                field("strand", "string", "Where it was gathered."),
                field("contributor", "string", "The contributor's made-up code (pseudonym)."),
                field("role", "string", "The role they gave in co-production."),
                field("channel", "string", "How it reached the study."),
                field("date", "date", "When it was contributed."),
                field("text", "string", "What they said, as checked for personal data."),
            ],
            table(
                ["id", "strand", "contributor", "role", "channel", "date", "text"],
                [
                    (
                        c.evidence_id,
                        c.strand,
                        c.author,
                        c.role,
                        c.channel,
                        c.created.isoformat(),
                        c.text,
                    )
                    for c in pub.contributions
                ],
            ),
        ),
    }
    files = {f"{name}.csv": data for name, (_d, _f, data) in tables.items()}
    package = {
        "name": pub.slug.lower(),
        "title": pub.title,
        "description": (
            f"The open data of the study “{pub.title}”, edition of {pub.edition.isoformat()}. "
            "Only material its contributors agreed to publish, checked for personal data. "
            f"Counts from 1 to {SMALLEST_SHOWN - 1} are left empty so nobody can be picked out."
        ),
        "licenses": [LICENCE],
        "created": pub.edition.isoformat() + "T00:00:00Z",
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": description,
                "schema": {"fields": fields, "missingValues": [""]},
            }
            for name, (description, fields, _data) in tables.items()
        ],
    }
    files["datapackage.json"] = (json.dumps(package, indent=1, ensure_ascii=False) + "\n").encode()
    files["README.md"] = readme(pub).encode("utf-8")
    return files


def readme(pub: Publication) -> str:
    lines = [
        f"# {pub.title}: open data",
        "",
        f"Edition of {pub.edition.isoformat()}. Described by `datapackage.json` (Frictionless "
        "Data Package); check it with `frictionless validate datapackage.json`.",
        "",
        "Licence: Creative Commons Attribution 4.0 (CC BY 4.0). Credit the study and its "
        "contributors when you use it.",
        "",
        "Only what contributors agreed to publish is here, checked for personal data; people "
        "are known by made-up codes. Counts from 1 to 4 are left empty.",
    ]
    if pub.attribution:
        lines += ["", "## Attribution", "", *pub.attribution]
    return "\n".join(lines) + "\n"
