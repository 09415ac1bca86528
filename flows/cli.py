"""`cchc`: the command line. Commands that run no flow never import Prefect, so they start fast."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from flows.cli_errors import UserError, VietnameseUsage, errors, fail, os_reason, parse_day

if TYPE_CHECKING:
    from flows.settings import Settings

app = typer.Typer(
    cls=VietnameseUsage,
    help="Theo dõi, nhắc việc và đôn đốc nhiệm vụ cải cách hành chính (CCHC).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(help="Nhập dữ liệu từ tệp .xlsx hoặc .csv (tất cả hoặc không gì cả).")
task_app = typer.Typer(help="Ghi nhận hoàn thành, gia hạn hoặc đặt thời hạn cho một nhiệm vụ.")
history_app = typer.Typer(help="Lịch sử: các lần chạy, hoặc từng nhiệm vụ (`history item MÃ`).")
app.add_typer(import_app, name="import")
app.add_typer(task_app, name="task")
app.add_typer(history_app, name="history")

console = Console()


def read_settings() -> Settings:
    """The configuration, from the environment and `.env`: the command line's one reading."""
    # Imported here: pydantic-settings costs a fifth of a second, and `--help` needs none of it.
    from flows.settings import Settings

    return Settings()


def load_settings() -> Settings:
    """The configuration, with the policy file read now: a bad one is refused at start."""
    settings = read_settings()
    settings.policy  # noqa: B018 (reading it validates it)
    return settings


Day = Annotated[date, typer.Option(parser=parse_day, metavar="DD/MM/YYYY")]
OptionalDay = Annotated[
    date | None, typer.Option(parser=parse_day, metavar="DD/MM/YYYY", show_default="hôm nay")
]
Plan = Annotated[str | None, typer.Option("--plan", help="mã kế hoạch, khi mã nhiệm vụ trùng")]


@contextmanager
def session_scope(settings: Settings, *, dry_run: bool = False) -> Iterator:
    """One transaction: committed when the block ends (rolled back for a dry run), rolled back
    on any error."""
    from flows.application import build_application
    from persistence.db import is_current

    app = build_application(settings)
    try:
        if not is_current(app.uow.engine):
            raise UserError("cơ sở dữ liệu chưa được khởi tạo hoặc cần nâng cấp: chạy `cchc init`")
        with app.uow.reading() if dry_run else app.uow.transaction() as session:
            yield session
    finally:
        app.close()


def run(command):
    """Render the errors a user can cause once, in Vietnamese, with a non-zero exit; anything
    else is a bug and keeps its traceback."""
    try:
        return command()
    except typer.Exit:
        raise
    except Exception as error:
        exit = _user_error_exit(error)
        if exit is None:
            raise
        raise exit from None


def _user_error_exit(error: Exception) -> typer.Exit | None:
    # Imported only once something went wrong: they cost a command's start otherwise.
    from pydantic import ValidationError
    from sqlalchemy.exc import OperationalError

    from domain.importers import ImportFailed
    from domain.policy import PolicyError
    from domain.tracking import ItemError
    from flows.cli_errors import settings_message

    if isinstance(error, ImportFailed):
        errors.print(f"[bold red]Không nhập gì cả: {len(error.problems)} lỗi[/]")
        for problem in error.problems:
            errors.print(f"  • {problem}", markup=False, highlight=False)
        return typer.Exit(1)
    if isinstance(error, (UserError, ItemError)):
        return fail(escape(str(error)), 1)
    if isinstance(error, PolicyError):
        return fail(escape(str(error)), 2)
    if isinstance(error, ValidationError) and error.title == "Settings":
        return fail(escape(settings_message(error)), 2)
    if isinstance(error, OperationalError):
        # The driver's own message: it names the server, never the URL with its password.
        reason = escape(str(error.orig).strip())
        return fail(f"không kết nối được cơ sở dữ liệu: {reason} (kiểm tra CCHC_DATABASE_URL)", 1)
    if isinstance(error, OSError) and error.filename:
        return fail(escape(f"không đọc hoặc ghi được {error.filename}: {os_reason(error)}; "
                           "kiểm tra đường dẫn và quyền truy cập"), 1)
    return None


