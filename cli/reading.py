"""The `cchc` commands that read: status, items, report, explain and history."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.shared import (
    AsJson,
    OptionalDay,
    Plan,
    Unit,
    UserError,
    app,
    application,
    chosen_plan,
    console,
    history_app,
    load_settings,
    os_reason,
    print_status_report,
    run,
    session_scope,
    status_report,
    views,
)


@app.command()
def status(as_of: OptionalDay = None, unit: Unit = None, plan: Plan = None,
           as_json: AsJson = False) -> None:
    """Tiến độ: số nhiệm vụ theo tình trạng, nhóm, đơn vị; tỷ lệ hoàn thành; việc quá hạn."""
    def work() -> None:
        with application(load_settings()) as built:
            print_status_report(built, as_of or built.today(), unit=unit, plan=plan,
                                as_json=as_json)

    run(work)


@history_app.callback(invoke_without_command=True)
def history(
    context: typer.Context,
    limit: Annotated[int, typer.Option(help="số lần chạy gần nhất")] = 10,
) -> None:
    """Các lần chạy kiểm tra/gửi thư gần đây: trạng thái, thư đã gửi, lỗi, tạm hoãn, bậc nhắc."""
    if context.invoked_subcommand is not None:
        return

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
        views().print_runs(console, runs, settings.zone)

    run(work)


@history_app.command("item")
def history_item(code: str, plan: Plan = None) -> None:
    """Dòng thời gian của một nhiệm vụ: tạo, cập nhật, gia hạn, nhắc, gửi, lỗi."""
    from persistence.explain import item_timeline
    from persistence.tracking import find_item

    def work() -> None:
        settings = load_settings()
        with session_scope(settings) as session:
            item = find_item(session, code, plan)
            views().print_timeline(console, f"{item.code} ({item.scope})",
                                   item_timeline(session, item), settings.zone)

    run(work)


@history_app.command("inspection")
def history_inspection(
    unit: Annotated[str, typer.Argument(metavar="ĐƠN_VỊ", help="mã hoặc tên đơn vị")],
    plan: Annotated[str, typer.Option("--plan", help="mã kế hoạch kiểm tra")],
) -> None:
    """Dòng thời gian của một đơn vị trong kế hoạch kiểm tra: thêm, kiểm tra, kết luận, bớt."""
    from flows.inspections import target_timeline

    def work() -> None:
        settings = load_settings()
        with application(settings) as built:
            name, events = target_timeline(built, unit, plan)
            views().print_timeline(console, name, events, settings.zone,
                                   title="Lịch sử kiểm tra")

    run(work)


@app.command()
def explain(
    code: Annotated[str, typer.Argument(
        metavar="MÃ", help="mã nhiệm vụ; hoặc đơn vị được kiểm tra, với --plan là mã kế hoạch "
                           "kiểm tra")],
    as_of: OptionalDay = None, plan: Plan = None,
) -> None:
    """Vì sao nhiệm vụ được (hay chưa được) nhắc: bậc đã đến, đã gửi, bỏ qua, chờ, bậc tới. Với
    --plan là kế hoạch kiểm tra: hình thức, thời gian, tình trạng, kết luận của đơn vị."""
    from notifications.explain import explain_lines
    from persistence.explain import explanation
    from persistence.tracking import find_item

    def work() -> None:
        settings = load_settings()
        with application(settings) as built:
            day = as_of or built.today()
            if plan and _explain_target(built, code, plan, day):
                return
            with built.uow.transaction() as session:
                item = find_item(session, code, plan)
                facts = explanation(session, item, day, settings.calendar, settings.policy)
                for line in explain_lines(facts, settings.zone):
                    console.print(line, markup=False, highlight=False)

    run(work)


def _explain_target(built, unit: str, plan: str, day) -> bool:
    """`cchc explain UNIT --plan CODE` for an inspection plan's target; False when `plan` is
    no inspection plan's code."""
    from flows.inspections import explain_target, is_inspection_plan
    from notifications.targets import target_lines

    if not is_inspection_plan(built, plan):
        return False
    for line in target_lines(explain_target(built, unit, plan, day)):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    return True


@app.command()
def report(
    as_of: OptionalDay = None,
    out: Annotated[Path | None, typer.Option(help="tệp .xlsx, .html hoặc .md (mặc định: in Markdown)")] = None,
    unit: Unit = None,
    plan: Plan = None,
) -> None:
    """Báo cáo tiến độ để gửi đi: Excel, HTML hoặc Markdown."""
    from notifications.reports import FORMATS, render_report, write_report

    def work() -> None:
        settings = load_settings()
        if out is not None and out.suffix.lower() not in FORMATS:
            raise UserError(f"định dạng báo cáo không hỗ trợ: {out.name} (chọn {', '.join(FORMATS)})")
        with application(settings) as built, built.uow.transaction() as session:
            result = status_report(session, settings, as_of or built.today(), plan, unit)
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
    unit: Unit = None,
    as_of: OptionalDay = None,
    as_json: AsJson = False,
    wide: Annotated[bool, typer.Option("--wide", help="mọi cột (thời hạn ghi, loại, từ "
                                       "ngày), cho màn hình rộng")] = False,
) -> None:
    """Mọi nhiệm vụ: thời hạn đã đọc thế nào (loại, hạn, ngày bắt đầu), tình trạng."""
    from notifications.schemas import items_document
    from persistence.item_list import item_lines

    def work() -> None:
        settings = load_settings()
        with application(settings) as built, built.uow.transaction() as session:
            day = as_of or built.today()
            chosen_plan(session, plan, unit)
            lines = item_lines(session, day, settings.calendar, settings.policy,
                               plan=plan, unit=unit)
            if as_json:
                import json

                typer.echo(json.dumps(items_document(day, lines), ensure_ascii=False, indent=2))
            else:
                views().print_items(console, day, list(lines), wide=wide)

    run(work)


@app.command()
def inspections(
    plan: Annotated[str | None, typer.Option("--plan", help="chỉ kế hoạch kiểm tra này")] = None,
    as_of: OptionalDay = None,
    as_json: AsJson = False,
) -> None:
    """Kế hoạch kiểm tra: đơn vị được kiểm tra, hình thức, thời gian, ngày kiểm tra, kết luận,
    tồn tại và kết quả khắc phục."""
    from notifications.schemas import inspections_document
    from persistence.inspection_reads import inspection_plans

    def work() -> None:
        settings = load_settings()
        with application(settings) as built, built.uow.transaction() as session:
            day = as_of or built.today()
            readings = inspection_plans(session, day, settings.calendar, settings.policy,
                                        code=plan)
            if readings is None:
                raise UserError(f"không có kế hoạch kiểm tra mã {plan}")
            if as_json:
                import json

                typer.echo(json.dumps(inspections_document(day, readings), ensure_ascii=False,
                                      indent=2))
            else:
                views().print_inspections(console, day, readings)

    run(work)
