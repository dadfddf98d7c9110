"""Seed statements from a CSV file: every bad row is reported by line; nothing half-imported."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.conversations.models import Conversation, StatementStatus
from coproduce.conversations.services import (
    NewStatement,
    add_seed_statements,
    add_statements,
    clean_statement_text,
)
from coproduce.core.analysis.similar import normalise
from coproduce.core.errors import CoproduceError, InvalidInput
from coproduce.core.text import storable
from coproduce.studies.permissions import Permission
from coproduce.studies.services import require

MAX_BYTES = 5 * 1024 * 1024
TRUE = {"1", "yes", "true", "y"}
FALSE = {"", "0", "no", "false", "n"}


def text_of(data: bytes) -> str:
    """The file's text, or one sentence: too large, or a line that is not UTF-8."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(_("The file is larger than 5 MB; split it into smaller files."))
    try:
        return storable(data.decode("utf-8-sig"), "The file")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidInput(
            _("Line %(line)d is not UTF-8 text; save the file as UTF-8 and try again.")
            % {"line": line}
        ) from None


def read_seed_csv(conversation: Conversation, data: bytes) -> list[NewStatement]:
    """Statements from a CSV with a `text` column (and optionally `meta`), or every problem."""
    text = text_of(data)
    csv.field_size_limit(100_000)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "text" not in header:
        raise InvalidInput(_("The file needs a header row with a column called “text”."))
    reader.fieldnames = header
    problems: list[str] = []
    statements: list[NewStatement] = []
    seen: dict[str, int] = {
        normalise(t): -1 for t in conversation.statements.values_list("text", flat=True)
    }
    try:
        for row in reader:
            line = reader.line_num
            try:
                cleaned = clean_statement_text(conversation, row.get("text") or "")
            except CoproduceError as error:
                problems.append(_("Line %(line)d: %(problem)s") % {"line": line, "problem": error})
                continue
            key = normalise(cleaned)
            if key in seen:
                where = (
                    _("already in the conversation")
                    if seen[key] < 0
                    else _("the same as line %(n)d") % {"n": seen[key]}
                )
                problems.append(_("Line %(line)d: %(where)s.") % {"line": line, "where": where})
                continue
            said = (row.get("meta") or "").strip().lower()
            if said not in TRUE | FALSE:
                problems.append(
                    _("Line %(line)d: “meta” is “%(said)s”; write yes or no (or leave it empty).")
                    % {"line": line, "said": said[:20]}
                )
                continue
            seen[key] = line
            meta = said in TRUE
            status = StatementStatus.META if meta else StatementStatus.APPROVED
            statements.append(NewStatement(text=cleaned, is_seed=True, status=status))
    except csv.Error as error:
        problems.append(
            _("Line %(line)d: %(problem)s.") % {"line": reader.line_num, "problem": error}
        )
    if problems:
        raise InvalidInput(" ".join(problems[:20]) + (" …" if len(problems) > 20 else ""))
    if not statements:
        raise InvalidInput(_("The file has no statements in it."))
    return statements


def import_seed_csv(conversation: Conversation, by: User, data: bytes) -> int:
    """Add the file's statements as approved seed statements, all or none; returns how many."""
    require(by, Permission.CHANGE_STUDY, conversation.study)
    statements = [
        NewStatement(text=s.text, is_seed=True, status=s.status, written_by=by)
        for s in read_seed_csv(conversation, data)
    ]
    return len(add_statements(conversation, statements))


def import_seed_file(conversation: Conversation, by: User, name: str, data: bytes) -> int:
    """Seed statements from a file: a CSV (by its .csv name) as import_seed_csv reads it, any
    other text file one statement a line; all or none, and how many were added."""
    if name.lower().endswith(".csv"):
        return import_seed_csv(conversation, by, data)
    require(by, Permission.CHANGE_STUDY, conversation.study)
    lines = [line for line in text_of(data).splitlines() if line.strip()]
    if not lines:
        raise InvalidInput(_("%(name)s has no statements in it.") % {"name": name})
    return add_seed_statements(conversation, by, lines)
