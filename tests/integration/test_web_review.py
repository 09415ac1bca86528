"""The loop a unit and the secretariat close through the pages: a unit reports, asks, notes
progress and acknowledges; the secretariat confirms, returns, approves, refuses and dates; the
ladder pauses while a report waits; each unit hears of each decision once, by the outbox."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from domain.models import Event, Extension, Notice, Submission, TrackedItem
from flows import checking
from flows.responses import queue_review_digest
from tests.conftest import *  # noqa: F403 (the database fixtures)
from tests.web_support import log_in, page_token, site, unit_token  # noqa: F401

PDF = b"%PDF-1.4\n% bao cao\n" + b"0" * 2000


def _unit_page(site, address="giamdoc@a.example", *units):
    token = unit_token(site.settings, address, *(units or ("A",)))
    page = site.client.get(f"/u/{token}")
    assert page.status_code == 200, page.text
    return token, page


def _report(site, token, item_id, csrf, **fields):
    today = site.application.today()
    data = {"completed_on": (today - timedelta(days=1)).isoformat(), "doc_number": "15/BC-SA",
            "doc_date": today.isoformat(), "note": "Đã hoàn thành", "csrf": csrf, **fields}
    files = {"attachment": ("bao-cao.pdf", PDF, "application/pdf")}
    return site.client.post(f"/u/{token}/items/{item_id}/report", data=data, files=files)


def _notices_to(site, address):
    with site.application.uow.reading() as session:
        return session.exec(select(Notice).where(Notice.recipient == address)).scalars().all()


def _check_day(application):
    """Today, or the next working day: the day the scheduler's next check runs."""
    today, calendar = application.today(), application.calendar
    return today if calendar.is_working_day(today) else calendar.add_working_days(today, 1)


def _check(site):
    """A check today (or on the next working day), as the scheduler runs it."""
    checking.sweep_and_seal(site.application, _check_day(site.application),
                            logging.getLogger("t"))


def _reminded(application):
    """The codes of the items that check would send a notice about (writing nothing)."""
    return {code for _, _, codes in checking.preview(application, _check_day(application))
            for code in codes}


def test_the_unit_page_lists_its_own_items_most_pressing_first_and_its_dissolved_predecessors(
        site):
    _check(site)  # escalates C1 to A's head
    _, page = _unit_page(site)
    html = page.text
    # Overdue (A1, A2) before due soon (OLD1, a dissolved unit's item A answers for), before
    # the undetermined deadline (A3); B's item is not there; C's escalated item is, read-only.
    order = [html.index(f"[{code}]") for code in ("A1", "A2", "OLD1", "A3")]
    assert order == sorted(order)
    assert "[B1]" not in html
    readonly = html.split("chỉ xem")[1]
    assert "[C1]" in readonly and "/items/" not in readonly.split("[C1]")[1].split("</section>")[0]
    assert "Sở A &lt;b&gt;&amp;" in html and "<b>&" not in html


def test_a_confirmed_report_completes_the_item_on_the_reported_day_and_tells_the_unit_once(site):
    token, page = _unit_page(site)
    answer = _report(site, token, site.ids.a1, page_token(page.text))
    assert answer.status_code == 200 and "Đã ghi nhận" in answer.text
    reported_on = site.application.today() - timedelta(days=1)
    with site.application.uow.reading() as session:
        (submission,) = session.exec(select(Submission)).scalars().all()
    assert (site.uploads / submission.attachment_file).read_bytes() == PDF
    assert submission.attachment_file != "bao-cao.pdf"

    log_in(site.client, site.application)
    queue = site.client.get("/review").text
    assert "[A1]" in queue and "bao-cao.pdf" in queue
    csrf = page_token(queue)
    download = site.client.get(f"/attachments/{submission.id}")
    assert download.content == PDF
    assert download.headers["content-disposition"].startswith("attachment;")
    done = site.client.post(f"/review/{submission.id}/confirm", data={"csrf": csrf})
    again = site.client.post(f"/review/{submission.id}/confirm", data={"csrf": csrf})
    assert "Đã ghi nhận" in done.text and again.status_code == 409

    with site.application.uow.reading() as session:
        item = session.get(TrackedItem, site.ids.a1)
        events = [e.name for e in session.exec(select(Event).where(
            Event.item_id == site.ids.a1)).scalars()]
    assert item.completed_on == reported_on
    assert item.evidence == f"Văn bản số 15/BC-SA ngày {site.application.today():%d/%m/%Y}"
    assert events == ["item.reported", "item.completed", "item.report_confirmed"]
    (letter,) = _notices_to(site, "giamdoc@a.example")
    assert "báo cáo hoàn thành đã được xác nhận" in letter.subject
    assert "/u/" in letter.text_body  # a fresh link to the unit's page


