"""REFI-QDA projects checked against the standard's own schema."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

XSD = Path(__file__).parents[2] / "src/coproduce/core/formats/schema/Project-mrt2019.xsd"


def valid_project(data: bytes) -> etree._Element:
    """The project.qde of a .qdpx, asserted valid against the REFI-QDA project schema."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        document = etree.fromstring(archive.read("project.qde"))
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(document)
    return document
