"""The `cchc` commands that run Prefect flows — check, dispatch, the demo — and the embedded
scheduler. The flows run in this process on the invocation's one application."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.shared import (
    OptionalDay,
    UserError,
    app,
    application,
    console,
    import_and_say,
    initialise,
    load_settings,
    print_status_report,
    read_settings,
    run,
    start_web_beside,
    views,
)

if TYPE_CHECKING:
    from flows.application import Application
    from flows.settings import Settings


def require_unit(built: Application, unit: str | None) -> None:
    """Refuse an unknown unit before Prefect starts (which takes seconds); an uninitialised
    database was refused when the application was built."""
    from domain.models import Unit

    if unit is None:
        return
    with built.uow.reading() as session:
        if session.get(Unit, unit) is None:
            raise UserError(f"không có đơn vị mã {unit}")


# Said when a command starts the background Prefect server (README, "Which Prefect server a
# command uses"): its first start on a PREFECT_HOME migrates its own database.
STARTING_PREFECT = ("khởi động máy chủ Prefect chạy nền cho {home} (các lệnh sau dùng lại, tự "
                    "dừng sau {minutes} phút không dùng); thường mất nửa phút, lần đầu lâu "
                    "hơn vì phải tạo cơ sở dữ liệu lịch sử chạy")


def _run_flow(built: Application, description: str, call):
    """Run a Prefect flow on the command's application, reporting to the Prefect API that
    answers (started in the background if none does), behind a spinner; a start is also said
    once in plain text, for a log or a pipe where a spinner shows nothing."""
    settings = built.settings
    with console.status(f"{description}: đang nạp Prefect…") as spinner:
        # Prefect's settings are already applied (`flows/__init__.py`): the server's start-up
        # timeout among them, whose 20 s default fails a first run on a fresh machine.
        from flows.prefect_api import use_api

        def starting(home: Path) -> None:
            waiting = f"{description}: " + STARTING_PREFECT.format(
                home=home, minutes=f"{settings.prefect_idle_minutes:g}".replace(".", ","))
            console.print(f"{waiting}…", highlight=False, soft_wrap=True)
            spinner.update(waiting)

        use_api(settings.prefect_idle_minutes, starting)
        from prefect import tags

        from flows import deadline_check
        from flows.flow_support import application_in_use

        spinner.update(f"{description}…")
        with tags("cchc"), application_in_use(built):
            return call(deadline_check)


def preview_day(built: Application, day: date, unit: str | None) -> dict:
    """`cchc check --dry-run`: what the check would send, planned here without a flow run (it
    writes nothing, so there is no run to record)."""
    if not built.calendar.is_working_day(day):
        return {"as_of": day.isoformat(), "working_day": False}
    from flows.checking import preview

    return {"as_of": day.isoformat(), "dry_run": True, "would_send": preview(built, day, unit)}


def check_day(built: Application, day: date, *, dry_run: bool = False,
              unit: str | None = None) -> None:
    """`cchc check`: the deadline check of `day`, and what it queued and sent."""
    if dry_run:
        result = preview_day(built, day, unit)
    else:
        result = _run_flow(built, f"Kiểm tra hạn ngày {day:%d/%m/%Y}",
                           lambda flows: flows.deadline_check(as_of=day, unit=unit))
    views().print_check(console, result)


@app.command()
def check(
    as_of: OptionalDay = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="chỉ in ai sẽ nhận gì")] = False,
    unit: Annotated[str | None, typer.Option(
        help="chỉ kiểm tra đơn vị này và các đơn vị trực thuộc (chia việc giữa các worker)"
    )] = None,
) -> None:
    """Chạy kiểm tra hạn một lần: xếp thư nhắc vào hộp thư đi rồi gửi."""
    def work() -> None:
        with application(load_settings()) as built:
            require_unit(built, unit)
            check_day(built, as_of or built.today(), dry_run=dry_run, unit=unit)

    run(work)


@app.command()
def dispatch() -> None:
    """Gửi ngay các thư đang chờ trong hộp thư đi, kể cả thư đã tạm hoãn."""
    def work() -> None:
        with application(load_settings()) as built:
            result = _run_flow(
                built, "Gửi thư",
                lambda flows: flows.dispatch_notifications(respect_backoff=False),
            )
        console.print(
            f"Đã gửi {result['sent']} thư, tạm hoãn {result['deferred']}, lỗi {result['failed']}."
        )

    run(work)


EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "sonla-2021"
DEMO_DAY = date(2021, 7, 1)


def demo_settings(settings: Settings, folder: Path) -> Settings:
    """The demo's own installation inside `folder`: its database, its outbox of `.eml` files, the
    example's policy, and no SMTP server, whatever the environment configures."""
    import secrets

    from pydantic import SecretStr

    return settings.with_changes(database_url=f"sqlite:///{folder / 'cchc-demo.db'}",
                                 maildir=folder / "outbox", policy_file=EXAMPLES / "policy.toml",
                                 smtp_host=None,
                                 # its own address and key, so its digests carry the units' links
                                 base_url="http://127.0.0.1:8080",
                                 secret_key=SecretStr(secrets.token_urlsafe(32)),
                                 upload_dir=folder / "uploads")


