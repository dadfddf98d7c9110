"""Forms for the study pages; they check input at the edge and name the field at fault."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from coproduce.core.evidence import Channel
from coproduce.studies.models import (
    CHANNEL_CHOICES,
    CONSENT_LEVEL_CHOICES,
    CONTRIBUTOR_ROLE_CHOICES,
    Organisation,
    Role,
    Study,
)


class StudyForm(forms.ModelForm):
    class Meta:
        model = Study
        fields = ("title", "slug", "summary", "aims", "starts_on", "ends_on", "funder")
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "aims": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = self.instance.pk is not None
        if self.instance.pk is not None:
            self.fields["slug"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date must be on or after the start date."))
        return data


class ValueForm(forms.Form):
    title = forms.CharField(label=_("Value"), max_length=80)
    text = forms.CharField(label=_("What it means"), widget=forms.Textarea(attrs={"rows": 2}))


ValueFormSet = forms.formset_factory(ValueForm, extra=1, can_delete=True)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        initial=Role.OBSERVER,
        help_text=_(
            "Observers can read the study but not change it or see participants' own words; "
            "give more only as the person's work needs it."
        ),
    )


class AcceptInvitationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password


class JoinForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("How may we use what you share?"),
        choices=CONSENT_LEVEL_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how we may use what you share.")},
    )
    agree = forms.BooleanField(
        label=_("I have read the information above and I agree to take part."),
        error_messages={"required": _("Tick the box to say you agree to take part.")},
    )


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    description = forms.CharField(
        label=_("What it does"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")


OFFLINE_CHANNELS = [(value, label) for value, label in CHANNEL_CHOICES if value != Channel.WEB]


class RecordParticipantForm(forms.Form):
    """A facilitator records someone who agreed to take part on paper, by phone or in person."""

    channel = forms.ChoiceField(label=_("How they agreed"), choices=OFFLINE_CHANNELS)
    level = forms.TypedChoiceField(
        label=_("What they agreed to"), choices=CONSENT_LEVEL_CHOICES, coerce=int
    )
    role = forms.ChoiceField(
        label=_("Their role in co-production, if they said"),
        choices=CONTRIBUTOR_ROLE_CHOICES,
        initial="not_said",
    )
