"""Cold start of the command line: `cchc --help`, and `cchc status` on the bundled example
data (Sơn La 2021), each a new process as a user runs it.

    .venv/bin/python benchmarks/cold_start.py [--runs 5]

Printed: the median wall time of each command, and what `cchc status` costs over a bare
`python -c pass` (the interpreter's own start), against the target of under a second.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "sonla-2021"
TARGET_SECONDS = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cchc = str(Path(sys.executable).parent / "cchc")
    with tempfile.TemporaryDirectory(prefix="cchc-cold-") as workdir:
        environment = {**os.environ, "CCHC_DATABASE_URL": f"sqlite:///{workdir}/cchc.db",
                       "CCHC_MAILDIR": f"{workdir}/outbox"}

        def run(*arguments: str, program: str = cchc) -> float:
            started = time.perf_counter()
            subprocess.run([program, *arguments], check=True, env=environment, cwd=workdir,
                           stdout=subprocess.DEVNULL)
            return time.perf_counter() - started

        def median(*arguments: str, program: str = cchc) -> float:
            return statistics.median(run(*arguments, program=program) for _ in range(args.runs))

        run("init")
        run("import", "units", str(EXAMPLES / "units.csv"))
        run("import", "plan", str(EXAMPLES / "plan-2021.xlsx"))
        run("import", "findings", str(EXAMPLES / "findings-2019-2020.csv"))
        commands = {"cchc --help": ("--help",),
                    "cchc status": ("status", "--as-of", "30/06/2021")}
        print(f"cold start, median of {args.runs} runs (target: under {TARGET_SECONDS:.0f} s "
              "over bare python)")
        bare = median("-c", "pass", program=sys.executable)
        print(f"{'python -c pass':<14}{bare:>7.2f} s")
        for name, arguments in commands.items():
            seconds = median(*arguments)
            print(f"{name:<14}{seconds:>7.2f} s  over bare python: {seconds - bare:.2f} s, "
                  f"ratio to the 1 s target: {(seconds - bare) / TARGET_SECONDS:.2f}")


if __name__ == "__main__":
    main()
