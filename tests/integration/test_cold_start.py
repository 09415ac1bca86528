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


def test_status_loads_no_migrations_prefect_workbooks_nor_address_validation(tmp_path):
    from flows.settings import Settings
    from persistence.db import make_engine, upgrade

    url = f"sqlite:///{tmp_path / 'cchc.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_examples(engine, Settings(database_url=url).calendar)
    engine.dispose()
    probe = (
        "import sys; from typer.testing import CliRunner; from cli.main import app; "
        "r = CliRunner().invoke(app, ['status', '--as-of', '25/06/2021']); "
        "assert r.exit_code == 0 and '36/70' in r.output, r.output; "
        f"print(sorted(m for m in {NOT_FOR_STATUS!r} if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True, env={"CCHC_DATABASE_URL": url, "PATH": "/usr/bin"},
                            cwd=EXAMPLES.parent.parent)
    assert result.stdout.strip() == "[]"
