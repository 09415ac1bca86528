"""Bad input and abuse on the web pages: each gets a clear Vietnamese page and writes nothing —
no submission, no event, no e-mail, no change to an item, no stored file."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from domain.models import Notice, Submission
from flows.responses import revoke_links
from persistence import responses as store
from tests.conftest import *  # noqa: F403 (the database fixtures)
from tests.web_support import (  # noqa: F401
    SECRET,
    aged_token,
    log_in,
    page_token,
    serving,
    site,
    unit_token,
)

PDF = b"%PDF-1.4\n" + b"1" * 100


def _form(site, address="giamdoc@a.example", unit="A"):
    token = unit_token(site.settings, address, unit)
    return token, page_token(site.client.get(f"/u/{token}").text)


def _completion(site, csrf, **changes):
    today = site.application.today()
    data = {"completed_on": today.isoformat(), "doc_number": "15/BC", "csrf": csrf,
            "doc_date": today.isoformat(), "note": ""}
    return {**data, **changes}


def _refused(site, before, answer, status, *phrases):
    assert answer.status_code == status, answer.text
    for phrase in phrases:
        assert phrase in answer.text
    assert "Traceback" not in answer.text
    assert site.written() == before


def test_a_tampered_link_shows_nothing_and_accepts_nothing(site):
    token, csrf = _form(site)
    payload, stamp, signature = token.split(".")
    # The signature's first character is all data (its last carries unused bits): changed,
    # the signature is always another.
    other = "B" if signature[0] == "A" else "A"
    for forged in (f"{payload}.{stamp}.{other}{signature[1:]}",
                   # B's units under A's signature.
                   unit_token(site.settings, "giamdoc@b.example", "B").split(".")[0]
                   + f".{stamp}.{signature}"):
        before = site.written()
        page = site.client.get(f"/u/{forged}")
        _refused(site, before, page, 403, "Đường dẫn không hợp lệ")
        assert "[A1]" not in page.text and "[B1]" not in page.text
        answer = site.client.post(f"/u/{forged}/items/{site.ids.a1}/ack", data={"csrf": csrf})
        _refused(site, before, answer, 403, "Đường dẫn không hợp lệ")


def test_an_expired_link_offers_a_fresh_one_sent_once_and_only_to_known_addresses(site):
    expired = aged_token(site.settings, "giamdoc@a.example", ["A"], timedelta(days=31))
    before = site.written()
    page = site.client.get(f"/u/{expired}")
    _refused(site, before, page, 403, "Đường dẫn đã hết hạn", 'value="giamdoc@a.example"')
    answer = site.client.post(f"/u/{expired}/items/{site.ids.a1}/ack",
                              data={"csrf": page_token(page.text)})
    _refused(site, before, answer, 403, "đã hết hạn")

    csrf = page_token(page.text)
    for address in ("giamdoc@a.example", "GiamDoc@A.example", "khongco@x.example",
                    "giamdoc@a.example", "giamdoc@a.example"):
        said = site.client.post("/link", data={"address": address, "csrf": csrf})
        assert "Nếu địa chỉ này có trong danh sách đơn vị" in said.text
    with site.application.uow.reading() as session:
        sent = session.exec(select(Notice)).scalars().all()
    # Three a day for a known address, none for an unknown one.
    assert [n.recipient for n in sent] == ["giamdoc@a.example"] * 3
    fresh = sent[0].text_body.split("Cập nhật tiến độ, báo cáo kết quả: http://testserver")[1]
    assert site.client.get(fresh.split()[0]).status_code == 200


def test_a_revoked_link_is_refused_and_a_later_one_accepted(site):
    old = aged_token(site.settings, "giamdoc@a.example", ["A"], timedelta(minutes=2))
    with site.application.uow.transaction() as session:
        store.revoke_links(session, "Giamdoc@a.example",
                           datetime.now(UTC) - timedelta(minutes=1), "test")
    before = site.written()
    _refused(site, before, site.client.get(f"/u/{old}"), 403, "Đường dẫn đã bị thu hồi")
    assert site.client.get(f"/u/{unit_token(site.settings, 'giamdoc@a.example', 'A')}"
                           ).status_code == 200


def test_revoking_refuses_every_link_issued_before(site):
    token = aged_token(site.settings, "cchc@a.example", ["A"], timedelta(seconds=5))
    assert site.client.get(f"/u/{token}").status_code == 200
    revoke_links(site.application, "cchc@a.example", "test")
    assert site.client.get(f"/u/{token}").status_code == 403


def test_another_units_item_is_refused_as_if_it_did_not_exist(site):
    token, csrf = _form(site)
    for action, data in (("report", _completion(site, csrf)), ("ack", {"csrf": csrf}),
                         ("progress", {"csrf": csrf, "note": "x"})):
        for item_id in (site.ids.b1, site.ids.c1, 9999):
            before = site.written()
            answer = site.client.post(f"/u/{token}/items/{item_id}/{action}", data=data)
            _refused(site, before, answer, 404, "Không có nhiệm vụ này trong danh sách")


def test_a_missing_or_foreign_form_token_is_refused(site):
    token, csrf = _form(site)
    _, other_csrf = _form(site, "giamdoc@b.example", "B")
    before = site.written()
    # The last character changed, whatever it was: a token one character off is refused.
    tampered = csrf[:-1] + ("1" if csrf.endswith("0") else "0")
    for data in ({}, {"csrf": ""}, {"csrf": other_csrf}, {"csrf": tampered}):
        answer = site.client.post(f"/u/{token}/items/{site.ids.a1}/ack", data=data)
        _refused(site, before, answer, 403, "mã xác thực")
    log_in(site.client, site.application)
    with site.application.uow.transaction() as session:
        session.add(Submission(item_id=site.ids.a1, kind="completion", state="pending",
                               submitted_by="giamdoc@a.example",
                               submitted_on=site.application.today(),
                               completed_on=site.application.today(), doc_number="1",
                               doc_date=site.application.today()))
    before = site.written()
    for data in ({}, {"csrf": csrf}):  # a unit page's token is no session's token
        answer = site.client.post("/review/1/confirm", data=data)
        _refused(site, before, answer, 403, "mã xác thực")


def test_the_login_form_needs_its_token_too(site):
    answer = site.client.post("/login", data={"name": "x", "password": "y"})
    assert answer.status_code == 403 and "mã xác thực" in answer.text


@pytest.mark.parametrize("changes, field", [
    ({"completed_on": "+1"}, "Ngày hoàn thành"),
    ({"doc_date": "+1"}, "Ngày văn bản"),
    ({"completed_on": ""}, "Ngày hoàn thành"),
    ({"completed_on": "31/02/2024"}, "Ngày hoàn thành"),
    ({"doc_number": ""}, "Số văn bản"),
    ({"doc_number": "15/BC\r\nBcc: x@y"}, "Số văn bản"),
    ({"note": "x" * 2001}, "Ghi chú"),
])
def test_a_bad_completion_report_names_the_field_and_writes_nothing(site, changes, field):
    tomorrow = (site.application.today() + timedelta(days=1)).isoformat()
    changes = {k: tomorrow if v == "+1" else v for k, v in changes.items()}
    token, csrf = _form(site)
    before = site.written()
    answer = site.client.post(f"/u/{token}/items/{site.ids.a1}/report",
                              data=_completion(site, csrf, **changes),
                              files={"attachment": ("bc.pdf", PDF, "application/pdf")})
    _refused(site, before, answer, 422, "biểu mẫu có lỗi", field)


def test_a_completion_reported_before_the_inspection_concluded_is_refused_and_writes_nothing(
    site
):
    concluded = site.application.today() - timedelta(days=10)  # the seed's inspection
    token, csrf = _form(site)
    before = site.written()
    answer = site.client.post(
        f"/u/{token}/items/{site.ids.a2}/report",
        data=_completion(site, csrf, completed_on=(concluded - timedelta(days=1)).isoformat()),
        files={"attachment": ("bc.pdf", PDF, "application/pdf")})
    _refused(site, before, answer, 422, "biểu mẫu có lỗi", "Ngày hoàn thành",
             f"trước ngày kết luận kiểm tra {concluded:%d/%m/%Y}")


def test_a_bad_extension_request_writes_nothing(site):
    token, csrf = _form(site)
    before = site.written()
    for data in ({"proposed_due": site.application.today().isoformat(), "reason": "x"},
                 {"proposed_due": "", "reason": "x"},
                 {"proposed_due": (site.application.today() + timedelta(days=9)).isoformat(),
                  "reason": " "}):
        answer = site.client.post(f"/u/{token}/items/{site.ids.a1}/extend",
                                  data={"csrf": csrf, **data})
        _refused(site, before, answer, 422, "biểu mẫu có lỗi")


def test_markup_and_line_breaks_are_escaped_in_every_page_and_letter(site):
    token, csrf = _form(site)
    markup = "<script>alert(1)</script>\n<b>đậm</b>"
    site.client.post(f"/u/{token}/items/{site.ids.a1}/report",
                     data=_completion(site, csrf, doc_number="<i>15</i>", note=markup))
    site.client.post(f"/u/{token}/items/{site.ids.a2}/progress",
                     data={"csrf": csrf, "note": markup})
    unit_page = site.client.get(f"/u/{token}").text
    log_in(site.client, site.application)
    review = site.client.get("/review").text
    site.client.post("/review/1/return", data={"csrf": page_token(review), "comment": markup})
    timeline = site.client.get(f"/items/{site.ids.a1}").text
    with site.application.uow.reading() as session:
        (letter,) = session.exec(select(Notice)).scalars().all()
    for html in (unit_page, review, timeline, letter.html_body):
        assert "<script>" not in html and "<b>đậm" not in html and "<i>15" not in html
        assert "&lt;script&gt;" in html or "&lt;b&gt;" in html
    assert "\n" not in letter.subject


def test_what_a_recorded_form_did_is_said_escaped_and_only_once(site):
    from domain.models import TrackedItem

    with site.application.uow.transaction() as session:
        session.get(TrackedItem, site.ids.undetermined).code = "<b>A3</b>"
    log_in(site.client, site.application)
    due = site.application.today() + timedelta(days=15)
    answer = site.client.post(f"/review/items/{site.ids.undetermined}/deadline", data={
        "csrf": page_token(site.client.get("/review").text), "new_due": f"{due:%d/%m/%Y}",
        "reason": "Công văn 12/SNV"}, follow_redirects=False)
    assert answer.status_code == 303 and "?" not in answer.headers["location"]
    said = site.client.get(answer.headers["location"]).text
    assert "Đã ghi nhận:</strong> Nhiệm vụ &lt;b&gt;A3&lt;/b&gt; có thời hạn" in said
    assert "<b>A3" not in said
    assert 'class="done"' not in site.client.get("/review").text


def _multipart(fields: dict[str, str], name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "----cchc-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="attachment"; '
                 f'filename="{name}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
                 + content + f"\r\n--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_an_oversized_upload_is_cut_off_while_it_streams(site):
    token, csrf = _form(site)
    big = b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024)  # the test policy allows 1 MB
    before = site.written()
    answer = site.client.post(f"/u/{token}/items/{site.ids.a1}/report",
                              data=_completion(site, csrf),
                              files={"attachment": ("bc.pdf", big, "application/pdf")})
    _refused(site, before, answer, 413, "lớn hơn 1 MB")
    # Without a declared length (chunked): counted as it arrives.
    body, content_type = _multipart(_completion(site, csrf), "bc.pdf", big)
    sent = []

    def chunks():
        for start in range(0, len(body), 64 * 1024):
            sent.append(start)
            yield body[start:start + 64 * 1024]

    answer = site.client.post(f"/u/{token}/items/{site.ids.a1}/report", content=chunks(),
                              headers={"content-type": content_type})
    _refused(site, before, answer, 413, "lớn hơn 1 MB")


def _docx_like(members: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in members:
            archive.writestr(member, "x")
    return buffer.getvalue()


@pytest.mark.parametrize("name, content, phrase", [
    ("bao-cao.pdf", b"MZ\x90\x00 a program", "không phải PDF, Word, Excel"),
    ("bao-cao.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 50, "không khớp với đuôi .pdf"),
    ("bao-cao.docx", _docx_like(["payload.exe"]), "tệp nén, không phải tài liệu"),
    ("bao-cao.html", b"<html><script>alert(1)</script>", "không phải PDF, Word, Excel"),
])
def test_a_mislabelled_upload_is_refused_by_its_content(site, name, content, phrase):
    token, csrf = _form(site)
    before = site.written()
    answer = site.client.post(f"/u/{token}/items/{site.ids.a1}/report",
                              data=_completion(site, csrf),
                              files={"attachment": (name, content, "application/pdf")})
    _refused(site, before, answer, 415, phrase)


def test_accepted_uploads_are_kept_under_a_generated_name_and_given_only_to_the_secretariat(
        site):
    token, csrf = _form(site)
    docx = _docx_like(["[Content_Types].xml", "word/document.xml"])
    site.client.post(f"/u/{token}/items/{site.ids.a1}/report", data=_completion(site, csrf),
                     files={"attachment": ("../../báo cáo.docx", docx, "text/html")})
    (stored,) = list(site.uploads.iterdir())
    assert stored.suffix == ".docx" and "báo" not in stored.name
    for path in (f"/uploads/{stored.name}", f"/{stored.name}", "/attachments/1"):
        answer = site.client.get(path, follow_redirects=False)
        assert answer.status_code in (303, 404) and answer.content != docx
    log_in(site.client, site.application)
    download = site.client.get("/attachments/1")
    assert download.content == docx
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.headers["content-disposition"].startswith("attachment;")


def test_the_same_report_sent_twice_is_recorded_once(site):
    token, csrf = _form(site)
    data = _completion(site, csrf, note="một lần")
    first = site.client.post(f"/u/{token}/items/{site.ids.a1}/report", data=data,
                             files={"attachment": ("bc.pdf", PDF, "application/pdf")})
    assert "Đã ghi nhận" in first.text
    before = site.written()
    second = site.client.post(f"/u/{token}/items/{site.ids.a1}/report", data=data,
                              files={"attachment": ("bc.pdf", PDF, "application/pdf")})
    _refused(site, before, second, 200, "đã được ghi nhận lúc")


def test_a_refused_login_is_shown_again_with_the_name_typed_never_the_password(site):
    csrf = page_token(site.client.get("/login").text)
    before = site.written()
    answer = site.client.post("/login", data={"name": "thuong<truc>", "password": "bi-mat-sai",
                                              "csrf": csrf})
    _refused(site, before, answer, 401, "không đúng")
    assert 'name="name" value="thuong&lt;truc&gt;"' in answer.text
    assert "bi-mat-sai" not in answer.text


def test_a_brute_forced_login_is_refused_even_with_the_right_password(site):
    log_in(site.client, site.application)  # creates the user
    site.client.cookies.clear()
    csrf = page_token(site.client.get("/login").text)
    for attempt in range(5):
        answer = site.client.post("/login", data={"name": "thuongtruc", "password": f"sai{attempt}",
                                                  "csrf": csrf})
        assert answer.status_code == 401 and "không đúng" in answer.text
    before = site.written()
    answer = site.client.post("/login", data={"name": "thuongtruc",
                                              "password": "mat-khau-du-dai-123", "csrf": csrf})
    _refused(site, before, answer, 429, "quá nhiều lần")
    assert site.client.get("/review", follow_redirects=False).status_code == 303


def test_every_page_sends_the_security_headers(site):
    token, _ = _form(site)
    for path in ("/", "/login", f"/u/{token}", "/u/sai", "/review", "/web.css"):
        headers = site.client.get(path, follow_redirects=False).headers
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-content-type-options"] == "nosniff"
        policy = headers["content-security-policy"]
        assert "default-src 'none'" in policy and "unsafe-inline" not in policy
        assert "script-src" not in policy  # none at all, by default-src
    site.client.cookies.clear()
    cookie = site.client.get("/login").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_links_never_reach_the_servers_log(site, capfd):
    token = unit_token(site.settings, "giamdoc@a.example", "A")
    with serving(site.settings) as url:
        assert httpx.get(f"{url}/u/{token}").status_code == 200
        assert httpx.get(f"{url}/u/{token}x").status_code == 403
    # uvicorn logs to the process's stdout and stderr.
    served = "".join(capfd.readouterr())
    assert "Uvicorn running" in served
    signature = token.rsplit(".", 1)[1]
    assert signature not in served and token.split(".")[0] not in served


def test_an_unexpected_failure_is_a_vietnamese_page_not_a_traceback(site, monkeypatch):
    from flows import responses

    def broken(*args):
        raise RuntimeError("cơ sở dữ liệu mất kết nối")

    monkeypatch.setattr(responses, "unit_page", broken)
    token = unit_token(site.settings, "giamdoc@a.example", "A")
    from fastapi.testclient import TestClient

    from web.app import create_app

    with TestClient(create_app(site.application), raise_server_exceptions=False) as client:
        answer = client.get(f"/u/{token}")
    assert answer.status_code == 500 and "Có lỗi ngoài ý muốn" in answer.text
    assert "Traceback" not in answer.text and "RuntimeError" not in answer.text
    assert answer.headers["referrer-policy"] == "no-referrer"


def test_confirming_an_item_completed_meanwhile_is_refused_and_writes_nothing(site):
    from domain.models import TrackedItem
    from flows.tracking import complete_item

    token, csrf = _form(site)
    site.client.post(f"/u/{token}/items/{site.ids.a1}/report", data=_completion(site, csrf))
    with site.application.uow.transaction() as session:
        complete_item(session, session.get(TrackedItem, site.ids.a1), site.application.today(),
                      today=site.application.today())
    log_in(site.client, site.application)
    review = page_token(site.client.get("/review").text)
    before = site.written()
    answer = site.client.post("/review/1/confirm", data={"csrf": review})
    _refused(site, before, answer, 409, "Không xác nhận được", "đã hoàn thành")
