"""`cchc inspection …`: what the secretariat records of an inspection plan's targets — a visit
(or a report reviewed), a conclusion with or without findings, a target added or dropped after
the plan's approval, each with its reason."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from cli.shared import (
    UserError,
    app,
    application,
    console,
    load_settings,
    parse_day,
    run,
    views,
)

inspection_app = typer.Typer(
    help="Ghi nhận kiểm tra theo kế hoạch kiểm tra: đã kiểm tra, kết luận, thêm, bớt đơn vị.")
app.add_typer(inspection_app, name="inspection")


def parse_days(text: str) -> tuple[date, date]:
    """DD/MM/YYYY, or DD/MM/YYYY-DD/MM/YYYY for a visit over several days."""
    first, dash, last = re.sub(r"\s*[–-]\s*", "-", text.strip()).partition("-")
    if not dash:
        day = parse_day(first)
        return day, day
    return parse_day(first), parse_day(last)


Unit = Annotated[str, typer.Argument(metavar="ĐƠN_VỊ", help="mã hoặc tên đơn vị được kiểm tra")]
PlanCode = Annotated[str, typer.Option("--plan", help="mã kế hoạch kiểm tra")]
Reason = Annotated[str, typer.Option(help="lý do")]


def _say(line: str) -> None:
    console.print(line, markup=False, highlight=False, soft_wrap=True)


@inspection_app.command("done")
def inspection_done(
    unit: Unit,
    plan: PlanCode,
    on: Annotated[tuple, typer.Option(
        parser=parse_days, metavar="DD/MM/YYYY[-DD/MM/YYYY]",
        help="ngày kiểm tra (trực tiếp: các ngày của đoàn; qua báo cáo: ngày nhận-ngày xem xét "
             "báo cáo)")],
) -> None:
    """Ghi nhận đã kiểm tra (trực tiếp) hoặc đã nhận và xem xét báo cáo (qua báo cáo)."""
    from flows.inspections import record_visit
    from notifications.targets import visit_recorded

    def work() -> None:
        with application(load_settings()) as built:
            _say(visit_recorded(record_visit(built, unit, plan, *on)))

    run(work)


@inspection_app.command("conclude")
def inspection_conclude(
    unit: Unit,
    plan: PlanCode,
    doc: Annotated[str, typer.Option(help="số, ký hiệu văn bản kết luận (vd. \"Thông báo số "
                                          "12/TB-UBND\")")],
    on: Annotated[date, typer.Option(parser=parse_day, metavar="DD/MM/YYYY",
                                     help="ngày ban hành kết luận")],
    findings: Annotated[Path | None, typer.Option(
        help="tệp tồn tại, hạn chế và nhiệm vụ khắc phục (.xlsx, .csv)")] = None,
    no_findings: Annotated[bool, typer.Option(
        "--no-findings", help="kết luận không có tồn tại, hạn chế")] = False,
) -> None:
    """Ghi nhận kết luận kiểm tra, với tệp tồn tại (--findings) hoặc không (--no-findings);
    không có cả hai: các tồn tại đã có trong sổ theo dõi dưới tên văn bản kết luận (--doc)."""
    from flows.inspections import record_conclusion
    from notifications.targets import conclusion_recorded

    def work() -> None:
        if findings is not None and no_findings:
            raise UserError("cần đúng một trong --findings TỆP (kết luận có tồn tại, hạn chế) "
                            "và --no-findings")
        with application(load_settings()) as built:
            facts, summary = record_conclusion(built, unit, plan, doc, on, findings,
                                               registered=findings is None and not no_findings)
        _say(conclusion_recorded(facts))
        if summary is not None:
            views().print_imported(console, findings.name, summary)

    run(work)


@inspection_app.command("add")
def inspection_add(
    unit: Unit,
    plan: PlanCode,
    mode: Annotated[str, typer.Option(help="hình thức: \"Trực tiếp\" hoặc \"Qua báo cáo\"")],
    reason: Reason,
    window: Annotated[str | None, typer.Option(
        help="thời gian kiểm tra, viết như trong kế hoạch (vd. \"Quý IV\")")] = None,
) -> None:
    """Thêm đơn vị vào kế hoạch kiểm tra đã phê duyệt."""
    from flows.inspections import add_target
    from notifications.targets import target_added

    def work() -> None:
        with application(load_settings()) as built:
            _say(target_added(add_target(built, unit, plan, mode, window, reason)))

    run(work)


@inspection_app.command("drop")
def inspection_drop(unit: Unit, plan: PlanCode, reason: Reason) -> None:
    """Đưa đơn vị chưa kiểm tra ra khỏi kế hoạch kiểm tra (giữ lại lịch sử)."""
    from flows.inspections import drop_target
    from notifications.targets import target_dropped

    def work() -> None:
        with application(load_settings()) as built:
            _say(target_dropped(drop_target(built, unit, plan, reason)))

    run(work)
