"""A study's publication: where its latest build is, and whether the public may read it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.studies.models import Study


class PublishedStudy(models.Model):
    """The study's latest publication build. The team previews it; once `public`, anyone may
    read it at /s/<slug>/."""

    study = models.OneToOneField(Study, on_delete=models.CASCADE, related_name="publication")
    built_at = models.DateTimeField(default=timezone.now)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edition = models.DateField()
    public = models.BooleanField(default=False)
    made_public_at = models.DateTimeField(null=True, blank=True)
    files = models.JSONField(default=list)  # the manifest's entries: path, format, bytes, sha256

    def __str__(self) -> str:
        return f"Publication of {self.study}"


class PublicationBuild(models.Model):
    """A build asked for from the team's page, run by the background worker; its progress."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for the background worker")
        BUILDING = "building", _("Building")
        DONE = "done", _("Built")
        FAILED = "failed", _("Could not be built")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="publication_builds")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    step = models.CharField(max_length=200, blank=True)  # what it is doing now
    steps_done = models.PositiveSmallIntegerField(default=0)
    problem = models.TextField(blank=True)  # one sentence when it failed
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-asked_at", "-id")

    def __str__(self) -> str:
        return f"Build of {self.study}: {self.state}"


class EasyReadVersion(models.Model):
    """The study's Easy Read version: written by the team, finding by finding, and published
    with the study once it keeps the Easy Read rules (core.publishing.easy_read)."""

    TEXT_SIZES = ((14, "14 point"), (16, "16 point"), (18, "18 point"), (20, "20 point"))

    study = models.OneToOneField(Study, on_delete=models.CASCADE, related_name="easy_read")
    title = models.CharField(max_length=200)
    text_size = models.PositiveSmallIntegerField(default=16, choices=TEXT_SIZES)
    published = models.BooleanField(default=False)  # the team asked for it in the publication
    words = models.JSONField(default=list)  # hard words explained: [{"word": …, "meaning": …}]
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title


class EasyReadPart(models.Model):
    """A section of the Easy Read version: the introduction, one finding in easy words, or what
    happens next. Its points are [{"text", "symbol", "image", "alt"}]: one idea each, with an
    OpenMoji symbol's code or the id of the team's own image."""

    class Kind(models.TextChoices):
        INTRODUCTION = "intro", _("About this study")
        FINDING = "finding", _("A finding")
        NEXT = "next", _("What happens next")

    version = models.ForeignKey(EasyReadVersion, on_delete=models.CASCADE, related_name="parts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    finding = models.ForeignKey(
        "coding.Finding", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    heading = models.CharField(max_length=200)
    points = models.JSONField(default=list)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.heading


class EasyReadImage(models.Model):
    """A picture of the team's own for an Easy Read point (PNG or JPEG), with its alt text."""

    version = models.ForeignKey(EasyReadVersion, on_delete=models.CASCADE, related_name="images")
    data = models.BinaryField()
    kind = models.CharField(max_length=10)  # png or jpeg
    alt = models.CharField(max_length=300)

    def __str__(self) -> str:
        return self.alt
