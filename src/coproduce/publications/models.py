"""A study's publication: where its latest build is, and whether the public may read it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

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
