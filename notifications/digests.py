"""Turning a digest (one recipient, one check) into a Vietnamese e-mail: subject, text and HTML.
Templates live in `templates/`; HTML is autoescaped, the subject is one line."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from domain.digest_lines import DigestLine, DigestView, TargetLine
from domain.ladder import RungKind
from domain.policy import Policy, Secretariat
from domain.recipients import UnitInfo
from domain.states import RecipientRole, TargetTrack
from notifications.targets import visit_text
from notifications.templating import templates
from notifications.words import head_of, rung_text, target_count


@dataclass(frozen=True)
class RenderedDigest:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Sections:
    """The digest's parts, in the order a head of unit should read them."""

    overdue: list[DigestLine]
    due_today: list[DigestLine]
    due_soon: list[DigestLine]
    subordinates: dict[str, list[DigestLine]]  # for a supervisor: unit name → its items
    escalated: dict[str, list[DigestLine]]  # for the secretariat's alert: unit name → its items
    # The ladder for inspections: the reports the recipient's unit is to send, and for the
    # secretariat's alert, its targets by track.
    inspections: list[TargetLine] = field(default_factory=list)
    inspection_alerts: dict[TargetTrack, list[TargetLine]] = field(default_factory=dict)

    @classmethod
    def of(cls, view: DigestView) -> Sections:
        own = [line for line in view.lines if line.role == RecipientRole.RESPONSIBLE]
        alerts: dict[TargetTrack, list[TargetLine]] = {}
        for target in view.targets:
            if target.role == RecipientRole.SECRETARIAT:
                alerts.setdefault(target.track, []).append(target)
        return cls(
            overdue=[line for line in own if line.kind is RungKind.OVERDUE],
            due_today=[line for line in own if line.kind is RungKind.DUE],
            due_soon=[line for line in own if line.kind is RungKind.REMINDER],
            subordinates=_by_unit(view.lines, RecipientRole.SUPERVISOR),
            escalated=_by_unit(view.lines, RecipientRole.SECRETARIAT),
            inspections=[t for t in view.targets if t.role == RecipientRole.RESPONSIBLE],
            inspection_alerts={track: alerts[track] for track in TargetTrack if track in alerts},
        )

    @property
    def own(self) -> bool:
        """Whether the recipient is asked about their own unit's items (and so is told where
        to report them done)."""
        return bool(self.overdue or self.due_today or self.due_soon)

    @property
    def second_escalations(self) -> int:
        return sum(line.escalation_round > 1 for lines in self.subordinates.values()
                   for line in lines)


def _by_unit(lines: tuple[DigestLine, ...], role: str) -> dict[str, list[DigestLine]]:
    grouped: dict[str, list[DigestLine]] = {}
    for line in lines:
        if line.role == role:
            grouped.setdefault(f"{line.unit_name} ({line.unit_code})", []).append(line)
    return grouped


def subject_for(view: DigestView, sections: Sections, secretariat_name: str) -> str:
    parts = []
    if sections.overdue:
        parts.append(f"{len(sections.overdue)} nhiệm vụ quá hạn")
    if sections.due_today:
        parts.append(f"{len(sections.due_today)} nhiệm vụ đến hạn hôm nay")
    if sections.due_soon:
        parts.append(f"{len(sections.due_soon)} nhiệm vụ sắp đến hạn")
    if sections.subordinates:
        count = sum(len(lines) for lines in sections.subordinates.values())
        parts.append(
            f"{count} nhiệm vụ quá hạn của {len(sections.subordinates)} đơn vị trực thuộc"
            + (" (đôn đốc lần 2)" if sections.second_escalations else "")
        )
    if sections.escalated:
        count = sum(len(lines) for lines in sections.escalated.values())
        parts.append(f"{count} nhiệm vụ quá hạn đã báo cáo cấp trên")
    own = Counter(target.track for target in sections.inspections)
    parts += [target_count(track, own[track]) for track in TargetTrack if own[track]]
    parts += [target_count(track, len(lines))
              for track, lines in sections.inspection_alerts.items()]
    unit = view.recipient_unit.name if view.recipient_unit else secretariat_name
    subject = f"[CCHC] {unit}: {', '.join(parts)} ({view.check_date:%d/%m/%Y})"
    # Whatever a unit's name holds, a subject is one header line.
    return re.sub(r"\s+", " ", subject).strip()


def render_digest(view: DigestView, secretariat: Secretariat, link: str | None = None, *,
                  overdue_repeat_days: int = Policy.overdue_repeat_days) -> RenderedDigest:
    """`link`: the recipient's own page, where they report (`flows/links.py`);
    `overdue_repeat_days`: the policy's, which counts the overdue notices (đôn đốc lần thứ n)."""
    sections = Sections.of(view)
    context = {
        "link": link,
        "view": view,
        "sections": sections,
        "greeting": _greeting(view, secretariat.name),
        # Whom a supervisor's digest asks to direct the subordinate units.
        "supervisor": head_of(view.recipient_unit) if view.recipient_unit else "",
        "secretariat": secretariat,
        "contact": contact_line(secretariat),
        "addressee": addressee,
        "rung": lambda name: rung_text(name, overdue_repeat_days),
        "roles": RecipientRole,
        "tracks": TargetTrack,
        "visit": visit_text,
    }
    return RenderedDigest(
        subject=subject_for(view, sections, secretariat.name),
        text=templates.get_template("digest.txt.j2").render(context),
        html=templates.get_template("digest.html.j2").render(context),
    )


def contact_line(secretariat: Secretariat) -> str:
    """Whom a head of unit can call or write to: the officer, the phone, the address, each
    when the policy names it."""
    parts = [secretariat.officer or ""]
    if secretariat.phone:
        parts.append(f"điện thoại {secretariat.phone}")
    if secretariat.email:
        parts.append(f"e-mail {secretariat.email}")
    return ", ".join(part for part in parts if part)


def _greeting(view: DigestView, secretariat_name: str) -> str:
    unit = view.recipient_unit
    if unit is None:  # only the secretariat gets a digest that is no unit's
        return f"Kính gửi: {secretariat_name}"
    return f"Kính gửi: {addressee(unit, view.recipient)}"


def addressee(unit: UnitInfo | None, recipient: str) -> str:
    """Who `recipient` is, as a letter names them: the head of `unit`, or its focal officer."""
    if unit is None:
        return "cơ quan thường trực cải cách hành chính"
    if unit.head_email and unit.head_email.lower() == recipient.lower():
        return head_of(unit)
    return f"Đầu mối cải cách hành chính, {unit.name}"