def test_a_report_awaiting_review_pauses_the_ladder_and_returning_it_resumes_it(site):
    assert "A1" in _reminded(site.application)
    token, page = _unit_page(site)
    _report(site, token, site.ids.a1, page_token(page.text))
    assert "A1" not in _reminded(site.application)
    assert "A2" in _reminded(site.application)  # the unit's other items are still reminded

    log_in(site.client, site.application)
    csrf = page_token(site.client.get("/review").text)
    with site.application.uow.reading() as session:
        submission_id = session.exec(select(Submission.id)).scalars().one()
    refused = site.client.post(f"/review/{submission_id}/return", data={"csrf": csrf})
    assert refused.status_code == 422 and "Ý kiến" in refused.text
    site.client.post(f"/review/{submission_id}/return",
                     data={"csrf": csrf, "comment": "Thiếu <phụ lục>\nbổ sung"})
    assert "A1" in _reminded(site.application)
    (letter,) = _notices_to(site, "giamdoc@a.example")
    assert "bị trả lại" in letter.subject
    assert "Thiếu <phụ lục>" in letter.text_body
    assert "Thiếu &lt;phụ lục&gt;" in letter.html_body and "<phụ lục>" not in letter.html_body


def test_a_remediation_not_passed_reopens_under_a_new_deadline(site):
    token, page = _unit_page(site)
    _report(site, token, site.ids.a2, page_token(page.text))
    log_in(site.client, site.application)
    queue = site.client.get("/review").text
    assert "Đánh giá: đạt" in queue
    with site.application.uow.reading() as session:
        submission_id = session.exec(select(Submission.id)).scalars().one()
    new_due = site.application.today() + timedelta(days=30)
    answer = site.client.post(f"/review/{submission_id}/return", data={
        "csrf": page_token(queue), "comment": "Chưa niêm yết đủ", "new_due": new_due.isoformat()})
    assert answer.status_code == 200, answer.text
    with site.application.uow.reading() as session:
        item = session.get(TrackedItem, site.ids.a2)
        extensions = session.exec(select(Extension)).scalars().all()
    assert item.completed_on is None and item.due_date == new_due
    # Reopened, not extended: the deadline it missed is kept beside the new one.
    assert extensions == [] and item.reopened_on == site.application.today()
    assert item.due_when_reopened == item.original_due_date < site.application.today()
    (letter,) = _notices_to(site, "giamdoc@a.example")
    assert "CHƯA ĐẠT" in letter.subject and f"{new_due:%d/%m/%Y}" in letter.subject


def test_a_remediation_not_passed_counts_as_reopened_and_overdue_then_done_late(
    site, monkeypatch
):
    """Chưa đạt with a new deadline is not an extension: the item stays in the overdue count as
    reopened (not "within its deadline"), and once done it is done late, not on time."""
    import json

    from typer.testing import CliRunner

    from cli.main import app
    from cli.shared import console

    token, page = _unit_page(site)
    _report(site, token, site.ids.a2, page_token(page.text))
    log_in(site.client, site.application)
    queue = site.client.get("/review").text
    new_due = site.application.today() + timedelta(days=30)
    site.client.post("/review/1/return", data={
        "csrf": page_token(queue), "comment": "Chưa niêm yết đủ", "new_due": new_due.isoformat()})
    monkeypatch.setenv("CCHC_DATABASE_URL", site.settings.database_url)
    monkeypatch.setattr(console, "width", 400)
    runner = CliRunner()
    remediation = json.loads(runner.invoke(app, ["status", "--json"]).output)["remediation"]
    assert remediation["by_status"]["reopened"] == 1 and remediation["overdue"] == 1
    assert remediation["by_status"]["in_progress"] == 0
    items = json.loads(runner.invoke(app, ["items", "--json"]).output)["items"]
    (a2,) = [i for i in items if i["code"] == "A2"]
    assert a2["status_text"] == "chưa đạt, đang khắc phục lại (quá hạn)"
    history = runner.invoke(app, ["history", "item", "A2"]).output
    assert "đánh giá chưa đạt, mở lại để khắc phục" in history
    with site.application.uow.reading() as session:
        missed = session.get(TrackedItem, site.ids.a2).original_due_date
    assert f"hạn đã lỡ {missed:%d/%m/%Y}" in history
    assert "Chưa niêm yết đủ" in history and "gia hạn" not in history

    token, page = _unit_page(site)
    _report(site, token, site.ids.a2, page_token(page.text))
    site.client.post("/review/2/confirm", data={"csrf": page_token(site.client.get("/review").text)})
    remediation = json.loads(runner.invoke(app, ["status", "--json"]).output)["remediation"]
    assert remediation["by_status"]["done_late"] == 1
    assert remediation["by_status"]["done_on_time_extended"] == 0