@app.command()
def init() -> None:
    """Tạo hoặc nâng cấp cơ sở dữ liệu."""
    from persistence.db import make_engine, upgrade

    def work() -> None:
        engine = make_engine(read_settings().database_url)
        upgrade(engine)
        engine.dispose()
        # The URL may hold the database's password: show it hidden.
        shown = engine.url.render_as_string(hide_password=True)
        console.print(f"Cơ sở dữ liệu đã sẵn sàng: {shown}")

    run(work)


class ImportKind(StrEnum):
    units = "units"
    plan = "plan"
    findings = "findings"
    reports = "reports"


def _publish_events(settings: Settings) -> None:
    import logging

    from flows.application import build_application
    from flows.publishing import publish_after_command

    app = build_application(settings)
    try:
        publish_after_command(app.uow, logging.getLogger("cchc"))
    finally:
        app.close()


DryRun = Annotated[bool, typer.Option("--dry-run", help="chỉ kiểm tra và cho xem sẽ nhập gì")]
Strict = Annotated[bool, typer.Option(
    "--strict", help="không nhận thời hạn chưa xác định (không nêu ngày cụ thể)")]
Columns = Annotated[str | None, typer.Option(
    "--columns", metavar="TÊN=CỘT,…",
    help="chỉ rõ cột khi tên cột lạ, vd. \"thoi_han=F,chu_tri=C\" (tên cột: xem README)",
)]


def _import(
    kind: ImportKind, file: Path, *, columns_option: str | None = None, dry_run: bool = False,
    strict: bool = False, **plan_options,
) -> None:
    from persistence import item_imports, unit_imports
    from domain.columns import COLUMNS_BY_KIND, ColumnMappingError, parse_column_mapping
    from persistence.occurrence_store import import_received_reports, materialise
    from flows.tables import read_table
    from flows.views import print_import_preview, print_undetermined

    def work() -> None:
        settings = load_settings()
        columns = COLUMNS_BY_KIND[kind.value]
        # The command line wins over the policy's [import.columns].
        source, mapping = "chính sách [import.columns]", settings.policy.import_columns.get(kind)
        if columns_option:
            try:
                source, mapping = "--columns", parse_column_mapping(columns_option, columns)
            except ColumnMappingError as error:
                raise UserError(f"--columns: {error}") from None
        table = read_table(file, columns, mapping, source)
        with session_scope(settings, dry_run=dry_run) as session:
            if kind is ImportKind.units:
                summary = unit_imports.import_units(session, table)
            elif kind is ImportKind.plan:
                header = item_imports.read_plan_header(session, table, **plan_options)
                summary = item_imports.import_plan(session, table, header, settings.calendar,
                                                   strict=strict)
            elif kind is ImportKind.reports:
                summary = import_received_reports(session, settings.policy, table)
            else:
                summary = item_imports.import_findings(session, table, settings.calendar,
                                                       strict=strict)
            # A recurring task's periods, and the obligations of the units' groups, are
            # tracked from the moment the plan or the units are in.
            materialise(session, settings.policy, [settings.today().year])
        if dry_run:
            print_import_preview(console, file.name, summary)
            return
        console.print(f"Đã nhập {file.name}: {summary}", markup=False, highlight=False)
        print_undetermined(console, summary)
        if settings.prefect_api_url:
            _publish_events(settings)

    run(work)


@import_app.command("units")
def import_units(file: Path, columns: Columns = None, dry_run: DryRun = False) -> None:
    """Danh sách đơn vị (cây đơn vị, người đứng đầu, đầu mối CCHC, tên khác, nhóm)."""
    _import(ImportKind.units, file, columns_option=columns, dry_run=dry_run)


@import_app.command("plan")
def import_plan(
    file: Path,
    code: Annotated[str | None, typer.Option(help="mã kế hoạch (mặc định KH-<năm>)")] = None,
    year: Annotated[int | None, typer.Option(help="năm kế hoạch, khi tệp không có tiêu đề")] = None,
    owner: Annotated[str | None, typer.Option(help="mã đơn vị ban hành kế hoạch")] = None,
    columns: Columns = None,
    dry_run: DryRun = False,
    strict: Strict = False,
) -> None:
    """Kế hoạch CCHC: nhóm nhiệm vụ (I, II, …) và nhiệm vụ cụ thể."""
    _import(ImportKind.plan, file, columns_option=columns, dry_run=dry_run, strict=strict,
            code=code, year=year, owner=owner)


@import_app.command("findings")
def import_findings(
    file: Path, columns: Columns = None, dry_run: DryRun = False, strict: Strict = False
) -> None:
    """Tồn tại, hạn chế sau kiểm tra và nhiệm vụ khắc phục."""
    _import(ImportKind.findings, file, columns_option=columns, dry_run=dry_run, strict=strict)


