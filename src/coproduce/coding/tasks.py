"""Background work for the analysis, run by `coproduce worker` (django-tasks, database queue)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from coproduce.accounts.models import User
from coproduce.coding.models import ThemeRun
from coproduce.coding.themes import EDIT, run_suggestions
from coproduce.core.errors import InvalidInput
from coproduce.studies import services as study_services
from coproduce.studies.models import Study


@task()
def suggest_in_background(run_id: int) -> str:
    """Suggest themes as the team asked; the run's record holds its progress."""
    return str(run_suggestions(run_id).state)


def ask_for_suggestions(
    study: Study, by: User, *, backend: str = "default", k: int | None = None
) -> ThemeRun:
    """Queue fresh suggestions for the background worker; the themes page shows its progress.
    A run already waiting or going covers the request."""
    from coproduce.core.analysis.themes import BACKENDS

    study_services.require(by, EDIT, study)
    if backend not in BACKENDS:
        raise InvalidInput(
            _("There is no themes method called %(b)s; choose one from the list.")
            % {"b": backend[:40]}
        )
    going = ThemeRun.objects.filter(
        study=study, state__in=(ThemeRun.State.WAITING, ThemeRun.State.RUNNING)
    ).first()
    if going is not None:
        return going
    run = ThemeRun.objects.create(study=study, asked_by=by, backend=backend, k=k)
    transaction.on_commit(lambda: suggest_in_background.enqueue(run.pk))
    return run
