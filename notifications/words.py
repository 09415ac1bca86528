"""The engine's words for the domain's values, defined once: numbers, percentages, days and
moments in Vietnamese style, an item's source and a unit's head as a letter names them, and the
label of each status, deadline kind, rung kind and delivery state. The domain keeps stable
codes; whatever a user reads is chosen here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from domain.digest_lines import ItemSource
from domain.ladder import RungKind, overdue_round, parse_rung
from domain.recipients import UnitInfo
from domain.states import (
    DeadlineKind,
    DeliveryState,
    InspectionMode,
    SourceKind,
    SubmissionKind,
    SubmissionState,
    TargetState,
    TargetTrack,
    UnitKind,
    UnitKindSource,
)
from domain.status import Status

SHOWN = "%d/%m/%Y %H:%M"


def format_number(value: int | Decimal, decimals: int = 0) -> str:
    """Vietnamese style: `.` groups thousands, `,` marks decimals (7.182; 95,8)."""
    quantum = Decimal(1).scaleb(-decimals)
    text = f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP):,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{format_number(value, 1)}%"


def day_text(day: date | None, missing: str = "") -> str:
    return day.strftime("%d/%m/%Y") if day else missing


def local_time_text(moment: datetime, zone: tzinfo) -> str:
    """A moment in the engine's time zone (CCHC_TIMEZONE), dd/mm/yyyy HH:MM: the database keeps
    UTC, and every time shown (sent at, an event, a run, a log line) passes here."""
    # SQLite hands timestamps back without their zone: they were written in UTC.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).strftime(SHOWN)


def source_text(source: ItemSource) -> str:
    """An item's origin as a digest names it, saying what it is: the plan with its decision,
    the inspection's conclusion, or the report obligation."""
    if source.kind is SourceKind.INSPECTION:
        return f"Kết luận kiểm tra: {source.name}"
    if source.kind is SourceKind.OBLIGATION:
        return f"Nghĩa vụ báo cáo định kỳ: {source.name}"
    # A plan's title mostly says it is one ("Kế hoạch CCHC năm 2021"); a bare title is named so.
    named = source.name if source.name.casefold().startswith("kế hoạch") \
        else f"Kế hoạch {source.name}"
    return named + (f" ({source.decision})" if source.decision else "")


def head_of(unit: UnitInfo) -> str:
    """The head of `unit` as a letter names them: "Chủ tịch UBND xã Chiềng Xôm". The title
    often names the unit already ("Chủ tịch UBND xã Chiềng Xôm") or its start ("Chủ tịch
    UBND thành phố", of "UBND thành phố Sơn La"): the name is added from where the title
    leaves off, so the unit is never named twice."""
    title_words, name_words = (unit.head_title or "Thủ trưởng").split(), unit.name.split()
    title = " ".join(title_words)  # one line, whatever was typed into the units file
    if " ".join(name_words).casefold() in title.casefold():
        return title
    folded_title = [w.casefold() for w in title_words]
    folded_name = [w.casefold() for w in name_words]
    overlap = next((k for k in range(min(len(title_words), len(name_words)), 0, -1)
                    if folded_title[-k:] == folded_name[:k]), 0)
    return " ".join(title_words + name_words[overlap:])


def rung_text(name: str, overdue_repeat_days: int) -> str:
    """A rung as a head of unit reads it ("O4" → "đôn đốc lần thứ 2"): the codes are for
    `cchc explain`, not for letters and pages."""
    kind, number = parse_rung(name)
    if kind is RungKind.REMINDER:
        return f"nhắc trước hạn {number} ngày làm việc"
    if kind is RungKind.DUE:
        return "nhắc đến hạn"
    if kind is RungKind.OVERDUE:
        return f"đôn đốc lần thứ {overdue_round(number, overdue_repeat_days)}"
    return f"báo cáo cấp trên lần thứ {number}"


