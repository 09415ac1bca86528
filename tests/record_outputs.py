"""Write every output of the bundled example into a folder, so that two versions of the code
can be compared byte for byte (`diff -r`) after a change that must not change what users see.

    .venv/bin/python tests/record_outputs.py OUT_DIR

It runs the `cchc` commands of the code it is started from, in a fresh folder:
imports, checks at several dates (their digests, as `.eml` files), status, items, reports
(Markdown, HTML, the workbook's cell values), `explain` of every item at each date, the
secretariat's commands, `history` of every item, and the web pages a unit and the secretariat
see. What changes from run to run by design — times of day, Message-IDs, flow-run names, signed
tokens — is replaced by a placeholder."""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from email import policy
from email.parser import BytesParser
from datetime import date
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sonla-2021"
SITE = "http://127.0.0.1:8080"
DAYS = ("15/01/2021", "01/04/2021", "01/07/2021", "01/10/2021", "31/12/2021")
# The secretariat's hand: each command of `cchc task` once, on the example's items.
COMMANDS = (
    ("task", "done", "1.3", "--on", "20/09/2021", "--evidence", "Báo cáo số 12/BC-UBND"),
    ("task", "done", "1.3", "--on", "21/09/2021", "--correct", "--reason", "nhập nhầm ngày"),
    ("task", "extend", "2.1", "--to", "30/12/2021", "--reason", "chờ hướng dẫn của tỉnh"),
    ("task", "reopen", "1.3", "--reason", "báo cáo chưa đủ"),
    ("task", "done", "1.1", "--on", "01/01/2030"),  # refused: in the future
    ("task", "extend", "9.9", "--to", "30/12/2021", "--reason", "x"),  # refused: unknown
)
_VARYING = (
    (re.compile(r"\b\d{2}:\d{2}(:\d{2})?\b"), "HH:MM"),
    (re.compile(r"<[^<>@\s]+@[^<>\s]+>"), "<MESSAGE-ID>"),
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "UUID"),
    (re.compile(r"[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{20,}"), "TOKEN"),
    (re.compile(r"(?m)^Date: .*$"), "Date: DATE"),
    (re.compile(r'name="csrf" value="[0-9a-f]+"'), 'name="csrf" value="CSRF"'),
    # Whether this run started the background Prefect server depends on the runs before it.
    (re.compile(r"(?m)^.*máy chủ Prefect chạy nền.*\n"), ""),
    (re.compile(r'boundary="[^"]+"|--=_[0-9a-f]+(--)?'), "BOUNDARY"),
    (re.compile(r"\b[a-z]+-[a-z]+-\d{2}-\d{2}-\d{4}\b"), "RUN-NAME"),
)


def normalised(text: str, today: str) -> str:
    for pattern, placeholder in _VARYING:
        text = pattern.sub(placeholder, text)
    return text.replace(today, "TODAY")


class Recorder:
    def __init__(self, out: Path, work: Path) -> None:
        self.out, self.work = out, work
        self.env = {**os.environ, "CCHC_DATABASE_URL": f"sqlite:///{work / 'cchc.db'}",
                    "CCHC_POLICY_FILE": str(EXAMPLE / "policy.toml"),
                    "CCHC_MAILDIR": str(work / "outbox"), "COLUMNS": "200",
                    "CCHC_LOG_FILE": str(work / "cchc.log"),
                    "CCHC_BASE_URL": SITE, "CCHC_SECRET_KEY": "k" * 32}
        self.env.pop("CCHC_SMTP_HOST", None)
        self.today = date.today().strftime("%d/%m/%Y")

    def run(self, name: str, *arguments: str) -> str:
        from typer.testing import CliRunner

        from cli.main import app

        done = CliRunner().invoke(app, list(arguments), env=self.env)
        text = f"$ cchc {' '.join(arguments)}\n{done.output}exit {done.exit_code}\n"
        self.write(name, text)
        return done.stdout

    def write(self, name: str, text: str) -> None:
        path = self.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = text.replace(str(self.work), "WORK").replace(str(EXAMPLE), "EXAMPLE")
        path.write_text(normalised(text, self.today))


