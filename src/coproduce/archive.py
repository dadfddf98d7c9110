"""The study archive: one versioned zip holding a whole study, each app adding its part.

Layout: `manifest.json` (format, version, the parts and their versions) and one JSON file per
part under `parts/`. Parts use natural keys (e-mail addresses, pseudonyms, slugs), never
database ids, so an archive imports into any database and exports again identically.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.db import DataError, IntegrityError, transaction
from django.db.models import Model

from coproduce import __version__
from coproduce.core.errors import Conflict, InvalidInput
from coproduce.core.files import atomic_path, reading_zip
from coproduce.core.formats.safe_zip import oversized_member
from coproduce.studies.models import Study

FORMAT = "coproduce-study-archive"
FORMAT_VERSION = 1
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_RATIO = 200  # a larger compression ratio than this is treated as a zip bomb


@dataclass
class ImportContext:
    """Shared state while a study's parts load, so later parts find what earlier ones made."""

    loaded: Study | None = None  # set by the study part, which loads first
    found: dict[tuple[str, str], Any] = field(default_factory=dict)
    # Large writes a part leaves until every part has loaded (a conversation's votes), each
    # committing a chunk at a time.
    afterwards: list[Callable[[], None]] = field(default_factory=list)

    @property
    def study(self) -> Study:
        """The study being imported; refused when the archive's study part did not load."""
        if self.loaded is None:
            raise InvalidInput("The archive holds no study; export the study again.")
        return self.loaded

    def remember(self, kind: str, key: str, obj: Any) -> None:
        self.found[(kind, key)] = obj

    def get(self, kind: str, key: str, where: str) -> Any:
        try:
            return self.found[(kind, key)]
        except KeyError:
            raise InvalidInput(
                f"{where} refers to {kind} {key!r}, which is not in the archive; "
                "the archive is damaged, export it again."
            ) from None


@dataclass(frozen=True)
class ArchivePart:
    """One app's share of a study archive."""

    name: str
    version: int
    order: int
    dump: Callable[[Any], Any]
    load: Callable[[ImportContext, Any], None]
    # What personal data the part holds, in a sentence for the manifest; "" when it holds none.
    holds: str = ""
    # True when the part writes its many rows in batches of their own transactions
    # (coproduce.studies.bulk.batches); any other part loads in one transaction.
    batched: bool = False


_parts: dict[str, ArchivePart] = {}

# Evidence ids hold database ids ("story:12"), which change on import. Each strand names its
# exported items by a natural key instead ("story:3", "statement:p1/14"); parts that point at
# evidence (coding, themes) write those keys, and the strand's loader remembers, under
# ("evidence", key), the item's new evidence id.
EvidenceKeys = Callable[["Study"], dict[str, str]]
_evidence_keys: dict[str, EvidenceKeys] = {}


def register_part(part: ArchivePart) -> None:
    _parts[part.name] = part


def register_evidence_keys(strand: str, keys: EvidenceKeys) -> None:
    """Say how a strand names its exported items: {evidence id: natural key}."""
    _evidence_keys[strand] = keys


def evidence_keys(study: Study) -> dict[str, str]:
    """Every exported evidence item of the study, by evidence id, with its natural key.

    Items left out of the archive (withdrawn ones) have no key, so whatever points at them is
    left out too.
    """
    keys: dict[str, str] = {}
    for strand in sorted(_evidence_keys):
        keys.update(_evidence_keys[strand](study))
    return keys


def parts() -> list[ArchivePart]:
    return sorted(_parts.values(), key=lambda p: (p.order, p.name))


def rows(records: Iterable[tuple[Any, ...]]) -> list[list[Any]]:
    """Typed rows (NamedTuples naming each position) as the plain JSON arrays parts hold."""
    return [list(record) for record in records]


def dump_study(study: Study) -> dict[str, Any]:
    """Every part of the study as plain JSON-ready data, keyed by part name."""
    return {part.name: part.dump(study) for part in parts()}


