"""Case studies: an organisation's co-production example, explored in a joint interview with a
representative and a service user, and the record a poster is built from."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.evidence import ContributorRole
from coproduce.studies.models import CONSENT_LEVEL_CHOICES, Organisation, Participant, Study


class Perspective(models.TextChoices):
    ORGANISATION = "organisation", _("The organisation (staff or volunteer)")
    SERVICE_USER = "service_user", _("A service user who co-produced with them")
    INTERVIEWER = "interviewer", _("Interviewer")
    NOT_SET = "not_set", _("Not set yet")


# How each perspective counts in evidence (role in co-production).
PERSPECTIVE_ROLES = {
    Perspective.ORGANISATION: ContributorRole.PRACTITIONER,
    Perspective.SERVICE_USER: ContributorRole.LIVED_EXPERIENCE,
    Perspective.INTERVIEWER: ContributorRole.RESEARCHER,
    Perspective.NOT_SET: ContributorRole.NOT_SAID,
}


class GuideQuestion(models.Model):
    """One question of the study's interview guide."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="interview_guide")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(_("question"), max_length=500)

    class Meta:
        ordering = ("study", "position", "id")

    def __str__(self) -> str:
        return self.text


class CaseStudy(models.Model):
    """One organisation's case study: its profile and the record a poster is built from."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="case_studies")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    what_it_does = models.TextField(_("what the organisation does"), blank=True)
    who_it_serves = models.TextField(_("who it serves"), blank=True)
    example = models.TextField(_("its co-production example"), blank=True)
    enabling_factors = models.TextField(_("what made it work"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    outcomes_staff = models.TextField(_("outcomes, as staff see them"), blank=True)
    outcomes_service_users = models.TextField(_("outcomes, as service users see them"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("study", "organisation__name")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=("study", "organisation"), name="one_case_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Interview(models.Model):
    """A joint interview: its speakers, what they agreed to, and its turns."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="interviews")
    held_on = models.DateField(_("held on"), null=True, blank=True)
    source_name = models.CharField(max_length=200, blank=True)
    transcript_kind = models.CharField(max_length=10, blank=True)
    # What every speaker agreed may be done with the interview (the lowest of them counts).
    consent_level = models.PositiveSmallIntegerField(
        _("what the speakers agreed to"), choices=CONSENT_LEVEL_CHOICES
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Personal-data check: when the team read every turn and chose what to redact. Until then
    # nothing of the interview may leave the restricted view.
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("case_study", "held_on", "id")

    def __str__(self) -> str:
        return f"Interview with {self.case_study}"


class Speaker(models.Model):
    """Someone who speaks in an interview, under the label the transcript uses.

    The label is often a first name, so it is restricted: pages and outputs use the pseudonym of
    the linked participant, or the perspective ("Service user 1")."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="speakers")
    label = models.CharField(_("name in the transcript"), max_length=100)
    perspective = models.CharField(
        max_length=20, choices=Perspective.choices, default=Perspective.NOT_SET
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("interview", "id")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("interview", "label"), name="one_speaker_label")
        ]

    def __str__(self) -> str:
        return self.shown_name()

    def shown_name(self) -> str:
        if self.participant is not None:
            return self.participant.pseudonym
        return str(self.get_perspective_display()).split(" (")[0]


class Turn(models.Model):
    """One turn of talk, in order; codings and quotes point at character spans of its text."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="turns")
    position = models.PositiveIntegerField()
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="turns")
    text = models.TextField()
    start = models.FloatField(null=True, blank=True)  # seconds into the recording
    end = models.FloatField(null=True, blank=True)
    # The spans the team chose to redact ([[start, end, kind], ...]) and the text outputs use.
    redactions = models.JSONField(default=list, blank=True)
    redacted_text = models.TextField(blank=True)

    class Meta:
        ordering = ("interview", "position")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("interview", "position"), name="one_turn_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.text[:60]}"

    def shown_text(self) -> str:
        """The words outputs may use: redacted once the interview is checked; nothing before."""
        return self.redacted_text if self.interview.checked_at is not None else ""


class ChosenQuote(models.Model):
    """A quote chosen for the case-study record (and its poster), from one side or the other."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="quotes")
    turn = models.ForeignKey(Turn, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("case_study", "turn__position", "start")
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="chosen_not_empty")
        ]

    def __str__(self) -> str:
        return self.turn.text[self.start : self.end]
