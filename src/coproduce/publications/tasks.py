"""Background work for publications, run by `coproduce worker` (django-tasks, database queue)."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from coproduce.accounts.models import User
from coproduce.publications.models import PublicationBuild
from coproduce.publications.services import run_build
from coproduce.studies.models import Study
from coproduce.studies.permissions import Permission, require


@task()
def build_in_background(build_id: int) -> str:
    """Build a study's publication as the team asked; its progress is on the build's record."""
    return str(run_build(build_id).state)


def ask_for_build(study: Study, by: User) -> PublicationBuild:
    """Queue a build for the background worker; the team's page shows its progress. A build
    already waiting or running covers the request."""
    require(by, Permission.EXPORT_STUDY, study)
    running = PublicationBuild.objects.filter(
        study=study, state__in=(PublicationBuild.State.WAITING, PublicationBuild.State.BUILDING)
    ).first()
    if running is not None:
        return running
    asked = PublicationBuild.objects.create(study=study, asked_by=by)
    transaction.on_commit(lambda: build_in_background.enqueue(asked.pk))
    return asked
