"""The study and the people in it: partner organisations, team members, participants, consent."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.evidence import Channel, ConsentLevel, ContributorRole
from coproduce.studies.values import default_values

# Pseudonyms avoid letters and digits that are easily confused when read aloud or written down.
PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


CONTRIBUTOR_ROLE_CHOICES = [
    (ContributorRole.LIVED_EXPERIENCE.value, _("Person with lived experience")),
    (ContributorRole.PRACTITIONER.value, _("Staff or practitioner")),
    (ContributorRole.RESEARCHER.value, _("Researcher")),
    (ContributorRole.COMMISSIONER.value, _("Commissioner or funder")),
    (ContributorRole.OTHER.value, _("Other")),
    (ContributorRole.NOT_SAID.value, _("Not said")),
]
CHANNEL_CHOICES = [
    (Channel.WEB.value, _("Web")),
    (Channel.FACILITATOR.value, _("Entered by a facilitator")),
    (Channel.PAPER.value, _("Paper")),
    (Channel.PHONE.value, _("Phone")),
    (Channel.IN_PERSON.value, _("In person")),
    (Channel.IMPORT.value, _("Imported")),
]


def new_join_code() -> str:
    return secrets.token_urlsafe(9)


def new_token() -> str:
    return secrets.token_urlsafe(24)


# An invitation link works for this long, unless the team revokes it first.
INVITATION_DAYS = 14


def invitation_expiry() -> datetime:
    return timezone.now() + timedelta(days=INVITATION_DAYS)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        VCSE = "vcse", _("Voluntary, community or social enterprise organisation")
        NETWORK = "network", _("Network or infrastructure body")
        UNIVERSITY = "university", _("University or research institute")
        NHS = "nhs", _("NHS or health body")
        COUNCIL = "council", _("Local authority")
        FUNDER = "funder", _("Funder")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.VCSE)
    description = models.TextField(_("what it does"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # Its logo for posters, as uploaded (PNG or JPEG, checked), kept with it in the database.
    logo = models.BinaryField(blank=True, default=b"", editable=False)
    logo_type = models.CharField(max_length=20, blank=True, editable=False)

    class Meta:
        ordering = ("name",)
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name


class StudyManager(models.Manager["Study"]):
    """Studies as everyone sees them: not one a study archive is still being imported into."""

    def get_queryset(self) -> models.QuerySet[Study]:
        return super().get_queryset().filter(importing=False)


class Study(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("short name"),
        max_length=80,
        unique=True,
        help_text=_("Used in web addresses and on the command line; letters, numbers and dashes."),
    )
    summary = models.TextField(_("summary"), blank=True)
    aims = models.TextField(_("aims"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    values = models.JSONField(_("values and principles"), default=default_values, blank=True)
    organisations = models.ManyToManyField(
        Organisation, related_name="studies", blank=True, verbose_name=_("partner organisations")
    )
    join_code = models.CharField(max_length=32, unique=True, default=new_join_code, editable=False)
    open_to_participants = models.BooleanField(_("open to participants"), default=True)
    retention_months = models.PositiveSmallIntegerField(
        _("months to keep raw material after the study ends"),
        null=True,
        blank=True,
        help_text=_(
            "After this, `coproduce purge` removes recordings, original unredacted words and "
            "everything withdrawn. Leave empty to decide later."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # True while a study archive is imported into it, part by part: it is then seen nowhere.
    importing = models.BooleanField(default=False, editable=False)

    objects = StudyManager()
    everything = models.Manager()  # noqa: DJ012 - a manager, after the default one

    class Meta:
        ordering = ("title",)
        base_manager_name = "everything"
        verbose_name = _("study")
        verbose_name_plural = _("studies")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="study_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("study", args=[self.slug])

    def join_url(self) -> str:
        return reverse("join", args=[self.join_code])


class Role(models.TextChoices):
    """A team member's role in a study; what each may do is in studies/rules.py."""

    OWNER = "owner", _("Owner")
    RESEARCHER = "researcher", _("Researcher")
    CO_RESEARCHER = "co_researcher", _("Co-researcher with lived experience")
    FACILITATOR = "facilitator", _("Facilitator")
    OBSERVER = "observer", _("Observer")


