"""`cchc status` starts fast because it loads only what it uses; timing is left to
benchmarks/cold_start.py, this protects the cause."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import EXAMPLES, load_examples

NOT_FOR_STATUS = ("alembic.runtime.migration", "alembic.script", "prefect", "openpyxl",
                  "email_validator", "domain.importers", "apscheduler",
                  # the calendar loads Vietnam's holidays, not the package of every country
                  "holidays.countries",
                  # the settings read the environment themselves
                  "pydantic_settings")
NOT_FOR_HELP = ("pydantic", "sqlalchemy", "flows.settings", "holidays")


def loaded(arguments: list[str], shown: str, modules: tuple[str, ...],
           environment: dict) -> subprocess.CompletedProcess:
    """A new process running `cchc ARGUMENTS` (whose output shows `shown`), which prints the
    ones of `modules` it has loaded."""
    probe = (
        "import sys; from typer.testing import CliRunner; from cli.main import app; "
        f"r = CliRunner().invoke(app, {arguments!r}); "
        f"assert r.exit_code == 0 and {shown!r} in r.output, r.output; "
        f"print(sorted(m for m in {modules!r} if m in sys.modules))"
    )
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, env={**environment, "PATH": "/usr/bin"},
                          cwd=EXAMPLES.parent.parent)


def test_status_loads_no_migrations_prefect_workbooks_nor_address_validation(tmp_path):
    from flows.settings import Settings
    from persistence.db import make_engine, upgrade

    url = f"sqlite:///{tmp_path / 'cchc.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_examples(engine, Settings(database_url=url).calendar)
    engine.dispose()
    result = loaded(["status", "--as-of", "25/06/2021"], "36/70", NOT_FOR_STATUS,
                    {"CCHC_DATABASE_URL": url})
    assert result.stdout.strip() == "[]"


def test_help_loads_neither_the_settings_nor_the_database():
    assert loaded(["--help"], "status", NOT_FOR_HELP, {}).stdout.strip() == "[]"
