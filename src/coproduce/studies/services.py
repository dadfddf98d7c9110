"""What can be done with a study, its team and its participants.

Views and CLI commands call these functions; the rules about studies live here, not in views.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coproduce.accounts.models import Someone, User, normalise_email
from coproduce.core.errors import Conflict, InvalidInput, NotFound
from coproduce.core.evidence import Channel, ConsentLevel, ContributorRole
from coproduce.studies import audit
from coproduce.studies.limits import SELF_DESCRIPTION_LIMIT, within
from coproduce.studies.models import (
    INVITATION_DAYS,
    PSEUDONYM_ALPHABET,
    AuditEvent,
    Consent,
    ConsentText,
    Erasure,
    Invitation,
    Membership,
    Organisation,
    Participant,
    Role,
    Study,
    TeamChange,
)
from coproduce.studies.permissions import Permission, require
from coproduce.studies.signals import consent_withdrawn
from coproduce.studies.values import DEFAULT_CONSENT_TEXT, DEFAULT_KEEPING, DEFAULT_WITHDRAWAL

STUDY_FIELDS = ("title", "summary", "aims", "starts_on", "ends_on", "funder", "values")


def account(email: str) -> User:
    """The team member's account with this e-mail address."""
    user = User.objects.filter(email=normalise_email(email)).first()
    if user is None:
        raise NotFound(
            _("There is no account for %(email)s; check the address.") % {"email": email}
        )
    return user


def get_study(slug: str) -> Study:
    """The study with this slug, or a NotFound that says how to find the right one."""
    try:
        return Study.objects.get(slug=slug)
    except Study.DoesNotExist:
        raise NotFound(
            _("No study has the short name '%(slug)s'; run `coproduce list-studies` to see them.")
            % {"slug": slug}
        ) from None


def studies_for(user: Someone) -> list[Study]:
    """The studies the user is a team member of (all of them for a site administrator)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(Study.objects.all())
    return list(Study.objects.filter(memberships__user=user).distinct())


def unique_slug(title: str) -> str:
    """A free slug made from the title."""
    base = slugify(title)[:70] or "study"
    slug, n = base, 2
    while Study.everything.filter(slug=slug).exists():  # one being imported too
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_study(owner: User, title: str, slug: str = "", **fields: Any) -> Study:
    """Create a study with its first consent text; the creator becomes its owner."""
    require(owner, Permission.ADD_STUDY)
    if not title.strip():
        raise InvalidInput(_("A study needs a title; give it one."))
    slug = slug or unique_slug(title)
    if Study.everything.filter(slug=slug).exists():
        raise Conflict(
            _("A study with the short name '%(slug)s' already exists; choose another.")
            % {"slug": slug}
        )
    unknown = set(fields) - set(STUDY_FIELDS)
    if unknown:
        raise InvalidInput(f"Studies have no field {sorted(unknown)[0]!r}.")
    try:
        with transaction.atomic():
            study = Study.objects.create(title=title.strip(), slug=slug, **fields)
    except IntegrityError as error:
        raise InvalidInput(
            _("The study could not be saved: %(error)s.") % {"error": error}
        ) from error
    Membership.objects.create(study=study, user=owner, role=Role.OWNER)
    first_consent_text(study)
    return study


def first_consent_text(study: Study) -> ConsentText:
    """Version 1 of a study's consent text: the plain default, the study's summary as its
    purpose; the owners add who to contact and adapt the rest."""
    return ConsentText.objects.create(
        study=study,
        version=1,
        text=str(DEFAULT_CONSENT_TEXT),
        purpose=study.summary,
        keeping=str(DEFAULT_KEEPING),
        withdrawal=str(DEFAULT_WITHDRAWAL),
    )


@transaction.atomic
def update_study(study: Study, by: User, **fields: Any) -> Study:
    """Change a study's description; only editors may."""
    require(by, Permission.CHANGE_STUDY, study)
    for name, value in fields.items():
        if name not in STUDY_FIELDS:
            raise InvalidInput(f"Studies have no field {name!r}.")
        setattr(study, name, value)
    study.save()
    return study