class Membership(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("study", "role", "user__email")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("study", "user"), name="one_membership_per_study")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.study}"


class Invitation(models.Model):
    """An invitation for someone to join a study's team; the link is shared by the inviter."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.email} invited to {self.study}"

    def get_absolute_url(self) -> str:
        return reverse("accept-invitation", args=[self.token])

    @property
    def open(self) -> bool:
        """Not yet accepted, revoked or expired: its link still works."""
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class ParticipantQuerySet(models.QuerySet["Participant"]):
    """The one rule for a participant's current consent, in the database.

    A participant's consent now is their latest consent (by when it was given, then by id): its
    level, or WITHDRAWN once it is withdrawn, or WITHDRAWN when they never consented. Python
    reads the same rule in Participant.consent_level(); the vote intake's SQL
    (conversations/intake.py, CONSENT_STANDS) is its hand-written mirror. A test checks all
    three agree on every kind of consent history.
    """

    def with_consent(self) -> ParticipantQuerySet:
        """Each participant annotated with `consent_now`, a ConsentLevel value."""
        latest = Consent.objects.filter(participant=OuterRef("pk")).order_by("-given_at", "-id")
        level_now = latest.annotate(
            now=Case(
                When(withdrawn_at__isnull=False, then=Value(int(ConsentLevel.WITHDRAWN))),
                default=F("level"),
                output_field=models.PositiveSmallIntegerField(),
            )
        ).values("now")[:1]
        return self.annotate(
            consent_now=Coalesce(
                Subquery(level_now),
                Value(int(ConsentLevel.WITHDRAWN)),
                output_field=models.IntegerField(),
            )
        )

    def consenting(self, at_least: ConsentLevel = ConsentLevel.STORE) -> ParticipantQuerySet:
        """The participants whose consent now is at least this level (never the withdrawn)."""
        least = int(max(at_least, ConsentLevel.STORE))
        # django-stubs cannot see fields made by annotate().
        return self.with_consent().filter(consent_now__gte=least)  # type: ignore[misc]


class Participant(models.Model):
    """Someone who contributes evidence, known by a pseudonym.

    A name is kept only when the participant gave it and agreed to be named; an external id
    (XID) links a participant in a site that embeds Coproduce.
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="participants")
    pseudonym = models.CharField(_("pseudonym"), max_length=16)
    # NULL, not "", for "no XID": the unique constraint below must allow many participants
    # without one.
    xid = models.CharField(_("external id"), max_length=200, null=True, blank=True)  # noqa: DJ001
    name = models.CharField(_("name (only with consent to be named)"), max_length=150, blank=True)
    named_with_consent = models.BooleanField(_("agreed to be named"), default=False)
    role = models.CharField(
        _("role in co-production"),
        max_length=20,
        choices=CONTRIBUTOR_ROLE_CHOICES,
        default=ContributorRole.NOT_SAID,
    )
    self_description = models.TextField(_("in their own words"), blank=True)
    channel = models.CharField(
        _("joined through"),
        max_length=20,
        choices=CHANNEL_CHOICES,
        default=Channel.WEB,
    )
    joined_at = models.DateTimeField(default=timezone.now)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ("study", "pseudonym")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("study", "pseudonym"), name="unique_pseudonym"),
            models.UniqueConstraint(
                fields=("study", "xid"), condition=Q(xid__isnull=False), name="unique_xid"
            ),
            models.CheckConstraint(
                condition=Q(named_with_consent=True) | Q(name=""), name="name_only_with_consent"
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym

    def current_consent(self) -> Consent | None:
        """The latest consent this participant gave, withdrawn or not.

        Reads `consents.all()` so that a prefetch serves every participant in a list at once.
        """
        return max(self.consents.all(), key=lambda c: (c.given_at, c.pk), default=None)

    def consent_level(self) -> ConsentLevel:
        """What may be done with this participant's contributions now (the rule of
        ParticipantQuerySet.with_consent, read from the participant's consents)."""
        consent = self.current_consent()
        if consent is None or consent.withdrawn_at is not None:
            return ConsentLevel.WITHDRAWN
        return ConsentLevel(consent.level)


class Erasure(models.TextChoices):
    """What a consent text promises happens to someone's contributions when they ask for their
    data to be erased (GDPR Article 17)."""

    REMOVE = "remove", _("Remove everything they contributed")
    ANONYMISE = (
        "anonymise",
        _("Keep what they agreed to share, under a new pseudonym, with nothing linking it to them"),
    )


class ConsentText(models.Model):
    """A version of the words participants agree to; consent always records which version."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="consent_texts")
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("what participants agree to"))
    purpose = models.TextField(_("what the study is for"), blank=True)
    contact = models.TextField(_("who to contact with questions or a complaint"), blank=True)
    keeping = models.TextField(_("how long what people share is kept"), blank=True)
    withdrawal = models.TextField(_("what withdrawing does"), blank=True)
    on_erasure = models.CharField(
        _("when someone asks for their data to be erased"),
        max_length=12,
        choices=Erasure.choices,
        default=Erasure.REMOVE,
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("study", "-version")
        get_latest_by = "version"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("study", "version"), name="one_text_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.study} consent text v{self.version}"

    def parts(self) -> list[tuple[str, str]]:
        """The text as participants read it: a heading and words for each part written."""
        return [
            (str(heading), words)
            for heading, words in (
                (_("What the study is for"), self.purpose),
                (_("What you agree to"), self.text),
                (_("How long we keep what you share"), self.keeping),
                (_("If you change your mind"), self.withdrawal),
                (_("Questions or worries"), self.contact),
            )
            if words.strip()
        ]


CONSENT_LEVEL_CHOICES = [
    (ConsentLevel.STORE.value, _("Keep what I share for the study, but do not quote me")),
    (ConsentLevel.QUOTE.value, _("You may quote my words without my name")),
    (ConsentLevel.PUBLISH.value, _("You may publish what I share in full, without my name")),
]


class Consent(models.Model):
    """What a participant agreed to, under which text, when, and whether they withdrew."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    consent_text = models.ForeignKey(ConsentText, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("agreed use"), choices=CONSENT_LEVEL_CHOICES)
    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES, default=Channel.WEB)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("participant", "-given_at")

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_level_display()}"


