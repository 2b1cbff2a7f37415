"""Real-browser fixtures: one headless Chromium per session, a fresh context per test.

Playwright's sync API runs an event loop in this thread, which makes Django refuse
database calls from the test body ("you cannot call this from an async context").
The tests and the live server only ever touch the database from ordinary threads, so
the check is switched off (DJANGO_ALLOW_ASYNC_UNSAFE) while the browser runs: set in the
`browser` fixture rather than at import, so collecting this directory in the unit-test
pass changes nothing for other tests.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pyotp
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-results" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
# axe-core is optional: point AXE_CORE_JS at axe.min.js (`.ci/run` installs it into a temp
# directory when npm is available; locally: `npm install --prefix /tmp/axe axe-core` and
# `AXE_CORE_JS=/tmp/axe/node_modules/axe-core/axe.min.js make test-browser`). Without it the
# journeys still check labels, focus and keyboard use through their own assertions.
AXE_CANDIDATES = [os.environ.get("AXE_CORE_JS", "")]
# Rules whose violations fail a journey; "serious" and "critical" impacts are all reported.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# allauth refuses a TOTP code it has seen for the same user within the code's window, and
# accepts only the current window (MFA_TOTP_TOLERANCE 0). Journeys sign the same demo user in
# several times a minute, so every code handed out is from a window not used before in this
# test and has time left to reach the server; the used-code markers of earlier tests live in
# the database cache, which `journey` clears.
_TOTP_COUNTERS_USED: dict[str, int] = {}
_TOTP_MARGIN_S = 4


def totp_code(secret: str) -> str:
    """A code for `secret` that the server will accept once: wait for a fresh window if needed."""
    totp = pyotp.TOTP(secret)
    while True:
        now = time.time()
        counter = int(now // totp.interval)
        left = (counter + 1) * totp.interval - now
        if counter > _TOTP_COUNTERS_USED.get(secret, -1) and left >= _TOTP_MARGIN_S:
            _TOTP_COUNTERS_USED[secret] = counter
            return totp.at(now)
        time.sleep(left + 0.05)


def _axe_path() -> str | None:
    for candidate in AXE_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium chromium-driver")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Journey:
    """One browser context walking through the app, photographing every page it sees."""

    def __init__(self, browser, base_url: str, name: str):
        # bypass_csp lets axe-core's script be injected; the app's own pages load no inline script.
        self.context = browser.new_context(viewport=VIEWPORTS["desktop"], bypass_csp=_axe_path() is not None,
                                           locale="en-US", timezone_id="UTC")
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.base_url = base_url.rstrip("/")
        self.name = name
        self.step = 0
        self.console_errors: list[str] = []
        self.axe_violations: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.console_errors.append(f"{self.page.url}: {exc}"))
        # Pages may answer 400/403 on purpose; any failing stylesheet, script or image is a bug.
        self.page.on("response", lambda r: r.status >= 400 and r.request.resource_type != "document"
                     and self.console_errors.append(f"{r.status} for {r.request.resource_type} {r.url}"))

    def _on_console(self, msg) -> None:
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self.console_errors.append(f"{self.page.url}: {msg.text}")

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("networkidle")
        return response

    def snap(self, label: str, *, axe: bool = True) -> None:
        """Save phone and desktop screenshots of the current page and run axe-core on it."""
        self.step += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        stem = f"{self.name}-{self.step:02d}-{slug}"
        for width_name in ("phone", "desktop"):
            self.page.set_viewport_size(VIEWPORTS[width_name])
            self.page.screenshot(path=str(SCREENSHOTS / f"{stem}-{width_name}.png"), full_page=True)
            if axe:
                self.axe_check(f"{stem}-{width_name}")
        self.page.set_viewport_size(VIEWPORTS["desktop"])

    def axe_check(self, where: str) -> None:
        path = _axe_path()
        if path is None:
            return
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(path=path)
        result = self.page.evaluate(
            "async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});"
            " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)})); }",
            AXE_TAGS,
        )
        for violation in result:
            self.axe_violations.append(
                f"{where} [{violation['impact']}] {violation['id']}: {violation['help']}\n    "
                + "\n    ".join(violation["nodes"]))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def journey(browser, live_server, audit_rows_cleared, request):
    from django.core.cache import cache

    cache.clear()  # login rate limits and used TOTP codes of earlier tests
    _TOTP_COUNTERS_USED.clear()
    made = []

    def start(name: str | None = None) -> Journey:
        j = Journey(browser, live_server.url, name or request.node.name.removeprefix("test_"))
        made.append(j)
        return j

    yield start
    problems = []
    for j in made:
        problems += j.axe_violations
        problems += [f"console error: {e}" for e in j.console_errors]
        j.close()
    assert not problems, "Accessibility or page errors:\n" + "\n".join(problems)
