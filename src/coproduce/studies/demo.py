"""The studies app's part of the demo: a fictional Greater Manchester-style study.

A VCSE infrastructure network and a university study co-production across five member
organisations. Every organisation and person here is invented.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from coproduce.accounts.models import User
from coproduce.core.evidence import Channel, ConsentLevel, ContributorRole
from coproduce.demo.registry import DemoContext, register_demo_part
from coproduce.demo.service import DEMO_EMAIL, DEMO_PASSWORD, DEMO_SLUG
from coproduce.studies import services
from coproduce.studies.models import Consent, Membership, Organisation, Participant, Role

ORGANISATIONS = [
    (
        "irwell-voluntary-action",
        "Irwell Voluntary Action",
        Organisation.Kind.NETWORK,
        "The infrastructure body for voluntary, community and social enterprise groups across ten "
        "boroughs; it hosts the Co-production Network.",
    ),
    (
        "pennine-met",
        "Pennine Metropolitan University",
        Organisation.Kind.UNIVERSITY,
        "Its business school studies how small organisations work with the people they serve.",
    ),
    (
        "canal-street-food-collective",
        "Canal Street Food Collective",
        Organisation.Kind.VCSE,
        "A community food hub run with its members: a pay-as-you-feel shop and a shared kitchen.",
    ),
    (
        "open-doors-tenants",
        "Open Doors Tenants' Forum",
        Organisation.Kind.VCSE,
        "Tenant-led housing advice; tenants design and deliver the advice sessions.",
    ),
    (
        "bridgewater-young-carers",
        "Bridgewater Young Carers",
        Organisation.Kind.VCSE,
        "Support for carers aged 8 to 25; a young people's panel shapes every service.",
    ),
    (
        "second-chapter-recovery",
        "Second Chapter Recovery Community",
        Organisation.Kind.VCSE,
        "A peer-led recovery community for people affected by drugs and alcohol.",
    ),
    (
        "stepping-out-arts",
        "Stepping Out Disability Arts",
        Organisation.Kind.VCSE,
        "Arts made by disabled people, with disabled artists on the board and in every project.",
    ),
]

TEAM = [
    (Role.OWNER, DEMO_EMAIL, "Sam Okafor"),
    (Role.RESEARCHER, "helen.ashworth@pennine-met.example", "Dr Helen Ashworth"),
    (Role.CO_RESEARCHER, "marcus.reid@coproduce.example", "Marcus Reid"),
    (Role.FACILITATOR, "aisha.rahman@irwell-va.example", "Aisha Rahman"),
    (Role.OBSERVER, "tom.whitfield@funder.example", "Tom Whitfield"),
]

ROLE_MIX = [
    (ContributorRole.LIVED_EXPERIENCE, 34),
    (ContributorRole.PRACTITIONER, 30),
    (ContributorRole.RESEARCHER, 14),
    (ContributorRole.COMMISSIONER, 8),
    (ContributorRole.OTHER, 6),
    (ContributorRole.NOT_SAID, 8),
]
CHANNEL_MIX = [
    (Channel.WEB, 70),
    (Channel.FACILITATOR, 12),
    (Channel.PAPER, 10),
    (Channel.PHONE, 4),
    (Channel.IN_PERSON, 4),
]
CONSENT_MIX = [(ConsentLevel.PUBLISH, 45), (ConsentLevel.QUOTE, 45), (ConsentLevel.STORE, 10)]
SELF_DESCRIPTIONS = [
    "Mum of two, volunteer at the food hub",
    "I've used mental health services for most of my adult life",
    "Support worker, ten years in housing",
    "Young carer for my dad",
    "Retired, on the tenants' committee",
    "Peer mentor in recovery",
    "Disabled artist and trustee",
    "Researcher interested in participation",
    "Commissioner at the council",
    "",
]
PARTICIPANTS = 360


def build_team(context: DemoContext) -> None:
    for role, email, name in TEAM:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, name=name)
        context.team[role] = user


def build_study(context: DemoContext) -> None:
    build_team(context)
    study = services.create_study(
        context.team[Role.OWNER],
        "Co-production in practice",
        slug=DEMO_SLUG,
        summary=(
            "How do voluntary and community organisations in our city region actually co-produce "
            "with the people they serve? Irwell Voluntary Action and Pennine Metropolitan "
            "University asked five member organisations, their staff and the people who use "
            "their services, and gathered conversations, stories and joint interviews."
        ),
        aims=(
            "Understand how co-production works day to day in VCSE organisations.\n"
            "Hear from staff and service users together, on equal terms.\n"
            "Produce a short report and one poster per organisation that partners can use."
        ),
        starts_on=date(2026, 1, 12),
        ends_on=date(2026, 12, 18),
        funder="Community University Partnership Fund (£4,500)",
    )
    for slug, name, kind, description in ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "description": description}
        )
        study.organisations.add(organisation)
        if not organisation.logo:
            services.set_logo(study, context.team[Role.OWNER], organisation, "logo.png", logo(name))
    for role, user in context.team.items():
        if role != Role.OWNER:
            Membership.objects.create(study=study, user=user, role=role)
    # The owners' own consent text: who to contact, and what erasure does; raw material is kept
    # for two years after the study ends.
    services.revise_consent_text(
        study,
        context.team[Role.OWNER],
        services.current_consent_text(study).text,
        "anonymise",
        contact=(
            "Ruth Okafor, research lead at Irwell Voluntary Action: research@irwell-va.example, "
            "0161 496 0000. To complain about how your data is used, you can also contact the "
            "Information Commissioner's Office (ico.org.uk)."
        ),
    )
    services.set_retention(study, context.team[Role.OWNER], 24)
    context.study = study
    build_participants(context)


def logo(name: str) -> bytes:
    """A plain made-up logo for a demo organisation: its initials on a coloured panel."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    initials = "".join(word[0] for word in name.split() if word[0].isupper())[:3]
    image = Image.new("RGB", (360, 180), (0, 89, 79))
    draw = ImageDraw.Draw(image)
    draw.text(
        (180, 90), initials, fill=(255, 255, 255), anchor="mm", font=ImageFont.load_default(96)
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


Choice = TypeVar("Choice")


def pick(context: DemoContext, mix: Sequence[tuple[Choice, int]]) -> Choice:
    values, weights = zip(*mix, strict=True)
    return context.rng.choices(values, weights=weights, k=1)[0]


def build_participants(context: DemoContext) -> None:
    study = context.study
    consent_text = services.current_consent_text(study)
    start = datetime(2026, 2, 2, 10, 0, tzinfo=UTC)
    for n in range(PARTICIPANTS):
        joined = start + timedelta(hours=context.rng.randint(0, 24 * 120))
        channel = pick(context, CHANNEL_MIX)
        participant = Participant.objects.create(
            study=study,
            pseudonym=f"P-{n + 1:03d}",
            role=pick(context, ROLE_MIX),
            self_description=context.rng.choice(SELF_DESCRIPTIONS),
            channel=channel,
            joined_at=joined,
        )
        recorded_by = None if channel == Channel.WEB else context.team[Role.FACILITATOR]
        Consent.objects.create(
            participant=participant,
            consent_text=consent_text,
            level=pick(context, CONSENT_MIX),
            channel=channel,
            recorded_by=recorded_by,
            given_at=joined,
            # A few people change their minds; their contributions leave every output.
            withdrawn_at=joined + timedelta(days=20) if n % 40 == 39 else None,
        )
        context.participants.append(participant)


register_demo_part("studies", 0, build_study)
