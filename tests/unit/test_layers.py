"""The import direction (docs/architecture.md, "Layers"): entry points (`cli`, `web`) → flows
(use cases) → notifications → domain, with persistence under the use cases and above domain."""

from __future__ import annotations

import ast
import re
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


# The engine's own packages, where a state is compared through its enum, never as a string.
PACKAGES = ("domain", "adapters", "persistence", "notifications", "flows", "cli", "web")
# What a state, kind or role is called, as a column or an attribute.
STATE_LIKE = re.compile(r"(^|_)(state|kind|role|track|status|standing)$")


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


def enum_values(root: Path) -> set[str]:
    """The values of every string enum of the domain (`domain/states.py`'s and the rules')."""
    values = set()
    for path in (root / "domain").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                    isinstance(base, ast.Name) and base.id == "StrEnum" for base in node.bases):
                values |= {item.value.value for item in node.body
                           if isinstance(item, ast.Assign) and isinstance(item.value, ast.Constant)}
    return values


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [text for element in node.elts for text in _strings(element)]
    return []


def _state_like(node: ast.AST) -> str | None:
    name = node.attr if isinstance(node, ast.Attribute) else None
    return name if name and STATE_LIKE.search(name) else None


def raw_state_comparisons(root: Path) -> list[str]:
    """Every comparison of a state-like attribute or column to a string an enum of the domain
    holds, outside `domain/states.py` (where the enums say their values)."""
    values, problems = enum_values(root), []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            where = path.relative_to(root).as_posix()
            if where == "domain/states.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            comparisons = [node for node in ast.walk(tree) if isinstance(node, ast.Compare)]
            for node in sorted(comparisons, key=lambda node: (node.lineno, node.col_offset)):
                operands = [node.left, *node.comparators]
                names = [name for name in map(_state_like, operands) if name]
                raw = [text for operand in operands for text in _strings(operand) if text in values]
                if names and raw:
                    problems.append(f"{where}:{node.lineno} compares {names[0]} to {raw[0]!r}")
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


def test_states_are_compared_through_their_enums_never_as_strings():
    assert raw_state_comparisons(ROOT) == []


# In a template: `line.role == "supervisor"`, where the renderer passes the enum (`roles`).
TEMPLATE_RAW_STATE = re.compile(r"\.\w*(?:state|kind|role|track|status)\s*(?:==|!=|in)\s*[\"'(\[]")


def test_templates_compare_states_through_the_enums_they_are_given():
    raw = [f"{path.relative_to(ROOT)}:{number}"
           for path in sorted((ROOT / "templates").rglob("*.j2"))
           for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
           if TEMPLATE_RAW_STATE.search(line)]
    assert raw == []


def test_a_state_column_or_attribute_compared_to_its_value_as_a_string_is_caught(tmp_path):
    (tmp_path / "domain").mkdir()
    (tmp_path / "domain" / "states.py").write_text(
        "class NoticeState(StrEnum):\n    PENDING = 'pending'\n    SENT = 'sent'\n",
        encoding="utf-8")
    (tmp_path / "persistence").mkdir()
    (tmp_path / "persistence" / "outbox.py").write_text(
        "q = select(Notice).where(Notice.state == 'pending')\n"
        "if row.delivery_state in ('late', 'sent'):\n    pass\n"
        "if period.kind == 'year' or notice.state == NoticeState.SENT:\n    pass\n",
        encoding="utf-8")
    assert raw_state_comparisons(tmp_path) == [
        "persistence/outbox.py:1 compares state to 'pending'",
        "persistence/outbox.py:2 compares delivery_state to 'sent'"]
