"""Publishing a study: build its publication into a folder, and open it to the public.

The folder is written whole or not at all (built beside it, then swapped in); a file whose
bytes did not change is left as it was, so a rebuild touches only what changed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.coding.qdpx import project_bytes
from coproduce.conversations.models import Purpose
from coproduce.conversations.polis import export_polis
from coproduce.core.errors import ConfigurationError, Conflict
from coproduce.core.evidence import ConsentLevel
from coproduce.core.publishing.bundle import publication_files
from coproduce.core.publishing.renderers.poster import Built
from coproduce.publications.builder import build_publication
from coproduce.publications.models import PublicationBuild, PublishedStudy
from coproduce.studies import audit
from coproduce.studies.background import run_recorded
from coproduce.studies.models import AuditEvent, Study
from coproduce.studies.permissions import Permission, require

Progress = Callable[[str], None]


def folder_for(study: Study) -> Path:
    """Where the served site keeps a study's publication."""
    return Path(settings.OUTPUTS_DIR) / "publication" / study.slug


STEPS = 3  # how many times `build` reports progress


def build(study: Study, out: Path, progress: Progress | None = None) -> dict[str, bytes]:
    """Build the publication into `out` (replacing what was there); returns the files."""
    say = progress or (lambda step: None)
    say(_("Gathering what may be published"))
    publication = build_publication(study)
    say(_("Writing the summary, the report, the open data and the posters"))
    extra, offered = interchange_files(study)
    try:
        files = publication_files(
            publication, extra=extra, extra_outputs=offered, built=posters_built(out)
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        raise ConfigurationError(outside_program_failed(error)) from None
    write_folder(out, files)
    say(_("Done"))
    return files


def run_build(build_id: int) -> PublicationBuild:
    """Run a queued build, noting each step on it (for the team's page), and its end."""
    asked = PublicationBuild.objects.select_related("study", "asked_by").get(pk=build_id)

    def step(what: str) -> None:
        asked.step, asked.steps_done = what[:200], asked.steps_done + 1
        asked.save(update_fields=["step", "steps_done"])

    run_recorded(
        asked,
        running=PublicationBuild.State.BUILDING,
        done=PublicationBuild.State.DONE,
        failed=PublicationBuild.State.FAILED,
        unexpected=_("The build stopped on an unexpected error; the server's log has it."),
        work=lambda: publish(asked.study, asked.asked_by or audit.COMMAND_LINE, progress=step),
    )
    return asked


def posters_built(out: Path) -> dict[str, Built]:
    """The posters of the last build in `out`, with their sources, from its manifest (nothing
    when there is no good earlier build: every poster is then rendered)."""
    try:
        entries = json.loads((out / "manifest.json").read_bytes())["files"]
        sources = {e["path"]: e["source"] for e in entries if "source" in e}
        return {
            path[: -len(".pdf")]: Built(
                source,
                (out / path).read_bytes(),
                (out / (path[: -len(".pdf")] + ".png")).read_bytes(),
            )
            for path, source in sources.items()
            if path.endswith(".pdf") and sources.get(path[: -len(".pdf")] + ".png") == source
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def interchange_files(study: Study) -> tuple[dict[str, bytes], tuple[tuple[str, str], ...]]:
    """The publication's files in other tools' formats: each conversation as a Polis export and
    the coded project as REFI-QDA, both with only what people agreed to publish."""
    files = {f"data/{study.slug}.qdpx": project_bytes(study, ConsentLevel.PUBLISH)}
    offered = [(f"data/{study.slug}.qdpx", "The coded project, for QDA software (REFI-QDA)")]
    with tempfile.TemporaryDirectory() as folder:
        gathering = study.conversations.filter(purpose=Purpose.GATHER)
        for conversation in gathering.order_by("position", "pk"):
            written = export_polis(conversation, Path(folder) / conversation.code, published=True)
            for path in sorted(written.iterdir()):
                files[f"data/polis/{conversation.code}/{path.name}"] = path.read_bytes()
            offered.append(
                (
                    f"data/polis/{conversation.code}/comments.csv",
                    f"Conversation “{conversation.question}” as a Polis export (CC BY 4.0)",
                )
            )
    return files, tuple(offered)


def outside_program_failed(error: subprocess.SubprocessError) -> str:
    """One sentence for a program the formats need (ffmpeg, espeak-ng, liblouis) that failed."""
    command = getattr(error, "cmd", None) or ["a program"]
    program = Path(str(command[0])).name
    said = getattr(error, "stderr", b"") or b""
    first = (said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)).strip()
    reason = first.splitlines()[0][:200] if first else str(error)
    return (
        f"{program} failed while the publication was built ({reason}); check that Debian's "
        f"package for it is installed and working, then build again."
    )


def write_folder(out: Path, files: dict[str, bytes]) -> None:
    """Make `out` hold exactly these files: unchanged ones are kept, the rest written anew, and
    the whole folder swapped in at once."""
    staging = out.with_name(out.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    for path, data in files.items():
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        previous = out / path
        if previous.is_file() and previous.read_bytes() == data:
            shutil.copy2(previous, target)  # unchanged: keep its time, so tools see no change
        else:
            target.write_bytes(data)
    old = out.with_name(out.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)


@transaction.atomic
def publish(
    study: Study, by: User | str, *, public: bool | None = None, progress: Progress | None = None
) -> PublishedStudy:
    """Build the study's publication where the site serves it; `public` opens (or closes) it to
    everyone. `by` is a team member who may export, or audit.COMMAND_LINE."""
    if isinstance(by, User):
        require(by, Permission.EXPORT_STUDY, study)
    files = build(study, folder_for(study), progress)
    manifest = json.loads(files["manifest.json"])
    record, _created = PublishedStudy.objects.get_or_create(
        study=study, defaults={"edition": manifest["edition"]}
    )
    record.built_at = timezone.now()
    record.built_by = by if isinstance(by, User) else None
    record.edition = manifest["edition"]
    record.files = manifest["files"]
    if public is not None and public != record.public:
        record.public = public
        record.made_public_at = timezone.now() if public else None
    record.save()
    audit.record(study, by, AuditEvent.Action.EXPORTED, "the publication")
    return record


def set_public(study: Study, by: User, public: bool) -> PublishedStudy:
    require(by, Permission.EXPORT_STUDY, study)
    record = PublishedStudy.objects.filter(study=study).first()
    if record is None:
        raise Conflict(_("Build the publication first; then it can be made public."))
    record.public = public
    record.made_public_at = timezone.now() if public else None
    record.save(update_fields=["public", "made_public_at"])
    return record


def public_publication(slug: str) -> PublishedStudy | None:
    return (
        PublishedStudy.objects.select_related("study").filter(study__slug=slug, public=True).first()
    )