class TeamChange(models.Model):
    """A change to who is in a study's team, recorded as it happens and never edited."""

    class Kind(models.TextChoices):
        INVITED = "invited", _("Invited")
        REVOKED = "revoked", _("Invitation revoked")
        JOINED = "joined", _("Joined")
        ROLE_CHANGED = "role_changed", _("Role changed")
        REMOVED = "removed", _("Removed from the team")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="team_changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Whom it was about, by e-mail address: it stays readable after their account is gone.
    about = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.about} in {self.study}"


class AuditEvent(models.Model):
    """Who looked at restricted material, exported, moderated, withdrew or erased, and when.

    Append-only: an event is never changed or deleted by Coproduce (save() refuses a change).
    """

    class Action(models.TextChoices):
        VIEWED = "viewed", _("Viewed restricted material")
        EXPORTED = "exported", _("Exported")
        MODERATED = "moderated", _("Moderated")
        WITHDREW = "withdrew", _("Recorded a withdrawal")
        ERASED = "erased", _("Erased a participant's data")
        CHANGED = "changed", _("Changed the team, consent text or retention")
        PURGED = "purged", _("Purged raw material after the retention period")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Who acted, as known then: an e-mail address, "the participant" or "the command line".
    actor_label = models.CharField(max_length=254)
    action = models.CharField(max_length=20, choices=Action.choices)
    subject = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.subject}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Audit events are never changed.")
        super().save(*args, **kwargs)


class ActionCount(models.Model):
    """How many of one kind of action one holder (an address, a browser, an external id) sent
    in one hour's window; see coproduce.studies.throttle."""

    key = models.CharField(max_length=200)
    window = models.BigIntegerField()  # hours since 1970
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("key", "window"), name="one_count_per_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.window}: {self.count}"
