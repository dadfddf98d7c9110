"""Community-reporting stories: told by participants or gathered by facilitators, checked for
personal data, curated into a story bank, and quoted by character span."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.evidence import Channel, ConsentLevel
from coproduce.studies.models import CHANNEL_CHOICES, CONSENT_LEVEL_CHOICES, Participant, Study

DEFAULT_SECTORS = (
    "Health and social care",
    "Housing",
    "Local authorities",
    "Communities",
    "Education",
    "Other",
)


class StoryKind(models.TextChoices):
    """Community Reporting's story types."""

    SNAPSHOT = "snapshot", _("A short answer: what you would say to one open question")
    DIALOGUE = "dialogue", _("A conversation: two people talking about an experience")
    MONOLOGUE = "monologue", _("Your story in full: one person telling it from start to end")


class Feeling(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")
    MIXED = "mixed", _("Mixed")
    NOT_SAID = "not_said", _("Not said")


class Sector(models.Model):
    """One of the sectors a study sorts stories by (each study can change its list)."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="story_sectors")
    name = models.CharField(_("sector"), max_length=100)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("study", "position", "name")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("study", "name"), name="one_sector_name")
        ]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="story_tags")
    name = models.CharField(_("tag"), max_length=60)

    class Meta:
        ordering = ("study", "name")
        constraints: ClassVar = [models.UniqueConstraint(fields=("study", "name"), name="one_tag")]

    def __str__(self) -> str:
        return self.name


class Story(models.Model):
    """A story as told. `text` is the restricted original; outputs use `redacted_text`, made
    when the team has checked the story for personal data."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="stories")
    number = models.PositiveIntegerField(_("number"))
    teller = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="stories")
    kind = models.CharField(_("type of story"), max_length=10, choices=StoryKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    question = models.CharField(_("question asked"), max_length=300, blank=True)
    text = models.TextField(_("story"))
    sectors = models.ManyToManyField(Sector, blank=True, related_name="stories")
    feeling = models.CharField(
        _("how it felt"), max_length=10, choices=Feeling.choices, default=Feeling.NOT_SAID
    )
    feeling_words = models.CharField(
        _("how it felt, in the teller's words"), max_length=300, blank=True
    )
    consent_level = models.PositiveSmallIntegerField(
        _("what may be done with this story"), choices=CONSENT_LEVEL_CHOICES
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES, default=Channel.WEB)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    collected_in = models.CharField(_("where it was gathered"), max_length=200, blank=True)
    # A recording, stored under the data directory; its type comes from its content.
    media = models.CharField(max_length=300, blank=True)
    media_type = models.CharField(max_length=100, blank=True)
    transcript_kind = models.CharField(max_length=10, blank=True)  # text, vtt, srt, docx
    # Timed transcripts: [{"start": s, "end": s, "from": char, "to": char, "speaker": ""}]
    cues = models.JSONField(default=list, blank=True)
    # Personal-data check: the spans the team chose to redact, and when it was checked.
    redactions = models.JSONField(default=list, blank=True)  # [[start, end, kind], ...]
    redacted_text = models.TextField(blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    publishable = models.BooleanField(_("ready for outputs"), default=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="stories")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("study", "number")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("study", "number"), name="story_number"),
            models.CheckConstraint(
                condition=Q(publishable=False) | Q(checked_at__isnull=False),
                name="publishable_after_check",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"Story {self.number}"

    def consent(self) -> ConsentLevel:
        """What may be done now: the story's own consent, never more than the teller's."""
        if self.withdrawn_at is not None:
            return ConsentLevel.WITHDRAWN
        return min(ConsentLevel(self.consent_level), self.teller.consent_level())

    def output_text(self) -> str:
        """The text outputs may use: redacted once checked; nothing before the check."""
        return self.redacted_text if self.checked_at is not None else ""


class Quote(models.Model):
    """A span of a story marked for use in outputs (offsets into the original text)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="quotes")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("story", "start")
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="quote_not_empty")
        ]

    def __str__(self) -> str:
        return f"{self.story}: {self.start} to {self.end}"
