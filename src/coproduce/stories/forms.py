"""Story forms: checked at the edge, each error naming its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.stories.models import Feeling, StoryKind
from coproduce.studies.forms import JoinForm, PlainWords
from coproduce.studies.models import (
    CHANNEL_CHOICES,
    CONSENT_LEVEL_CHOICES,
    CONTRIBUTOR_ROLE_CHOICES,
)


class StoryForm(PlainWords, forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of story is it?"),
        choices=StoryKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of story it is.")},
    )
    text = forms.CharField(
        label=_("Your story"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Type it here, or upload a transcript below."),
    )
    transcript = forms.FileField(
        label=_("Transcript"),
        required=False,
        help_text=_("A .txt, .vtt, .srt or .docx file."),
    )
    recording = forms.FileField(
        label=_("Recording"),
        required=False,
        help_text=_("Audio or video; it needs its transcript too."),
    )
    sectors = forms.MultipleChoiceField(
        label=_("Which areas does it touch on?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    feeling = forms.ChoiceField(
        label=_("How did the experience feel?"),
        choices=Feeling.choices,
        initial=Feeling.NOT_SAID,
        required=False,
        widget=forms.RadioSelect,
    )
    feeling_words = forms.CharField(
        label=_("In your own words, how did it feel?"), required=False, max_length=300
    )
    self_description = forms.CharField(
        label=_("How would you describe yourself?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    role = forms.ChoiceField(
        label=_("Your role in co-production"),
        choices=CONTRIBUTOR_ROLE_CHOICES,
        initial="not_said",
    )

    def __init__(self, *args: Any, sectors: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sectors"].choices = [(s, s) for s in sectors]  # type: ignore[attr-defined]
        # The words or a transcript: one of the two is needed, so neither is called optional.
        self.fields["text"].either_or = True  # type: ignore[attr-defined]
        self.fields["transcript"].either_or = True  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not str(data.get("text", "")).strip() and not data.get("transcript"):
            self.add_error("text", _("Write your story here, or upload a transcript of it."))
        return data


def consent_field(label: Any, missing: Any) -> forms.TypedChoiceField:
    """What may be done with the story: the study's consent levels, as radios."""
    return forms.TypedChoiceField(
        label=label,
        choices=CONSENT_LEVEL_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": missing},
    )


class ParticipantStoryForm(StoryForm):
    level = consent_field(
        _("What may we do with your story?"), _("Choose what we may do with your story.")
    )
    agree = JoinForm.base_fields["agree"]

    def __init__(self, *args: Any, joined: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if joined:  # consent and role are asked once per study, on joining
            for name in ("level", "agree", "role", "self_description"):
                del self.fields[name]


class GatheredStoryForm(StoryForm):
    level = consent_field(
        _("What did the teller agree may be done with the story?"),
        _("Choose what the teller agreed to."),
    )
    channel = forms.ChoiceField(
        label=_("How was it gathered?"),
        choices=[(v, label) for v, label in CHANNEL_CHOICES if v not in ("web", "import")],
    )
    collected_in = forms.CharField(label=_("Where"), required=False, max_length=200)


class ImportForm(PlainWords, forms.Form):
    file = forms.FileField(
        label=_("CSV file of stories"),
        help_text=_(
            "Columns: type, story, consent (store, quote or publish); optional: title, question, "
            "role, self_description, sectors, feeling, feeling_words, channel, collected_in, tags."
        ),
    )
