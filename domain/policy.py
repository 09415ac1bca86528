"""The secretariat's policy: the ladder's days, who is copied, the secretariat itself and local
calendar overrides. Defaults are the README's ladder; a policy file (TOML or YAML) may change
them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from domain.calendar import CalendarOverrides
from domain.columns import COLUMNS_BY_KIND, ColumnMappingError, column_mapping
from domain.deadlines import Recurrence
from domain.occurrences import REPORT_DUE_DAY, Obligation


@dataclass(frozen=True)
class Secretariat:
    """The CCHC secretariat (cơ quan thường trực) as its e-mails name it: the From name, the
    Reply-To address, and the contact a head of unit can call."""

    name: str
    email: str | None = None
    phone: str | None = None
    officer: str | None = None  # the officer following CCHC (chuyên viên theo dõi)


@dataclass(frozen=True)
class InspectionReminders:
    """`[inspections]`: the ladder for inspections (README, "The ladder for inspections"); 0 or
    false switches a reminder off."""

    # A direct target's self-assessment report (báo cáo tự kiểm tra) is due this many working
    # days before its window opens; its head is reminded on the ladder's reminder days before.
    self_report_days: int = 5
    # A by-report target is reminded of its report, due on its window's last day, until it is
    # recorded received (`cchc inspection done`).
    report_reminders: bool = True
    # The secretariat is told of a target whose window closed with no inspection recorded.
    window_alerts: bool = True
    # … and of an inspection still without its conclusion this many working days after it.
    conclusion_days: int = 15


# Who may be copied on a notice: the focal officer (đầu mối CCHC) of the responsible unit,
# the responsible unit's head (on escalations), the secretariat.
CC_ROLES = ("focal", "unit_head", "secretariat")


@dataclass(frozen=True)
class Policy:
    reminder_days: tuple[int, ...] = (7, 3, 1)
    overdue_repeat_days: int = 3
    escalation_days: tuple[int, ...] = (5, 15)
    cc_reminder: tuple[str, ...] = ("focal",)
    cc_overdue: tuple[str, ...] = ("focal", "secretariat")
    cc_escalation: tuple[tuple[str, ...], ...] = (("unit_head", "secretariat"), ("secretariat",))
    secretariat_name: str = "Cơ quan thường trực cải cách hành chính"
    secretariat_email: str | None = None
    secretariat_phone: str | None = None
    secretariat_officer: str | None = None
    # The unit whose secretariat this is (cấp giao việc cao nhất): escalation never climbs
    # above it. None: an item's own plan's issuing unit, else the latest plan's, else the
    # root of the unit's tree.
    organisation: str | None = None
    # A notice still undelivered this long after it was queued is marked failed and reported:
    # a reminder that arrives days late does more harm than one the secretariat knows is lost.
    max_age_hours: int = 48
    calendar: CalendarOverrides = field(default_factory=CalendarOverrides)
    # [import.columns]: for a sheet whose labels no synonym knows, file kind ("plan",
    # "findings", "units") → column key → letter.
    import_columns: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # [periodic] report_day: the day of a period's last month a recurring report falls due when
    # its cell sets none (a recurring task that is no report falls due on the period's last day).
    report_due_day: int = REPORT_DUE_DAY
    # [[obligations]]: reports every unit of a group owes each period.
    obligations: tuple[Obligation, ...] = ()
    # [web]: how long a digest's page link stays valid, the largest attachment a unit may
    # upload, and whether a completion report awaiting review pauses the item's reminders.
    link_days: int = 30
    upload_max_mb: int = 10
    pause_on_report: bool = True
    inspections: InspectionReminders = field(default_factory=InspectionReminders)

    @property
    def due_soon_days(self) -> int:
        return self.reminder_days[0]

    @property
    def secretariat(self) -> Secretariat:
        return Secretariat(self.secretariat_name, self.secretariat_email,
                           self.secretariat_phone, self.secretariat_officer)


class PolicyError(ValueError):
    def __init__(self, source: str, key: str, reason: str) -> None:
        super().__init__(f"{source}: khóa '{key}': {reason}")
        self.source, self.key, self.reason = source, key, reason


_SECRETARIAT_KEYS = ("name", "email", "phone", "officer", "organisation")
_KNOWN = {
    "reminder_days",
    "overdue_repeat_days",
    "escalation_days",
    "cc",
    "secretariat",
    "calendar",
    "delivery",
    "import",
    "periodic",
    "obligations",
    "web",
    "inspections",
}
_WEB_KEYS = ("link_days", "upload_max_mb", "pause_on_report")
_INSPECTION_DAYS = ("self_report_days", "conclusion_days")
_INSPECTION_SWITCHES = ("report_reminders", "window_alerts")


def policy_from_mapping(data: Mapping[str, Any], source: str) -> Policy:
    """Build a Policy from a parsed policy file; refuse unknown keys and bad values by name."""
    fail = _failer(source)
    for key in data:
        if key not in _KNOWN:
            fail(key, f"khóa không được hỗ trợ (các khóa hợp lệ: {', '.join(sorted(_KNOWN))})")
    defaults = Policy()
    values: dict[str, Any] = {}

    if "reminder_days" in data:
        days = _int_list(data["reminder_days"], "reminder_days", fail)
        if days != sorted(set(days), reverse=True) or days[-1] < 1:
            fail("reminder_days", "cần các số nguyên dương, giảm dần, không trùng (vd. [7, 3, 1])")
        values["reminder_days"] = tuple(days)
    if "overdue_repeat_days" in data:
        repeat = data["overdue_repeat_days"]
        if not isinstance(repeat, int) or isinstance(repeat, bool) or repeat < 1:
            fail("overdue_repeat_days", f"cần số nguyên dương, nhận được {repeat!r}")
        values["overdue_repeat_days"] = repeat
    if "escalation_days" in data:
        days = _int_list(data["escalation_days"], "escalation_days", fail)
        if days != sorted(set(days)) or days[0] < 1:
            fail("escalation_days", "cần các số nguyên dương, tăng dần, không trùng (vd. [5, 15])")
        values["escalation_days"] = tuple(days)

    cc = data.get("cc", {})
    if not isinstance(cc, Mapping):
        fail("cc", "cần một bảng (reminder, overdue, escalation)")
    for key in cc:
        if key not in ("reminder", "overdue", "escalation"):
            fail(f"cc.{key}", "chỉ có reminder, overdue, escalation")
    if "reminder" in cc:
        values["cc_reminder"] = _roles(cc["reminder"], "cc.reminder", fail)
    if "overdue" in cc:
        values["cc_overdue"] = _roles(cc["overdue"], "cc.overdue", fail)
    levels = len(values.get("escalation_days", defaults.escalation_days))
    if "escalation" in cc:
        per_level = cc["escalation"]
        if not isinstance(per_level, list) or len(per_level) != levels:
            fail("cc.escalation", f"cần {levels} danh sách, mỗi cấp chuyển cấp một danh sách")
        values["cc_escalation"] = tuple(
            _roles(roles, f"cc.escalation[{i}]", fail) for i, roles in enumerate(per_level)
        )
    elif levels != len(defaults.cc_escalation):
        fail("cc.escalation", f"escalation_days có {levels} cấp: hãy nêu cc cho từng cấp")

    secretariat = data.get("secretariat", {})
    if not isinstance(secretariat, Mapping):
        fail("secretariat", f"cần một bảng ({', '.join(_SECRETARIAT_KEYS)})")
    for key in secretariat:
        if key not in _SECRETARIAT_KEYS:
            fail(f"secretariat.{key}", f"chỉ có {', '.join(_SECRETARIAT_KEYS)}")
    for key in ("name", "phone", "officer", "organisation"):
        if key in secretariat:
            field_name = key if key == "organisation" else f"secretariat_{key}"
            values[field_name] = _text(secretariat[key], f"secretariat.{key}", fail)
    if "email" in secretariat:
        email = _text(secretariat["email"], "secretariat.email", fail)
        if "@" not in email or any(c in email for c in "\r\n"):
            fail("secretariat.email", f"không phải địa chỉ e-mail: {email!r}")
        values["secretariat_email"] = email

    delivery = data.get("delivery", {})
    if not isinstance(delivery, Mapping):
        fail("delivery", "cần một bảng (max_age_hours)")
    for key in delivery:
        if key != "max_age_hours":
            fail(f"delivery.{key}", "chỉ có max_age_hours")
    if "max_age_hours" in delivery:
        hours = delivery["max_age_hours"]
        if not isinstance(hours, int) or isinstance(hours, bool) or hours < 1:
            fail("delivery.max_age_hours", f"cần số giờ nguyên dương, nhận được {hours!r}")
        values["max_age_hours"] = hours

    values["import_columns"] = _import_columns(data.get("import", {}), fail)
    periodic = data.get("periodic", {})
    if not isinstance(periodic, Mapping) or any(key != "report_day" for key in periodic):
        fail("periodic", "chỉ có periodic.report_day")
    if "report_day" in periodic:
        day = periodic["report_day"]
        if not isinstance(day, int) or isinstance(day, bool) or not 1 <= day <= 31:
            fail("periodic.report_day", f"cần một ngày trong tháng (1–31), nhận được {day!r}")
        values["report_due_day"] = day
    values["obligations"] = _obligations(data.get("obligations", []), fail)
    values.update(_web(data.get("web", {}), fail))
    values["inspections"] = _inspections(data.get("inspections", {}), fail)

    calendar = data.get("calendar", {})
    if not isinstance(calendar, Mapping):
        fail("calendar", "cần một bảng (days_off, working_days)")
    for key in calendar:
        if key not in ("days_off", "working_days"):
            fail(f"calendar.{key}", "chỉ có days_off, working_days")
    off = _dates(calendar.get("days_off", []), "calendar.days_off", fail)
    work = _dates(calendar.get("working_days", []), "calendar.working_days", fail)
    try:
        values["calendar"] = CalendarOverrides(frozenset(off), frozenset(work))
    except ValueError as error:
        fail("calendar", str(error))
    return Policy(**values)


def _web(table: Any, fail) -> dict[str, Any]:
    if not isinstance(table, Mapping) or any(key not in _WEB_KEYS for key in table):
        fail("web", f"chỉ có {', '.join(_WEB_KEYS)}")
    values: dict[str, Any] = {}
    for key in ("link_days", "upload_max_mb"):
        if key in table:
            number = table[key]
            if not isinstance(number, int) or isinstance(number, bool) or number < 1:
                fail(f"web.{key}", f"cần số nguyên dương, nhận được {number!r}")
            values[key] = number
    if "pause_on_report" in table:
        if not isinstance(table["pause_on_report"], bool):
            fail("web.pause_on_report", "cần true hoặc false")
        values["pause_on_report"] = table["pause_on_report"]
    return values


def _inspections(table: Any, fail) -> InspectionReminders:
    """`[inspections]`: days (a whole number, 0 to switch off) and switches (true or false)."""
    keys = _INSPECTION_DAYS + _INSPECTION_SWITCHES
    if not isinstance(table, Mapping):
        fail("inspections", f"cần một bảng ({', '.join(keys)})")
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = f"inspections.{key}"
        if key not in keys:
            fail(where, f"chỉ có {', '.join(keys)}")
        if key in _INSPECTION_DAYS and (not isinstance(value, int) or isinstance(value, bool)
                                        or value < 0):
            fail(where, f"cần số ngày làm việc (0 để tắt), nhận được {value!r}")
        if key in _INSPECTION_SWITCHES and not isinstance(value, bool):
            fail(where, f"cần true hoặc false, nhận được {value!r}")
        values[key] = value
    return InspectionReminders(**values)


def _import_columns(table: Any, fail) -> dict[str, dict[str, str]]:
    """`[import.columns]` names a plan's columns (thoi_han = "F"); its sub-tables
    `[import.columns.findings]` and `[import.columns.units]` those of the other files."""
    if not isinstance(table, Mapping) or any(key != "columns" for key in table):
        fail("import", "chỉ có bảng import.columns")
    columns = table.get("columns", {})
    if not isinstance(columns, Mapping):
        fail("import.columns", "cần một bảng tên cột = chữ cái cột (vd. thoi_han = \"F\")")
    per_kind: dict[str, dict[str, Any]] = {"plan": {}}
    for key, value in columns.items():
        if isinstance(value, Mapping):
            if key not in COLUMNS_BY_KIND:
                fail(f"import.columns.{key}", f"chỉ có {', '.join(COLUMNS_BY_KIND)}")
            per_kind.setdefault(key, {}).update(value)
        else:
            per_kind["plan"][key] = value
    mappings = {}
    for kind, pairs in per_kind.items():
        try:
            mappings[kind] = column_mapping(pairs, COLUMNS_BY_KIND[kind])
        except ColumnMappingError as error:
            where = "import.columns" if kind == "plan" else f"import.columns.{kind}"
            fail(where, str(error))
    return {kind: mapping for kind, mapping in mappings.items() if mapping}


_OBLIGATION_KEYS = ("code", "name", "period", "due", "group", "to")
_PERIOD_NAMES = {"thang": "month", "month": "month", "quy": "quarter", "quarter": "quarter",
                 "6 thang": "half_year", "half_year": "half_year", "nam": "year", "year": "year"}


def _obligations(entries: Any, fail) -> tuple[Obligation, ...]:
    """`[[obligations]]`: code, name, period (tháng | quý | 6 tháng | năm), due (a recurring
    deadline as a plan writes it: "Trước ngày 15 của tháng cuối quý"), group, to."""
    from domain.deadlines import DeadlineError, DeadlineKind, normalise, parse_deadline

    if not isinstance(entries, list):
        fail("obligations", "cần các bảng [[obligations]]")
    obligations = []
    for i, entry in enumerate(entries):
        where = f"obligations[{i}]"
        if not isinstance(entry, Mapping):
            fail(where, "cần một bảng (code, name, period, due, group, to)")
        for key in entry:
            if key not in _OBLIGATION_KEYS:
                fail(f"{where}.{key}", f"chỉ có {', '.join(_OBLIGATION_KEYS)}")
        for key in ("code", "name", "due", "group"):
            if key not in entry:
                fail(f"{where}.{key}", "thiếu khóa này")
        code = _text(entry["code"], f"{where}.code", fail)
        if "/" in code or any(code == o.code for o in obligations):
            fail(f"{where}.code", f"mã '{code}' trùng hoặc chứa '/'")
        due_text = _text(entry["due"], f"{where}.due", fail)
        try:
            deadline = parse_deadline(due_text)
        except DeadlineError as error:
            fail(f"{where}.due", str(error))
        rule = deadline.rule
        if deadline.kind is not DeadlineKind.RECURRING or rule is None or rule.day is None:
            fail(f"{where}.due", f"'{due_text}' không phải hạn định kỳ có ngày (vd. \"Trước "
                 "ngày 15 của tháng cuối quý\")")
        if "period" in entry:
            period = _PERIOD_NAMES.get(normalise(_text(entry["period"], f"{where}.period", fail)))
            if period is None:
                fail(f"{where}.period", "cần tháng, quý, 6 tháng hoặc năm")
            rule = Recurrence((period,), rule.day, rule.month)
        if not rule.periods:
            fail(f"{where}.period", "cần nêu kỳ báo cáo (tháng, quý, 6 tháng hoặc năm)")
        to = _text(entry["to"], f"{where}.to", fail) if "to" in entry else None
        obligations.append(Obligation(code, _text(entry["name"], f"{where}.name", fail), rule,
                                      _text(entry["group"], f"{where}.group", fail), to,
                                      due_text))
    return tuple(obligations)


def _failer(source: str):
    def fail(key: str, reason: str):
        raise PolicyError(source, key, reason)

    return fail


def _int_list(value: Any, key: str, fail) -> list[int]:
    if not isinstance(value, list) or not value:
        fail(key, f"cần một danh sách số nguyên, nhận được {value!r}")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        fail(key, f"cần một danh sách số nguyên, nhận được {value!r}")
    return list(value)


def _roles(value: Any, key: str, fail) -> tuple[str, ...]:
    if not isinstance(value, list) or any(role not in CC_ROLES for role in value):
        fail(key, f"cần danh sách trong {list(CC_ROLES)}, nhận được {value!r}")
    return tuple(value)


def _text(value: Any, key: str, fail) -> str:
    if not isinstance(value, str) or not value.strip():
        fail(key, f"cần một chuỗi không rỗng, nhận được {value!r}")
    return value.strip()


def _dates(value: Any, key: str, fail) -> list[date]:
    if not isinstance(value, list):
        fail(key, f"cần danh sách ngày (DD/MM/YYYY hoặc YYYY-MM-DD), nhận được {value!r}")
    days = []
    for item in value:
        if isinstance(item, datetime):
            days.append(item.date())
        elif isinstance(item, date):
            days.append(item)
        else:
            try:
                text = str(item).strip()
                days.append(
                    datetime.strptime(text, "%d/%m/%Y" if "/" in text else "%Y-%m-%d").date()
                )
            except ValueError:
                fail(key, f"ngày không hợp lệ: {item!r}")
    return days
