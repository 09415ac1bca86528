"""`cchc explain` in words: the facts of `domain/explanation.py` as the sentences a secretariat
reads, in that order — the item, then per track what was reached, sent, skipped or pending,
and what comes next; times in the secretariat's zone."""

from __future__ import annotations

from datetime import date, tzinfo

from domain.explanation import (
    ChainOfCommand,
    Explanation,
    NoticeFact,
    RecordedRung,
    SubmissionFact,
    TrackFacts,
)
from domain.ladder import Track
from domain.states import LedgerState, NoticeState, SubmissionKind
from notifications.words import day_text, head_of, label, local_time_text

_TRACK_NAMES = {Track.UNIT: "Nhắc việc, đôn đốc", Track.ESCALATION: "Báo cáo cấp trên"}
_WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def _d(day: date | None) -> str:
    return day_text(day, "—")


def explain_lines(facts: Explanation, zone: tzinfo) -> list[str]:
    lines = [
        f"[{facts.code}] {facts.content}",
        f"Đơn vị chủ trì: {facts.unit_code}. Thời hạn: {facts.deadline_text} "
        f"(hạn {_d(facts.due)}). Tình trạng ngày {_d(facts.as_of)}: {label(facts.status)}.",
    ]
    for extension in facts.extensions:
        approved = f", người cho phép: {extension.approved_by}" if extension.approved_by else ""
        lines.append(f"Đã gia hạn {_d(extension.previous_due)} → {_d(extension.new_due)} "
                     f"(lý do: {extension.reason}{approved}).")
    lines += [_submission_line(submission, zone) for submission in facts.submissions]
    if facts.paused:  # the ladder waits for the secretariat's review
        return lines + [f"  {line}" for record in facts.sent for line in _recorded(record, zone)]
    if facts.status.is_done:
        lines.append(f"Đã hoàn thành ngày {_d(facts.completed_on)}: thang nhắc việc đã dừng, "
                     "không gửi gì thêm.")
        return lines + [f"  {line}" for record in facts.sent for line in _recorded(record, zone)]
    if facts.due is None:
        return lines + ["Nhiệm vụ không có hạn cụ thể: không nhắc việc theo hạn."]
    if facts.day_off:
        why = facts.holiday or _WEEKDAYS[facts.as_of.weekday()]
        lines.append(f"Ngày {_d(facts.as_of)} không phải ngày làm việc ({why}): kiểm tra ngày này "
                     "không gửi gì; ngày làm việc kế tiếp sẽ gửi bù bậc mới nhất.")
    for track in facts.tracks:
        lines.append(f"{_TRACK_NAMES[track.track]}:")
        if track.track is Track.ESCALATION:
            lines += [f"  {line}" for line in _chain_lines(facts.chain)]
        lines += [f"  {line}" for line in _track_lines(track, zone)]
    return lines


def _submission_line(submission: SubmissionFact, zone: tzinfo) -> str:
    sent = local_time_text(submission.submitted_at, zone)
    if submission.kind == SubmissionKind.ACKNOWLEDGEMENT:
        return f"Đơn vị đã xác nhận nhận thông báo lúc {sent} ({submission.submitted_by})."
    waiting = (f"báo cáo hoàn thành ngày {_d(submission.completed_on)} (văn bản số "
               f"{submission.doc_number})" if submission.kind == SubmissionKind.COMPLETION
               else f"đề nghị gia hạn đến {_d(submission.proposed_due)}")
    pause = ("; trong khi chờ, không nhắc việc, không báo cáo cấp trên"
             if submission.pauses_ladder else "")
    return f"Đơn vị đã gửi {waiting} lúc {sent}: chờ cơ quan thường trực xét{pause}."


def _chain_lines(chain: ChainOfCommand) -> list[str]:
    if chain.why_not:
        return [f"Không báo cáo cấp trên: {chain.why_not}."]
    ceiling = chain.ceiling
    source = ("đơn vị giao việc" if chain.ceiling_assigned
              else "cấp cao nhất của tổ chức mà cơ quan thường trực phục vụ")
    lines = [(f"Báo cáo cấp trên tới tối đa {ceiling.name} ({ceiling.code}, {source}), "
              "từng cấp một.")]
    for level in chain.levels:
        if level.head is None:
            lines.append(f"E{level.level}: không có cấp trên nào có địa chỉ e-mail.")
            continue
        again = " — đôn đốc lần 2, cùng người nhận với cấp trước" if level.again else ""
        lines.append(f"E{level.level} (quá hạn từ {level.days} ngày làm việc): "
                     f"{head_of(level.head)} <{level.head.head_email}>{again}.")
    if chain.copies_passed_levels:
        lines.append("Nếu một lần kiểm tra bù vượt qua một cấp, người nhận của cấp đó được "
                     "gửi kèm (cc) ở cấp cao hơn.")
    return lines


def _track_lines(track: TrackFacts, zone: tzinfo) -> list[str]:
    lines = [line for record in track.recorded for line in _recorded(record, zone)]
    pending = track.unrecorded
    if pending is not None:
        if pending.delivery is None:
            why_not = pending.why_not or "không có địa chỉ e-mail người nhận (xem danh sách đơn vị)"
            lines.append(f"{pending.rung}: đã đến bậc này nhưng không gửi: {why_not}.")
        else:
            target = pending.delivery
            cc = f" (cc {', '.join(target.cc)})" if target.cc else ""
            lines.append(f"{pending.rung}: đã đến bậc này, chưa có lần kiểm tra nào ghi nhận; "
                         f"lần kiểm tra tới sẽ gửi tới {target.to}{cc}.")
    if not track.reached_any:
        lines.append("Chưa đến bậc nào.")
    if track.upcoming is not None:
        rung, day = track.upcoming
        lines.append(f"Bậc tiếp theo: {rung.name} ({label(rung.kind)}) vào ngày {_d(day)}.")
    return lines


def _recorded(record: RecordedRung, zone: tzinfo) -> list[str]:
    if record.state == LedgerState.SKIPPED:
        return [f"{record.rung}: bỏ qua ngày {_d(record.check_date)} ({record.reason})."]
    if record.state == LedgerState.UNADDRESSED:
        return [f"{record.rung}: không gửi ngày {_d(record.check_date)} — {record.reason}."]
    return [f"{record.rung}: {_notice_state(notice, zone)}" for notice in record.notices]


def _notice_state(notice: NoticeFact, zone: tzinfo) -> str:
    cc = f" (cc {', '.join(notice.cc)})" if notice.cc else ""
    if notice.state == NoticeState.SENT:
        return (f"đã gửi lúc {local_time_text(notice.sent_at, zone)} tới {notice.recipient}{cc}, "
                f"Message-ID {notice.message_id}.")
    if notice.state == NoticeState.FAILED:
        return f"gửi tới {notice.recipient} thất bại: {notice.last_error}."
    if notice.state == NoticeState.PENDING and notice.attempts:
        return (f"đang chờ gửi lại tới {notice.recipient} (đã thử {notice.attempts} lần, lỗi "
                f"tạm thời: {notice.last_error}; thử lại từ "
                f"{local_time_text(notice.next_attempt_at, zone)}).")
    return f"đang chờ gửi tới {notice.recipient}{cc} (lần gửi tới trong hộp thư đi)."