@import_app.command("reports")
def import_reports(file: Path, columns: Columns = None, dry_run: DryRun = False) -> None:
    """Sổ theo dõi báo cáo định kỳ đã nhận (mã, đơn vị, kỳ, ngày nhận, số văn bản)."""
    _import(ImportKind.reports, file, columns_option=columns, dry_run=dry_run)


@task_app.command("done")
def task_done(
    code: str,
    on: Day,
    evidence: Annotated[str | None, typer.Option(help="văn bản, sản phẩm chứng minh")] = None,
    plan: Plan = None,
) -> None:
    """Ghi nhận nhiệm vụ đã hoàn thành."""
    from persistence.tracking import complete_item, find_item

    def work() -> None:
        settings = load_settings()
        with session_scope(settings) as session:
            item = complete_item(session, find_item(session, code, plan), on, evidence)
            timing = "đúng hạn" if item.due_date is None or on <= item.due_date else "quá hạn"
        console.print(f"Đã ghi nhận: {code} hoàn thành ngày {on:%d/%m/%Y} ({timing}).")

    run(work)


@task_app.command("extend")
def task_extend(
    code: str,
    to: Day,
    reason: Annotated[str, typer.Option(help="lý do gia hạn")],
    approved_by: Annotated[str | None, typer.Option(help="người/văn bản cho phép gia hạn")] = None,
    plan: Plan = None,
) -> None:
    """Gia hạn nhiệm vụ: giữ hạn gốc, nhắc việc lại theo hạn mới."""
    from persistence.tracking import extend_item, find_item

    def work() -> None:
        settings = load_settings()
        with session_scope(settings) as session:
            extension = extend_item(session, find_item(session, code, plan), to, reason, approved_by)
            before = extension.previous_due
        shown = f"{before:%d/%m/%Y}" if before else "không thời hạn"
        console.print(f"Đã gia hạn {code}: {shown} → {to:%d/%m/%Y}.")

    run(work)


@task_app.command("deadline")
def task_deadline(
    code: str,
    to: Day,
    reason: Annotated[str, typer.Option(help="căn cứ đặt thời hạn (văn bản, chỉ đạo)")],
    plan: Plan = None,
) -> None:
    """Đặt thời hạn cho nhiệm vụ chưa xác định thời hạn (không tính là gia hạn)."""
    from persistence.tracking import find_item, set_deadline

    def work() -> None:
        settings = load_settings()
        with session_scope(settings) as session:
            item = set_deadline(session, find_item(session, code, plan), to, reason)
            text = item.deadline_text
        console.print(f"Đã đặt thời hạn {code} ({text}): {to:%d/%m/%Y}.", markup=False,
                      highlight=False)

    run(work)


@app.command("report-received")
def report_received(
    source: Annotated[str, typer.Argument(
        metavar="MÃ|NGHĨA_VỤ", help="mã nhiệm vụ định kỳ của kế hoạch, hoặc mã nghĩa vụ báo cáo")],
    period: Annotated[str, typer.Option(help="kỳ báo cáo: T6/2021, Q2/2021, H1/2021, N/2021")],
    on: Day,
    doc: Annotated[str | None, typer.Option(help="số, ký hiệu văn bản báo cáo")] = None,
    unit: Annotated[str | None, typer.Option(help="mã đơn vị gửi báo cáo")] = None,
) -> None:
    """Ghi nhận đã nhận báo cáo định kỳ của một đơn vị cho một kỳ."""
    from persistence.occurrence_store import record_report_received
    from domain.occurrences import working_days_late

    def work() -> None:
        settings = load_settings()
        with session_scope(settings) as session:
            item = record_report_received(session, settings.policy, source, unit, period, on, doc)
            late = working_days_late(item.due_date, on, settings.calendar)
            code, due = item.code, item.due_date
        timing = f"muộn {late} ngày làm việc" if late else "đúng hạn"
        console.print(f"Đã ghi nhận báo cáo {code}: nhận ngày {on:%d/%m/%Y}, hạn {due:%d/%m/%Y} "
                      f"({timing}).", markup=False, highlight=False, soft_wrap=True)

    run(work)


# The other commands live beside this module; importing them registers them on `app`.
from flows import cli_reading, cli_flows, cli_web  # noqa: E402, F401, I001
