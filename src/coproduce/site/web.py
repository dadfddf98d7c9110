"""The web surface's one translation of Coproduce errors into pages."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coproduce.core.errors import Conflict, CoproduceError, InvalidInput, NotFound

STATUS_FOR_ERROR: dict[type[CoproduceError], int] = {
    NotFound: 404,
    Conflict: 409,
    InvalidInput: 400,
}


class ProblemMiddleware:
    """Shows a CoproduceError raised by a view as a plain page with the right status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, CoproduceError):
            return None
        status = next(
            (code for kind, code in STATUS_FOR_ERROR.items() if isinstance(exception, kind)), 400
        )
        return render(request, "problem.html", {"message": str(exception)}, status=status)


# Scripts only from the site itself, never inline: what an injected <script> would need.
# Styles may be inline (the publication's pages carry theirs, charts set widths), images may
# be data: URIs (logos in the publication), and nothing may frame the site.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "media-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# Pages anyone may cache: the public publication and static files. Everything else may hold
# someone's personal data, so no browser or proxy keeps a copy.
CACHEABLE = ("/static/", "/s/")


class HeadersMiddleware:
    """The Content Security Policy on every answer, and `Cache-Control: no-store` on every
    answer that may hold personal data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if not request.path.startswith(CACHEABLE):
            response.headers["Cache-Control"] = "no-store"
        return response
