"""`cchc task …` and `cchc report-received`: what the secretariat records by hand — a task done
(or its completion's date corrected), reopened, extended or given a date, a periodic report
received."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from cli.shared import (
    Day,
    DayOrRule,
    Plan,
    UserError,
    app,
    application,
    console,
    load_settings,
    run,
    session_scope,
    task_app,
)


@task_app.command("done")
def task_done(
    code: str,
    on: Day,
    evidence: Annotated[str | None, typer.Option(help="văn bản, sản phẩm chứng minh")] = None,
    correct: Annotated[bool, typer.Option(
        "--correct", help="sửa ngày hoàn thành đã ghi nhận (cần --reason)")] = False,
    reason: Annotated[str | None, typer.Option(help="lý do sửa ngày hoàn thành")] = None,
    plan: Plan = None,
) -> None:
    """Ghi nhận nhiệm vụ đã hoàn thành (--correct: sửa ngày hoàn thành đã ghi)."""
    from domain.tracking import completion_of
    from notifications.words import label
    from persistence.tracking import complete_item, correct_completion, find_item

    def work() -> None:
        settings = load_settings()
        if reason is not None and not correct:
            raise UserError("--reason chỉ dùng cùng --correct (sửa ngày hoàn thành đã ghi)")
        with application(settings) as built, built.uow.transaction() as session:
            item = find_item(session, code, plan)
            if correct:
                before = correct_completion(session, item, on, reason or "",
                                            today=built.today())
            else:
                complete_item(session, item, on, evidence, today=built.today())
            status = completion_of(item, on)
        said = (f"Đã sửa ngày hoàn thành {code}: {before:%d/%m/%Y} → {on:%d/%m/%Y}, "
                f"{label(status)}." if correct
                else f"Đã ghi nhận: {code} {label(status)}, ngày {on:%d/%m/%Y}.")
        console.print(said, markup=False, highlight=False)

    run(work)


@task_app.command("reopen")
def task_reopen(
    code: str,
    reason: Annotated[str, typer.Option(help="vì sao hủy ghi nhận hoàn thành")],
    plan: Plan = None,
) -> None:
    """Mở lại nhiệm vụ đã ghi nhận hoàn thành nhầm."""
    from persistence.tracking import find_item, reopen_item

    def work() -> None:
        with session_scope(load_settings()) as session:
            item = find_item(session, code, plan)
            completed = item.completed_on
            reopen_item(session, item, reason)
        console.print(f"Đã mở lại {code} (hủy ghi nhận hoàn thành ngày {completed:%d/%m/%Y}).",
                      markup=False, highlight=False)

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
        with session_scope(load_settings()) as session:
            extension = extend_item(session, find_item(session, code, plan), to, reason, approved_by)
            before = extension.previous_due
        shown = f"{before:%d/%m/%Y}" if before else "không thời hạn"
        console.print(f"Đã gia hạn {code}: {shown} → {to:%d/%m/%Y}.")

    run(work)


@task_app.command("deadline")
def task_deadline(
    code: str,
    to: DayOrRule,
    reason: Annotated[str, typer.Option(help="căn cứ đặt thời hạn (văn bản, chỉ đạo)")],
    plan: Plan = None,
) -> None:
    """Đặt thời hạn cho nhiệm vụ chưa xác định thời hạn (không tính là gia hạn): một ngày, hoặc
    một quy tắc định kỳ viết như ô thời hạn ("Trước ngày 10 hằng tháng")."""
    from persistence.tracking import find_item, set_deadline, set_rule

    def work() -> None:
        with session_scope(load_settings()) as session:
            item = find_item(session, code, plan)
            if isinstance(to, date):
                set_deadline(session, item, to, reason)
                shown = f"{to:%d/%m/%Y}"
            else:
                shown = set_rule(session, item, to, reason).reading()
            text = item.deadline_text
        console.print(f"Đã đặt thời hạn {code} ({text}): {shown}.", markup=False,
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
    from domain.occurrences import working_days_late
    from persistence.occurrence_store import record_report_received

    def work() -> None:
        settings = load_settings()
        with application(settings) as built, built.uow.transaction() as session:
            item = record_report_received(session, settings.policy, source, unit, period, on, doc,
                                          today=built.today())
            late = working_days_late(item.due_date, on, settings.calendar)
            code, due = item.code, item.due_date
        timing = f"muộn {late} ngày làm việc" if late else "đúng hạn"
        console.print(f"Đã ghi nhận báo cáo {code}: nhận ngày {on:%d/%m/%Y}, hạn {due:%d/%m/%Y} "
                      f"({timing}).", markup=False, highlight=False, soft_wrap=True)

    run(work)
