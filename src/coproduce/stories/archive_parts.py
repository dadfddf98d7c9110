"""Stories in the study archive. Withdrawn stories are left out entirely: a withdrawal removes
a story from every export from then on. Recordings stay on the server (the archive holds the
transcript text); see docs/stories.md."""

from __future__ import annotations

from typing import Any

from coproduce.archive import (
    ArchivePart,
    ImportContext,
    register_evidence_keys,
    register_part,
)
from coproduce.core.evidence import ConsentLevel
from coproduce.stories.models import Quote, Sector, Story, Tag
from coproduce.studies.archive_parts import (
    optional_account,
    parse_datetime,
    parse_optional_datetime,
    when,
)
from coproduce.studies.models import Study

# Story fields copied as they are, both ways; the rest (people, dates, links) are spelt out.
PLAIN_FIELDS = (
    "number",
    "kind",
    "title",
    "question",
    "text",
    "feeling",
    "feeling_words",
    "consent_level",
    "channel",
    "collected_in",
    "media_type",
    "transcript_kind",
    "cues",
    "redactions",
    "redacted_text",
    "publishable",
)


def exported(study: Study) -> list[Story]:
    """The stories an archive holds: none withdrawn, by the story or by its teller."""
    stories = (
        Story.objects.filter(study=study, withdrawn_at__isnull=True)
        .select_related("teller", "collected_by", "checked_by")
        .prefetch_related("sectors", "tags", "quotes", "teller__consents")
        .order_by("number")
    )
    return [s for s in stories if s.consent() > ConsentLevel.WITHDRAWN]


def evidence_keys(study: Study) -> dict[str, str]:
    return {f"story:{s.pk}": f"story:{s.number}" for s in exported(study)}


def dump(study: Study) -> dict[str, Any]:
    stories = exported(study)
    return {
        "sectors": list(Sector.objects.filter(study=study).values_list("name", flat=True)),
        "stories": [
            {
                **{name: getattr(s, name) for name in PLAIN_FIELDS},
                "teller": s.teller.pseudonym,
                "sectors": sorted(x.name for x in s.sectors.all()),
                "collected_by": s.collected_by.email if s.collected_by else None,
                "checked_at": when(s.checked_at),
                "checked_by": s.checked_by.email if s.checked_by else None,
                "tags": sorted(t.name for t in s.tags.all()),
                "quotes": [[q.start, q.end] for q in s.quotes.all()],
                "created_at": when(s.created_at),
            }
            for s in stories
        ],
    }


def load(context: ImportContext, data: dict[str, Any]) -> None:
    study = context.study
    for i, name in enumerate(data["sectors"]):
        Sector.objects.create(study=study, name=name, position=i)
    sectors = {s.name: s for s in Sector.objects.filter(study=study)}
    for row in data["stories"]:
        where = f"story {row['number']}"
        story = Story.objects.create(
            study=study,
            **{name: row[name] for name in PLAIN_FIELDS},
            teller=context.get("participant", row["teller"], where),
            collected_by=optional_account(row["collected_by"]),
            checked_at=parse_optional_datetime(row["checked_at"]),
            checked_by=optional_account(row["checked_by"]),
            created_at=parse_datetime(row["created_at"]),
        )
        story.sectors.set([sectors[name] for name in row["sectors"]])
        story.tags.set(
            [Tag.objects.get_or_create(study=study, name=name)[0] for name in row["tags"]]
        )
        Quote.objects.bulk_create(Quote(story=story, start=a, end=b) for a, b in row["quotes"])
        context.remember("evidence", f"story:{story.number}", f"story:{story.pk}")


register_part(
    ArchivePart(
        "stories",
        1,
        40,
        dump,
        load,
        holds=(
            "Stories as told (originals and redacted texts), the tellers' pseudonyms, where "
            "they were gathered, recordings' file names, quotes and tags."
        ),
    )
)
register_evidence_keys("story", evidence_keys)
