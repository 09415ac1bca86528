"""No function over 60 lines outside the tests and the migrations: a longer one does several
things, and each should be a step a newcomer can read by its name."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LONGEST = 60
# The tests and the migrations (each a fixed script of its schema change) are exempt; hidden
# folders hold the virtual environment and git's own files.
EXEMPT = {"tests", "migrations"}


def long_functions(root: Path) -> list[str]:
    """`path:line name (n lines)` of every function or method longer than LONGEST lines,
    counted from its `def` (decorators aside) to its last line, docstring included."""
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if EXEMPT & set(parts) or any(part.startswith(".") for part in parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > LONGEST:
                    found.append(f"{path.relative_to(root).as_posix()}:{node.lineno} "
                                 f"{node.name} ({lines} lines)")
    return found


def test_no_function_outside_the_tests_and_migrations_is_over_60_lines():
    assert long_functions(ROOT) == []


def _function(name: str, lines: int, indent: str = "") -> str:
    """A function `lines` long, its `def` line included."""
    return f"{indent}def {name}():\n" + "".join(f"{indent}    x = {n}\n" for n in range(lines - 1))


def test_a_long_function_or_method_is_named_and_the_tests_and_migrations_are_not(tmp_path):
    (tmp_path / "domain").mkdir()
    (tmp_path / "domain" / "rules.py").write_text(
        _function("allowed", LONGEST) + "\n\nclass Ladder:\n"
        + _function("climb", LONGEST + 1, indent="    ").replace("def", "async def", 1),
        encoding="utf-8")
    for exempt in ("tests", "persistence/migrations/versions", ".venv/lib"):
        (tmp_path / exempt).mkdir(parents=True)
        (tmp_path / exempt / "long.py").write_text(_function("long", 100), encoding="utf-8")
    assert long_functions(tmp_path) == ["domain/rules.py:64 climb (61 lines)"]