def test_an_approved_extension_is_the_engines_extension_approved_by_the_user(site):
    token, page = _unit_page(site)
    proposed = site.application.today() + timedelta(days=20)
    site.client.post(f"/u/{token}/items/{site.ids.a1}/extend", data={
        "csrf": page_token(page.text), "proposed_due": proposed.isoformat(),
        "reason": "Chờ ý kiến Bộ"})
    log_in(site.client, site.application)
    queue = site.client.get("/review").text
    with site.application.uow.reading() as session:
        submission_id = session.exec(select(Submission.id)).scalars().one()
    site.client.post(f"/review/{submission_id}/approve",
                     data={"csrf": page_token(queue), "new_due": proposed.isoformat()})
    with site.application.uow.reading() as session:
        item = session.get(TrackedItem, site.ids.a1)
        extension = session.exec(select(Extension)).scalars().one()
    assert item.due_date == proposed
    assert (extension.reason, extension.approved_by) == ("Chờ ý kiến Bộ", "thuongtruc")
    (letter,) = _notices_to(site, "giamdoc@a.example")
    assert "gia hạn được chấp thuận" in letter.subject


def test_a_refused_extension_keeps_the_deadline_and_says_why(site):
    token, page = _unit_page(site)
    site.client.post(f"/u/{token}/items/{site.ids.a1}/extend", data={
        "csrf": page_token(page.text),
        "proposed_due": (site.application.today() + timedelta(days=20)).isoformat(),
        "reason": "Chờ ý kiến Bộ"})
    log_in(site.client, site.application)
    queue = site.client.get("/review").text
    with site.application.uow.reading() as session:
        submission_id = session.exec(select(Submission.id)).scalars().one()
        due = session.get(TrackedItem, site.ids.a1).due_date
    site.client.post(f"/review/{submission_id}/refuse",
                     data={"csrf": page_token(queue), "comment": "Không có căn cứ"})
    with site.application.uow.reading() as session:
        assert session.get(TrackedItem, site.ids.a1).due_date == due
    (letter,) = _notices_to(site, "giamdoc@a.example")
    assert "không được chấp thuận" in letter.subject and "Không có căn cứ" in letter.text_body


def test_the_secretariat_dates_an_undetermined_deadline_and_reads_the_items_timeline(site):
    log_in(site.client, site.application)
    queue = site.client.get("/review").text
    assert "[A3]" in queue
    due = site.application.today() + timedelta(days=15)
    site.client.post(f"/review/items/{site.ids.undetermined}/deadline", data={
        "csrf": page_token(queue), "new_due": due.isoformat(), "reason": "Công văn 12/SNV"})
    timeline = site.client.get(f"/items/{site.ids.undetermined}").text
    assert "đặt thời hạn" in timeline and "Công văn 12/SNV" in timeline
    assert "thuongtruc" in timeline


def test_progress_and_acknowledgement_are_recorded_once_and_shown_to_supervisors(site):
    _check(site)
    token, page = _unit_page(site, "chicuc@c.example", "C")
    csrf = page_token(page.text)
    for _ in range(2):
        site.client.post(f"/u/{token}/items/{site.ids.c1}/ack", data={"csrf": csrf})
        site.client.post(f"/u/{token}/items/{site.ids.c1}/progress",
                         data={"csrf": csrf, "note": "Đang trình ký"})
    with site.application.uow.reading() as session:
        kinds = sorted(s.kind for s in session.exec(select(Submission)).scalars())
    assert kinds == ["ack", "progress"]
    _, supervisor = _unit_page(site)
    assert "Đang trình ký" in supervisor.text.split("chỉ xem")[1]
    log_in(site.client, site.application)
    recent = site.client.get("/review").text.split("gần đây")[1]
    assert "[C1]" in recent and "xác nhận đã nhận" in recent and "Đang trình ký" in recent


def test_an_acknowledgement_is_told_in_later_escalation_digests(site, engine):
    token, page = _unit_page(site, "chicuc@c.example", "C")
    site.client.post(f"/u/{token}/items/{site.ids.c1}/ack", data={"csrf": page_token(page.text)})
    _check(site)
    (digest,) = _notices_to(site, "giamdoc@a.example")
    today = site.application.today()
    assert f"Đơn vị đã xác nhận nhận thông báo ngày {today:%d/%m/%Y}" in digest.text_body
    # Every digest carries its recipient's own page link.
    assert "Cập nhật tiến độ, báo cáo kết quả: http://testserver/u/" in digest.text_body


