"""Writing the study's Easy Read version: its parts (the introduction, each finding, what
happens next), their points with pictures, and the hard words explained. The rules themselves
are in core.publishing.easy_read; this keeps the team's work and checks it as they go.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.coding.models import Finding
from coproduce.core.errors import InvalidInput
from coproduce.core.publishing import easy_read as rules
from coproduce.core.publishing import symbols
from coproduce.publications.models import EasyReadImage, EasyReadPart, EasyReadVersion
from coproduce.studies.models import Study
from coproduce.studies.permissions import Permission, require
from coproduce.studies.services import image_kind

MOST_POINTS = 12  # in one part
BLANK_POINTS = 2  # empty points the editor offers for adding more
MOST_TEXT = 600  # characters in one point
IMAGE_MAX_BYTES = 1024 * 1024


def version_for(study: Study, by: User) -> EasyReadVersion:
    """The study's Easy Read version, started if there is none, with a part for each finding
    (a finding's part goes when the finding goes, unless the team wrote in it)."""
    require(by, Permission.VIEW_STUDY, study)
    version, _created = EasyReadVersion.objects.get_or_create(
        study=study, defaults={"title": (_("%(t)s: Easy Read") % {"t": study.title})[:200]}
    )
    sync_parts(version)
    return version


@transaction.atomic
def sync_parts(version: EasyReadVersion) -> None:
    parts = list(version.parts.all())
    kinds = {p.kind for p in parts}
    if EasyReadPart.Kind.INTRODUCTION not in kinds:
        version.parts.create(kind=EasyReadPart.Kind.INTRODUCTION, heading=_("About this study"))
    having = {p.finding_id for p in parts if p.finding_id}
    for finding in Finding.objects.filter(study=version.study).exclude(pk__in=having):
        version.parts.create(kind=EasyReadPart.Kind.FINDING, finding=finding, heading=finding.title)
    for part in parts:
        if part.kind == EasyReadPart.Kind.FINDING and part.finding_id is None and not part.points:
            part.delete()
    if EasyReadPart.Kind.NEXT not in kinds:
        version.parts.create(kind=EasyReadPart.Kind.NEXT, heading=_("What happens next"))


def ordered_parts(version: EasyReadVersion) -> list[EasyReadPart]:
    """The introduction, the findings in the findings' order, then what happens next."""

    def place(part: EasyReadPart) -> tuple[int, int, int]:
        kind = [EasyReadPart.Kind.INTRODUCTION, EasyReadPart.Kind.FINDING, EasyReadPart.Kind.NEXT]
        finding = part.finding.position if part.finding else 10**6
        return (kind.index(EasyReadPart.Kind(part.kind)), finding, part.pk)

    return sorted(version.parts.select_related("finding"), key=place)


@dataclass(frozen=True)
class PointForm:
    """One point as the editor posts it."""

    text: str
    picture: str  # words to search the symbols with, or a symbol's code
    image: int | None  # the id of the team's own image
    alt: str
    choice: str = ""  # a symbol's code, chosen from the pictures offered


@transaction.atomic
def save_part(
    part: EasyReadPart,
    by: User,
    heading: str,
    points: list[PointForm],
    uploads: Mapping[int, tuple[str, bytes]],
) -> list[rules.Problem]:
    """Keep the part's heading and points (blank points are dropped; a picture given as words
    becomes the best symbol for them; an uploaded image replaces the picture), then return the
    rules it breaks so the editor can show them."""
    version = part.version
    require(by, Permission.CHANGE_STUDY, version.study)
    heading = heading.strip()[:200]
    if not heading:
        raise InvalidInput(_("Give the part a heading, then save it again."))
    kept = []
    for n, point in enumerate(points):
        if not point.text.strip():
            continue
        if len(point.text) > MOST_TEXT:
            raise InvalidInput(
                _("Point %(n)d is longer than %(most)d characters; an Easy Read point is short.")
                % {"n": n + 1, "most": MOST_TEXT}
            )
        image = point.image
        if n in uploads:
            name, data = uploads[n]
            image = keep_image(version, name, data, point.alt).pk
        kept.append(stored_point(version, point, image))
    if len(kept) > MOST_POINTS:
        raise InvalidInput(
            _("A part may have at most %(most)d points; Easy Read keeps each part short.")
            % {"most": MOST_POINTS}
        )
    part.heading, part.points = heading, kept
    part.save(update_fields=["heading", "points"])
    EasyReadVersion.objects.filter(pk=version.pk).update(updated_at=timezone.now())
    return [p for p in rules.problems(as_easy_read(version)) if p.where.startswith(heading)]


def stored_point(version: EasyReadVersion, point: PointForm, image: int | None) -> dict:
    """The point as it is kept: its words, and a symbol (found by code or words) or an image."""
    found = symbols.find(point.choice or point.picture) if point.choice or point.picture else None
    if found is None and point.picture.strip():
        best = symbols.search(point.picture, 1)
        found = best[0] if best else None
    if image is not None and not version.images.filter(pk=image).exists():
        image = None
    symbol = "" if image is not None or found is None else found.code
    alt = point.alt.strip()[:300] or (found.name if found and not image else "")
    return {
        "text": point.text.strip(),
        "symbol": symbol,
        "keyword": point.picture.strip()[:60],
        "image": image,
        "alt": alt,
    }


def keep_image(version: EasyReadVersion, name: str, data: bytes, alt: str) -> EasyReadImage:
    if len(data) > IMAGE_MAX_BYTES:
        raise InvalidInput(
            _("%(name)s is larger than 1 MB; save the picture smaller and upload it again.")
            % {"name": name[:100]}
        )
    kind = image_kind(name[:100], data)
    if not alt.strip():
        raise InvalidInput(
            _("Say in words what %(name)s shows (its alt text), then upload it again.")
            % {"name": name[:100]}
        )
    return version.images.create(data=data, kind=kind, alt=alt.strip()[:300])


def save_settings(
    version: EasyReadVersion, by: User, title: str, text_size: int, published: bool
) -> None:
    require(by, Permission.CHANGE_STUDY, version.study)
    if not title.strip():
        raise InvalidInput(_("Give the Easy Read version a title, then save it again."))
    if text_size not in rules.TEXT_SIZES:
        raise InvalidInput(
            _("Choose a text size of 14, 16, 18 or 20 point; Easy Read needs at least 14.")
        )
    if published:
        found = rules.problems(as_easy_read(version))
        if found:
            raise InvalidInput(rules.refusal(as_easy_read(version), found))
    version.title, version.text_size, version.published = title.strip()[:200], text_size, published
    version.updated_at = timezone.now()
    version.save()


def explain_word(version: EasyReadVersion, by: User, word: str, meaning: str) -> None:
    """Add (or change, or with no meaning remove) a hard word's explanation."""
    require(by, Permission.CHANGE_STUDY, version.study)
    word, meaning = word.strip()[:60], meaning.strip()[:300]
    if not word:
        raise InvalidInput(_("Write the hard word to explain, then save it again."))
    words = [w for w in version.words if rules.stem(w["word"]) != rules.stem(word)]
    if meaning:
        words.append({"word": word, "meaning": meaning})
    version.words = sorted(words, key=lambda w: w["word"].lower())
    version.save(update_fields=["words"])


def as_easy_read(version: EasyReadVersion) -> rules.EasyRead:
    """The version as the publication's renderers read it."""
    images = {i.pk: i for i in version.images.all()}
    parts = tuple(
        rules.Part(part.heading, tuple(point_of(p, images) for p in part.points))
        for part in ordered_parts(version)
    )
    words = tuple(rules.Word(w["word"], w["meaning"]) for w in version.words)
    return rules.EasyRead(version.title, parts, words, version.text_size)


def point_of(stored: dict, images: Mapping[int, EasyReadImage]) -> rules.Point:
    image = images.get(stored.get("image") or 0)
    if image is not None:
        data = base64.b64encode(bytes(image.data)).decode("ascii")
        picture = rules.Picture(image.alt, image=f"data:{image.kind};base64,{data}")
        return rules.Point(stored["text"], picture)
    if stored.get("symbol"):
        return rules.Point(stored["text"], rules.Picture(stored.get("alt", ""), stored["symbol"]))
    return rules.Point(stored["text"])


def for_publication(study: Study) -> rules.EasyRead | None:
    """The Easy Read version the team asked to publish, or None."""
    version = EasyReadVersion.objects.filter(study=study, published=True).first()
    return as_easy_read(version) if version else None


def source_of(part: EasyReadPart) -> dict[str, object]:
    """What the part puts in easy words, for the editor's left-hand side."""
    study = part.version.study
    if part.kind == EasyReadPart.Kind.FINDING and part.finding is not None:
        finding = part.finding
        themes = [t.label for t in finding.themes.all()]
        return {"title": finding.title, "text": finding.text, "themes": themes}
    if part.kind == EasyReadPart.Kind.NEXT:
        advice = [r.text for r in study.recommendations.all()]
        return {"title": _("The recommendations"), "text": "", "list": advice}
    if part.kind == EasyReadPart.Kind.INTRODUCTION:
        return {"title": study.title, "text": study.summary}
    return {"title": part.heading, "text": _("Its finding was removed; keep or clear this part.")}


def editor_points(part: EasyReadPart, found: list[rules.Problem]) -> list[dict[str, object]]:
    """Each point as the editor shows it (then blank ones to add more): its words, picture,
    up to six other pictures for its words, and the rules it breaks."""
    shown = []
    stored = [*part.points, *([{}] * BLANK_POINTS)]
    for n, point in enumerate(stored):
        where = f"{part.heading}, point {n + 1}"
        words = point.get("keyword") or point.get("text", "")
        symbol = symbols.find(point.get("symbol", "")) if point.get("symbol") else None
        shown.append(
            {
                "n": n,
                "text": point.get("text", ""),
                "keyword": point.get("keyword") or (symbol.code if symbol else ""),
                "symbol": symbol,
                "code": symbol.code if symbol else "",
                "image": point.get("image"),
                "alt": point.get("alt", ""),
                "choices": [s for s in symbols.search(words, 7) if s != symbol][:6]
                if words
                else [],
                "problems": [p for p in found if p.where == where],
            }
        )
    return shown


def check_words(version: EasyReadVersion, text: str) -> list[str]:
    """What one point's words break, as sentences, for the editor's live check."""
    words = tuple(rules.Word(w["word"], w["meaning"]) for w in version.words)
    return [str(p) for p in rules.text_problems(text, words)]
