"""A participant's words in joint interviews, shown to them and removed at their request."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from coproduce.casestudies.models import ChosenQuote, Speaker, Turn
from coproduce.studies.models import Participant
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


register_personal_data(PersonalDataPart("interviews", "Joint interviews", collect, erase, order=40))