def test_the_review_digest_goes_once_a_day_when_the_queue_is_not_empty(site):
    today = site.application.today()
    assert queue_review_digest(site.application, today)  # A3's deadline waits to be set
    assert not queue_review_digest(site.application, today)
    (digest,) = _notices_to(site, "thuongtruc@cchc.example")
    assert "chờ xét" in digest.subject and "http://testserver/review" in digest.text_body


def test_the_status_page_and_its_downloads(site):
    log_in(site.client, site.application)
    assert "Tình hình đến ngày" in site.client.get("/status").text
    workbook = site.client.get("/status.xlsx")
    assert workbook.content[:2] == b"PK"
    assert workbook.headers["content-disposition"].startswith("attachment;")
    assert site.client.get("/status.html").headers["content-type"].startswith("text/html")


def test_history_and_explain_tell_what_the_unit_sent_and_who_decided(site, monkeypatch):
    from typer.testing import CliRunner

    from cli.main import app

    token, page = _unit_page(site)
    _report(site, token, site.ids.a1, page_token(page.text))
    monkeypatch.setenv("CCHC_DATABASE_URL", site.settings.database_url)
    runner = CliRunner()
    # The console may wrap lines at any width: read the words.
    explained = " ".join(runner.invoke(app, ["explain", "A1"]).output.split())
    assert "Đơn vị đã gửi báo cáo hoàn thành" in explained
    assert "không nhắc việc, không báo cáo cấp trên" in explained
    assert "Bậc tiếp theo" not in explained  # nothing is next while the report waits
    log_in(site.client, site.application)
    site.client.post("/review/1/confirm", data={"csrf": page_token(site.client.get("/review").text)})
    history = " ".join(runner.invoke(app, ["history", "item", "A1"]).output.split())
    assert "đơn vị báo cáo hoàn thành" in history and "bởi giamdoc@a.example" in history
    assert "xác nhận báo cáo hoàn thành" in history and "bởi thuongtruc" in history


def test_with_pause_on_report_off_a_waiting_report_leaves_the_ladder_running(site, tmp_path):
    from domain.responses import Scope
    from domain.states import SubmissionKind
    from flows.application import build_application
    from flows.responses import Actor, submit
    from tests.web_support import web_settings

    other = tmp_path / "khong-tam-dung"
    other.mkdir()
    application = build_application(web_settings(site.settings.database_url, other,
                                                 "pause_on_report = false\n"))
    today = application.today()
    submit(application, Scope("giamdoc@a.example", frozenset({"A"})), site.ids.a1,
           SubmissionKind.COMPLETION, {"completed_on": today.isoformat(), "doc_number": "1",
                                       "doc_date": today.isoformat()},
           Actor("giamdoc@a.example", None))
    assert "A1" in _reminded(application)
    application.close()


def test_a_recorded_form_leads_to_a_page_saying_what_was_done_and_a_refresh_posts_nothing(site):
    token, page = _unit_page(site)
    answer = site.client.post(f"/u/{token}/items/{site.ids.a1}/progress",
                              data={"csrf": page_token(page.text), "note": "Đang trình ký"},
                              follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == f"/u/{token}"
    result = site.client.get(answer.headers["location"])
    assert ('<p class="done" role="status"><strong>Đã ghi nhận:</strong> Báo cáo tiến độ đã '
            'được ghi nhận.</p>') in result.text
    assert "Đang trình ký" in _section(result.text, site.ids.a1)
    before = site.written()
    refreshed = site.client.get(f"/u/{token}")  # what a browser's refresh asks
    assert refreshed.status_code == 200 and 'class="done"' not in refreshed.text
    assert site.written() == before and before["counts"]["Submission"] == 1

    log_in(site.client, site.application)
    due = site.application.today() + timedelta(days=15)
    answer = site.client.post(f"/review/items/{site.ids.undetermined}/deadline", data={
        "csrf": page_token(site.client.get("/review").text), "new_due": f"{due:%d/%m/%Y}",
        "reason": "Công văn 12/SNV"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/review"
    result = site.client.get("/review").text
    assert f"Đã ghi nhận:</strong> Nhiệm vụ A3 có thời hạn {due:%d/%m/%Y}." in result
    before = site.written()
    assert 'class="done"' not in site.client.get("/review").text
    assert site.written() == before


def _section(html: str, item_id: int) -> str:
    return html.split(f'id="item-{item_id}"')[1].split("</section>")[0]
