"""The studies app's parts of a study archive: the study, its team, its participants."""

from __future__ import annotations

import base64
from datetime import date, datetime, timedelta
from typing import Any

from coproduce.accounts.models import User
from coproduce.archive import ArchivePart, ImportContext, made_elsewhere, register_part
from coproduce.core.errors import InvalidInput
from coproduce.studies.bulk import batches
from coproduce.studies.models import (
    INVITATION_DAYS,
    Consent,
    ConsentText,
    Erasure,
    Invitation,
    Membership,
    Organisation,
    Participant,
    Study,
    TeamChange,
)
from coproduce.studies.services import image_kind


def when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def parse_datetime(value: str) -> datetime:
    return datetime.fromisoformat(value)


def parse_optional_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def account_for(email: str, name: str = "") -> User:
    """The account with this e-mail, created without a usable password if it is new here (an
    account made earlier in this import, say as a consent text's writer, gets its name now)."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, None, name=name)
        made_elsewhere(user)
    elif name and not user.name and not user.has_usable_password():
        user.name = name
        user.save(update_fields=["name"])
    return user


def optional_account(email: str | None) -> User | None:
    return account_for(email) if email else None


def dump_study(study: Study) -> dict[str, Any]:
    return {
        "title": study.title,
        "slug": study.slug,
        "summary": study.summary,
        "aims": study.aims,
        "starts_on": when(study.starts_on),
        "ends_on": when(study.ends_on),
        "funder": study.funder,
        "values": study.values,
        "join_code": study.join_code,
        "open_to_participants": study.open_to_participants,
        "retention_months": study.retention_months,
        "created_at": when(study.created_at),
        "organisations": [
            {
                "slug": org.slug,
                "name": org.name,
                "kind": org.kind,
                "description": org.description,
                "website": org.website,
                "logo": base64.b64encode(bytes(org.logo)).decode("ascii") if org.logo else "",
                "logo_type": org.logo_type,
            }
            for org in study.organisations.order_by("slug")
        ],
        "consent_texts": [
            {
                "version": t.version,
                "text": t.text,
                "on_erasure": t.on_erasure,
                "created_at": when(t.created_at),
                "created_by": t.created_by.email if t.created_by else None,
            }
            for t in study.consent_texts.order_by("version")
        ],
    }


def load_study(context: ImportContext, data: dict[str, Any]) -> None:
    study = Study.objects.create(
        title=data["title"],
        slug=data["slug"],
        summary=data["summary"],
        aims=data["aims"],
        starts_on=parse_date(data["starts_on"]),
        ends_on=parse_date(data["ends_on"]),
        funder=data["funder"],
        values=data["values"],
        join_code=data["join_code"],
        open_to_participants=data["open_to_participants"],
        retention_months=data.get("retention_months"),  # not in version 1
    )
    # auto_now_add ignores a given value, so the original creation time is set afterwards.
    Study.objects.filter(pk=study.pk).update(created_at=parse_datetime(data["created_at"]))
    study.refresh_from_db()
    for org in data["organisations"]:
        organisation, made = Organisation.objects.get_or_create(
            slug=org["slug"],
            defaults={k: org[k] for k in ("name", "kind", "description", "website")},
        )
        if made:
            made_elsewhere(organisation)
        if made and org.get("logo"):  # version 3 on: the logo for posters
            logo = base64.b64decode(org["logo"], validate=True)
            organisation.logo_type = image_kind(f"the logo of {organisation.slug}", logo)
            organisation.logo = logo
            organisation.save(update_fields=["logo", "logo_type"])
        study.organisations.add(organisation)
    for text in data["consent_texts"]:
        consent_text = ConsentText.objects.create(
            study=study,
            version=text["version"],
            text=text["text"],
            on_erasure=erasure(text.get("on_erasure", Erasure.REMOVE)),
            created_at=parse_datetime(text["created_at"]),
            created_by=optional_account(text.get("created_by")),
        )
        context.remember("consent text", str(text["version"]), consent_text)
    context.loaded = study


def dump_team(study: Study) -> dict[str, Any]:
    return {
        "members": [
            {
                "email": m.user.email,
                "name": m.user.name,
                "role": m.role,
                "joined_at": when(m.joined_at),
            }
            for m in study.memberships.select_related("user").order_by("user__email")
        ],
        # No tokens: an archive never carries a working link. Imported, an open invitation
        # gets a new link, shown on the team page.
        "invitations": [
            {
                "email": i.email,
                "role": i.role,
                "invited_by": i.invited_by.email if i.invited_by else None,
                "created_at": when(i.created_at),
                "expires_at": when(i.expires_at),
                "accepted_at": when(i.accepted_at),
                "revoked_at": when(i.revoked_at),
            }
            for i in study.invitations.select_related("invited_by").order_by(
                "created_at", "email", "pk"
            )
        ],
        "changes": [
            {
                "kind": c.kind,
                "about": c.about,
                "role": c.role,
                "by": c.by.email if c.by else None,
                "at": when(c.at),
            }
            for c in study.team_changes.select_related("by").order_by("at", "pk")
        ],
    }


def load_team(context: ImportContext, data: dict[str, Any]) -> None:
    for member in data["members"]:
        Membership.objects.create(
            study=context.study,
            user=account_for(member["email"], member["name"]),
            role=member["role"],
            joined_at=parse_datetime(member["joined_at"]),
        )
    for invitation in data["invitations"]:
        created = parse_datetime(invitation["created_at"])
        expires = parse_optional_datetime(invitation.get("expires_at"))
        Invitation.objects.create(
            study=context.study,
            email=invitation["email"],
            role=invitation["role"],
            invited_by=optional_account(invitation["invited_by"]),
            created_at=created,
            expires_at=expires or created + timedelta(days=INVITATION_DAYS),
            accepted_at=parse_optional_datetime(invitation["accepted_at"]),
            revoked_at=parse_optional_datetime(invitation.get("revoked_at")),
        )
    for change in data.get("changes", []):
        TeamChange.objects.create(
            study=context.study,
            kind=change["kind"],
            about=change["about"],
            role=change["role"],
            by=optional_account(change["by"]),
            at=parse_datetime(change["at"]),
        )


def dump_participants(study: Study) -> list[dict[str, Any]]:
    participants = study.participants.prefetch_related("consents__recorded_by").order_by(
        "pseudonym"
    )
    # Someone who withdrew travels only as their pseudonym and consent record: their name and
    # their words about themselves stay behind.
    standing = set(study.participants.consenting().values_list("pk", flat=True))
    return [
        {
            "pseudonym": p.pseudonym,
            "xid": p.xid,
            "name": p.name if p.pk in standing else "",
            "named_with_consent": p.named_with_consent and p.pk in standing,
            "role": p.role,
            "self_description": p.self_description if p.pk in standing else "",
            "channel": p.channel,
            "joined_at": when(p.joined_at),
            "consents": [
                {
                    "consent_text": c.consent_text.version,
                    "level": c.level,
                    "channel": c.channel,
                    "recorded_by": c.recorded_by.email if c.recorded_by else None,
                    "given_at": when(c.given_at),
                    "withdrawn_at": when(c.withdrawn_at),
                }
                for c in sorted(p.consents.all(), key=lambda c: (c.given_at, c.level))
            ],
        }
        for p in participants
    ]


# Participants a transaction while they load (coproduce.studies.bulk).
PARTICIPANTS_BATCH = 500


def load_participants(context: ImportContext, data: list[dict[str, Any]]) -> None:
    for row in (row for batch in batches(data, PARTICIPANTS_BATCH) for row in batch):
        participant = Participant.objects.create(
            study=context.study,
            pseudonym=row["pseudonym"],
            xid=row["xid"],
            name=row["name"],
            named_with_consent=row["named_with_consent"],
            role=row["role"],
            self_description=row["self_description"],
            channel=row["channel"],
            joined_at=parse_datetime(row["joined_at"]),
        )
        context.remember("participant", participant.pseudonym, participant)
        where = f"participant {participant.pseudonym}"
        for consent in row["consents"]:
            Consent.objects.create(
                participant=participant,
                consent_text=context.get("consent text", str(consent["consent_text"]), where),
                level=consent["level"],
                channel=consent["channel"],
                recorded_by=optional_account(consent["recorded_by"]),
                given_at=parse_datetime(consent["given_at"]),
                withdrawn_at=parse_optional_datetime(consent["withdrawn_at"]),
            )


def erasure(value: object) -> str:
    if value not in Erasure.values:
        raise InvalidInput(
            f"The archive's consent text says erasure does {value!r}, which is not one of "
            f"{', '.join(Erasure.values)}; the archive is damaged."
        )
    return str(value)


register_part(ArchivePart("study", 3, 0, dump_study, load_study))
register_part(
    ArchivePart(
        "team",
        1,
        10,
        dump_team,
        load_team,
        holds=(
            "Team members' names, e-mail addresses and roles; invitations' e-mail addresses; "
            "changes to the team."
        ),
    )
)
register_part(
    ArchivePart(
        "participants",
        1,
        20,
        dump_participants,
        load_participants,
        holds=(
            "Participants' pseudonyms, external ids, names given with consent to be named, "
            "roles, channels, self-descriptions and consent history."
        ),
        batched=True,
    )
)
