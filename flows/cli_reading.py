"""The `cchc` commands that read: status, report, history and explain."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from flows.cli import (
    OptionalDay,
    Plan,
    UserError,
    app,
    console,
    history_app,
    load_settings,
    run,
    session_scope,
)
from flows.cli_errors import os_reason

if TYPE_CHECKING:
    from flows.settings import Settings


def _report(session, settings: Settings, day: date, plan: str | None, unit: str | None):
    """The status report of `plan` (default: the latest) on `day`, for `unit`'s subtree."""
    from domain.models import Plan as PlanRow
    from domain.models import Unit
    from persistence.reports import status_report

    chosen = session.get(PlanRow, plan) if plan else None
    if plan and chosen is None:
        raise UserError(f"không có kế hoạch mã {plan}")
    if unit and session.get(Unit, unit) is None:
        raise UserError(f"không có đơn vị mã {unit}")
    return status_report(session, day, settings.calendar, settings.policy, plan=chosen, unit=unit)


@app.command()
def status(
    as_of: OptionalDay = None,
    unit: Annotated[str | None, typer.Option(help="chỉ đơn vị này và các đơn vị trực thuộc")] = None,
    plan: Plan = None,
    as_json: Annotated[bool, typer.Option("--json", help="in JSON (xem README)")] = False,
) -> None:
    """Tiến độ: số nhiệm vụ theo tình trạng, nhóm, đơn vị; tỷ lệ hoàn thành; việc quá hạn."""
    from notifications.schemas import status_document
    from notifications.terminal import print_status

    def work() -> None:
        settings = load_settings()
        day = as_of or settings.today()
        with session_scope(settings) as session:
            report = _report(session, settings, day, plan, unit)
            if as_json:
                typer.echo(json.dumps(status_document(report), ensure_ascii=False, indent=2))
            else:
                print_status(console, report)

    run(work)


@history_app.callback(invoke_without_command=True)
def history(
    context: typer.Context,
    limit: Annotated[int, typer.Option(help="số lần chạy gần nhất")] = 10,
) -> None:
    """Các lần chạy kiểm tra/gửi thư gần đây: trạng thái, thư đã gửi, lỗi, tạm hoãn, bậc nhắc."""
    if context.invoked_subcommand is not None:
        return
    from notifications.terminal import print_runs

    def work() -> None:
        settings = load_settings()
        if settings.prefect_api_url:
            from flows.prefect_history import recent_runs

            with console.status("Đang đọc lịch sử chạy từ Prefect…"):
                runs = recent_runs(limit)
        else:
            # No Prefect server: the engine's own record, without starting a local one.
            from persistence.run_log import recent_runs as recorded_runs

            with session_scope(settings) as session:
                runs = recorded_runs(session, limit)
        print_runs(console, runs, settings.zone)

    run(work)


@history_app.command("item")
def history_item(code: str, plan: Plan = None) -> None:
    """Dòng thời gian của một nhiệm vụ: tạo, cập nhật, gia hạn, nhắc, gửi, lỗi."""
    from notifications.terminal import print_timeline
    from persistence.explain import item_timeline
    from persistence.tracking import find_item

    def work() -> None:
        settings = load_settings()
        with session_scope(settings) as session:
            item = find_item(session, code, plan)
            print_timeline(console, f"{item.code} ({item.scope})", item_timeline(session, item),
                           settings.zone)

    run(work)


@app.command()
def explain(code: str, as_of: OptionalDay = None, plan: Plan = None) -> None:
    """Vì sao nhiệm vụ được (hay chưa được) nhắc: bậc đã đến, đã gửi, bỏ qua, chờ, bậc tới."""
    from notifications.explain import explain_lines
    from persistence.explain import explanation
    from persistence.tracking import find_item

    def work() -> None:
        settings = load_settings()
        day = as_of or settings.today()
        with session_scope(settings) as session:
            item = find_item(session, code, plan)
            facts = explanation(session, item, day, settings.calendar, settings.policy)
            for line in explain_lines(facts, settings.zone):
                console.print(line, markup=False, highlight=False)

    run(work)



@app.command()
def report(
    as_of: OptionalDay = None,
    out: Annotated[Path | None, typer.Option(help="tệp .xlsx, .html hoặc .md (mặc định: in Markdown)")] = None,
    unit: Annotated[str | None, typer.Option(help="chỉ đơn vị này và các đơn vị trực thuộc")] = None,
    plan: Plan = None,
) -> None:
    """Báo cáo tiến độ để gửi đi: Excel, HTML hoặc Markdown."""
    from notifications.reports import FORMATS, render_report, write_report

    def work() -> None:
        settings = load_settings()
        if out is not None and out.suffix.lower() not in FORMATS:
            raise UserError(f"định dạng báo cáo không hỗ trợ: {out.name} (chọn {', '.join(FORMATS)})")
        day = as_of or settings.today()
        with session_scope(settings) as session:
            result = _report(session, settings, day, plan, unit)
            if out is None:
                typer.echo(render_report(result, ".md"))
                return
            try:
                write_report(result, out)
            except OSError as error:
                raise UserError(
                    f"không ghi được báo cáo vào {out}: {os_reason(error)}; hãy chọn một thư mục "
                    "đã có và được phép ghi"
                ) from error
        console.print(f"Đã ghi báo cáo: {out}")

    run(work)


@app.command()
def items(
    plan: Annotated[str | None, typer.Option(help="chỉ các nhiệm vụ của kế hoạch này")] = None,
    unit: Annotated[str | None, typer.Option(help="chỉ đơn vị này và các đơn vị trực thuộc")] = None,
    as_of: OptionalDay = None,
    as_json: Annotated[bool, typer.Option("--json", help="in JSON (xem README)")] = False,
) -> None:
    """Mọi nhiệm vụ: thời hạn đã đọc thế nào (loại, hạn, ngày bắt đầu), tình trạng."""
    from domain.models import Plan as PlanRow
    from domain.models import Unit
    from notifications.schemas import items_document
    from notifications.terminal import print_items
    from persistence.item_list import item_lines

    def work() -> None:
        settings = load_settings()
        day = as_of or settings.today()
        with session_scope(settings) as session:
            if plan and session.get(PlanRow, plan) is None:
                raise UserError(f"không có kế hoạch mã {plan}")
            if unit and session.get(Unit, unit) is None:
                raise UserError(f"không có đơn vị mã {unit}")
            lines = item_lines(session, day, settings.calendar, settings.policy,
                               plan=plan, unit=unit)
            if as_json:
                typer.echo(json.dumps(items_document(day, lines), ensure_ascii=False, indent=2))
            else:
                print_items(console, day, list(lines))

    run(work)