def export_study(study: Study, out: Path) -> Path:
    """Write the study archive to `out`, atomically (a temporary file renamed at the end)."""
    out = out.expanduser()
    if out.is_dir():
        out = out / f"{study.slug}.coproduce.zip"
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "coproduce_version": __version__,
        "exported_at": datetime.now(UTC).isoformat(),
        "study": study.slug,
        "parts": {p.name: {"version": p.version, "file": f"parts/{p.name}.json"} for p in parts()},
        # Whoever receives the archive can see what personal data it holds before opening it.
        # It never holds secrets: no passwords or their hashes, no invitation links.
        "personal_data": {p.name: p.holds for p in parts() if p.holds},
    }
    with (
        atomic_path(out) as partial,
        zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        for name, data in dump_study(study).items():
            archive.writestr(f"parts/{name}.json", json.dumps(data, indent=1, sort_keys=True))
    return out


def read_archive(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The manifest and each part's data, after checking the archive is ours and sound."""
    with reading_zip(path.name):
        return _read_archive(path)


def _read_archive(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise InvalidInput(f"There is no file {path}; check the path.") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise InvalidInput(
            f"{name} is not a Coproduce study archive (not a readable zip file: {error})."
        ) from None
    with archive:
        check_sizes(archive, name)
        manifest = read_json(archive, "manifest.json", name)
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise InvalidInput(
                f"{name} is not a Coproduce study archive (its manifest.json does not say "
                f"format {FORMAT!r}); export the study with `coproduce export-study`."
            )
        version = manifest.get("format_version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise InvalidInput(
                f"{name} uses archive format version {version!r}, newer than this Coproduce "
                f"reads ({FORMAT_VERSION}); upgrade Coproduce to import it."
            )
        data = {}
        for part_name, entry in (manifest.get("parts") or {}).items():
            known = _parts.get(part_name)
            if known is None:
                raise InvalidInput(
                    f"{name} holds a part {part_name!r} that this Coproduce does not know; "
                    "upgrade Coproduce to import it."
                )
            if not isinstance(entry, dict) or entry.get("version", 0) > known.version:
                raise InvalidInput(
                    f"{name}: part {part_name!r} is newer than this Coproduce reads; upgrade it."
                )
            data[part_name] = read_json(archive, f"parts/{part_name}.json", name)
    return manifest, data


def check_sizes(archive: zipfile.ZipFile, name: str) -> None:
    info = oversized_member(
        archive, max_member=MAX_MEMBER_BYTES, max_total=MAX_TOTAL_BYTES, max_ratio=MAX_RATIO
    )
    if info is not None:
        raise InvalidInput(
            f"{name}: {info.filename} unpacks to more than this Coproduce accepts "
            "(a damaged or hostile archive); export the study again."
        )


def read_json(archive: zipfile.ZipFile, member: str, name: str) -> Any:
    try:
        raw = archive.read(member)
    except KeyError:
        raise InvalidInput(
            f"{name} is not a complete Coproduce study archive: {member} is missing."
        ) from None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(f"{name}: {member} is not valid JSON ({error}).") from None


_made_elsewhere: ContextVar[list[Model] | None] = ContextVar("made_elsewhere", default=None)


def made_elsewhere(thing: Model) -> None:
    """Remember something an import made outside its study (an account, an organisation): it
    is removed too if the import fails."""
    made = _made_elsewhere.get()
    if made is not None:
        made.append(thing)


def import_study(path: Path) -> Study:
    """Load a study archive: all of it, or nothing at all.

    The study is made hidden (Study.importing) with its first part, each part then loads in a
    transaction of its own and the votes a chunk at a time, so a large archive never holds
    SQLite's write lock for long; the study appears when everything is in. If anything fails
    on the way, what was written is removed and nothing shows."""
    manifest, data = read_archive(path)
    slug = manifest.get("study")
    if Study.everything.filter(slug=slug).exists():
        raise Conflict(
            f"A study with the short name {slug!r} is already in this database; "
            "import into another data directory or delete that study first."
        )
    context = ImportContext()
    made = _made_elsewhere.set([])
    try:
        for part in parts():
            if part.name in data:
                whole = nullcontext() if part.batched else transaction.atomic()
                with malformed(path, part.name), whole:
                    part.load(context, data[part.name])
                    if context.loaded is not None and not context.loaded.importing:
                        Study.everything.filter(pk=context.loaded.pk).update(importing=True)
                        context.loaded.importing = True
        if context.loaded is None:
            raise InvalidInput(f"{path.name} holds no study; export the study again.")
        for work in context.afterwards:
            with malformed(path, "conversations"):
                work()
        with transaction.atomic():
            Study.everything.filter(pk=context.loaded.pk).update(importing=False)
    except BaseException:
        if context.loaded is not None:
            remove_study(context.loaded)
        with transaction.atomic():
            for thing in reversed(_made_elsewhere.get() or []):
                type(thing)._base_manager.filter(pk=thing.pk).delete()
        raise
    finally:
        _made_elsewhere.reset(made)
    context.loaded.importing = False
    return context.loaded


@contextmanager
def malformed(path: Path, part: str) -> Iterator[None]:
    """A part's data the loading code or the database refuses, as one sentence."""
    try:
        yield
    except (
        LookupError,  # a missing key, or an index past the end of a list
        TypeError,
        ValueError,
        AttributeError,
        IntegrityError,  # a row the database's rules refuse (a span ending first)
        DataError,  # a value the column cannot hold (PostgreSQL)
    ) as error:
        raise InvalidInput(
            f"{path.name}: part {part!r} is malformed ({type(error).__name__}: {error});"
            " export the study again."
        ) from error


def remove_study(study: Study) -> None:
    """Remove a study that did not finish importing: the votes of its conversations a chunk at
    a time, then the rest."""
    from coproduce.conversations.services import remove_votes

    for conversation_id in study.conversations(manager="everything").values_list("pk", flat=True):
        remove_votes(conversation_id)
    with transaction.atomic():
        Study.everything.filter(pk=study.pk).delete()
