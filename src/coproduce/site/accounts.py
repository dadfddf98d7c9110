"""Forgotten passwords: a reset link by e-mail where the site can send e-mail (an SMTP server
is configured), otherwise a page saying to ask the site's administrator, who makes a one-time
link with `coproduce reset-link`."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render


def password_reset(request: HttpRequest) -> HttpResponseBase:
    """Ask for a reset link by e-mail, where the site can send e-mail; otherwise a page saying
    to ask the site's administrator (who makes a one-time link)."""
    if not settings.PASSWORD_RESET_BY_EMAIL:
        return render(request, "accounts/reset_ask_admin.html")
    view = auth_views.PasswordResetView.as_view(
        template_name="accounts/reset_form.html",
        email_template_name="accounts/reset_email.txt",
        subject_template_name="accounts/reset_subject.txt",
    )
    return view(request)
