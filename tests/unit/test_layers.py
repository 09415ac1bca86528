"""The import direction (docs/architecture.md, "Layers"): entry points (`cli`, `web`) → flows
(use cases) → notifications → domain, with persistence under the use cases and above domain."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Package → the engine's packages it must never import.
FORBIDDEN = {
    "domain": {"adapters", "persistence", "notifications", "flows", "cli", "web"},
    # Reading the secretariat's files knows only what the columns mean; the use cases hand the
    # rows it reads to persistence, so nothing else imports it.
    "adapters": {"persistence", "notifications", "flows", "cli", "web"},
    "persistence": {"adapters", "notifications", "flows", "cli", "web"},
    "notifications": {"adapters", "persistence", "flows", "cli", "web"},
    "flows": {"cli", "web"},
    # The entry points import the layers beneath them, never each other.
    "cli": {"adapters", "web"},
    "web": {"adapters", "cli"},
}
# Spreadsheets are read by the adapters and written by the reports' renderer, nowhere else.
SPREADSHEETS = "openpyxl"
SPREADSHEET_PACKAGES = {"adapters", "notifications"}
# The one module of the command line that starts the web pages' server (`cchc web`, `cchc
# serve --web`): the app is its to import, and no other command module's.
ENTRY_POINTS = {"cli/shared.py": {"web"}}
# The rules decide over plain values: a domain module never holds a database session.
DOMAIN_NEVER = {("sqlmodel", "Session"), ("sqlalchemy.orm", "Session")}


def imported(tree: ast.AST) -> list[tuple[int, str, str | None]]:
    """(line, module, name) for every import in a module, top level or inside a function."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.lineno, node.module, alias.name) for alias in node.names]
    return found


def violations(root: Path) -> list[str]:
    problems = []
    for package, forbidden in FORBIDDEN.items():
        for path in sorted((root / package).rglob("*.py")):
            for line, module, name in imported(ast.parse(path.read_text(encoding="utf-8"))):
                top = module.split(".")[0]
                where = f"{path.relative_to(root)}:{line}"
                allowed = ENTRY_POINTS.get(path.relative_to(root).as_posix(), set())
                if top in forbidden - allowed or (
                        top == SPREADSHEETS and package not in SPREADSHEET_PACKAGES):
                    problems.append(f"{where} imports {module}")
                if package == "domain" and (module, name) in DOMAIN_NEVER:
                    problems.append(f"{where} imports {module}.{name}")
    return problems


def test_every_package_imports_only_the_layers_beneath_it():
    assert violations(ROOT) == []


def test_a_domain_module_importing_the_persistence_layer_is_caught(tmp_path):
    (tmp_path / "domain").mkdir()
    (tmp_path / "domain" / "rules.py").write_text(
        "from persistence.ledger import load_unit_tree\n", encoding="utf-8")
    assert violations(tmp_path) == ["domain/rules.py:1 imports persistence.ledger"]


def test_a_domain_module_importing_notifications_flows_or_a_session_is_caught(tmp_path):
    (tmp_path / "domain").mkdir()
    (tmp_path / "domain" / "rules.py").write_text(
        "def f():\n    import flows.checking\n\nfrom notifications import digests\n"
        "from sqlmodel import Session\n", encoding="utf-8")
    assert violations(tmp_path) == ["domain/rules.py:4 imports notifications",
                                    "domain/rules.py:5 imports sqlmodel.Session",
                                    "domain/rules.py:2 imports flows.checking"]


def test_notifications_importing_persistence_is_caught(tmp_path):
    (tmp_path / "notifications").mkdir()
    (tmp_path / "notifications" / "mail.py").write_text("import persistence.db\n",
                                                         encoding="utf-8")
    assert violations(tmp_path) == ["notifications/mail.py:1 imports persistence.db"]


def test_a_flow_importing_the_command_line_and_the_command_line_importing_web_are_caught(
    tmp_path,
):
    for package, source in (("flows", "from cli.shared import console\n"),
                            ("cli", "import web.pages\n")):
        (tmp_path / package).mkdir()
        (tmp_path / package / "entry.py").write_text(source, encoding="utf-8")
    assert violations(tmp_path) == ["flows/entry.py:1 imports cli.shared",
                                    "cli/entry.py:1 imports web.pages"]


def test_a_flow_reading_a_spreadsheet_itself_is_caught(tmp_path):
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "tables.py").write_text(
        "from openpyxl.utils import get_column_letter\n", encoding="utf-8")
    assert violations(tmp_path) == ["flows/tables.py:1 imports openpyxl.utils"]


def test_the_spreadsheet_adapters_importing_a_use_case_or_a_session_layer_is_caught(tmp_path):
    (tmp_path / "adapters").mkdir()
    (tmp_path / "adapters" / "tables.py").write_text(
        "from flows.application import Application\nimport persistence.db\n"
        "from openpyxl import load_workbook\n", encoding="utf-8")
    assert violations(tmp_path) == ["adapters/tables.py:1 imports flows.application",
                                    "adapters/tables.py:2 imports persistence.db"]
