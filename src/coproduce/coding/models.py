"""Codebook, codings, themes, findings and recommendations of a study.

Everything here points at evidence by its evidence id ("story:12", "statement:40", "turn:7"), the
one interface every strand shares, so a code or theme spans strands without knowing them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.evidence import ConsentLevel
from coproduce.studies.models import CONSENT_LEVEL_CHOICES, Study

COLOUR_HELP = _("A colour as #rrggbb, used to highlight coded passages.")


class Code(models.Model):
    """A code in the study's codebook; codes nest under a parent to form a hierarchy."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="codes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    colour = models.CharField(max_length=7, default="#1d70b8", help_text=COLOUR_HELP)
    inclusion = models.TextField(blank=True, help_text=_("When to use this code."))
    exclusion = models.TextField(blank=True, help_text=_("When not to use it."))
    position = models.PositiveIntegerField(default=0)
    guid = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "parent", "name"], name="unique_code_name_per_parent"
            ),
            models.UniqueConstraint(
                fields=["study", "name"],
                condition=models.Q(parent__isnull=True),
                name="unique_top_level_code_name",
            ),
        ]

    def __str__(self) -> str:
        return self.path()

    def path(self) -> str:
        """The code's place in the hierarchy, as "Parent > Child"."""
        names = [self.name]
        node = self.parent
        while node is not None:
            names.append(node.name)
            node = node.parent
        return " > ".join(reversed(names))


class Coding(models.Model):
    """A passage of evidence text marked with a code by one coder.

    `start` and `end` are character offsets in the evidence text as the evidence interface gives
    it (redacted once checked); a later redaction moves them (coding.signals), and `passage`
    keeps the words as coded.
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="codings")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="codings")
    evidence_id = models.CharField(max_length=40)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    passage = models.TextField()
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="codings"
    )
    # Set for codings imported from another tool: the coder named there (the importer is `coder`).
    imported_coder = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    guid = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["evidence_id", "start", "pk"]
        indexes = [models.Index(fields=["study", "evidence_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "evidence_id", "start", "end", "coder", "imported_coder"],
                name="unique_coding",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="coding_span"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} on {self.evidence_id}"


class ThemeStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested by the machine, not yet reviewed")
    ACCEPTED = "accepted", _("Accepted by the team")
    SET_ASIDE = "set_aside", _("Set aside")


class Theme(models.Model):
    """A theme: suggested by the machine or written by the team; only accepted themes go out."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="themes")
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=ThemeStatus.choices, default=ThemeStatus.SUGGESTED
    )
    suggested_by = models.CharField(max_length=40, blank=True)  # the backend, when machine-made
    language = models.CharField(max_length=12, blank=True)  # its texts' language, when suggested
    terms = models.JSONField(default=list, blank=True)
    code = models.OneToOneField(
        Code, null=True, blank=True, on_delete=models.SET_NULL, related_name="theme"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def language_name(self) -> str:
        """Its texts' language by name (English, Welsh...), for the page."""
        from coproduce.core.languages import name_of

        return name_of(self.language)


class ThemeItem(models.Model):
    """An evidence item that supports a theme; `quote` marks it as one of its example quotes."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="items")
    evidence_id = models.CharField(max_length=40)
    quote = models.TextField(blank=True)  # verbatim words from the item, or empty

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "evidence_id"], name="unique_theme_item")
        ]

    def __str__(self) -> str:
        return self.evidence_id


class Finding(models.Model):
    """A headline finding written by the team, linked to the themes and quotes behind it."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="findings")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, related_name="findings", blank=True)
    quotes = models.ManyToManyField(ThemeItem, related_name="findings", blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Recommendation(models.Model):
    """A recommendation, linked to the findings it answers."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="recommendations")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()
    findings = models.ManyToManyField(Finding, related_name="recommendations", blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class AnalysisSettings(models.Model):
    """Per-study choices for analysis: whether recommendations are in priority order."""

    study = models.OneToOneField(Study, on_delete=models.CASCADE, related_name="analysis_settings")
    recommendations_ordered = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Analysis settings of {self.study}"


class Document(models.Model):
    """A text imported from another tool (a .qdpx source), coded here like any evidence."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(max_length=300)
    text = models.TextField()
    imported_from = models.CharField(max_length=300, blank=True)
    # What the people behind the text agreed to, as the importing team member declared it.
    consent = models.PositiveSmallIntegerField(
        choices=CONSENT_LEVEL_CHOICES, default=int(ConsentLevel.STORE)
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ThemeRun(models.Model):
    """Themes suggested in the background, as the team asked on the themes page: how far it
    has got, and what it said (notes, and each text left unassigned with its reason)."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for the background worker")
        RUNNING = "running", _("Suggesting themes")
        DONE = "done", _("Done")
        FAILED = "failed", _("Could not suggest themes")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="theme_runs")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    backend = models.CharField(max_length=20, default="default")
    k = models.PositiveSmallIntegerField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    step = models.CharField(max_length=200, blank=True)
    percent = models.PositiveSmallIntegerField(default=0)
    problem = models.TextField(blank=True)
    notes = models.JSONField(default=list, blank=True)
    unassigned = models.JSONField(default=list, blank=True)  # [[evidence id, reason], ...]
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-asked_at", "-id")

    def __str__(self) -> str:
        return f"Themes for {self.study}: {self.state}"


class Memo(models.Model):
    """A note the team writes while analysing: about a code, an evidence item or the study as a
    whole, with its author and time. Kept in the study archive and the REFI-QDA project."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="memos")
    code = models.ForeignKey(
        Code, null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    evidence_id = models.CharField(max_length=60, blank=True)  # about this item, when set
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def about(self) -> str:
        """What it is a note on: "code", "item" or "study"."""
        return "code" if self.code_id else "item" if self.evidence_id else "study"