def check_role(role: str) -> str:
    """The role, if it is one of a study team's roles; otherwise one sentence listing them."""
    if role not in Role.values:
        raise InvalidInput(
            _("'%(role)s' is not a team role; use one of %(roles)s.")
            % {"role": role, "roles": ", ".join(Role.values)}
        )
    return role


def record_team_change(
    study: Study, kind: str, by: User | None, about: str, role: str = ""
) -> TeamChange:
    """Note a change to the team (never edited afterwards), on the team page and in the log."""
    change = TeamChange.objects.create(study=study, kind=kind, by=by, about=about, role=role)
    subject = f"team: {change.get_kind_display()} {about}" + (f" as {role}" if role else "")
    audit.record(study, by or about, AuditEvent.Action.CHANGED, subject)
    return change


CONSENT_TEXT_LIMIT = 20_000


CONSENT_TEXT_PARTS = {
    "purpose": _("part on what the study is for"),
    "contact": _("part on who to contact"),
    "keeping": _("part on how long things are kept"),
    "withdrawal": _("part on what withdrawing does"),
}


@transaction.atomic
def revise_consent_text(
    study: Study, by: User, text: str, on_erasure: str, **parts: str
) -> ConsentText:
    """A new version of what participants agree to, for everyone who joins from now on.

    `parts` are the other parts of the text (CONSENT_TEXT_PARTS); a part not given keeps its
    words from the current version. People who agreed to an earlier version keep that
    agreement, their consent records name the version they saw, and they are asked to read the
    new one at their next visit; the change is in the audit log.
    """
    require(by, Permission.MANAGE_TEAM, study)
    wanted = text.strip()
    if not wanted:
        raise InvalidInput(_("Write the consent text participants will agree to."))
    within(wanted, CONSENT_TEXT_LIMIT, _("consent text"))
    unknown = set(parts) - set(CONSENT_TEXT_PARTS)
    if unknown:
        raise InvalidInput(f"Consent texts have no part {sorted(unknown)[0]!r}.")
    if on_erasure not in Erasure.values:
        raise InvalidInput(
            _("'%(e)s' is not a choice for erasure; use one of %(all)s.")
            % {"e": on_erasure, "all": ", ".join(Erasure.values)}
        )
    current = current_consent_text(study)
    words = {
        name: within(parts.get(name, getattr(current, name)), CONSENT_TEXT_LIMIT, str(what))
        for name, what in CONSENT_TEXT_PARTS.items()
    }
    unchanged = all(getattr(current, name).strip() == value for name, value in words.items())
    if current.text.strip() == wanted and current.on_erasure == on_erasure and unchanged:
        raise InvalidInput(
            _("That is the current consent text (version %(v)d); change it before saving.")
            % {"v": current.version}
        )
    revised = ConsentText.objects.create(
        study=study,
        version=current.version + 1,
        text=wanted,
        on_erasure=on_erasure,
        created_by=by,
        **words,
    )
    subject = f"consent text: version {revised.version} ({revised.get_on_erasure_display()})"
    audit.record(study, by, AuditEvent.Action.CHANGED, subject)
    return revised


MAX_RETENTION_MONTHS = 1200


def set_retention(study: Study, by: User, months: int | None) -> Study:
    """How many months after the study ends its raw restricted material is kept (None: the
    owners will decide later); `coproduce purge` removes it after that."""
    require(by, Permission.MANAGE_TEAM, study)
    if months is not None and not (0 <= months <= MAX_RETENTION_MONTHS):
        raise InvalidInput(
            _("Give the retention period as a number of months from 0 to %(n)d.")
            % {"n": MAX_RETENTION_MONTHS}
        )
    if study.retention_months != months:
        study.retention_months = months
        study.save(update_fields=["retention_months"])
        kept = _("until the owners decide") if months is None else f"{months} months"
        audit.record(study, by, AuditEvent.Action.CHANGED, f"retention: {kept} after the end")
    return study


