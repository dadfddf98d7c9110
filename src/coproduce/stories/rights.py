"""A participant's stories, shown to them and erased at their request (recordings included)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from django.conf import settings

from coproduce.stories.models import Story
from coproduce.studies.models import Participant
from coproduce.studies.rights import PersonalDataPart, register_personal_data


def collect(participant: Participant) -> list[dict[str, Any]]:
    stories = Story.objects.filter(teller=participant).prefetch_related("sectors", "tags")
    return [
        {
            "kind": "story you told",
            "number": s.number,
            "title": s.title,
            "question": s.question,
            "text": s.text,
            "how_it_felt": s.feeling_words,
            "sectors": [x.name for x in s.sectors.all()],
            "tags": [t.name for t in s.tags.all()],
            "recording": bool(s.media),
            "agreed_use": s.get_consent_level_display(),
            "withdrawn_at": s.withdrawn_at.isoformat() if s.withdrawn_at else None,
            "at": s.created_at.isoformat(),
        }
        for s in stories.order_by("number")
    ]


def erase(participant: Participant) -> int:
    """Remove their stories and the files of their recordings."""
    stories = Story.objects.filter(teller=participant)
    media = [Path(settings.MEDIA_ROOT) / m for m in stories.values_list("media", flat=True) if m]
    removed = stories.delete()[0]
    for path in media:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return removed


register_personal_data(PersonalDataPart("stories", "Stories", collect, erase, order=30))