# Per enum, as the members of different enums may share a value ("overdue").
_LABELS: dict[type, dict[StrEnum, str]] = {
    Status: {
        Status.NOT_YET_DUE: "chưa đến hạn",
        Status.IN_PROGRESS: "đang thực hiện trong hạn",
        Status.DUE_SOON: "sắp đến hạn",
        Status.OVERDUE: "đang thực hiện quá hạn",
        Status.DONE_ON_TIME: "hoàn thành đúng hạn",
        Status.DONE_ON_TIME_EXTENDED: "hoàn thành đúng hạn (có gia hạn)",
        Status.DONE_LATE: "hoàn thành quá hạn",
        Status.NO_DEADLINE: "không thời hạn",
        Status.REOPENED: "chưa đạt, đang khắc phục lại (quá hạn)",
    },
    DeadlineKind: {
        DeadlineKind.FIXED: "có ngày cụ thể",
        DeadlineKind.RECURRING: "định kỳ",
        DeadlineKind.CONTINUOUS: "thường xuyên",
        DeadlineKind.UNDETERMINED: "chưa xác định thời hạn",
    },
    RungKind: {
        RungKind.REMINDER: "nhắc việc",
        RungKind.DUE: "đến hạn",
        RungKind.OVERDUE: "đôn đốc",
        RungKind.ESCALATION: "báo cáo cấp trên",
    },
    DeliveryState: {
        DeliveryState.SENT: "đã gửi",
        DeliveryState.DEFERRED: "tạm hoãn",
        DeliveryState.FAILED: "lỗi",
    },
    SubmissionKind: {
        SubmissionKind.COMPLETION: "báo cáo hoàn thành",
        SubmissionKind.EXTENSION: "đề nghị gia hạn",
        SubmissionKind.PROGRESS: "báo cáo tiến độ",
        SubmissionKind.ACKNOWLEDGEMENT: "xác nhận đã nhận",
    },
    SubmissionState: {
        SubmissionState.PENDING: "chờ cơ quan thường trực xét",
        SubmissionState.CONFIRMED: "đã xác nhận",
        SubmissionState.RETURNED: "đã trả lại",
        SubmissionState.APPROVED: "đã chấp thuận",
        SubmissionState.REFUSED: "không chấp thuận",
        SubmissionState.RECORDED: "đã ghi nhận",
    },
    UnitKind: {
        UnitKind.PROVINCE: "tỉnh",
        UnitKind.DEPARTMENT: "sở",
        UnitKind.BOARD: "ban",
        UnitKind.DISTRICT: "huyện/thành phố/thị xã",
        UnitKind.OFFICE: "phòng",
        UnitKind.COMMUNE: "xã",
        UnitKind.WARD: "phường",
        UnitKind.TOWNSHIP: "thị trấn",
        UnitKind.OTHER: "khác",
    },
    # How an import read units' kinds: "loại đơn vị theo cột Loại: 3 xã, 1 phường".
    UnitKindSource: {
        UnitKindSource.COLUMN: "theo cột Loại",
        UnitKindSource.NAME: "đọc từ tên đơn vị",
        UnitKindSource.KEPT: "giữ như đã có (tệp không có cột Loại)",
        UnitKindSource.UNREAD: "không đọc được từ tên, ghi là khác (ghi rõ ở cột Loại nếu cần)",
    },
    InspectionMode: {
        InspectionMode.DIRECT: "trực tiếp",
        InspectionMode.BY_REPORT: "qua báo cáo",
    },
    TargetState: {
        TargetState.PLANNED: "chưa kiểm tra",
        TargetState.INSPECTED: "đã kiểm tra, chưa có kết luận",
        TargetState.CONCLUDED: "đã có kết luận",
        TargetState.DROPPED: "đã đưa ra khỏi kế hoạch",
    },
    TargetTrack: {
        TargetTrack.SELF_REPORT: "báo cáo tự kiểm tra trước ngày Đoàn kiểm tra làm việc",
        TargetTrack.REPORT: "báo cáo tự kiểm tra phục vụ kiểm tra qua báo cáo",
        TargetTrack.WINDOW_PASSED: "đã hết thời gian kiểm tra, chưa ghi nhận đã kiểm tra",
        TargetTrack.CONCLUSION_LATE: "đã kiểm tra, chưa có kết luận kiểm tra",
    },
}


# How a digest's subject counts the lines of each track of the ladder for inspections.
_TARGET_COUNTS = {
    TargetTrack.SELF_REPORT: "{} báo cáo tự kiểm tra cần gửi trước ngày kiểm tra",
    TargetTrack.REPORT: "{} báo cáo tự kiểm tra (kiểm tra qua báo cáo)",
    TargetTrack.WINDOW_PASSED: "{} đơn vị hết thời gian kiểm tra chưa được kiểm tra",
    TargetTrack.CONCLUSION_LATE: "{} cuộc kiểm tra chưa có kết luận",
}


def target_count(track: TargetTrack, count: int) -> str:
    """"2 báo cáo tự kiểm tra cần gửi trước ngày kiểm tra": a subject's part."""
    return _TARGET_COUNTS[track].format(count)


