"""The JSON API fuzzed from its own OpenAPI document (/api/openapi.json): every operation, with
generated and deliberately malformed input, answers without a server error and, when it
answers 200, in the shape the document promises. New routes are fuzzed as soon as they are
in the document."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup, ServerError
from schemathesis.specs.openapi.checks import response_schema_conformance
from tests.conftest import sign_in

MAX_EXAMPLES = 60


# Loading the document touches no database: it is the same for every user.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Keep the test's transaction across requests, as Django's test client does: the WSGI handler
    would close the connection at the end of each request (it is not in autocommit mode)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def session_cookie(prescriber_a, dana, evan):
    """A prescriber's session, with a patient of hers and one of another clinic to be found (or not)."""
    client = sign_in(Client(), prescriber_a)
    return {"sessionid": client.cookies["sessionid"].value}


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_no_api_input_causes_a_server_error(case, session_cookie):
    response = case.call(cookies=session_cookie)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


def test_the_fuzzer_covers_every_operation_of_the_document(db):
    document = Client().get("/api/openapi.json").json()
    documented = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    fuzzed = {(operation.method.upper(), operation.path) for operation in schema.get_all_operations()
              for operation in [operation.ok()]}
    assert fuzzed == documented and ("GET", "/api/patients/{patient_id}") in fuzzed


def test_the_check_fails_when_a_route_breaks(session_cookie, monkeypatch):
    from dosewise.patients import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "patient_search", broken)
    case = schema["/api/patients"]["GET"].Case(query={"q": "diaz"})
    response = case.call(cookies=session_cookie)
    assert response.status_code == 500
    with pytest.raises(FailureGroup) as failures:
        case.validate_response(response, checks=[not_a_server_error])
    assert [type(failure) for failure in failures.value.exceptions] == [ServerError]