def workbook_cells(path: Path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path)
    return "\n".join(f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
                     for sheet in book for row in sheet.iter_rows() for cell in row
                     if cell.value is not None)


def digests(folder: Path) -> str:
    """Every `.eml` of `folder`, in a stable order, headers and decoded parts."""
    shown = []
    for path in sorted(folder.glob("*.eml")):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        parts = [f"{key}: {value}" for key, value in message.items()
                 if key not in ("Date", "Message-ID")]
        parts += [part.get_content() for part in message.walk()
                  if part.get_content_maintype() == "text"]
        shown.append("\n".join(map(str, parts)))
    return "\n\n=====\n\n".join(sorted(shown, key=lambda text: normalised(text, "")))


def record_day(recorder: Recorder, day: str) -> list[str]:
    tag = day.replace("/", "-")
    recorder.run(f"{tag}/check.txt", "check", "--as-of", day)
    recorder.write(f"{tag}/digests.txt", digests(recorder.work / "outbox"))
    recorder.run(f"{tag}/status.txt", "status", "--as-of", day)
    recorder.run(f"{tag}/status.json", "status", "--as-of", day, "--json")
    recorder.run(f"{tag}/items.txt", "items", "--as-of", day, "--wide")
    codes = [item["code"] for item in json.loads(
        recorder.run(f"{tag}/items.json", "items", "--as-of", day, "--json"))["items"]]
    for suffix in ("md", "html", "xlsx"):
        report = recorder.work / f"report.{suffix}"
        recorder.run(f"{tag}/report-{suffix}.txt", "report", "--as-of", day, "--out", str(report))
        recorder.write(f"{tag}/report.{suffix}.txt", workbook_cells(report)
                       if suffix == "xlsx" else report.read_text())
    for code in codes:
        recorder.run(f"{tag}/explain/{code}.txt", "explain", code, "--as-of", day)
    return codes


def record_pages(recorder: Recorder) -> None:
    """The pages the digests' links open, and the login page, through the web app."""
    from fastapi.testclient import TestClient

    os.environ.update({key: value for key, value in recorder.env.items()
                       if key.startswith("CCHC_")})
    from flows.application import build_application
    from flows.settings import Settings
    from web.app import create_app

    links = sorted({link for path in (recorder.work / "outbox").glob("*.eml")
                    for link in re.findall(re.escape(SITE) + r"/[^\s\"<>]+",
                                           path.read_bytes().decode("ascii", "replace"))})
    client = TestClient(create_app(build_application(Settings())), base_url=SITE)
    pages = sorted(normalised(client.get(link.removeprefix(SITE)).text, recorder.today)
                   for link in links)
    recorder.write("pages/units.html", "\n\n=====\n\n".join(dict.fromkeys(pages)))
    recorder.write("pages/login.html", client.get("/login").text)


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        recorder = Recorder(out, Path(work))
        os.chdir(work)
        recorder.run("init.txt", "init")
        for kind, name in (("units", "units.csv"), ("plan", "plan-2021.xlsx"),
                           ("findings", "findings-2019-2020.csv"),
                           ("reports", "received-reports.csv")):
            recorder.run(f"import-{kind}-dry.txt", "import", kind, str(EXAMPLE / name),
                         "--dry-run")
            recorder.run(f"import-{kind}.txt", "import", kind, str(EXAMPLE / name))
        codes: list[str] = []
        for day in DAYS:
            codes = record_day(recorder, day)
        for number, command in enumerate(COMMANDS):
            recorder.run(f"commands/{number}.txt", *command)
        for code in codes:
            recorder.run(f"history/{code}.txt", "history", "item", code)
        record_pages(recorder)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
