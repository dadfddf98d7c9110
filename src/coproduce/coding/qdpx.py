"""REFI-QDA projects (.qdpx): the coded study out to NVivo, ATLAS.ti or QualCoder, and back in.

Each function that changes something takes the acting user (`by`) and checks their role first.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.coding import codebook
from coproduce.coding.codings import coder_of
from coproduce.coding.evidence import evidence_by_id
from coproduce.coding.models import (
    Code,
    Coding,
    Document,
    Memo,
)
from coproduce.core.errors import InvalidInput
from coproduce.core.evidence import ConsentLevel, may_leave
from coproduce.core.formats import refi_qda
from coproduce.studies import audit
from coproduce.studies import services as study_services
from coproduce.studies.models import AuditEvent, Study
from coproduce.studies.permissions import Permission

EDIT = Permission.CHANGE_STUDY


def coder_guid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"coproduce:coder:{name}"))


def export_qdpx(study: Study, by: User) -> bytes:
    """The coded project, for a team member allowed to export the study."""
    study_services.require(by, Permission.EXPORT_STUDY, study)
    audit.record(study, by, AuditEvent.Action.EXPORTED, "coded project (.qdpx)")
    return project_bytes(study)


def project_bytes(study: Study, use: ConsentLevel = ConsentLevel.STORE) -> bytes:
    """The coded project as .qdpx: the codebook, every coder, and every evidence item that may
    leave the restricted view for this use (checked for personal data, not withdrawn; PUBLISH
    for a publication) with its codings."""
    records = {r.evidence_id: r for r in may_leave(evidence_by_id(study).values(), use)}
    codings = defaultdict(list)
    coders = {}
    for c in Coding.objects.filter(study=study).select_related("code", "coder"):
        name = coder_of(c)
        coders[name] = coder_guid(name)
        codings[c.evidence_id].append(c)
    sources = []
    for evidence_id, record in records.items():
        source = refi_qda.Source(
            guid=str(uuid.uuid5(uuid.NAMESPACE_URL, f"coproduce:{study.pk}:{evidence_id}")),
            name=evidence_id,
            text=record.text,
        )
        for c in codings.get(evidence_id, []):
            if c.end <= len(record.text):
                source.selections.append(
                    refi_qda.Selection(
                        str(c.guid),
                        c.start,
                        c.end,
                        str(c.code.guid),
                        coders[coder_of(c)],
                        c.created_at,
                    )
                )
        sources.append(source)
    project = refi_qda.Project(
        name=study.title,
        codes=codebook.nodes(study),
        users=[refi_qda.Person(g, n) for n, g in sorted(coders.items())],
        sources=sources,
    )
    if use == ConsentLevel.STORE:  # the team's notes stay out of what is published
        add_memos(study, project, coders)
    project.users = [refi_qda.Person(g, n) for n, g in sorted(coders.items())]
    return refi_qda.write_project(project)


def add_memos(study: Study, project: refi_qda.Project, users: dict[str, str]) -> None:
    """The study's memos as REFI-QDA notes, each referred to by its code, its source (only
    sources in the project) or the project."""
    codes = {node.guid: node for top in project.codes for node, _parent in top.walk()}
    sources = {source.name: source for source in project.sources}
    for memo in Memo.objects.filter(study=study).select_related("code", "author"):
        target: list[str] | None = None
        if memo.code_id:
            node = codes.get(str(memo.code.guid)) if memo.code else None
            target = node.notes if node else None
        elif memo.evidence_id:
            source = sources.get(memo.evidence_id)
            target = source.notes if source else None
        else:
            target = project.project_notes
        if target is None:
            continue  # on an item left out of this project
        author = memo.author.email if memo.author else ""
        if author:
            users.setdefault(author, coder_guid(author))
        guid = str(memo.guid)
        target.append(guid)
        name = (
            f"Memo on {memo.code.name}"
            if memo.code
            else (f"Memo on {memo.evidence_id}" if memo.evidence_id else "Memo on the study")
        )
        project.notes.append(
            refi_qda.Note(guid, name, memo.text, users.get(author), memo.created_at)
        )


def import_qdpx(
    study: Study,
    by: User,
    data: bytes,
    *,
    source: str = "the project",
    consent: ConsentLevel = ConsentLevel.STORE,
) -> tuple[int, int, int]:
    """Add a .qdpx's codes, its texts as documents and their codings; all or nothing."""
    study_services.require(by, EDIT, study)
    project = refi_qda.read_project(data, source=source)
    users = {u.guid: u.name or u.guid for u in project.users}
    with transaction.atomic():
        codes = codebook.add_nodes(study, by, project.codes)
        added = 0
        documents: dict[str, str] = {}  # each source's guid: its document's evidence id
        for s in project.sources:
            document = Document.objects.create(
                study=study,
                name=s.name[:300] or _("Imported text"),
                text=s.text,
                imported_from=source[:300],
                consent=int(consent),
            )
            documents[s.guid] = f"document:{document.pk}"
            for sel in s.selections:
                if sel.code not in codes:
                    raise InvalidInput(
                        _("A coding in '%(d)s' of %(s)s uses a code that is not in its codebook.")
                        % {"d": s.name, "s": source}
                    )
                Coding.objects.get_or_create(
                    study=study,
                    code=codes[sel.code],
                    evidence_id=f"document:{document.pk}",
                    start=sel.start,
                    end=sel.end,
                    coder=by,
                    imported_coder=users.get(sel.coder or "", sel.coder or _("unnamed coder"))[
                        :200
                    ],
                    defaults={"passage": s.text[sel.start : sel.end]},
                )
                added += 1
        import_notes(study, by, project, codes, documents)
    return len(codes), len(project.sources), added


def import_notes(
    study: Study,
    by: User,
    project: refi_qda.Project,
    codes: dict[str, Code],
    documents: dict[str, str],
) -> int:
    """The project's notes as memos: on the code or the text that refers to them, else on the
    study. The person importing is their author; the note's own author is named in it."""
    names = {u.guid: u.name for u in project.users}
    on_code = {n: node.guid for top in project.codes for node, _p in top.walk() for n in node.notes}
    on_text = {
        n: documents[s.guid] for s in project.sources for n in s.notes if s.guid in documents
    }
    for note in project.notes:
        text = note.text.strip()
        if not text:
            continue
        author = names.get(note.creator or "", "")
        if author:
            text = f"{text}\n({_('by %(a)s, in the imported project') % {'a': author}})"
        Memo.objects.create(
            study=study,
            code=codes.get(on_code.get(note.guid, "")),
            evidence_id="" if note.guid in on_code else on_text.get(note.guid, ""),
            author=by,
            text=text[:20_000],
        )
    return len(project.notes)
