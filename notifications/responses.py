"""The letters of the units' pages: a decision told to the unit that reported, a fresh page
link, and the secretariat's daily review digest. One plain letter form (`templates/letter.*`):
greeting, paragraphs, a list, the link; HTML autoescaped, the subject one line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.policy import Secretariat
from domain.states import SubmissionKind, SubmissionState
from notifications.digests import contact_line
from notifications.templating import templates
from notifications.words import label

LINK_LABEL = "Cập nhật tiến độ, báo cáo kết quả"


@dataclass(frozen=True)
class Letter:
    subject: str
    text: str
    html: str


def letter(subject: str, greeting: str, paragraphs: Sequence[str], secretariat: Secretariat, *,
           lines: Sequence[str] = (), link: str | None = None,
           link_label: str = LINK_LABEL) -> Letter:
    subject = re.sub(r"\s+", " ", subject).strip()
    context = {"subject": subject, "greeting": greeting, "paragraphs": paragraphs,
               "lines": lines, "link": link, "link_label": link_label,
               "secretariat": secretariat, "contact": contact_line(secretariat)}
    return Letter(subject, templates.get_template("letter.txt.j2").render(context),
                  templates.get_template("letter.html.j2").render(context))


@dataclass(frozen=True)
class Decided:
    """A decision on what a unit sent, as its letter tells it."""

    state: SubmissionState
    kind: SubmissionKind
    remediation: bool
    item_code: str
    item_content: str
    submitted_on: date
    comment: str | None = None
    due: date | None = None  # the new deadline (an approved extension, chưa đạt)
    completed_on: date | None = None


def decision_headline(decided: Decided) -> str:
    if decided.state is SubmissionState.CONFIRMED:
        if decided.remediation:
            return "kết quả khắc phục được đánh giá: ĐẠT; nhiệm vụ đã hoàn thành"
        return (f"báo cáo hoàn thành đã được xác nhận; nhiệm vụ hoàn thành ngày "
                f"{decided.completed_on:%d/%m/%Y}")
    if decided.state is SubmissionState.RETURNED:
        if decided.remediation:
            return (f"kết quả khắc phục được đánh giá: CHƯA ĐẠT; thời hạn mới "
                    f"{decided.due:%d/%m/%Y}")
        return "báo cáo hoàn thành bị trả lại; nhiệm vụ tiếp tục được theo dõi"
    if decided.state is SubmissionState.APPROVED:
        return f"đề nghị gia hạn được chấp thuận; thời hạn mới {decided.due:%d/%m/%Y}"
    return "đề nghị gia hạn không được chấp thuận; thời hạn giữ nguyên"


# What a unit reads once what it sent is recorded.
_SUBMITTED = {
    SubmissionKind.COMPLETION: "Báo cáo hoàn thành đã được gửi tới cơ quan thường trực để xác "
                               "nhận; trong khi chờ, nhiệm vụ không bị nhắc việc.",
    SubmissionKind.EXTENSION: "Đề nghị gia hạn đã được gửi tới cơ quan thường trực.",
    SubmissionKind.PROGRESS: "Báo cáo tiến độ đã được ghi nhận.",
    SubmissionKind.ACKNOWLEDGEMENT: "Đã ghi nhận đơn vị đã nhận thông báo.",
}


def submission_result(kind: SubmissionKind, pause_on_report: bool) -> str:
    """What a unit reads once `kind` is recorded (a completion report pauses the reminders
    only under the policy's `pause_on_report`)."""
    if kind is SubmissionKind.COMPLETION and not pause_on_report:
        return "Báo cáo hoàn thành đã được gửi tới cơ quan thường trực để xác nhận."
    return _SUBMITTED[kind]


def decision_result(decided: Decided) -> str:
    """What the secretariat reads once it has decided: the decision, named."""
    return (f"Nhiệm vụ [{decided.item_code}]: {decision_headline(decided)}. Đơn vị sẽ được "
            "báo qua thư.")


def decision_letter(decided: Decided, addressee: str, secretariat: Secretariat,
                    link: str | None) -> Letter:
    headline = decision_headline(decided)
    paragraphs = [
        f"{secretariat.name} thông báo về {label(decided.kind)} của đơn vị gửi ngày "
        f"{decided.submitted_on:%d/%m/%Y} đối với nhiệm vụ [{decided.item_code}] "
        f"{decided.item_content}: {headline}.",
    ]
    if decided.comment:
        paragraphs.append(f"Ý kiến của {secretariat.name}: {decided.comment}")
    return letter(f"[CCHC] {decided.item_code}: {headline}", f"Kính gửi: {addressee}",
                  paragraphs, secretariat, link=link)


def link_letter(addressee: str, link: str, days: int, secretariat: Secretariat) -> Letter:
    return letter(
        "[CCHC] Đường dẫn mới để cập nhật tiến độ, báo cáo kết quả",
        f"Kính gửi: {addressee}",
        [f"Theo đề nghị, {secretariat.name} gửi đường dẫn mới tới trang của đơn vị "
         f"(có giá trị {days} ngày). Nếu không đề nghị, xin bỏ qua thư này."],
        secretariat, link=link)


def review_letter(entries: Sequence[str], undetermined: int, as_of: date,
                  secretariat: Secretariat, review_url: str | None) -> Letter:
    paragraphs = [f"Đến ngày {as_of:%d/%m/%Y} có {len(entries)} báo cáo, đề nghị của các đơn "
                  "vị đang chờ xét:"]
    if undetermined:
        paragraphs.append(f"{undetermined} nhiệm vụ chưa xác định thời hạn cần được đặt hạn.")
    return letter(f"[CCHC] {len(entries)} báo cáo, đề nghị của đơn vị chờ xét "
                  f"({as_of:%d/%m/%Y})", f"Kính gửi: {secretariat.name}", paragraphs,
                  secretariat, lines=entries, link=review_url, link_label="Xét duyệt")
