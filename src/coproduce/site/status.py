"""Account pages the site itself serves: its status (for administrators) and asking for a
password reset (only where an SMTP server is configured)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
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


def password_reset(request: HttpRequest) -> HttpResponseBase:
    """Ask for a reset link by e-mail, where the site can send e-mail; otherwise a page saying
    to ask the site's administrator (who makes a one-time link)."""
    from django.conf import settings
    from django.contrib.auth import views as auth_views

    if not settings.PASSWORD_RESET_BY_EMAIL:
        return render(request, "accounts/reset_ask_admin.html")
    view = auth_views.PasswordResetView.as_view(
        template_name="accounts/reset_form.html",
        email_template_name="accounts/reset_email.txt",
        subject_template_name="accounts/reset_subject.txt",
    )
    return view(request)
