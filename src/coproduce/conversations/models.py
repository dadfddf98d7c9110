"""A conversation: a question, statements people write, and their votes on each other's."""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.conversations.freshness import Freshness
from coproduce.core.analysis.opinion.stored import StoredAnalysis
from coproduce.core.evidence import Channel
from coproduce.studies.models import CHANNEL_CHOICES, Participant, Study

CODE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


class Moderation(models.TextChoices):
    STRICT = "strict", _("Strict: new statements are hidden until approved")
    LENIENT = "lenient", _("Lenient: new statements are shown unless rejected")


def new_embed_secret() -> str:
    return secrets.token_hex(32)


class Purpose(models.TextChoices):
    """What a conversation is for: gathering views (evidence), or checking the team's findings
    with the people who gave them (member checking, whose votes are not evidence)."""

    GATHER = "gather", _("Gathering views")
    MEMBER_CHECK = "member_check", _("Checking the findings with participants")


class ConversationManager(models.Manager["Conversation"]):
    """Conversations as everyone sees them: not one a large import is still filling, nor one of
    a study whose archive is still being imported."""

    def get_queryset(self) -> models.QuerySet[Conversation]:
        return super().get_queryset().filter(importing=False, study__importing=False)


class Conversation(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="conversations")
    code = models.CharField(max_length=16, unique=True, default=new_code, editable=False)
    # Shared with the site that embeds the conversation, which signs each xid with it
    # (coproduce.core.signing); never shown to participants, never in an archive.
    embed_secret = models.CharField(max_length=64, default=new_embed_secret, editable=False)
    question = models.CharField(_("question"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("order in the study"), default=0)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.STRICT
    )
    participants_can_write = models.BooleanField(_("participants may add statements"), default=True)
    statement_max_length = models.PositiveIntegerField(_("longest statement"), default=400)
    ask_about_you = models.BooleanField(_("ask people about themselves"), default=True)
    results_public = models.BooleanField(_("results shown to everyone"), default=False)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.GATHER)
    # Ask for an optional comment with each vote ("What is missing?"), kept with the vote.
    invites_comments = models.BooleanField(_("ask for a comment with each vote"), default=False)
    comment_prompt = models.CharField(_("the question for comments"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # True while an import fills it in batches (coproduce.conversations.polis): no page, list,
    # export or API sees it until the import ends, and a failed import removes it.
    importing = models.BooleanField(default=False, editable=False)

    objects = ConversationManager()
    everything = models.Manager()  # noqa: DJ012 - a manager, after the default one

    class Meta:
        ordering = ("study", "position", "id")
        base_manager_name = "everything"

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("conversation", args=[self.study.slug, self.code])

    def participant_url(self) -> str:
        return reverse("conversation-start", args=[self.code])

    def is_open(self, now: object = None) -> bool:
        moment = now or timezone.now()
        if self.opens_at and moment < self.opens_at:  # type: ignore[operator]
            return False
        return not (self.closes_at and moment >= self.closes_at)  # type: ignore[operator]


class StatementStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    META = "meta", _("Meta (about the conversation itself)")


class Statement(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("statement"))
    author = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="statements"
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=StatementStatus.choices, default=StatementStatus.PENDING
    )
    is_seed = models.BooleanField(_("seed statement"), default=False)
    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES, default=Channel.WEB)
    session = models.CharField(_("collected in"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("conversation", "number")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("conversation", "number"), name="statement_number")
        ]
        indexes: ClassVar = [models.Index(fields=("conversation", "status"))]

    def __str__(self) -> str:
        return self.text[:80]


class VoteValue(models.IntegerChoices):
    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass / unsure")


class Vote(models.Model):
    """One vote as cast: the history. A later vote on the same statement replaces the earlier one
    in CurrentVote, which is what every count and analysis reads."""

    # The statement's conversation, kept beside it to read a conversation's votes quickly. The
    # database does not check it against the conversations (decision 6): the statement's
    # reference is checked, and checking both made a large import a quarter slower.
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    # No index of its own: nothing reads the history by statement but removing one, and the
    # index was a sixth of the time a large import takes to write its votes.
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="votes", db_index=False
    )
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=VoteValue.choices)
    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES, default=Channel.WEB)
    session = models.CharField(max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "id")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=("participant", "idempotency_key"),
                condition=Q(idempotency_key__isnull=False),
                name="vote_idempotency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.get_value_display()} #{self.statement_id}"


class CurrentVote(models.Model):
    """The vote that counts: the latest per participant and statement.

    Its conversation and statement need no index of their own: the index on (conversation,
    participant) and the unique one on (statement, participant) begin with them, and each
    index more is a write more for every vote."""

    conversation = models.ForeignKey(  # the statement's, as in Vote
        Conversation,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="current_votes", db_index=False
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="current_votes"
    )
    value = models.SmallIntegerField(choices=VoteValue.choices)
    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES, default=Channel.WEB)
    voted_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("statement", "participant"), name="one_current_vote")
        ]
        indexes: ClassVar = [models.Index(fields=("conversation", "participant"))]

    def __str__(self) -> str:
        return f"{self.participant} {self.get_value_display()} #{self.statement_id}"


class StatementComment(models.Model):
    """A participant's optional comment beside their vote on a statement ("what is missing?"),
    or one a facilitator wrote down from a paper form or a session (then `participant` may be
    empty: the room's words, no one's in particular)."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="comments")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    text = models.TextField()
    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES, default=Channel.WEB)
    session = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("statement", "created_at", "id")

    def __str__(self) -> str:
        return self.text[:60]


class ConversationParticipant(models.Model):
    """A participant's number within one conversation (Polis's participant id)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="members")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("conversation", "number"), name="member_number"),
            models.UniqueConstraint(
                fields=("conversation", "participant"), name="one_number_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} is number {self.number} in {self.conversation_id}"


class OpinionAnalysis(models.Model):
    """The latest opinion analysis of a conversation, worked out in the background.

    Derived data: it is recomputed from the votes whenever they change, so study archives leave
    it out. `result` keeps database ids (participants, statements); pages turn them into
    pseudonyms and statement numbers. `extremity` is kept apart because routing reads it on
    every page and should not load the whole result.
    """

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="opinion"
    )
    computed_at = models.DateTimeField(default=timezone.now)
    # What the analysis saw: the last vote, statuses and consents (str of a Freshness).
    fingerprint = models.CharField(max_length=200)
    seconds = models.FloatField(default=0.0)
    result = models.JSONField()
    warm_start = models.JSONField()
    extremity = models.JSONField(default=dict)  # statement id (as text) -> extremity

    def __str__(self) -> str:
        return f"Opinion analysis of {self.conversation_id} at {self.computed_at:%Y-%m-%d %H:%M}"

    @property
    def freshness(self) -> Freshness | None:
        """What the analysis saw; None for a fingerprint this version cannot read."""
        return Freshness.parse(self.fingerprint)

    @property
    def stored(self) -> StoredAnalysis:
        """The result as typed records."""
        return StoredAnalysis.from_json(self.result)