def label(member: StrEnum) -> str:
    """What a person reads for a status, a deadline kind, a rung kind, an outcome, what a
    unit sent and what became of it, or a unit's kind and where an import read it."""
    return _LABELS[type(member)][member]


# What the web pages' forms record, as an item's history names each field (`cchc history`, an
# item's timeline on the pages).
_FORM_FIELDS = {
    "completed_on": "ngày hoàn thành", "doc_number": "văn bản số", "doc_date": "ngày văn bản",
    "proposed_due": "hạn đề nghị", "note": "nội dung", "attachment": "tệp đính kèm",
    "comment": "ý kiến", "new_due": "hạn mới", "reported_by": "đơn vị gửi", "due": "hạn",
    "reason": "căn cứ", "deadline": "thời hạn",
}


def form_field(name: str) -> str:
    """A recorded form field's name, in words (an unknown one as it is)."""
    return _FORM_FIELDS.get(name, name)


# The visit form's two dates on the secretariat's inspection pages, as each mode records them
# (`cchc inspection done --on FIRST-LAST`).
_VISIT_DATES = {
    InspectionMode.DIRECT: ("Ngày đầu đoàn kiểm tra làm việc",
                            "Ngày cuối (để trống nếu chỉ làm việc một ngày)"),
    InspectionMode.BY_REPORT: ("Ngày nhận báo cáo", "Ngày xem xét xong báo cáo (để trống nếu "
                                                    "cùng ngày nhận)"),
}


def visit_dates(mode: InspectionMode) -> tuple[str, str]:
    """The captions of a visit's first and last day, for a target of `mode`."""
    return _VISIT_DATES[mode]


# Why a unit's page link opens nothing, as its page says it ("Đường dẫn đã hết hạn").
_LINK_REFUSALS = {"expired": "đã hết hạn", "revoked": "đã bị thu hồi",
                  "outdated": "không còn hiệu lực"}


def link_refusal(reason: str) -> str:
    """`flows.links.LinkRefused.reason` in words (other than a tampered link's)."""
    return _LINK_REFUSALS[reason]


# How a secretariat's sentence names units of a kind: "5 xã", "6 cơ quan chuyên môn", "4 UBND
# cấp huyện" (the label is the kind's name in a table: "phòng", "huyện/thành phố/thị xã").
_KIND_NOUNS = {
    UnitKind.PROVINCE: "UBND tỉnh", UnitKind.DEPARTMENT: "sở", UnitKind.BOARD: "ban",
    UnitKind.DISTRICT: "UBND cấp huyện", UnitKind.OFFICE: "cơ quan chuyên môn",
    UnitKind.COMMUNE: "xã", UnitKind.WARD: "phường", UnitKind.TOWNSHIP: "thị trấn",
    UnitKind.OTHER: "đơn vị khác",
}
# The kinds a sentence names together, from the highest level down ("8 sở, ban"; "13 xã, thị
# trấn"), and a level's name where it is named as one ("12 phòng ban chuyên môn").
KIND_LEVELS = (
    (UnitKind.PROVINCE,), (UnitKind.DEPARTMENT, UnitKind.BOARD), (UnitKind.DISTRICT,),
    (UnitKind.OFFICE,), (UnitKind.COMMUNE, UnitKind.WARD, UnitKind.TOWNSHIP), (UnitKind.OTHER,),
)
_LEVEL_NOUNS = {(UnitKind.OFFICE,): "phòng ban chuyên môn"}


def kind_noun(kind: UnitKind) -> str:
    return _KIND_NOUNS[kind]


def level_noun(level: tuple[UnitKind, ...], present: Iterable[UnitKind]) -> str:
    """A level named as one, by the kinds of it present: "sở, ban", "xã, thị trấn"."""
    present = set(present)
    return _LEVEL_NOUNS.get(level) or ", ".join(_KIND_NOUNS[k] for k in level if k in present)


def counted_noun(kinds: Iterable[UnitKind]) -> str:
    """The kinds the PAR index counts, by level: "sở, ban và UBND cấp huyện"; "đơn vị trực
    thuộc" when it counts every unit."""
    kinds = set(kinds)
    if not kinds:
        return "đơn vị trực thuộc"
    return join_and([level_noun(level, kinds) for level in KIND_LEVELS
                     if any(k in kinds for k in level)])


def join_and(parts: list[str]) -> str:
    """"a", "a và b", "a, b và c"."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " và " + parts[-1]
