"""A participant's words in joint interviews, shown to them and removed at their request."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from coproduce.casestudies.models import ChosenQuote, Interview, Speaker, Turn
from coproduce.casestudies.services import keep_only_redacted
from coproduce.studies.models import Participant, Study
from coproduce.studies.retention import PurgePart, register_purge
from coproduce.studies.rights import PersonalDataPart, register_personal_data

REMOVED = "[removed at the speaker's request]"


def collect(participant: Participant) -> list[dict[str, Any]]:
    turns = (
        Turn.objects.filter(speaker__participant=participant)
        .select_related("interview__case_study__organisation")
        .order_by("interview_id", "position")
    )
    return [
        {
            "kind": "what you said in a joint interview",
            "organisation": t.interview.case_study.organisation.name,
            "text": t.text,
        }
        for t in turns
    ]


def erase(participant: Participant) -> int:
    """Take their words out of the joint interviews (the others' words stay)."""
    ChosenQuote.objects.filter(turn__speaker__participant=participant).delete()
    removed = Turn.objects.filter(speaker__participant=participant).update(
        text=_(REMOVED), redacted_text=_(REMOVED), redactions=[]
    )
    for speaker in Speaker.objects.filter(participant=participant):
        # Their name in the transcript goes too; the label stays unique in the interview.
        speaker.label, speaker.participant = f"removed-{speaker.pk}", None
        speaker.save(update_fields=["label", "participant"])
    return removed


def hand_over(participant: Participant, stand_in: Participant) -> int:
    """Keep their words in checked interviews under the stand-in: redacted words only, and
    the transcript's label for them (often a first name) replaced."""
    turns = Turn.objects.filter(
        speaker__participant=participant,
        interview__checked_at__isnull=False,
        interview__withdrawn_at=None,
    ).select_related("interview")
    for turn in turns:
        keep_only_redacted(turn)
    speakers = Speaker.objects.filter(pk__in=turns.values("speaker_id"))
    for speaker in speakers:
        speaker.label, speaker.participant = f"removed-{speaker.pk}", stand_in
        speaker.save(update_fields=["label", "participant"])
    return len(turns)


register_personal_data(
    PersonalDataPart(
        "interviews", "Joint interviews", collect, erase, order=40, hand_over=hand_over
    )
)


def purge(study: Study) -> dict[str, int]:
    """After retention: withdrawn and unchecked interviews go; checked ones keep only their
    redacted words, and speakers lose the labels the transcript gave them."""
    interviews = Interview.objects.filter(case_study__study=study)
    checked = interviews.filter(withdrawn_at=None, checked_at__isnull=False)
    going = interviews.exclude(pk__in=checked.values("pk"))
    turns = Turn.objects.filter(interview__in=checked).exclude(redactions=[])
    labels = Speaker.objects.filter(interview__in=checked).exclude(label__startswith="removed-")
    counts = {
        "original words of interview turns (their redacted words stay)": turns.count(),
        "speakers' labels from transcripts": labels.count(),
    }
    for turn in turns.select_related("interview"):
        keep_only_redacted(turn)
    for speaker in labels:
        speaker.label = f"removed-{speaker.pk}"
        speaker.save(update_fields=["label"])
    counts["interviews withdrawn or never checked for personal data"] = going.delete()[1].get(
        "casestudies.Interview", 0
    )
    return counts


register_purge(PurgePart("interviews", purge, order=40))
