"""Answers to "why did (or didn't) they get it?": an item's ladder on a day, and its timeline."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, tzinfo

from sqlalchemy import or_, select
from sqlmodel import Session

from domain.calendar import WorkingCalendar
from domain.ladder import Track, next_rung, passed_before, reached
from domain.models import (
    Event,
    Extension,
    LadderEntry,
    Notice,
    NoticeEntry,
    TrackedItem,
)
from domain.moments import local_time_text
from domain.policy import Policy
from domain.recipients import (
    UnitTree,
    delivery_for,
    head_of,
    no_escalation_reason,
    supervisor_for,
)
from domain.states import LedgerState, NoticeState, SubmissionKind, SubmissionState
from domain.status import status_of
from persistence.ledger import escalation_organisation, item_authority, load_unit_tree
from persistence.responses import submissions_of

_TRACK_NAMES = {Track.UNIT: "Nhắc việc, đôn đốc", Track.ESCALATION: "Báo cáo cấp trên"}
_WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def _d(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def explain_item(
    session: Session, item: TrackedItem, as_of: date, calendar: WorkingCalendar, policy: Policy,
    *, zone: tzinfo,
) -> list[str]:
    """Sentences, in the order a secretariat reads them: the item, then per track what was
    reached, sent, skipped or pending, and what comes next; times in `zone`."""
    status = status_of(due=item.due_date, opens=item.opens_on, completed_on=item.completed_on,
                       extended=item.extended, as_of=as_of, calendar=calendar,
                       due_soon_days=policy.due_soon_days)
    lines = [
        f"[{item.code}] {item.content}",
        f"Đơn vị chủ trì: {item.unit_code}. Thời hạn: {item.deadline_text} "
        f"(hạn {_d(item.due_date)}). Tình trạng ngày {_d(as_of)}: {status.label}.",
    ]
    for extension in session.exec(
        select(Extension).where(Extension.item_id == item.id).order_by(Extension.id)
    ).scalars():
        approved = f", người cho phép: {extension.approved_by}" if extension.approved_by else ""
        lines.append(f"Đã gia hạn {_d(extension.previous_due)} → {_d(extension.new_due)} "
                     f"(lý do: {extension.reason}{approved}).")
    submitted, paused = _submission_lines(session, item, zone)
    lines += submitted
    if paused and not status.is_done:  # the ladder waits for the secretariat's review
        return lines + _sent_lines(session, item.id, zone)
    if status.is_done:
        lines.append(f"Đã hoàn thành ngày {_d(item.completed_on)}: thang nhắc việc đã dừng, "
                     "không gửi gì thêm.")
        return lines + _sent_lines(session, item.id, zone)
    if item.due_date is None:
        return lines + ["Nhiệm vụ không có hạn cụ thể: không nhắc việc theo hạn."]
    if not calendar.is_working_day(as_of):
        why = calendar.holiday_name(as_of) or _WEEKDAYS[as_of.weekday()]
        lines.append(f"Ngày {_d(as_of)} không phải ngày làm việc ({why}): kiểm tra ngày này "
                     "không gửi gì; ngày làm việc kế tiếp sẽ gửi bù bậc mới nhất.")
    tree = load_unit_tree(session)
    assigned_by, plan_owner = item_authority(session, item.id)
    chain = _Chain(tree, escalation_organisation(session, policy, tree)(plan_owner), assigned_by)
    for track in Track:
        lines.append(f"{_TRACK_NAMES[track]}:")
        if track is Track.ESCALATION:
            lines += [f"  {line}" for line in chain.explained(item.unit_code, policy)]
        lines += [f"  {line}" for line in _track_lines(session, item, track, as_of, calendar,
                                                        policy, chain, zone)]
    return lines


class _Chain:
    """The item's chain of command: who each escalation level goes to, and why."""

    def __init__(self, tree: UnitTree, organisation: str | None, assigned_by: str | None):
        self.tree, self.organisation, self.assigned_by = tree, organisation, assigned_by

    def delivery(self, unit_code, rung, policy, passed_over=()):
        return delivery_for(self.tree, unit_code, rung, policy, organisation=self.organisation,
                            assigned_by=self.assigned_by, passed_over=passed_over)

    def why_not(self, unit_code: str) -> str | None:
        return no_escalation_reason(self.tree, unit_code, organisation=self.organisation,
                                    assigned_by=self.assigned_by)

    def explained(self, unit_code: str, policy: Policy) -> list[str]:
        tree = self.tree
        unit = tree.responsible(unit_code)
        why_not = self.why_not(unit.code)
        if why_not:
            return [f"Không báo cáo cấp trên: {why_not}."]
        ceiling = tree.units[tree.ceiling(unit.code, self.organisation, self.assigned_by)]
        source = ("đơn vị giao việc" if ceiling.code == self.assigned_by
                  else "cấp cao nhất của tổ chức mà cơ quan thường trực phục vụ")
        lines = [(f"Báo cáo cấp trên tới tối đa {ceiling.name} ({ceiling.code}, {source}), "
                  "từng cấp một.")]
        chain = tree.escalation_chain(unit.code, ceiling.code)
        levels = len(policy.escalation_days)
        previous, heads = None, set()
        for level, days in enumerate(policy.escalation_days, start=1):
            head = supervisor_for(chain, level, levels)
            if head is None:
                lines.append(f"E{level}: không có cấp trên nào có địa chỉ e-mail.")
                continue
            again = " — đôn đốc lần 2, cùng người nhận với cấp trước" if head == previous else ""
            lines.append(f"E{level} (quá hạn từ {days} ngày làm việc): {head_of(head)} "
                         f"<{head.head_email}>{again}.")
            previous = head
            heads.add(head.code)
        if len(heads) > 1:
            lines.append("Nếu một lần kiểm tra bù vượt qua một cấp, người nhận của cấp đó được "
                         "gửi kèm (cc) ở cấp cao hơn.")
        return lines


