"""The codebook: hierarchical codes, and their import and export as CSV and REFI-QDA .qdc."""

from __future__ import annotations

import csv
import io

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.coding.models import Code
from coproduce.core.errors import Conflict, InvalidInput
from coproduce.core.formats import refi_qda
from coproduce.core.formats.spreadsheet import SafeWriter, restored
from coproduce.core.text import storable
from coproduce.studies import services as study_services
from coproduce.studies.limits import fitted
from coproduce.studies.models import Study
from coproduce.studies.permissions import Permission

CSV_COLUMNS = ["code", "description", "colour", "inclusion", "exclusion"]
SEPARATOR = " > "


def tree(study: Study) -> list[tuple[Code, int]]:
    """Every code with its depth, parents before their children, in codebook order."""
    codes = list(Code.objects.filter(study=study))
    children: dict[int | None, list[Code]] = {}
    for c in codes:
        children.setdefault(c.parent_id, []).append(c)
    ordered: list[tuple[Code, int]] = []

    def visit(parent: int | None, depth: int) -> None:
        for c in children.get(parent, []):
            ordered.append((c, depth))
            visit(c.pk, depth + 1)

    visit(None, 0)
    return ordered


def paths(study: Study) -> dict[int, str]:
    """Each code's place in the hierarchy ("Parent > Child"), by id, in codebook order."""
    found: dict[int, str] = {}
    for code, _depth in tree(study):
        above = found.get(code.parent_id) if code.parent_id else None
        found[code.pk] = f"{above}{SEPARATOR}{code.name}" if above else code.name
    return found


def _check_colour(colour: str) -> str:
    colour = colour.strip() or "#1d70b8"
    if not refi_qda.COLOUR.match(colour):
        raise InvalidInput(
            _("'%(c)s' is not a colour; give it as # and six hex digits, like #1d70b8.")
            % {"c": colour}
        )
    return colour


def add_code(study: Study, by: User, name: str, parent: Code | None = None, **fields: str) -> Code:
    """Add a code (under `parent`, if given)."""
    study_services.require(by, Permission.CHANGE_STUDY, study)
    name = fitted(name, Code, "name", _("code's name"))
    if not name or SEPARATOR.strip() in name:
        raise InvalidInput(_("Give the code a name (without '>', which separates levels)."))
    if parent is not None and parent.study_id != study.pk:
        raise InvalidInput(_("That parent code belongs to another study."))
    fields["colour"] = _check_colour(fields.get("colour", ""))
    position = Code.objects.filter(study=study, parent=parent).count()
    try:
        with transaction.atomic():
            return Code.objects.create(
                study=study, parent=parent, name=name, position=position, **fields
            )
    except IntegrityError:
        raise Conflict(
            _("There is already a code called '%(n)s' there; choose another name.") % {"n": name}
        ) from None


def update_code(code: Code, by: User, **fields: str) -> Code:
    study_services.require(by, Permission.CHANGE_STUDY, code.study)
    if "colour" in fields:
        fields["colour"] = _check_colour(fields["colour"])
    if "name" in fields and not fields["name"].strip():
        raise InvalidInput(_("A code needs a name."))
    if "name" in fields:
        fields["name"] = fitted(fields["name"], Code, "name", _("code's name"))
    for key, value in fields.items():
        setattr(code, key, value.strip() if key == "name" else value)
    try:
        with transaction.atomic():
            code.save()
    except IntegrityError:
        raise Conflict(_("There is already a code with that name there.")) from None
    return code


def delete_code(code: Code, by: User) -> None:
    """Delete a code that nobody has used (codings are never thrown away with a code)."""
    study_services.require(by, Permission.CHANGE_STUDY, code.study)
    if code.codings.exists() or code.children.exists():
        raise Conflict(
            _("'%(n)s' has codings or sub-codes; move or merge them before deleting it.")
            % {"n": code.name}
        )
    code.delete()


def find_or_add(study: Study, by: User, path: list[str], **fields: str) -> Code:
    """The code at this path, made (with its parents) where missing."""
    parent: Code | None = None
    for depth, name in enumerate(path):
        existing = Code.objects.filter(study=study, parent=parent, name=name).first()
        if existing is None:
            existing = add_code(
                study, by, name, parent, **(fields if depth == len(path) - 1 else {})
            )
        parent = existing
    assert parent is not None
    return parent


