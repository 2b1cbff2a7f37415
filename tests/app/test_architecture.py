"""The house keeps its shape: which app may import which (docs/architecture.md).

Every import in the application's modules is read from the source (function-level imports
included, since a lazy import is still a dependency), and each is checked against the
agreed order: an app may import the foundation (`lib`, `clinical`) and the apps below it,
never one above it, and no domain app imports `web`. Tests, migrations and the top-level
composition modules (`cli`, `app_cli`, `demo`, `demo_stories`, `config`) are free to
import anything: they put the house together.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import dosewise

PACKAGE = Path(dosewise.__file__).resolve().parent

# The foundation: imported by every app, importing none of them.
FOUNDATION = ("lib", "clinical")
# The apps from the bottom up: each may import those before it in this list, none after it.
ORDER = (
    "clinics",
    "notifications",
    "audit",
    "accounts",
    "patients",
    "assessments",
    "medications",
    "monitoring",
    "outreach",
    "scheduling",
    "visits",
    "messaging",
    "portal",
    "web",
)
COMPOSITION = frozenset({"cli", "app_cli", "demo", "demo_stories", "config", "backup"})
# The shell at the top may use the demo: its `demo_totp` command prints a demo account's code.
ALLOWED = frozenset({("web", "demo")})


def _layer(package: str) -> int:
    return -1 if package in FOUNDATION else ORDER.index(package)


def _imported_packages(path: Path) -> set[tuple[str, int]]:
    """Return (first-level dosewise package, line) for every dosewise import in the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "dosewise" and len(parts) > 1:
                found.add((parts[1], node.lineno))
    return found


def _app_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if len(relative.parts) < 2 or {"tests", "migrations"} & set(relative.parts):
            continue
        yield relative.parts[0], relative, path


def test_every_package_has_a_place_in_the_order():
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages - COMPOSITION == set(FOUNDATION) | set(ORDER), (
        "a new package needs its place in ORDER here and in docs/architecture.md")


def test_the_foundation_imports_no_app():
    offences = [f"{relative}:{line} imports dosewise.{target}"
                for package, relative, path in _app_modules() if package in FOUNDATION
                for target, line in _imported_packages(path)
                if target not in FOUNDATION or (package == "clinical" and target != "clinical")]
    assert offences == []


@pytest.mark.parametrize("app", ORDER)
def test_an_app_imports_only_the_foundation_and_the_apps_below_it(app):
    offences = []
    for package, relative, path in _app_modules():
        if package != app:
            continue
        for target, line in _imported_packages(path):
            if target == app or target in FOUNDATION or (app, target) in ALLOWED:
                continue
            if target in COMPOSITION:
                offences.append(f"{relative}:{line} imports dosewise.{target}, which puts the house together")
            elif target not in ORDER:
                offences.append(f"{relative}:{line} imports dosewise.{target}, which has no place in ORDER")
            elif target == "web" or _layer(target) > _layer(app):
                offences.append(f"{relative}:{line} imports dosewise.{target}, which sits above {app}")
    assert offences == []


def test_the_checker_sees_a_lazy_upward_import(tmp_path):
    module = tmp_path / "selectors.py"
    module.write_text("def f():\n    from dosewise.monitoring.models import SideEffect\n    return SideEffect\n")
    assert ("monitoring", 2) in _imported_packages(module)
    assert _layer("monitoring") > _layer("assessments")


# The server's own date is no clinic's day (docs/decisions/0012): every "today" of the application
# comes from clinics.clock (clinic_today, local_date). These may read the machine's clock: the clock
# itself, and the pure clinical core, whose callers pass the clinic's day (its fallbacks serve the
# command-line check, which has no clinic).
SERVER_DAY = ("timezone.localdate(", "timezone.localdate)", "initial=timezone.localdate", "date.today(",
              "datetime.today(")
SERVER_DAY_ALLOWED = ("clinics/clock.py", "clinical/")


def test_no_module_takes_the_servers_date_for_a_clinics_day():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in f"/{relative}" or relative.startswith(SERVER_DAY_ALLOWED):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if any(pattern in line for pattern in SERVER_DAY):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == [], "use clinics.clock.clinic_today(clinic):\n" + "\n".join(found)
