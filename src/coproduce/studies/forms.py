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


def default_messages(field: forms.Field) -> dict[str, Any]:
    """Django's own error messages for this kind of field."""
    found: dict[str, Any] = {}
    for kind in reversed(type(field).__mro__):
        found.update(getattr(kind, "default_error_messages", {}))
    return found


def plain_messages(field: forms.Field) -> dict[str, Any]:
    """Messages in plain words, naming the question, for what Django would say generically."""
    label = str(field.label or _("this question")).rstrip("?:. ")
    plain: dict[str, Any] = {
        "required": _("Answer “%(label)s”.") % {"label": label},
        "invalid_choice": _("Choose one of the answers offered for “%(label)s”.")
        % {"label": label},
        "invalid_list": _("Choose from the answers offered for “%(label)s”.") % {"label": label},
        "max_length": _(
            "“%(label)s” can be at most %%(limit_value)d characters (it has %%(show_value)d)."
        )
        % {"label": label},
        "min_length": _(
            "“%(label)s” needs at least %%(limit_value)d characters (it has %%(show_value)d)."
        )
        % {"label": label},
        "empty": _("The file for “%(label)s” is empty; choose another.") % {"label": label},
        "missing": _("Choose a file for “%(label)s”.") % {"label": label},
        "max_value": _("“%(label)s” can be at most %%(limit_value)s.") % {"label": label},
        "min_value": _("“%(label)s” must be at least %%(limit_value)s.") % {"label": label},
    }
    invalid = {
        forms.EmailField: _("Enter an e-mail address, like name@example.org."),
        forms.URLField: _("Enter a web address, like https://example.org."),
        forms.SlugField: _("Use only letters, numbers and dashes for “%(label)s”.")
        % {"label": label},
        forms.DateTimeField: _("Enter a date and time for “%(label)s”, like 2026-03-02 14:30.")
        % {"label": label},
        forms.DateField: _("Enter a date for “%(label)s”, like 2026-03-02.") % {"label": label},
        forms.IntegerField: _("Enter a whole number for “%(label)s”, like 12.") % {"label": label},
        forms.FileField: _("What was sent for “%(label)s” is not a file; choose the file again.")
        % {"label": label},
    }
    for kind, message in invalid.items():
        if isinstance(field, kind):
            plain["invalid"] = message
            break
    else:
        plain["invalid"] = _("Check your answer to “%(label)s”.") % {"label": label}
    return plain


class PlainWords:
    """A form whose every error message is in plain words and names its question: where a
    field keeps one of Django's generic messages ("This field is required."), it is replaced."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            defaults, plain = default_messages(field), plain_messages(field)
            for code, message in plain.items():
                given = field.error_messages.get(code)
                if given is None or str(given) == str(defaults.get(code)):
                    field.error_messages[code] = message


class StudyForm(PlainWords, forms.ModelForm):
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


class ValueForm(PlainWords, forms.Form):
    title = forms.CharField(label=_("Value"), max_length=80)
    text = forms.CharField(label=_("What it means"), widget=forms.Textarea(attrs={"rows": 2}))


ValueFormSet = forms.formset_factory(ValueForm, extra=1, can_delete=True)


class InviteForm(PlainWords, forms.Form):
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


class AcceptInvitationForm(PlainWords, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password


class JoinForm(PlainWords, forms.Form):
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


class AboutYouForm(PlainWords, forms.Form):
    """What a participant agreed to and how they describe themselves, changed from their page."""

    level = JoinForm.base_fields["level"]
    role = forms.ChoiceField(
        label=_("Which of these best describes your part in co-production?"),
        choices=CONTRIBUTOR_ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the one that fits best, or “Not said”.")},
    )
    self_description = forms.CharField(
        label=_("Describe yourself in any way you choose"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("Keep it to %(limit_value)d characters (it has %(show_value)d).")
        },
    )


class OrganisationForm(PlainWords, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    description = forms.CharField(
        label=_("What it does"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")


OFFLINE_CHANNELS = [(value, label) for value, label in CHANNEL_CHOICES if value != Channel.WEB]


class RecordParticipantForm(PlainWords, forms.Form):
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
