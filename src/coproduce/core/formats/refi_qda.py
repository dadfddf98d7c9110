"""REFI-QDA interchange: codebooks (.qdc) and whole coded projects (.qdpx).

The formats are the Rotterdam Exchange Format Initiative's QDA-XML 1.0 (www.qdasoftware.org):
a .qdc is a CodeBook document (namespace urn:QDA-XML:codebook:1.0); a .qdpx is a zip holding
project.qde (namespace urn:QDA-XML:project:1.0) and, optionally, source files under Sources/.
Positions in PlainTextSelection are character offsets into the source's plain text.

Pure: plain data in, bytes out, and back. Reading uses defusedxml (no entities, no external
references) and safe_zip's size limits, so a hostile file is refused, never expanded.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree.ElementTree import Element, SubElement, tostring

import defusedxml.ElementTree as SafeTree
from defusedxml import DefusedXmlException

from coproduce.core.errors import InvalidInput
from coproduce.core.files import reading_zip
from coproduce.core.formats.safe_zip import oversized_member

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "Coproduce"
COLOUR = re.compile(r"^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
MAX_PROJECT_BYTES = 200 * 1024 * 1024


@dataclass
class CodeNode:
    guid: str
    name: str
    description: str = ""
    colour: str = ""
    children: list[CodeNode] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the guids of its notes (memos)

    def walk(self, parent: str | None = None) -> Iterator[tuple[CodeNode, str | None]]:
        yield self, parent
        for child in self.children:
            yield from child.walk(self.guid)


@dataclass(frozen=True)
class Person:
    guid: str
    name: str


@dataclass(frozen=True)
class Selection:
    guid: str
    start: int
    end: int
    code: str  # the code's guid
    coder: str | None  # the user's guid
    created: datetime | None = None


@dataclass
class Source:
    guid: str
    name: str
    text: str
    selections: list[Selection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the guids of its notes (memos)


@dataclass(frozen=True)
class Note:
    """A memo, as REFI-QDA keeps it: a text source of its own, referred to by what it is on."""

    guid: str
    name: str
    text: str
    creator: str | None = None  # the user's guid
    created: datetime | None = None


@dataclass
class Project:
    name: str
    codes: list[CodeNode]
    users: list[Person] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    project_notes: list[str] = field(default_factory=list)  # notes on the project as a whole


def new_guid() -> str:
    return str(uuid.uuid4())


# Writing -------------------------------------------------------------------------------------


def _code_element(parent: Element, node: CodeNode, ns: str) -> None:
    attributes = {"guid": node.guid, "name": node.name, "isCodable": "true"}
    if node.colour and COLOUR.match(node.colour):
        attributes["color"] = node.colour
    element = SubElement(parent, f"{{{ns}}}Code", attributes)
    if node.description:
        SubElement(element, f"{{{ns}}}Description").text = node.description
    for note in node.notes:
        SubElement(element, f"{{{ns}}}NoteRef", {"targetGUID": note})
    for child in node.children:
        _code_element(element, child, ns)


def _document(root: Element) -> bytes:
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(root, encoding="unicode").encode()


def write_codebook(codes: Sequence[CodeNode]) -> bytes:
    """A .qdc codebook."""
    root = Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": ORIGIN})
    holder = SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    for node in codes:
        _code_element(holder, node, CODEBOOK_NS)
    return _document(root)


def project_xml(project: Project) -> bytes:
    """project.qde: users, codebook, and each source with its text and codings."""
    ns = PROJECT_NS
    root = Element(f"{{{ns}}}Project", {"name": project.name, "origin": ORIGIN})
    if project.users:
        users = SubElement(root, f"{{{ns}}}Users")
        for person in project.users:
            SubElement(users, f"{{{ns}}}User", {"guid": person.guid, "name": person.name})
    if project.codes:
        codes = SubElement(SubElement(root, f"{{{ns}}}CodeBook"), f"{{{ns}}}Codes")
        for node in project.codes:
            _code_element(codes, node, ns)
    if project.sources:
        sources = SubElement(root, f"{{{ns}}}Sources")
        for source in project.sources:
            element = SubElement(
                sources, f"{{{ns}}}TextSource", {"guid": source.guid, "name": source.name}
            )
            SubElement(element, f"{{{ns}}}PlainTextContent").text = source.text
            for s in source.selections:
                selection = SubElement(
                    element,
                    f"{{{ns}}}PlainTextSelection",
                    {"guid": new_guid(), "startPosition": str(s.start), "endPosition": str(s.end)}
                    | ({"creatingUser": s.coder} if s.coder else {}),
                )
                coding = SubElement(
                    selection,
                    f"{{{ns}}}Coding",
                    {"guid": s.guid}
                    | ({"creatingUser": s.coder} if s.coder else {})
                    | ({"creationDateTime": s.created.isoformat()} if s.created else {}),
                )
                SubElement(coding, f"{{{ns}}}CodeRef", {"targetGUID": s.code})
            for note in source.notes:
                SubElement(element, f"{{{ns}}}NoteRef", {"targetGUID": note})
    if project.notes:
        notes = SubElement(root, f"{{{ns}}}Notes")
        for n in project.notes:
            attributes = {"guid": n.guid, "name": n.name}
            if n.creator:
                attributes["creatingUser"] = n.creator
            if n.created:
                attributes["creationDateTime"] = n.created.isoformat()
            entry = SubElement(notes, f"{{{ns}}}Note", attributes)
            SubElement(entry, f"{{{ns}}}PlainTextContent").text = n.text
    for note in project.project_notes:
        SubElement(root, f"{{{ns}}}NoteRef", {"targetGUID": note})
    return _document(root)


def write_project(project: Project) -> bytes:
    """A .qdpx: a zip with project.qde (texts inline, so no Sources folder is needed)."""
    buffer = io.BytesIO()
    # A fixed date inside the zip, so the same project gives the same bytes.
    entry = zipfile.ZipInfo("project.qde", date_time=(1980, 1, 1, 0, 0, 0))
    entry.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(entry, project_xml(project))
    return buffer.getvalue()


# Reading -------------------------------------------------------------------------------------


def _parse(data: bytes, source: str) -> Element:
    try:
        root: Element = SafeTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise InvalidInput(
            f"{source} declares XML entities or a DTD, which Coproduce never reads; export the"
            " file again from your QDA software."
        ) from None
    except (SafeTree.ParseError, LookupError, ValueError) as error:  # LookupError: an encoding
        raise InvalidInput(f"{source} is not well-formed XML ({error}); export it again.") from None
    return root


# Codebooks nest a few levels; one nested deeper than this is not a codebook people made.
DEEPEST_CODE = 30


def _codes(holder: Element | None, ns: str, source: str, depth: int = 1) -> list[CodeNode]:
    if holder is None:
        return []
    if depth > DEEPEST_CODE:
        raise InvalidInput(
            f"{source} nests codes more than {DEEPEST_CODE} levels deep; flatten the codebook"
            " in your QDA software and export it again."
        )
    nodes = []
    for element in holder.findall(f"{{{ns}}}Code"):
        guid, name = element.get("guid"), element.get("name")
        if not guid or not name:
            raise InvalidInput(
                f"A code in {source} has no guid or no name; every REFI-QDA code needs both."
            )
        nodes.append(
            CodeNode(
                guid=guid,
                name=name,
                description=(element.findtext(f"{{{ns}}}Description") or "").strip(),
                colour=element.get("color", ""),
                children=_codes(element, ns, source, depth + 1),
                notes=_note_refs(element, ns),
            )
        )
    return nodes


def read_codebook(data: bytes, *, source: str = "the codebook") -> list[CodeNode]:
    """Codes from a .qdc (or from the CodeBook of a project.qde)."""
    root = _parse(data, source)
    if root.tag == f"{{{CODEBOOK_NS}}}CodeBook":
        return _codes(root.find(f"{{{CODEBOOK_NS}}}Codes"), CODEBOOK_NS, source)
    if root.tag == f"{{{PROJECT_NS}}}Project":
        book = root.find(f"{{{PROJECT_NS}}}CodeBook")
        return _codes(
            None if book is None else book.find(f"{{{PROJECT_NS}}}Codes"), PROJECT_NS, source
        )
    raise InvalidInput(
        f"{source} is not a REFI-QDA codebook (its root is {root.tag!r}); export a .qdc file."
    )


def _int(element: Element, name: str, source: str) -> int:
    value = element.get(name, "")
    if not value.lstrip("-").isdecimal():
        raise InvalidInput(f"A selection in {source} has no whole-number {name}; export it again.")
    return int(value)


def _text_source(element: Element, archive: zipfile.ZipFile, source: str) -> str:
    content = element.findtext(f"{{{PROJECT_NS}}}PlainTextContent")
    if content is not None:
        return content
    path = element.get("plainTextPath", "")
    if path.startswith("internal://"):
        name = "Sources/" + path.removeprefix("internal://")
        if name in archive.namelist():
            return archive.read(name).decode("utf-8-sig", errors="replace")
    raise InvalidInput(
        f"The text source {element.get('name', '')!r} in {source} has no plain text inside the"
        " file; export the project with its sources included."
    )


def read_project(data: bytes, *, source: str = "the project") -> Project:
    """A .qdpx's codebook, users and text sources with their codings (other media are skipped)."""
    with reading_zip(source):
        return _read_project(data, source)


