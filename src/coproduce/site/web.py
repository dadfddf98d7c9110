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