# The province's 2019 inspection of the city — the team's three days, and the conclusion whose
# findings the register holds (the example's README).
DEMO_VISIT = ("TP-SL", "KHKT-2019", date(2019, 9, 23), date(2019, 9, 25))
DEMO_CONCLUSION = ("Đoàn kiểm tra liên ngành về CCHC của tỉnh, 23-25/9/2019", date(2019, 10, 4))


def prepare_demo(settings: Settings, folder: Path) -> None:
    """Start `folder` afresh, with the demo's database created in it."""
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    initialise(settings)


def load_demo(built: Application) -> None:
    """Load the example into the demo's database: units, plan, findings, the register of
    reports received and the province's 2019 plan of inspections, with its visit to the city
    and the conclusion."""
    from flows.importing import ImportKind

    for kind, name in ((ImportKind.units, "units.csv"), (ImportKind.plan, "plan-2021.xlsx"),
                       (ImportKind.findings, "findings-2019-2020.csv"),
                       (ImportKind.reports, "received-reports.csv"),
                       (ImportKind.inspections, "inspections-2019.xlsx")):
        import_and_say(built, kind, EXAMPLES / name)
    _record_demo_inspection(built)


def _record_demo_inspection(built: Application) -> None:
    """What `cchc inspection done` and `cchc inspection conclude` (its findings those of the
    register) record and say."""
    from flows.inspections import record_conclusion, record_visit
    from notifications.targets import conclusion_recorded, visit_recorded

    unit, plan, first, last = DEMO_VISIT
    said = [visit_recorded(record_visit(built, unit, plan, first, last))]
    facts, _ = record_conclusion(built, unit, plan, *DEMO_CONCLUSION, None, registered=True)
    said.append(conclusion_recorded(facts))
    for line in said:
        console.print(line, markup=False, highlight=False, soft_wrap=True)


@app.command()
def demo(
    folder: Annotated[Path, typer.Option(help="thư mục chứa dữ liệu chạy thử")] = Path("demo"),
) -> None:
    """Chạy thử với dữ liệu mẫu Sơn La 2021: nhập dữ liệu, kiểm tra hạn ngày 01/07/2021."""
    folder = folder.resolve()

    def work() -> None:
        settings = demo_settings(read_settings(), folder)
        prepare_demo(settings, folder)
        with application(settings) as built:
            load_demo(built)
            check_day(built, DEMO_DAY)
            emails = sorted((folder / "outbox").glob("*.eml"))
            console.print(f"\n[bold]{len(emails)} thư (.eml) trong {folder / 'outbox'}[/]")
            for email_file in emails:
                console.print(f"  {email_file.name}")
            print_status_report(built, DEMO_DAY)
        console.print(f"\nLịch sử của lần chạy thử: {_demo_command(settings, 'history')}",
                      highlight=False, soft_wrap=True, markup=False)
        _print_web_pages(settings, emails)

    run(work)


