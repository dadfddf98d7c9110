"""Forms for conversations, for participants and for the team."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.conversations.models import Conversation, StatementStatus, VoteValue
from coproduce.studies.forms import OFFLINE_CHANNELS, PlainWords
from coproduce.studies.models import CONTRIBUTOR_ROLE_CHOICES


class ConversationForm(PlainWords, forms.ModelForm):
    class Meta:
        model = Conversation
        fields = (
            "question",
            "description",
            "moderation",
            "participants_can_write",
            "statement_max_length",
            "ask_about_you",
            "opens_at",
            "closes_at",
        )
        widgets = {
            "question": forms.TextInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "moderation": forms.RadioSelect,
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }


class VoteForm(PlainWords, forms.Form):
    statement = forms.IntegerField(widget=forms.HiddenInput)
    vote = forms.TypedChoiceField(choices=VoteValue.choices, coerce=int)
    comment = forms.CharField(required=False, strip=True)  # where the conversation asks for one


class WriteForm(PlainWords, forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a statement before sending it.")},
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


ROLE_CHOICES = [(v, label) for v, label in CONTRIBUTOR_ROLE_CHOICES if v != "not_said"]


class AboutYouForm(PlainWords, forms.Form):
    role = forms.ChoiceField(
        label=_("Which of these best describes your part in co-production?"),
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    self_description = forms.CharField(
        label=_("Describe yourself in any way you choose"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SeedForm(PlainWords, forms.Form):
    statements = forms.CharField(
        label=_("Seed statements, one per line"), widget=forms.Textarea(attrs={"rows": 6})
    )


class SeedUploadForm(PlainWords, forms.Form):
    file = forms.FileField(
        label=_("Or upload a CSV file with a “text” column (and optionally “meta”)"),
        error_messages={"required": _("Choose the CSV file to upload.")},
    )


class ModerateForm(PlainWords, forms.Form):
    status = forms.ChoiceField(choices=StatementStatus.choices)


class SessionForm(PlainWords, forms.Form):
    session = forms.CharField(label=_("Session name"), max_length=200)
    channel = forms.ChoiceField(
        label=_("How the responses were gathered"), choices=OFFLINE_CHANNELS
    )
