"""Build the demo study and write its outputs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from coproduce.archive import export_study
from coproduce.demo.registry import DemoContext, demo_parts
from coproduce.studies.models import Study

DEMO_SLUG = "coproduction-in-practice"
DEMO_EMAIL = "demo@coproduce.example"
DEMO_PASSWORD = "coproduce-demo"  # noqa: S105  (a published demo login, local only)


@dataclass(frozen=True)
class DemoResult:
    study: Study
    created: bool
    outputs: list[Path]


def build_demo() -> DemoResult:
    """Create the demo study once (later runs reuse it) and write its outputs."""
    existing = Study.everything.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return DemoResult(existing, created=False, outputs=write_outputs(existing))
    context = DemoContext()
    with transaction.atomic():
        for part in demo_parts():
            part.build(context)
    return DemoResult(context.study, created=True, outputs=write_outputs(context.study))


def write_outputs(study: Study) -> list[Path]:
    """Everything the demo publishes, under the data directory's outputs folder."""
    outputs_dir = Path(settings.OUTPUTS_DIR)
    outputs_dir.mkdir(parents=True, exist_ok=True)
    from coproduce.conversations.models import Purpose
    from coproduce.conversations.opinion import write_analysis

    written = [export_study(study, outputs_dir / f"{study.slug}.coproduce.zip")]
    gathering = study.conversations.filter(purpose=Purpose.GATHER)  # not the member check
    for conversation in gathering.order_by("position", "id"):
        written.append(
            write_analysis(conversation, outputs_dir / f"opinion-{conversation.code}.json")
        )
    from coproduce.coding import codebook, qdpx
    from coproduce.core.files import write_atomically

    # The coded project, for QualCoder, NVivo, ATLAS.ti or MAXQDA, and the codebook on its own.
    project = write_atomically(outputs_dir / f"{study.slug}.qdpx", qdpx.project_bytes(study))
    codes = write_atomically(outputs_dir / f"{study.slug}-codebook.qdc", codebook.export_qdc(study))
    # The study's publication, published: the served site's public page shows it.
    from coproduce.publications import services as publications
    from coproduce.studies import audit

    publications.publish(study, audit.COMMAND_LINE, public=True)
    return [*written, project, codes, publications.folder_for(study) / "index.html"]
