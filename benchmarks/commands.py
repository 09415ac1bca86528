"""The everyday commands on the bundled example data (Sơn La 2021), each a new process as a user
runs it, timed against `cchc status` in the same run: `history`, an import's dry run,
`check --dry-run`, and `cchc check` with a Prefect API up (the background server an earlier
command started), with none up (the server is started, on a PREFECT_HOME that has its
database), and on a fresh PREFECT_HOME (the first command on a machine).

    .venv/bin/python benchmarks/commands.py [--runs 3] [--profiles DIR]

Each of the --runs rounds runs every command once, in turn, so that a load that comes and goes
weighs on all of them alike. Printed: each command's median wall time and CPU time (the command's process; a server's work
is not in it), and its ratio to `cchc status` with the targets (`check --dry-run` ≤ 2×, `cchc
check` with the API up ≤ 4×). With `--profiles`, each command is also run once under cProfile
and the top of its profile written to DIR/<command>.txt.
"""

from __future__ import annotations

import argparse
import io
import os
import pstats
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "sonla-2021"
CCHC = str(Path(sys.executable).parent / "cchc")
TARGETS = {"check --dry-run": 2.0, "check, API up": 4.0}


class Bench:
    """A working directory with the example loaded, and a PREFECT_HOME of its own."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.home = folder / "prefect"
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "PREFECT_"))}
        self.environment = {**inherited, "CCHC_DATABASE_URL": f"sqlite:///{folder}/cchc.db",
                            "CCHC_MAILDIR": f"{folder}/outbox", "PREFECT_HOME": str(self.home),
                            "CCHC_POLICY_FILE": str(EXAMPLES / "policy.toml")}

    def run(self, *arguments: str, program: tuple[str, ...] = (CCHC,)) -> tuple[float, float]:
        """Wall and CPU seconds of one command."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([*program, *arguments], check=True, env=self.environment,
                       cwd=self.folder, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    def stop_server(self) -> None:
        """Stop the background Prefect server this bench's commands started, if it runs."""
        from flows.prefect_api import read_record

        record = read_record(self.home)
        if record is None:
            return
        try:
            os.kill(record["pid"], signal.SIGTERM)
            while True:
                os.kill(record["pid"], 0)
                time.sleep(0.1)
        except ProcessLookupError:
            return


def commands(bench: Bench) -> dict[str, tuple[tuple[str, ...], object]]:
    """Name → (arguments, what to do before each run)."""
    day = ("--as-of", "01/07/2021")

    def fresh_home() -> None:
        bench.stop_server()
        shutil.rmtree(bench.home, ignore_errors=True)

    return {
        "status": (("status", *day), None),
        "history": (("history",), None),
        "import plan --dry-run": (("import", "plan", str(EXAMPLES / "plan-2021.xlsx"),
                                   "--dry-run"), None),
        "check --dry-run": (("check", *day, "--dry-run"), None),
        "check, API up": (("check", *day), None),
        "check, no API up": (("check", *day), bench.stop_server),
        "check, fresh PREFECT_HOME": (("check", *day), fresh_home),
    }


def profile(bench: Bench, name: str, arguments: tuple[str, ...], folder: Path) -> None:
    out = folder / f"{name.replace(' ', '_').replace(',', '')}.prof"
    bench.run(*arguments, program=(sys.executable, "-m", "cProfile", "-o", str(out), CCHC))
    text = io.StringIO()
    stats = pstats.Stats(str(out), stream=text)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(20)
    out.with_suffix(".txt").write_text(f"cchc {' '.join(arguments)}\n{text.getvalue()}",
                                       encoding="utf-8")
    out.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profiles", type=Path, help="write each command's profile here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cchc-commands-") as workdir:
        bench = Bench(Path(workdir))
        try:
            measure(bench, args.runs, args.profiles and args.profiles.resolve())
        finally:
            bench.stop_server()


def measure(bench: Bench, runs: int, profiles: Path | None) -> None:
    bench.run("init")
    for kind, name in (("units", "units.csv"), ("plan", "plan-2021.xlsx"),
                       ("findings", "findings-2019-2020.csv"),
                       ("reports", "received-reports.csv")):
        bench.run("import", kind, str(EXAMPLES / name))
    bench.run("check", "--as-of", "01/07/2021")  # the first check sends; the timed ones rerun it
    print(f"the commands on the example data, median of {runs} rounds (wall, and the "
          "command's own CPU)")
    timed = commands(bench)
    walls: dict[str, list[float]] = {name: [] for name in timed}
    cpus: dict[str, list[float]] = {name: [] for name in timed}
    for _ in range(runs):
        # A round's last command leaves a server up for the next round's, and the profiles'.
        for name, (arguments, before) in timed.items():
            if before is not None:
                before()
            wall, cpu = bench.run(*arguments)
            walls[name].append(wall)
            cpus[name].append(cpu)
    status = statistics.median(walls["status"])
    for name in timed:
        wall = statistics.median(walls[name])
        target = f" (target ≤ {TARGETS[name]:g}×)" if name in TARGETS else ""
        print(f"{name:<27}{wall:>7.2f} s  cpu {statistics.median(cpus[name]):>5.2f} s  "
              f"ratio to status: {wall / status:.2f}{target}")
    if profiles is not None:
        profiles.mkdir(parents=True, exist_ok=True)
        for name in ("status", "history", "import plan --dry-run", "check --dry-run",
                     "check, API up"):
            profile(bench, name, commands(bench)[name][0], profiles)
        print(f"profiles: {profiles}")


if __name__ == "__main__":
    main()
