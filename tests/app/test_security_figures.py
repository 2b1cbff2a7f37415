"""The figures in docs/security.md come from the project's own tests and stay true: the number
of requests the permission matrices send, and the tamper cases the audit and backup tests
detect. Adding a route (a matrix row) or a tamper test changes a figure; this test then says
which line of the document to update."""

from __future__ import annotations

import importlib
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECURITY = ROOT / "docs" / "security.md"
APP_MATRICES = ("dosewise.accounts.tests.test_permissions", "dosewise.assessments.tests.test_permissions",
                "dosewise.medications.tests.test_permissions", "dosewise.monitoring.tests.test_permissions",
                "dosewise.messaging.tests.test_permissions", "dosewise.portal.tests.test_permissions",
                "dosewise.portal.tests.test_proxy_scope",
                "dosewise.visits.tests.test_permissions")


def matrix_requests() -> Counter:
    """Count the requests the permission-matrix tests send, by HTTP method, as they parametrize them."""
    main = importlib.import_module("tests.app.test_permission_matrix")
    sent: Counter = Counter()
    for case in main.CASES:  # test_matrix: every row, every named person
        sent[case.method.upper()] += len(main.PATIENT_PEOPLE)
    for case in main.PATIENT_CASES:  # Evan of clinic B, asked for by the six staff of clinic A
        sent[case.method.upper()] += 6
    sent["GET"] += 4 * len(main.POST_ONLY_ROUTES)  # GET on a POST-only route: anonymous and three people
    for name in APP_MATRICES:
        module = importlib.import_module(name)
        for case in module.CASES:
            sent[case.method.upper()] += len(module.ORDER)
    return sent


def _test_names() -> set[str]:
    names = set()
    for path in [*ROOT.glob("tests/**/test_*.py"), *ROOT.glob("src/dosewise/**/tests/test_*.py")]:
        names.update(re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), flags=re.M))
    return names


def test_the_request_figures_of_the_security_document_are_what_the_matrices_send():
    sent = matrix_requests()
    text = SECURITY.read_text(encoding="utf-8")
    found = re.search(r"send \*\*([\d,]+) requests\*\* \(([\d,]+) GET, ([\d,]+) POST\)", text)
    assert found, "docs/security.md lost its line with the matrix figures"
    stated = [int(group.replace(",", "")) for group in found.groups()]
    assert stated == [sum(sent.values()), sent["GET"], sent["POST"]], (
        f"update docs/security.md: the matrices send {sum(sent.values()):,} requests "
        f"({sent['GET']:,} GET, {sent['POST']:,} POST)")


def test_every_tamper_case_the_document_lists_is_a_test_and_the_count_matches():
    text = SECURITY.read_text(encoding="utf-8")
    section = text[text.index("### Tamper cases"):]
    listed = re.findall(r"`(test_\w+)`", section.split("\n## ", 1)[0])
    count = re.search(r"\*\*(\d+) tamper cases\*\*", section)
    assert listed and count and int(count.group(1)) == len(listed) == len(set(listed))
    assert set(listed) <= _test_names(), sorted(set(listed) - _test_names())


def test_every_test_the_threat_model_names_exists_where_it_says():
    text = (ROOT / "docs" / "THREAT_MODEL.md").read_text(encoding="utf-8")
    current = None
    missing = []
    # "`path::name`" names a file and a test; "`::name`" continues with the file named before it.
    for path, name in re.findall(r"`((?:tests|src)/[\w/]+\.py)?(?:::(?:\w+::)?(test_\w+))?`", text):
        current = path or current
        if name and current and not re.search(rf"^\s*def {name}\(", (ROOT / current).read_text(encoding="utf-8"),
                                               flags=re.M):
            missing.append(f"{current}::{name}")
    assert missing == []
