"""The web surface's one translation of Coproduce errors into pages."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coproduce.core.errors import Conflict, CoproduceError, InvalidInput, NotFound, TooMany

STATUS_FOR_ERROR: dict[type[CoproduceError], int] = {
    TooMany: 429,
    NotFound: 404,
    Conflict: 409,
    InvalidInput: 400,
}


BUSY = (
    "The site is busy with a long piece of work (an import) and could not save this just now;"
    " nothing was lost: send it again in a few seconds."
)


def is_busy(exception: BaseException) -> bool:
    """SQLite's write lock held past the busy timeout (a long import): a moment, not a fault."""
    from django.db import OperationalError

    return isinstance(exception, OperationalError) and "database is locked" in str(exception)


def busy(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After and the sentence, as a page or as JSON for the API."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        answer: HttpResponse = JsonResponse({"detail": BUSY}, status=503)
    else:
        answer = render(request, "problem.html", {"message": BUSY}, status=503)
    answer["Retry-After"] = "5"
    return answer


class ProblemMiddleware:
    """Shows a CoproduceError raised by a view as a plain page with the right status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_busy(exception):
            return busy(request)
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
        kept = response.headers.get("Cache-Control", "")
        if not request.path.startswith(CACHEABLE) and "no-store" not in kept:
            response.headers["Cache-Control"] = "no-store"
        return response


# Which posts count against which limit (coproduce.studies.throttle), by the route's name; the
# API's by the end of its path.
LIMITED_PAGES = {
    "join": "joins",
    "conversation-start": "joins",
    "conversation-write": "statements",
    "conversation-vote": "votes",
    "story-tell": "stories",
}
# The API's votes and statements are counted per external id by the API itself.
LIMITED_API = {"/participants": "joins"}


def client_address(request: HttpRequest) -> str:
    """The client's address: behind the proxy (COPRODUCE_BEHIND_PROXY), the last one it added
    to X-Forwarded-For, which a client cannot forge."""
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


class LimitsMiddleware:
    """Counts each participant's post (joining, a statement, a vote, a story) against the hour's
    limits for their address and their browser; over a limit, 429 and a sentence."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: object, args: object, kwargs: object
    ) -> HttpResponse | None:
        if request.method != "POST":
            return None
        kind = self.kind_of(request)
        if kind is None:
            return None
        from coproduce.studies.throttle import spend

        holders = [f"address:{client_address(request)}"]
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            holders.append(f"browser:{session.session_key}")
        from django.db import OperationalError

        try:
            spend(kind, *holders)
        except OperationalError as error:
            if is_busy(error):
                return busy(request)
            raise
        except TooMany as error:
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"detail": str(error)}, status=429)
            return render(request, "problem.html", {"message": str(error)}, status=429)
        return None

    @staticmethod
    def kind_of(request: HttpRequest) -> str | None:
        if request.path.startswith("/api/"):
            return next((k for end, k in LIMITED_API.items() if request.path.endswith(end)), None)
        match = getattr(request, "resolver_match", None)
        return LIMITED_PAGES.get(match.url_name or "") if match else None
