"""The Easy Read version in the study archive: its settings, parts, points and own pictures.
Parts name their finding by its place among the study's findings, as the analysis part keeps
them."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from coproduce.archive import ArchivePart, ImportContext, register_part
from coproduce.coding.models import Finding
from coproduce.core.errors import InvalidInput
from coproduce.publications.models import EasyReadPart, EasyReadVersion
from coproduce.studies.models import Study


def dump(study: Study) -> dict[str, Any] | None:
    version = EasyReadVersion.objects.filter(study=study).first()
    if version is None:
        return None
    places = {f.pk: n for n, f in enumerate(Finding.objects.filter(study=study))}
    images = list(version.images.order_by("pk"))
    image_index = {image.pk: n for n, image in enumerate(images)}
    return {
        "title": version.title,
        "text_size": version.text_size,
        "published": version.published,
        "words": version.words,
        "images": [
            {"kind": i.kind, "alt": i.alt, "data": base64.b64encode(bytes(i.data)).decode()}
            for i in images
        ],
        "parts": [
            {
                "kind": part.kind,
                "finding": places.get(part.finding_id) if part.finding_id else None,
                "heading": part.heading,
                "points": [
                    {**point, "image": image_index.get(point.get("image"))} for point in part.points
                ],
            }
            for part in version.parts.order_by("pk")
        ],
    }


def load(context: ImportContext, data: dict[str, Any] | None) -> None:
    if not data:
        return
    where = "The archive's Easy Read version"
    version = EasyReadVersion.objects.create(
        study=context.study,
        title=data["title"],
        text_size=data["text_size"],
        published=data["published"],
        words=data["words"],
    )
    made = []
    for image in data["images"]:
        try:
            picture = base64.b64decode(image["data"], validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput(f"{where} has a damaged picture; export the study again.") from None
        made.append(version.images.create(data=picture, kind=image["kind"], alt=image["alt"]))
    for row in data["parts"]:
        finding = None
        if row["finding"] is not None:
            finding = context.get("finding", str(row["finding"]), where)
        points = [
            {**p, "image": made[p["image"]].pk if p.get("image") is not None else None}
            for p in row["points"]
        ]
        EasyReadPart.objects.create(
            version=version,
            kind=row["kind"],
            finding=finding,
            heading=row["heading"],
            points=points,
        )


register_part(ArchivePart("easy_read", 1, 100, dump, load))
