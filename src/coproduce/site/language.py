"""The language picker: a plain link on every page (no JavaScript), remembered in a cookie."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET


@require_GET
def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """Show Coproduce in this language from now on, back on the page the person came from."""
    if code not in dict(settings.LANGUAGES):
        raise Http404(_("Coproduce is not written in that language yet."))
    back = request.GET.get("next", "/")
    safe = url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    response = HttpResponseRedirect(back if safe and back.startswith("/") else "/")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
