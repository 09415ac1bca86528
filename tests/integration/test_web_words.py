"""What a unit's head and the secretariat read on the pages: notices in words, dates as
dd/mm/yyyy, a reported item waiting for review, the decision a result names."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from sqlalchemy import select

from domain.models import Submission
from flows import checking
from tests.conftest import *  # noqa: F403 (the database fixtures)
from tests.web_support import log_in, page_token, site, unit_token  # noqa: F401


def _checked_and_sent(site):
    """A check on the next working day from today, its digests delivered."""
    calendar = site.application.calendar
    today = site.application.today()
    day = today if calendar.is_working_day(today) else calendar.add_working_days(today, 1)
    log = logging.getLogger("t")
    checking.sweep_and_seal(site.application, day, log)
    checking.dispatch(site.application, log)


def test_the_unit_page_says_which_notice_was_sent_in_words_not_rung_codes(site):
    _checked_and_sent(site)
    token = unit_token(site.settings, "giamdoc@a.example", "A")
    html = site.client.get(f"/u/{token}").text
    sent = re.findall(r"Thư đã gửi: (.*)</p>", html)
    notices = [n for line in sent for n in re.findall(r"\(([^,()]+), [^()]+\)", line)]
    assert notices and "đôn đốc lần thứ" in " ".join(notices)
    words = r"nhắc trước hạn \d+ ngày làm việc|nhắc đến hạn|đôn đốc lần thứ \d+|báo cáo cấp trên lần thứ \d+"
    assert all(re.fullmatch(words, notice) for notice in notices), notices
    assert not re.search(r"\b[ROE][0-9]+\b", " ".join(sent))


PDF = b"%PDF-1.4\n% bao cao\n" + b"0" * 2000


def _unit_page(site):
    token = unit_token(site.settings, "giamdoc@a.example", "A")
    page = site.client.get(f"/u/{token}")
    return token, page.text


def _section(html: str, item_id: int) -> str:
    return html.split(f'id="item-{item_id}"')[1].split("</section>")[0]


def test_an_item_reported_done_waits_for_review_with_its_file_listed_not_shown_overdue(site):
    token, html = _unit_page(site)
    assert "quá hạn" in _section(html, site.ids.a1)
    today = site.application.today()
    answer = site.client.post(
        f"/u/{token}/items/{site.ids.a1}/report",
        data={"csrf": page_token(html), "completed_on": f"{today:%d/%m/%Y}",
              "doc_number": "15/BC-SA", "doc_date": f"{today:%d/%m/%Y}"},
        files={"attachment": ("bao-cao-15.pdf", PDF, "application/pdf")})
    assert answer.status_code == 200, answer.text
    section = _section(site.client.get(f"/u/{token}").text, site.ids.a1)
    assert f'<p class="waiting">Đã báo cáo hoàn thành ngày {today:%d/%m/%Y}, chờ xét</p>' in section
    assert "quá hạn" not in section and "status-overdue" not in section
    assert "tệp đính kèm: bao-cao-15.pdf" in section


def test_date_fields_read_dd_mm_yyyy_and_a_new_deadline_names_the_earliest_date_allowed(site):
    token, html = _unit_page(site)
    assert 'type="date"' not in html
    earliest = site.application.today() + timedelta(days=1)  # A1 is overdue: after today
    extend = _section(html, site.ids.a1).split('action="/u/')[2]
    assert f"sớm nhất {earliest:%d/%m/%Y}" in extend
    assert 'name="proposed_due"' in extend and 'placeholder="dd/mm/yyyy"' in extend
    answer = site.client.post(f"/u/{token}/items/{site.ids.a1}/extend",
                              data={"csrf": page_token(html), "reason": "Chờ hướng dẫn",
                                    "proposed_due": f"{earliest:%d/%m/%Y}"})
    assert answer.status_code == 200 and "Đã ghi nhận" in answer.text
    log_in(site.client, site.application)
    review = site.client.get("/review").text
    assert 'type="date"' not in review
    assert f'name="new_due" value="{earliest:%d/%m/%Y}"' in review


def test_a_malformed_date_is_refused_beside_its_field_keeping_what_was_typed(site):
    token, html = _unit_page(site)
    before = site.written()
    answer = site.client.post(f"/u/{token}/items/{site.ids.a1}/extend",
                              data={"csrf": page_token(html), "reason": "Chờ hướng dẫn",
                                    "proposed_due": "31/02/2027"})
    assert answer.status_code == 422
    assert site.written() == before
    form = _section(answer.text, site.ids.a1).split('action="/u/')[2]
    field = form.split('name="proposed_due"')[1]
    assert field.startswith(' value="31/02/2027"')
    beside = field.split("</label>")[1]
    assert beside.lstrip().startswith('<p class="error field-error">')
    assert "không phải ngày hợp lệ: &#39;31/02/2027&#39; (dạng DD/MM/YYYY)" in beside
    assert "<details open>" in answer.text.split('name="proposed_due"')[0].rsplit("<section", 1)[1]
    assert "Chờ hướng dẫn</textarea>" in form


def test_the_result_of_a_decision_names_the_decision(site):
    token, html = _unit_page(site)
    due = site.application.today() + timedelta(days=20)
    site.client.post(f"/u/{token}/items/{site.ids.a1}/extend",
                     data={"csrf": page_token(html), "reason": "Chờ hướng dẫn",
                           "proposed_due": f"{due:%d/%m/%Y}"})
    log_in(site.client, site.application)
    review = site.client.get("/review").text
    with site.application.uow.reading() as session:
        submission_id = session.exec(select(Submission.id)).scalars().one()
    answer = site.client.post(f"/review/{submission_id}/approve",
                              data={"csrf": page_token(review), "new_due": f"{due:%d/%m/%Y}"})
    assert answer.status_code == 200
    assert (f"Nhiệm vụ [A1]: đề nghị gia hạn được chấp thuận; thời hạn mới {due:%d/%m/%Y}. "
            "Đơn vị sẽ được báo qua thư.") in answer.text


def test_a_secretariats_malformed_date_is_refused_beside_its_field(site):
    log_in(site.client, site.application)
    review = site.client.get("/review").text
    before = site.written()
    answer = site.client.post(f"/review/items/{site.ids.undetermined}/deadline",
                              data={"csrf": page_token(review), "new_due": "30-06-2027",
                                    "reason": "Công văn 12/SNV"})
    assert answer.status_code == 422
    assert site.written() == before
    form = answer.text.split(f"/review/items/{site.ids.undetermined}/deadline")[1]
    field = form.split('name="new_due"')[1]
    assert field.startswith(' value="30-06-2027"')
    assert field.split("</label>")[1].lstrip().startswith('<p class="error field-error">')
    assert 'value="Công văn 12/SNV"' in form