@transaction.atomic
def invite(study: Study, by: User, email: str, role: str) -> Membership | Invitation:
    """Add an existing account to the team at once, or make an invitation link for a new one.

    An earlier open invitation to the same address is revoked: only the newest link works.
    """
    require(by, Permission.MANAGE_TEAM, study)
    check_role(role)
    email = normalise_email(email)
    user = User.objects.filter(email=email).first()
    if user is not None:
        if Membership.objects.filter(study=study, user=user).exists():
            raise Conflict(_("%(email)s is already in this study's team.") % {"email": email})
        record_team_change(study, TeamChange.Kind.JOINED, by, email, role)
        return Membership.objects.create(study=study, user=user, role=role)
    now = timezone.now()
    earlier = study.invitations.filter(email=email, accepted_at__isnull=True)
    earlier.filter(revoked_at__isnull=True).update(revoked_at=now)
    record_team_change(study, TeamChange.Kind.INVITED, by, email, role)
    return Invitation.objects.create(
        study=study,
        email=email,
        role=role,
        invited_by=by,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )


def open_invitation(token: str) -> Invitation:
    """An invitation whose link still works, by the token in its link."""
    invitation = Invitation.objects.filter(token=token).select_related("study").first()
    if invitation is None or invitation.accepted_at is not None:
        raise NotFound(_("This invitation link is not valid or has been used; ask for a new one."))
    if invitation.revoked_at is not None:
        raise NotFound(_("This invitation has been taken back; ask the study's owner."))
    if invitation.expires_at <= timezone.now():
        raise NotFound(
            _("This invitation expired on %(day)s; ask the study's owner for a new one.")
            % {"day": timezone.localtime(invitation.expires_at).strftime("%d %B %Y")}
        )
    return invitation


