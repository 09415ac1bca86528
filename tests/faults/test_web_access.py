"""Who the pages take a request from: a session ended at logout opens nothing, even from a
copied cookie; the client's address is read from X-Forwarded-For only when a trusted proxy
sent it; a link opens its units' page only while its address still answers for them; and every
error a person can reach is a Vietnamese page with its status, one line in the server's log,
no traceback, nothing written."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from domain.models import Event, Unit
from flows.responses import add_user
from tests.conftest import *  # noqa: F403 (the database fixtures)
from tests.database_dump import dump
from tests.web_support import log_in, page_token, serving, site, unit_token  # noqa: F401

PASSWORD = "mat-khau-du-dai-123"


def test_logging_out_ends_the_session_even_for_a_copied_cookie(site):
    log_in(site.client, site.application, password=PASSWORD)
    copied = TestClient(site.client.app, base_url="http://testserver")
    copied.cookies.update(site.client.cookies)
    csrf = page_token(site.client.get("/review").text)
    assert site.client.post("/logout", data={"csrf": csrf},
                            follow_redirects=False).status_code == 303
    answer = copied.get("/review", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    before = dump(site.application.uow.engine)
    refused = copied.post("/review/items/1/deadline", data={"csrf": csrf},
                          follow_redirects=False)
    assert refused.status_code == 303
    assert dump(site.application.uow.engine) == before


# The client's address.

def _login_page(client: httpx.Client, url: str) -> str:
    return page_token(client.get(f"{url}/login").text)


def test_a_caller_rotating_x_forwarded_for_is_still_locked_out_by_its_address(site):
    with serving(site.settings) as url, httpx.Client() as client:
        csrf = _login_page(client, url)
        for attempt in range(6):
            answer = client.post(f"{url}/login",
                                 headers={"X-Forwarded-For": f"198.51.100.{attempt}"},
                                 data={"name": f"ten{attempt}", "password": "sai-mat-khau",
                                       "csrf": csrf})
        assert answer.status_code == 429 and "quá nhiều lần" in answer.text


@pytest.mark.parametrize("trusted, recorded", [("", "127.0.0.1"),
                                               ("10.0.0.0/8,127.0.0.1", "203.0.113.7")])
def test_events_record_the_forwarded_address_only_from_a_trusted_proxy(site, trusted,
                                                                       recorded):
    settings = site.settings.model_copy(update={"trusted_proxies": trusted})
    token = unit_token(settings, "giamdoc@a.example", "A")
    with serving(settings) as url, httpx.Client() as client:
        csrf = page_token(client.get(f"{url}/u/{token}").text)
        answer = client.post(f"{url}/u/{token}/items/{site.ids.a1}/ack", data={"csrf": csrf},
                             headers={"X-Forwarded-For": "203.0.113.7"})
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == f"/u/{token}"
    with site.application.uow.reading() as session:
        (event,) = session.execute(select(Event.data)).scalars()
    assert event["ip"] == recorded


def test_trusted_proxies_must_be_addresses_or_ranges():
    from pydantic import ValidationError

    from flows.settings import Settings

    with pytest.raises(ValidationError, match="không phải địa chỉ IP hay dải CIDR: 'proxy'"):
        Settings(trusted_proxies="127.0.0.1, proxy")


# A link and the units file.

def test_a_link_stops_opening_its_units_page_once_its_address_no_longer_answers_for_them(site):
    token = unit_token(site.settings, "giamdoc@a.example", "A")
    csrf = page_token(site.client.get(f"/u/{token}").text)
    with site.application.uow.transaction() as session:  # a new head, as an import records
        session.get(Unit, "A").head_email = "Giamdoc.Moi@a.example"
    before = dump(site.application.uow.engine)
    page = site.client.get(f"/u/{token}")
    assert page.status_code == 403 and "Đường dẫn không còn hiệu lực" in page.text
    assert 'action="/link"' in page.text and "[A1]" not in page.text
    answer = site.client.post(f"/u/{token}/items/{site.ids.a1}/ack", data={"csrf": csrf})
    assert answer.status_code == 403 and "không còn hiệu lực" in answer.text
    assert dump(site.application.uow.engine) == before
    # The new head's link, and the focal officer's (still theirs), open it.
    for address in ("giamdoc.moi@a.example", "cchc@a.example"):
        assert site.client.get(f"/u/{unit_token(site.settings, address, 'A')}"
                               ).status_code == 200


# Errors a person can reach.

def test_every_error_a_person_can_reach_is_a_vietnamese_page_and_one_log_line(site, capfd):
    add_user(site.application, "thuongtruc", PASSWORD)
    token = unit_token(site.settings, "giamdoc@a.example", "A")
    huge = "9" * 20
    with serving(site.settings) as url, httpx.Client() as client:
        csrf = _login_page(client, url)
        client.post(f"{url}/login", data={"name": "thuongtruc", "password": PASSWORD,
                                          "csrf": csrf})
        review = page_token(client.get(f"{url}/review").text)
        unit = page_token(client.get(f"{url}/u/{token}").text)
        capfd.readouterr()
        before = dump(site.application.uow.engine)
        asked = [
            ("GET", "/items/abc", {}, 404, "Không có trang này"),
            ("GET", f"/items/{huge}", {}, 404, "Không có trang này"),
            ("GET", "/attachments/-1", {}, 404, "Không có trang này"),
            ("POST", f"/review/{huge}/confirm", {"csrf": review}, 404, "Không có trang này"),
            ("POST", f"/review/items/{2**31}/deadline", {"csrf": review}, 404,
             "Không có trang này"),
            ("POST", f"/u/{token}/items/{huge}/ack", {"csrf": unit}, 404, "Không có trang này"),
            ("POST", f"/u/{token}/items/x/ack", {"csrf": unit}, 404, "Không có trang này"),
            ("GET", f"/u/{token}/items/{site.ids.a1}/ack", {}, 405, "Không có thao tác này"),
            ("GET", "/review/1/confirm", {}, 405, "Không có thao tác này"),
            ("GET", "/khong-co", {}, 404, "Không có trang này"),
            ("GET", "/khong-co%0AINFO:%20gia-mao", {}, 404, "Không có trang này"),
        ]
        for method, path, data, status, title in asked:
            answer = client.request(method, f"{url}{path}", data=data or None)
            assert answer.status_code == status, (path, answer.text)
            assert answer.headers["content-type"].startswith("text/html")
            assert title in answer.text and "detail" not in answer.text
            assert answer.headers["content-security-policy"].startswith("default-src 'none'")
        assert dump(site.application.uow.engine) == before
    logged = "".join(capfd.readouterr())
    assert "Traceback" not in logged and "Exception" not in logged
    lines = re.findall(r"^.*\b(?:404|405) (?:GET|POST) .*$", logged, re.M)
    assert len(lines) == len(asked) and not re.search(r"^INFO: +gia-mao", logged, re.M)
    assert token.split(".")[0] not in logged and token.rsplit(".", 1)[1] not in logged
