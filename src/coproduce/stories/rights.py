"""A participant's stories, shown to them and erased at their request (recordings included)."""

from __future__ import annotations

from typing import Any

from coproduce.stories.models import Story
from coproduce.stories.services import keep_only_redacted, remove_recording
from coproduce.studies.models import Participant, Study
from coproduce.studies.retention import PurgePart, register_purge
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
    for story in stories.exclude(media=""):
        remove_recording(story)
    return stories.delete()[0]


def hand_over(participant: Participant, stand_in: Participant) -> int:
    """Keep their checked stories under the stand-in: the redacted words only, no recording."""
    kept = Story.objects.filter(teller=participant, checked_at__isnull=False, withdrawn_at=None)
    for story in kept:
        keep_only_redacted(story)
    return kept.update(teller=stand_in)


register_personal_data(
    PersonalDataPart("stories", "Stories", collect, erase, order=30, hand_over=hand_over)
)


def purge(study: Study) -> dict[str, int]:
    """After retention: withdrawn and unchecked stories go, checked ones keep only their
    redacted words, and every recording goes."""
    stories = Story.objects.filter(study=study)
    standing = stories.filter(withdrawn_at=None, teller__in=study.participants.consenting())
    checked = standing.filter(checked_at__isnull=False)
    going = stories.exclude(pk__in=checked.values("pk"))
    counts = {
        "recordings": stories.exclude(media="").count(),
        "original words of checked stories (their redacted words stay)": checked.exclude(
            redactions=[]
        ).count(),
    }
    for story in going.exclude(media=""):
        remove_recording(story)
    counts["stories withdrawn or never checked for personal data"] = going.delete()[1].get(
        "stories.Story", 0
    )
    for story in checked:
        keep_only_redacted(story)
    return counts


register_purge(PurgePart("stories", purge, order=30))