@transaction.atomic
def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Join the team the invitation is for, in the role it names: only with the invited address."""
    if normalise_email(user.email) != normalise_email(invitation.email):
        raise PermissionDenied(
            _(
                "This invitation is for %(email)s; sign in with that address, "
                "or ask for an invitation to yours."
            )
            % {"email": invitation.email}
        )
    membership, created = Membership.objects.get_or_create(
        study=invitation.study, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    if created:
        record_team_change(
            invitation.study, TeamChange.Kind.JOINED, user, user.email, invitation.role
        )
    return membership


def revoke_invitation(invitation: Invitation, by: User) -> None:
    """Take an invitation back: its link stops working at once."""
    require(by, Permission.MANAGE_TEAM, invitation.study)
    if invitation.accepted_at is not None:
        raise Conflict(
            _("%(email)s has already joined; remove them from the team instead.")
            % {"email": invitation.email}
        )
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record_team_change(
            invitation.study, TeamChange.Kind.REVOKED, by, invitation.email, invitation.role
        )


@transaction.atomic
def accept_with_new_account(invitation: Invitation, name: str, password: str) -> User:
    """Someone invited who has no account yet makes one (for the invited address) and joins."""
    from coproduce.accounts.services import create_account

    if User.objects.filter(email=invitation.email).exists():
        raise Conflict(_("You already have an account: sign in, then open the link."))
    account = create_account(invitation.email, password, name)
    accept_invitation(invitation, account)
    return account


@transaction.atomic
def change_role(study: Study, by: User, member: User, role: str) -> Membership:
    """Give a team member another role; a study always keeps at least one owner."""
    require(by, Permission.MANAGE_TEAM, study)
    check_role(role)
    membership = Membership.objects.select_for_update().get(study=study, user=member)
    if membership.role == Role.OWNER and role != Role.OWNER:
        keep_an_owner(study)
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
        record_team_change(study, TeamChange.Kind.ROLE_CHANGED, by, member.email, role)
    return membership


def keep_an_owner(study: Study) -> None:
    """Refuse a change that would leave the study with no owner."""
    owners = Membership.objects.filter(study=study, role=Role.OWNER).count()
    if owners == 1:
        raise Conflict(_("A study needs at least one owner; make someone else owner first."))


@transaction.atomic
def remove_member(study: Study, by: User, member: User) -> None:
    """Take someone off the team: from now on they cannot see or change the study."""
    require(by, Permission.MANAGE_TEAM, study)
    membership = Membership.objects.select_for_update().filter(study=study, user=member).first()
    if membership is None:
        raise NotFound(_("%(email)s is not in this study's team.") % {"email": member.email})
    if membership.role == Role.OWNER:
        keep_an_owner(study)
    role = membership.role
    membership.delete()
    record_team_change(study, TeamChange.Kind.REMOVED, by, member.email, role)


@transaction.atomic
def add_organisation(
    study: Study, by: User, name: str, kind: str = Organisation.Kind.VCSE, **fields: str
) -> Organisation:
    """Add a partner organisation to the study, reusing one of the same short name."""
    require(by, Permission.CHANGE_STUDY, study)
    if not name.strip():
        raise InvalidInput(_("An organisation needs a name; give it one."))
    if kind not in Organisation.Kind.values:
        raise InvalidInput(_("'%(kind)s' is not a kind of organisation.") % {"kind": kind})
    slug = slugify(name)[:80] or "organisation"
    organisation, _created = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name.strip(), "kind": kind, **fields}
    )
    study.organisations.add(organisation)
    return organisation


LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4000


def set_logo(study: Study, by: User, organisation: Organisation, name: str, data: bytes) -> None:
    """Give a partner organisation its logo for posters: a PNG or JPEG image of at most 1 MB."""
    require(by, Permission.CHANGE_STUDY, study)
    if not study.organisations.filter(pk=organisation.pk).exists():
        raise InvalidInput(_("%(org)s is not a partner of this study.") % {"org": organisation})
    if len(data) > LOGO_MAX_BYTES:
        raise InvalidInput(
            _("%(name)s is larger than 1 MB; save the logo smaller and upload it again.")
            % {"name": name}
        )
    kind = image_kind(name, data)
    organisation.logo, organisation.logo_type = data, kind
    organisation.save(update_fields=["logo", "logo_type"])


def image_kind(name: str, data: bytes) -> str:
    """The image's type (image/png or image/jpeg), read from its content, or one sentence."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            found, size = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        found, size = None, (0, 0)
    if found not in ("PNG", "JPEG"):
        raise InvalidInput(
            _("%(name)s is not a PNG or JPEG image; save it as one and upload it again.")
            % {"name": name}
        )
    if max(size) > LOGO_MAX_PIXELS:
        raise InvalidInput(
            _("%(name)s is %(w)d by %(h)d pixels; an image may be at most 4000 pixels across.")
            % {"name": name, "w": size[0], "h": size[1]}
        )
    return "image/png" if found == "PNG" else "image/jpeg"


def remove_organisation(study: Study, by: User, organisation: Organisation) -> None:
    """Take a partner organisation off the study (it stays for other studies)."""
    require(by, Permission.CHANGE_STUDY, study)
    study.organisations.remove(organisation)


def new_pseudonym(study: Study) -> str:
    """A fresh pseudonym such as P-7KQ3MD, unique in the study."""
    while True:
        code = "P-" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(6))
        if not Participant.objects.filter(study=study, pseudonym=code).exists():
            return code


def new_pseudonyms(study: Study, count: int) -> list[str]:
    """`count` fresh pseudonyms, unique in the study, for importing many people at once."""
    taken = set(study.participants.values_list("pseudonym", flat=True))
    fresh: list[str] = []
    while len(fresh) < count:
        code = "P-" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(6))
        if code not in taken:
            taken.add(code)
            fresh.append(code)
    return fresh


def current_consent_text(study: Study) -> ConsentText:
    text = study.consent_texts.order_by("-version").first()
    return text if text is not None else first_consent_text(study)