# CSV -----------------------------------------------------------------------------------------


def export_csv(study: Study) -> str:
    out = io.StringIO()
    writer = SafeWriter(csv.writer(out))
    writer.writerow(list(CSV_COLUMNS))
    named = paths(study)
    for code, _depth in tree(study):
        writer.writerow(
            [named[code.pk], code.description, code.colour, code.inclusion, code.exclusion]
        )
    return out.getvalue()


def import_csv(study: Study, by: User, data: bytes, *, source: str = "the CSV file") -> int:
    """Add the codes in a CSV (column `code` as "Parent > Child"); all or nothing."""
    study_services.require(by, Permission.CHANGE_STUDY, study)
    try:
        text = storable(data.decode("utf-8-sig"), source)
    except UnicodeDecodeError:
        raise InvalidInput(
            _("%(s)s is not UTF-8 text; save it as CSV (UTF-8).") % {"s": source}
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if "code" not in [c.strip().lower() for c in reader.fieldnames or []]:
        raise InvalidInput(
            _("%(s)s has no 'code' column; the first row must name the columns %(c)s.")
            % {"s": source, "c": ",".join(CSV_COLUMNS)}
        )
    try:
        rows = [
            {(k or "").strip().lower(): v if isinstance(v, str) else "" for k, v in row.items()}
            for row in reader
        ]
    except csv.Error as error:
        raise InvalidInput(
            _("Line %(n)d of %(s)s cannot be read (%(e)s); fix it and try again.")
            % {"n": reader.line_num + 1, "s": source, "e": error}
        ) from None
    before = Code.objects.filter(study=study).count()
    with transaction.atomic():
        for line, row in enumerate(rows, start=2):
            path = [p.strip() for p in restored(row.get("code", "")).split(">") if p.strip()]
            if not path:
                raise InvalidInput(
                    _("Row %(n)d of %(s)s has no code name; fill it in or delete the row.")
                    % {"n": line, "s": source}
                )
            fields = {k: restored(row.get(k, "")) for k in CSV_COLUMNS[1:]}
            try:
                find_or_add(study, by, path, **fields)
            except InvalidInput as error:
                raise InvalidInput(f"Row {line} of {source}: {error}") from None
    return Code.objects.filter(study=study).count() - before


# REFI-QDA ------------------------------------------------------------------------------------


def nodes(study: Study) -> list[refi_qda.CodeNode]:
    """The codebook as REFI-QDA code nodes."""
    made: dict[int, refi_qda.CodeNode] = {}
    roots: list[refi_qda.CodeNode] = []
    for code, _depth in tree(study):
        node = refi_qda.CodeNode(
            guid=str(code.guid),
            name=code.name,
            description="\n\n".join(
                part
                for part in [
                    code.description,
                    code.inclusion and f"Include: {code.inclusion}",
                    code.exclusion and f"Exclude: {code.exclusion}",
                ]
                if part
            ),
            colour=code.colour,
        )
        made[code.pk] = node
        (made[code.parent_id].children if code.parent_id else roots).append(node)
    return roots


def export_qdc(study: Study) -> bytes:
    return refi_qda.write_codebook(nodes(study))


def add_nodes(study: Study, by: User, roots: list[refi_qda.CodeNode]) -> dict[str, Code]:
    """Add REFI-QDA codes (reusing codes already at the same path); their guid -> our code."""
    found: dict[str, Code] = {}
    names: dict[str, list[str]] = {}
    for root in roots:
        for node, parent in root.walk():
            path = [*names.get(parent or "", []), node.name]
            names[node.guid] = path
            found[node.guid] = find_or_add(
                study, by, path, description=node.description, colour=node.colour or ""
            )
    return found


def import_qdc(study: Study, by: User, data: bytes, *, source: str = "the codebook") -> int:
    study_services.require(by, Permission.CHANGE_STUDY, study)
    roots = refi_qda.read_codebook(data, source=source)
    with transaction.atomic():
        before = Code.objects.filter(study=study).count()
        add_nodes(study, by, roots)
        return Code.objects.filter(study=study).count() - before
