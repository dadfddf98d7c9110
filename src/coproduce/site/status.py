"""The site's status page, for its administrators (coproduce.site.health)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from coproduce.site.health import health


@login_required
@require_GET
def status_page(request: HttpRequest) -> HttpResponse:
    if not request.user.is_superuser:
        raise PermissionDenied(_("Only the site's administrators see its status."))
    found = health()
    return render(
        request,
        "status.html",
        {"health": found, "sentences": found.sentences()},
        status=200 if found.worker_ok else 503,
    )