def _read_project(data: bytes, source: str) -> Project:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InvalidInput(f"{source} is not a .qdpx (zip) file; export it again.") from None
    with archive:
        too_big = oversized_member(
            archive, max_member=MAX_PROJECT_BYTES, max_total=MAX_PROJECT_BYTES, max_ratio=200
        )
        if too_big is not None:
            raise InvalidInput(
                f"{source} unpacks to far more than it should ({too_big.filename}); it is refused"
                " as a possible zip bomb."
            )
        if "project.qde" not in archive.namelist():
            raise InvalidInput(f"{source} has no project.qde inside; it is not a REFI-QDA project.")
        root = _parse(archive.read("project.qde"), source)
        if root.tag != f"{{{PROJECT_NS}}}Project":
            raise InvalidInput(
                f"{source} is not a REFI-QDA project (its root is {root.tag!r}, not Project in"
                f" {PROJECT_NS})."
            )
        return _project(root, archive, source)


def _project(root: Element, archive: zipfile.ZipFile, source: str) -> Project:
    ns = PROJECT_NS
    users = [
        Person(guid=u.get("guid", ""), name=u.get("name", "") or u.get("id", ""))
        for u in root.iterfind(f"{{{ns}}}Users/{{{ns}}}User")
    ]
    book = root.find(f"{{{ns}}}CodeBook")
    codes = _codes(None if book is None else book.find(f"{{{ns}}}Codes"), ns, source)
    sources = []
    for element in root.iterfind(f"{{{ns}}}Sources/{{{ns}}}TextSource"):
        text = _text_source(element, archive, source)
        found = Source(guid=element.get("guid", ""), name=element.get("name", ""), text=text)
        for selection in element.iterfind(f"{{{ns}}}PlainTextSelection"):
            start = _int(selection, "startPosition", source)
            end = _int(selection, "endPosition", source)
            if not 0 <= start < end <= len(text):
                raise InvalidInput(
                    f"A selection ({start} to {end}) in {found.name!r} of {source} lies outside"
                    f" its {len(text)} characters."
                )
            for coding in selection.iterfind(f"{{{ns}}}Coding"):
                ref = coding.find(f"{{{ns}}}CodeRef")
                found.selections.append(
                    Selection(
                        guid=coding.get("guid", new_guid()),
                        start=start,
                        end=end,
                        code="" if ref is None else ref.get("targetGUID", ""),
                        coder=coding.get("creatingUser") or selection.get("creatingUser"),
                    )
                )
        found.notes = _note_refs(element, ns)
        sources.append(found)
    notes = [
        Note(
            guid=element.get("guid", ""),
            name=element.get("name", ""),
            text=_text_source(element, archive, source),
            creator=element.get("creatingUser"),
        )
        for element in root.iterfind(f"{{{ns}}}Notes/{{{ns}}}Note")
    ]
    return Project(
        name=root.get("name", ""),
        codes=codes,
        users=users,
        sources=sources,
        notes=notes,
        project_notes=_note_refs(root, ns),
    )


def _note_refs(element: Element, ns: str) -> list[str]:
    """The guids of the notes an element refers to (its own NoteRef children)."""
    return [r.get("targetGUID", "") for r in element.findall(f"{{{ns}}}NoteRef")]