def _track_lines(session, item, track, as_of, calendar, policy, chain, zone) -> list[str]:
    due = item.due_date
    lines = []
    entries = session.exec(
        select(LadderEntry)
        .where(LadderEntry.item_id == item.id, LadderEntry.track == track.value,
               LadderEntry.due_date == due, LadderEntry.check_date <= as_of)
        .order_by(LadderEntry.id)
    ).scalars().all()
    for entry in entries:
        if entry.state == LedgerState.SKIPPED:
            lines.append(f"{entry.rung}: bỏ qua ngày {_d(entry.check_date)} ({entry.reason}).")
        elif entry.state == LedgerState.UNADDRESSED:
            lines.append(f"{entry.rung}: không gửi ngày {_d(entry.check_date)} — {entry.reason}.")
        else:
            lines += [f"{entry.rung}: {text}" for text in _notice_lines(session, entry, zone)]
    current = reached(track, due, as_of, calendar, policy)
    recorded = {entry.rung for entry in entries}
    if current is not None and current.name not in recorded:
        passed = [r for r in passed_before(track, current, policy) if r.name not in recorded]
        target = chain.delivery(item.unit_code, current, policy, passed)
        why_not = track is Track.ESCALATION and chain.why_not(item.unit_code)
        if target is None:
            why_not = why_not or "không có địa chỉ e-mail người nhận (xem danh sách đơn vị)"
            lines.append(f"{current.name}: đã đến bậc này nhưng không gửi: {why_not}.")
        else:
            cc = f" (cc {', '.join(target.cc)})" if target.cc else ""
            lines.append(f"{current.name}: đã đến bậc này, chưa có lần kiểm tra nào ghi nhận; "
                         f"lần kiểm tra tới sẽ gửi tới {target.to}{cc}.")
    if current is None and not entries:
        lines.append("Chưa đến bậc nào.")
    upcoming = next_rung(track, due, as_of, calendar, policy)
    if upcoming is not None:
        rung, day = upcoming
        lines.append(f"Bậc tiếp theo: {rung.name} ({rung.kind.label}) vào ngày {_d(day)}.")
    return lines


