"""Schemathesis against the API's own OpenAPI schema, in this process through the whole WSGI
application (the vote intake in front of Django), with a fixed budget per operation: no input
is answered with a server error (issue 20). Half the cases are aimed at a real conversation,
so the fuzzing reaches past "no such conversation"."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as budget
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.support.factories import two_camps

pytestmark = pytest.mark.django_db(transaction=True)
BUDGET = 40


def operations():  # type: ignore[no-untyped-def]
    from coproduce.site.wsgi import application

    loaded = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    return [result.ok() for result in loaded.get_all_operations()]


def test_no_input_to_any_operation_is_a_server_error(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    conversation, _camps, _people = two_camps()
    found = operations()
    assert len(found) >= 5, [o.label for o in found]
    failures: list[str] = []
    answered: dict[int, int] = {}
    for operation in found:
        fuzz_one(operation, conversation.code, failures, answered)
    assert not failures, "\n".join(failures[:10])
    # The fuzzing reached past the door: real statements listed, xids refused for their
    # signature, bodies refused for their shape.
    refused_for_shape = answered.get(422, 0) + answered.get(400, 0)
    assert answered.get(200) and answered.get(403) and refused_for_shape, answered


def fuzz_one(operation, code: str, failures: list[str], answered: dict[int, int]) -> None:  # type: ignore[no-untyped-def]
    """Up to BUDGET generated requests to one operation, half aimed at a real conversation."""

    cases = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @budget(
        max_examples=BUDGET, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    @given(case=cases, aim=st.booleans())
    def fuzz(case, aim: bool) -> None:  # type: ignore[no-untyped-def]
        if aim and case.path_parameters and "code" in case.path_parameters:
            case.path_parameters["code"] = code
        response = case.call()
        answered[response.status_code] = answered.get(response.status_code, 0) + 1
        if response.status_code >= 500:
            failures.append(
                f"{operation.label}: {response.status_code} for {case.as_curl_command()}"
            )

    fuzz()
