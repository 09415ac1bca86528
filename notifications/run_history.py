"""What a flow run leaves on its page in the Prefect UI: the notices it delivered as a table
(Vietnamese headers, one row per e-mail) and the plan's progress as Markdown."""

from __future__ import annotations

from datetime import date, tzinfo

from domain.reports import StatusReport
from domain.run_log import DeliveredNotice
from notifications.reports import render_report
from notifications.words import label, local_time_text

_RUN_COUNTS = {
    "items_checked": "nhiệm vụ đang mở đã xét",
    "rungs_queued": "bậc nhắc mới",
    "emails_sent": "thư đã gửi",
    "emails_deferred": "thư tạm hoãn",
    "emails_failed": "thư lỗi",
}


def notice_rows(notices: list[DeliveredNotice], zone: tzinfo) -> list[dict[str, str]]:
    return [
        {
            "Gửi lúc": local_time_text(notice.sent_at, zone) if notice.sent_at else "",
            "Người nhận": notice.recipient,
            "Đơn vị": notice.unit_code or "",
            "Bậc": ", ".join(notice.rungs),
            "Nhiệm vụ": ", ".join(notice.item_codes),
            "Kết quả": label(notice.outcome),
            "Trả lời của máy chủ thư": notice.server_reply or "",
            "Message-ID": notice.message_id or "",
        }
        for notice in notices
    ]


def notices_description(count: int, shown: int, *, failed: bool = False) -> str:
    """The title of a run's table of notices, saying when it shows only the first ones."""
    title = "Thư chưa gửi được, kèm trả lời của máy chủ thư" if failed else "Thư đã gửi"
    extra = count - shown
    return title + (f" ({shown} thư đầu, còn {extra} thư khác)" if extra > 0 else "")


def progress_description(as_of: date) -> str:
    return f"Tiến độ ngày {as_of:%d/%m/%Y}"


def summary_description(as_of: date) -> str:
    return f"Tổng hợp tiến độ CCHC đến ngày {as_of:%d/%m/%Y}"


def progress_markdown(report: StatusReport, counts: dict[str, int]) -> str:
    """The run's own counts, then the progress report as `cchc report --out x.md` writes it."""
    run = ", ".join(f"{counts[key]} {name}" for key, name in _RUN_COUNTS.items() if key in counts)
    return f"_Lần kiểm tra này: {run}._\n\n" + render_report(report, ".md")