def _notice_lines(session: Session, entry: LadderEntry, zone: tzinfo) -> list[str]:
    notices = session.exec(
        select(Notice).join(NoticeEntry, NoticeEntry.notice_id == Notice.id)
        .where(NoticeEntry.ledger_id == entry.id).order_by(Notice.id)
    ).scalars().all()
    return [_notice_state(notice, zone) for notice in notices]


def _notice_state(notice: Notice, zone: tzinfo) -> str:
    cc = f" (cc {', '.join(notice.cc)})" if notice.cc else ""
    if notice.state == NoticeState.SENT:
        return (f"đã gửi lúc {local_time_text(notice.sent_at, zone)} tới {notice.recipient}{cc}, "
                f"Message-ID {notice.message_id}.")
    if notice.state == NoticeState.FAILED:
        return f"gửi tới {notice.recipient} thất bại: {notice.last_error}."
    if notice.state == NoticeState.PENDING and notice.attempts:
        return (f"đang chờ gửi lại tới {notice.recipient} (đã thử {notice.attempts} lần, lỗi "
                f"tạm thời: {notice.last_error}; thử lại từ {local_time_text(notice.next_attempt_at, zone)}).")
    return f"đang chờ gửi tới {notice.recipient}{cc} (lần gửi tới trong hộp thư đi)."


def _sent_lines(session: Session, item_id: int, zone: tzinfo) -> list[str]:
    entries = session.exec(
        select(LadderEntry).where(LadderEntry.item_id == item_id, LadderEntry.state == LedgerState.QUEUED)
        .order_by(LadderEntry.id)
    ).scalars().all()
    return [f"  {entry.rung}: {text}" for entry in entries
            for text in _notice_lines(session, entry, zone)]


def _submission_lines(session: Session, item: TrackedItem, zone: tzinfo
                      ) -> tuple[list[str], bool]:
    """What the unit sent back through its page that bears on the ladder, and whether a report
    awaiting review pauses it."""
    lines, paused = [], False
    for submission in submissions_of(session, [item.id]).get(item.id, []):
        sent = local_time_text(submission.submitted_at, zone)
        if submission.kind == SubmissionKind.ACKNOWLEDGEMENT:
            lines.append(f"Đơn vị đã xác nhận nhận thông báo lúc {sent} ({submission.submitted_by}).")
        elif submission.state == SubmissionState.PENDING:
            waiting = (f"báo cáo hoàn thành ngày {_d(submission.completed_on)} (văn bản số "
                       f"{submission.doc_number})" if submission.kind == SubmissionKind.COMPLETION
                       else f"đề nghị gia hạn đến {_d(submission.proposed_due)}")
            pause = ("; trong khi chờ, không nhắc việc, không báo cáo cấp trên"
                     if submission.pauses_ladder else "")
            paused = paused or submission.pauses_ladder
            lines.append(f"Đơn vị đã gửi {waiting} lúc {sent}: chờ cơ quan thường trực "
                         f"xét{pause}.")
    return lines, paused


def item_timeline(session: Session, item: TrackedItem) -> Iterable[Event]:
    """Every event about the item, and about the notices that carried it, oldest first."""
    notice_ids = select(NoticeEntry.notice_id).join(
        LadderEntry, LadderEntry.id == NoticeEntry.ledger_id
    ).where(LadderEntry.item_id == item.id)
    return session.exec(
        select(Event)
        .where(or_(Event.item_id == item.id, Event.notice_id.in_(notice_ids)))
        .order_by(Event.occurred_at, Event.id)
    ).scalars()
