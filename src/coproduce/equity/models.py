"""The team's equity targets, and member checking: findings put to participants, the room's
show of hands at a reflection session, the team's revisions and its response to each finding."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.coding.models import Finding
from coproduce.conversations.models import Conversation, Statement
from coproduce.studies.models import Study


class EquityTargets(models.Model):
    """What the team aims for: a floor per role (share of people), a ceiling per channel (share
    of contributions), and the thresholds that raise a flag."""

    study = models.OneToOneField(Study, on_delete=models.CASCADE, related_name="equity_targets")
    # {"lived_experience": 40, ...}: at least this percentage of the people in each role.
    role_floors = models.JSONField(default=dict, blank=True)
    channel_ceiling = models.PositiveSmallIntegerField(_("no channel above (%)"), default=60)
    difference = models.PositiveSmallIntegerField(
        _("show both counts when they differ by more than (percentage points)"), default=10
    )
    talk_floor = models.PositiveSmallIntegerField(
        _("flag an interview where the service user speaks less than (%)"), default=30
    )

    def __str__(self) -> str:
        return f"Equity targets of {self.study}"


class MemberCheck(models.Model):
    """The study's findings put to its participants, through a conversation of its own."""

    study = models.OneToOneField(Study, on_delete=models.CASCADE, related_name="member_check")
    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="member_check"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Member check of {self.study}"


class CheckedFinding(models.Model):
    """A finding as a statement in the member check."""

    member_check = models.ForeignKey(MemberCheck, on_delete=models.CASCADE, related_name="findings")
    finding = models.OneToOneField(
        Finding, on_delete=models.CASCADE, related_name="member_check_item"
    )
    statement = models.OneToOneField(Statement, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.finding} as statement {self.statement.number}"


class RoomSession(models.Model):
    """A reflection session: findings shown one at a time, the room's hands counted."""

    member_check = models.ForeignKey(MemberCheck, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(_("session"), max_length=200)
    held_on = models.DateField(_("held on"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ("held_on", "pk")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("member_check", "name"), name="one_session_name")
        ]

    def __str__(self) -> str:
        return self.name


class RoomTally(models.Model):
    """The room's show of hands on one finding (people in the room, not named)."""

    session = models.ForeignKey(RoomSession, on_delete=models.CASCADE, related_name="tallies")
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="room_tallies")
    agree = models.PositiveIntegerField(default=0)
    disagree = models.PositiveIntegerField(default=0)
    unsure = models.PositiveIntegerField(default=0)
    comments = models.TextField(blank=True)  # what the room said, as the facilitator wrote it
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("session", "finding"), name="one_tally_per_finding")
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.finding}"


class FindingRevision(models.Model):
    """The team changed a finding after checking it: what it said before, and why."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="revisions")
    reason = models.TextField()
    title_before = models.CharField(max_length=300)
    text_before = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.finding} revised"


class FindingResponse(models.Model):
    """ "You said, we did": what the team did about a finding, shown to participants."""

    finding = models.OneToOneField(Finding, on_delete=models.CASCADE, related_name="response")
    text = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.text[:60]