@transaction.atomic
def join(
    study: Study,
    level: int,
    *,
    xid: str | None = None,
    channel: Channel = Channel.WEB,
    recorded_by: User | None = None,
    role: str = ContributorRole.NOT_SAID,
) -> Participant:
    """A person joins the study as a pseudonymous participant, giving consent at a level.

    With an XID (from a site that embeds Coproduce), the same person joining again is the same
    participant, and their new consent replaces the old. A team member who records someone's
    consent for them (`recorded_by`) must be allowed to.
    """
    if recorded_by is not None:
        require(recorded_by, Permission.RECORD_CONSENT, study)
    if not study.open_to_participants:
        raise Conflict(
            _("This study is not taking new participants at the moment; ask the study team.")
        )
    if level not in (ConsentLevel.STORE, ConsentLevel.QUOTE, ConsentLevel.PUBLISH):
        raise InvalidInput(_("Choose how we may use what you share."))
    xid = (xid or "").strip() or None
    if xid is not None and len(xid) > 200:
        raise InvalidInput(_("The external id (xid) is longer than 200 characters; shorten it."))
    participant = None
    if xid is not None:
        participant = Participant.objects.filter(study=study, xid=xid).first()
    if participant is None:
        if role not in {r.value for r in ContributorRole}:
            raise InvalidInput(
                _("'%(role)s' is not one of the roles people can give.") % {"role": role}
            )
        participant = Participant.objects.create(
            study=study, pseudonym=new_pseudonym(study), xid=xid, channel=channel, role=role
        )
    Consent.objects.create(
        participant=participant,
        consent_text=current_consent_text(study),
        level=level,
        channel=channel,
        recorded_by=recorded_by,
    )
    return participant


def renew_consent(participant: Participant, level: int) -> Consent:
    """The participant agrees again, to the current consent text, at the level they choose
    (from their own page: their session is the proof). Their earlier consents stay on record."""
    if participant.consent_level() == ConsentLevel.WITHDRAWN:
        raise Conflict(
            _("You have withdrawn from this study; join again if you would like to take part.")
        )
    if level not in (ConsentLevel.STORE, ConsentLevel.QUOTE, ConsentLevel.PUBLISH):
        raise InvalidInput(_("Choose how we may use what you share."))
    return Consent.objects.create(
        participant=participant,
        consent_text=current_consent_text(participant.study),
        level=level,
        channel=Channel.WEB,
    )


def reads_an_older_text(participant: Participant) -> bool:
    """True when the participant agreed to a version of the consent text that has since been
    replaced, and has not withdrawn: they are asked to read the new one."""
    consent = participant.current_consent()
    if consent is None or consent.withdrawn_at is not None:
        return False
    return consent.consent_text_id != current_consent_text(participant.study).pk


def describe_participant(participant: Participant, role: str, self_description: str) -> None:
    """The participant says who they are, in their own words; both are optional."""
    role = role or ContributorRole.NOT_SAID
    if role not in {r.value for r in ContributorRole}:
        raise InvalidInput(
            _("'%(role)s' is not one of the roles people can give.") % {"role": role}
        )
    participant.role = role
    participant.self_description = within(
        self_description, SELF_DESCRIPTION_LIMIT, _("description of yourself")
    )
    participant.save(update_fields=["role", "self_description"])


def record_withdrawal(participant: Participant, by: User) -> None:
    """A team member records that a participant withdrew (told by phone, letter or in person)."""
    require(by, Permission.RECORD_CONSENT, participant.study)
    withdraw(participant)
    subject = f"participant {participant.pseudonym}"
    audit.record(participant.study, by, AuditEvent.Action.WITHDREW, subject)


@transaction.atomic
def withdraw(participant: Participant) -> None:
    """Withdraw consent: from now on nothing the participant shared reaches any output.

    The external id (xid) is let go, so the same person coming back through an embedding site
    joins afresh under a new pseudonym, and nobody can use the xid to act for the person who
    left. The consent history stays with the old pseudonym, as the study's record.
    """
    Consent.objects.filter(participant=participant, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    Participant.objects.filter(pk=participant.pk).update(xid=None)
    participant.xid = None
    transaction.on_commit(
        lambda: consent_withdrawn.send(sender=Participant, participant=participant)
    )
