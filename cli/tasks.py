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
    from flows import tracking
    from notifications.words import label

    def work() -> None:
        settings = load_settings()
        if reason is not None and not correct:
            raise UserError("--reason chỉ dùng cùng --correct (sửa ngày hoàn thành đã ghi)")
        with application(settings) as built:
            if correct:
                before, status = tracking.correct_completion(built, code, on, reason or "", plan)
            else:
                status = tracking.complete(built, code, on, evidence, plan)
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
    from flows import tracking

    def work() -> None:
        with application(load_settings()) as built:
            completed = tracking.reopen(built, code, reason, plan)
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
    from flows import tracking

    def work() -> None:
        with application(load_settings()) as built:
            before = tracking.extend(built, code, to, reason, approved_by, plan)
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
    from flows import tracking

    def work() -> None:
        with application(load_settings()) as built:
            given = tracking.set_deadline(built, code, to, reason, plan)
        shown = f"{to:%d/%m/%Y}" if isinstance(to, date) else given.rule
        console.print(f"Đã đặt thời hạn {code} ({given.deadline}): {shown}.", markup=False,
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
    from flows import tracking

    def work() -> None:
        settings = load_settings()
        with application(settings) as built:
            received = tracking.report_received(built, source, unit, period, on, doc)
        late = working_days_late(received.due, on, settings.calendar)
        timing = f"muộn {late} ngày làm việc" if late else "đúng hạn"
        console.print(f"Đã ghi nhận báo cáo {received.code}: nhận ngày {on:%d/%m/%Y}, hạn "
                      f"{received.due:%d/%m/%Y} ({timing}).", markup=False, highlight=False,
                      soft_wrap=True)

    run(work)
