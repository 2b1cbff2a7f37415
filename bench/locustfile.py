"""The users of the load test (bench/bench_load.py): clinicians, portal users and one `/healthz` probe.

Each user takes one of the accounts bench_load.py created (BENCH_LOAD_ACCOUNTS names the JSON
file: session keys, each clinician's patients, each portal user's open questionnaires), so no
two users share a record and nobody signs in during the run. The users per class are the
accounts in the file (`fixed_count`): the mix is the file's, 1 clinician to 10 portal users by
default as in the issue's 200 and 2,000.

Every request is named after its endpoint, so the statistics group the IDs together; a page
must answer 200 and a form post 302 (a redirect to the sign-in page is a failure, not a page).
The writes are real form posts with the CSRF token of the page they came from: a clinician's
safety check while typing an order and a PHQ-9 entered in clinic; a patient's dose log entry
and questionnaire answers. Refuses any host but loopback: the load test must never reach a
server with real patients on it.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, between, constant, events, task
from locust.exception import StopUser

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_path = os.environ.get("BENCH_LOAD_ACCOUNTS")
ACCOUNTS = json.loads(Path(_path).read_text(encoding="utf-8")) if _path else {"clinicians": [], "portal": []}
_NEXT = {"clinicians": itertools.count(), "portal": itertools.count()}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DOSE_FORM = re.compile(r'<form[^>]*id="dose-[^"]*"[^>]*>(.*?)</form>', re.S)
# What a clinician types into an order, pausing twice: the safety check answers each pause.
ORDERS = (("sert", "sertraline", "100"), ("quet", "quetiapine", "300"), ("lith", "lithium", "900"),
          ("lamo", "lamotrigine", "200"), ("bupr", "bupropion", "300"), ("escit", "escitalopram", "20"))
CHART_TABS = ("medications", "assessments", "monitoring")


def _seconds(name: str, default: str) -> tuple[float, float]:
    low, high = (float(part) for part in os.environ.get(name, default).split(","))
    return low, high


@events.test_start.add_listener
def _loopback_only(environment, **_kwargs) -> None:
    host = urlsplit(environment.host or "").hostname
    if host not in LOOPBACK:
        raise SystemExit(f"the load test runs against loopback only, not {environment.host!r}")


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    return found.group(1) if found else ""


class _SignedIn(HttpUser):
    abstract = True
    kind = ""
    think = (0.0, 0.0)  # seconds between two actions, at least and at most

    def on_start(self) -> None:
        accounts = ACCOUNTS[self.kind]
        number = next(_NEXT[self.kind])
        if number >= len(accounts):
            raise StopUser()
        self.account = accounts[number]
        self.client.cookies.set(ACCOUNTS["session_cookie"], self.account["session"])
        self.account_taken()
        # Users arrive at random within one think time, not all at once with their first click.
        gevent.sleep(random.uniform(0, self.think[1]))
        self.first_visit()

    def account_taken(self) -> None:
        """Set up what the user keeps from its account (nothing by default)."""

    def first_visit(self) -> None:
        """With BENCH_LOAD_EVERY_TASK_FIRST set, do each task once before the weighted mix begins.

        The smoke test (tests/app/test_bench_load.py) sets it, so a run of a few seconds reaches
        every endpoint; the benchmark leaves it unset and measures the mix alone.
        """
        if os.environ.get("BENCH_LOAD_EVERY_TASK_FIRST"):
            for name in dict.fromkeys(each.__name__ for each in self.tasks):
                getattr(self, name)()

    def page(self, path: str, name: str) -> str:
        """GET a page that must answer 200; return its HTML ('' when it failed)."""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} instead of 200 "
                                 f"{response.headers.get('Location', '')}".strip())
                return ""
            return response.text

    def post(self, path: str, name: str, data: dict, *, expect: int = 302, headers: dict | None = None) -> None:
        """POST a form that must answer `expect` (and, for a redirect, not to the sign-in page)."""
        with self.client.post(path, data=data, name=name, allow_redirects=False, catch_response=True,
                              headers=headers) as response:
            location = response.headers.get("Location", "")
            if response.status_code != expect or "/accounts/login" in location:
                response.failure(f"{response.status_code} instead of {expect} {location}".strip())


class ClinicianUser(_SignedIn):
    """A prescriber going through the day: charts, Today, the worklist, the caseload, orders, a PHQ-9."""

    kind = "clinicians"
    weight = 1
    fixed_count = len(ACCOUNTS["clinicians"])
    think = _seconds("BENCH_LOAD_CLINICIAN_WAIT", "5,15")
    wait_time = between(*think)

    def patient(self) -> int:
        return random.choice(self.account["patients"])

    @task(6)
    def chart_overview(self) -> None:
        self.page(f"/patients/{self.patient()}/", "chart overview")

    @task(6)
    def chart_tab(self) -> None:
        self.page(f"/patients/{self.patient()}/tab/{random.choice(CHART_TABS)}/", "chart tab")

    @task(3)
    def today(self) -> None:
        self.page("/", "Today")

    @task(2)
    def worklist(self) -> None:
        self.page("/monitoring/worklist/", "worklist")

    @task(2)
    def caseload(self) -> None:
        self.page("/assessments/caseload/", "caseload")

    @task(3)
    def order_with_safety_check(self) -> None:
        patient = self.patient()
        html = self.page(f"/medications/patients/{patient}/new/", "order form")
        token = CSRF.search(html)
        if token is None:
            return
        typed, drug, dose = random.choice(ORDERS)
        for fields in ({"drug": typed}, {"drug": drug, "dose_mg_per_day": dose}):
            self.post(f"/medications/patients/{patient}/check/", "safety check",
                      {"csrfmiddlewaretoken": token.group(1), "source": "clinic", "refills": "0", **fields},
                      expect=200, headers={"HX-Request": "true"})

    @task(1)
    def questionnaire_in_clinic(self) -> None:
        patient = self.patient()
        path = f"/assessments/patients/{patient}/administer/phq9/"
        html = self.page(path, "questionnaire form (clinic)")
        token = CSRF.search(html)
        if token is None:
            return
        self.post(path, "questionnaire answers (clinic)", {
            "csrfmiddlewaretoken": token.group(1), "idempotency_key": _hidden(html, "idempotency_key"),
            **random.choice(ACCOUNTS["answers"]["phq9"])})


class PortalUser(_SignedIn):
    """A patient on the portal: Today, the medicine list, logging doses, answering a questionnaire."""

    kind = "portal"
    weight = 10
    fixed_count = len(ACCOUNTS["portal"])
    think = _seconds("BENCH_LOAD_PORTAL_WAIT", "20,60")
    wait_time = between(*think)

    def account_taken(self) -> None:
        self.open_links = list(self.account["links"].items())

    @task(6)
    def home(self) -> None:
        self.page("/portal/", "portal home")

    @task(2)
    def medicines(self) -> None:
        self.page("/portal/medicines/", "portal medicines")

    @task(3)
    def dose_log(self) -> None:
        html = self.page("/portal/doses/", "dose log")
        forms = [form for form in DOSE_FORM.findall(html) if 'name="medication"' in form]
        if not forms:
            return
        form = random.choice(forms)
        data = {"csrfmiddlewaretoken": CSRF.search(form).group(1), "medication": _hidden(form, "medication"),
                "day": _hidden(form, "day"), "replaces": _hidden(form, "replaces")}
        if random.random() < 0.85:
            data["status"] = "taken"
        else:
            data.update(status="missed", reason=random.choice(("forgot", "ran_out", "side_effects")))
        self.post("/portal/doses/", "dose log entry", data)

    @task(1)
    def questionnaire(self) -> None:
        if not self.open_links:
            return
        key, link = self.open_links.pop()
        path = f"/portal/questionnaires/{link}/"
        html = self.page(path, "portal questionnaire")
        token = CSRF.search(html)
        if token is None:
            return
        self.post(path, "portal questionnaire answers", {"csrfmiddlewaretoken": token.group(1),
                                                         **random.choice(ACCOUNTS["answers"][key])})


class FloorProbe(HttpUser):
    """`/healthz` twice a second during the run: the framework's floor under the same load."""

    fixed_count = 1
    wait_time = constant(0.5)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="/healthz")