def _plain_text(path: Path) -> str:
    from email import policy
    from email.parser import BytesParser

    with path.open("rb") as raw:
        return BytesParser(policy=policy.default).parse(raw).get_body(("plain",)).get_content()


def _demo_command(settings: Settings, arguments: str) -> str:
    """`cchc arguments` on the demo's installation, as it runs when pasted into a new shell:
    every setting the demo chose spelled out (no SMTP host: its e-mails stay in its outbox),
    and this installation's `cchc` by its full path, which a new shell's PATH may not have."""
    import shlex
    import sys

    settings_used = {
        "CCHC_DATABASE_URL": settings.database_url, "CCHC_POLICY_FILE": settings.policy_file,
        "CCHC_MAILDIR": settings.maildir, "CCHC_SMTP_HOST": "",
        "CCHC_BASE_URL": settings.base_url, "CCHC_UPLOAD_DIR": settings.upload_dir,
        "CCHC_SECRET_KEY": settings.secret_key.get_secret_value(),
    }
    env = " ".join(f"{name}={shlex.quote(str(value))}" for name, value in settings_used.items())
    return f"{env} {shlex.quote(str(Path(sys.executable).parent / 'cchc'))} {arguments}"


def _print_web_pages(settings: Settings, emails: list[Path]) -> None:
    """How to open the pages: one unit's link from the demo's e-mails, and the secretariat's
    login (the demo creates no password: it says which command does)."""
    import re

    link = next((found.group(1) for email_file in emails
                 if (found := re.search(r"Cập nhật tiến độ, báo cáo kết quả: (\S+)",
                                        _plain_text(email_file)))), None)
    lines = [f"\nTrang web của lần chạy thử: {_demo_command(settings, 'web')}"]
    if link:
        lines.append(f"  Trang của một đơn vị (đường dẫn trong thư): {link}")
    lines += [f"  Cơ quan thường trực: tạo mật khẩu bằng "
              f"`{_demo_command(settings, 'user add thuongtruc')}`, "
              f"rồi mở {settings.base_url}/login"]
    for line in lines:
        console.print(line, highlight=False, soft_wrap=True, markup=False)


@app.command()
def serve(
    web: Annotated[bool, typer.Option("--web", help="chạy cả trang web (cchc web) cùng tiến trình")] = False,
    host: Annotated[str, typer.Option(help="địa chỉ của trang web")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="cổng của trang web")] = 8080,
) -> None:
    """Chạy bộ lập lịch nhúng: kiểm tra hạn và gửi thư theo lịch trong prefect.yaml (dừng bằng
    Ctrl+C hoặc SIGTERM)."""
    def work() -> None:
        import logging

        from flows.flow_support import application_in_use
        from flows.prefect_api import serving_api
        from flows.scheduler import scheduled_flows
        from flows.scheduler import serve as serve_forever

        # One application for the scheduler's flows and the web pages beside them.
        with application(load_settings()) as built:
            _log_serving(built.settings)
            stop_web = start_web_beside(built, host, port) if web else None
            if web:
                logging.getLogger("cchc.serve").info("trang web: http://%s:%d", host, port)
            try:
                with serving_api(), application_in_use(built):
                    serve_forever(built, scheduled_flows())
            finally:
                if stop_web is not None:
                    stop_web()

    run(work)


def _log_serving(settings: Settings) -> None:
    """Every line to the log file; on the console only the engine's own (cchc.*), not the web
    server's and the scheduler's."""
    import logging

    from flows.scheduler import LocalTimeFormatter

    formatter = LocalTimeFormatter(settings.zone)
    to_file = logging.FileHandler(settings.log_file, encoding="utf-8")
    to_console = logging.StreamHandler()
    to_console.addFilter(logging.Filter("cchc"))
    for handler in (to_file, to_console):
        handler.setFormatter(formatter)
    logging.basicConfig(level=logging.INFO, handlers=[to_file, to_console])
    logging.getLogger("cchc.serve").info("nhật ký chi tiết: %s", settings.log_file.resolve())
