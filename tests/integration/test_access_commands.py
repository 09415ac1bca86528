"""The commands that say who may open the pages: `cchc link revoke` (an address as pasted,
validated, unknown ones told) and `cchc user list | disable | passwd` (a disabled user or a new
password ends the sessions already open). A refused command writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import *  # noqa: F403 (the database fixtures)
from tests.database_dump import dump
from tests.web_support import aged_token, log_in, page_token, site  # noqa: F401

PASSWORD = "mat-khau-du-dai-123"


def _cchc(site, *args, stdin=None):
    """Run `cchc` against the site's database, as its operator would."""
    env = {"CCHC_DATABASE_URL": site.settings.database_url}
    result = CliRunner().invoke(app, list(args), input=stdin, env=env)
    return result.exit_code, result.output


def _refused_writes_nothing(site, *args, phrase, stdin=None):
    before = dump(site.application.uow.engine)
    code, output = _cchc(site, *args, stdin=stdin)
    assert code == 1 and phrase in output, output
    assert "Traceback" not in output
    assert dump(site.application.uow.engine) == before


def test_a_revoked_address_pasted_with_spaces_and_capitals_closes_its_links(site):
    token = aged_token(site.settings, "giamdoc@a.example", ["A"], timedelta(seconds=5))
    assert site.client.get(f"/u/{token}").status_code == 200
    code, output = _cchc(site, "link", "revoke", "  GiamDoc@A.Example ")
    assert code == 0 and "Đã thu hồi mọi đường dẫn đã gửi tới giamdoc@a.example." in output
    assert "Lưu ý" not in output
    page = site.client.get(f"/u/{token}")
    assert page.status_code == 403 and "Đường dẫn đã bị thu hồi" in page.text


@pytest.mark.parametrize("address", ["giamdoc", "giam doc@a.example", "@a.example", ""])
def test_revoking_what_is_not_an_address_is_refused_and_writes_nothing(site, address):
    _refused_writes_nothing(site, "link", "revoke", address,
                            phrase="không phải địa chỉ e-mail")


def test_revoking_an_address_no_unit_has_says_so(site):
    code, output = _cchc(site, "link", "revoke", "giamdoc@a.exmple")
    assert code == 0
    assert "Lưu ý: không đơn vị nào có giamdoc@a.exmple là e-mail người đứng đầu" in output


def test_user_list_shows_each_login_its_state_and_creation_never_its_hash(site):
    for name in ("thuongtruc", "vanthu"):
        assert _cchc(site, "user", "add", name, stdin=PASSWORD + "\n")[0] == 0
    assert _cchc(site, "user", "disable", "vanthu")[0] == 0
    code, output = _cchc(site, "user", "list")
    assert code == 0
    rows = {line.split("│")[1].strip(): line for line in output.splitlines()
            if "thuongtruc" in line or "vanthu" in line}
    assert "đang dùng" in rows["thuongtruc"] and "đã khóa" in rows["vanthu"]
    today = site.application.today()
    assert f"{today:%d/%m/%Y}" in rows["thuongtruc"]
    assert "argon2" not in output and "$" not in output


def _logged_in_elsewhere(site):
    """A second browser (or a copied cookie) logged in as the user."""
    from fastapi.testclient import TestClient

    log_in(site.client, site.application, password=PASSWORD)
    other = TestClient(site.client.app, base_url="http://testserver")
    other.cookies.update(site.client.cookies)
    assert other.get("/review", follow_redirects=False).status_code == 200
    return other


def test_disabling_a_user_ends_their_open_sessions_and_their_logins(site):
    other = _logged_in_elsewhere(site)
    code, output = _cchc(site, "user", "disable", "thuongtruc")
    assert code == 0 and "Đã khóa tài khoản thuongtruc" in output
    for client in (site.client, other):
        answer = client.get("/review", follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/login"
    csrf = page_token(site.client.get("/login").text)
    answer = site.client.post("/login", data={"name": "thuongtruc", "password": PASSWORD,
                                              "csrf": csrf}, follow_redirects=False)
    assert answer.status_code == 401
    # `user add` opens the account again.
    assert _cchc(site, "user", "add", "thuongtruc", stdin=PASSWORD + "\n")[0] == 0
    answer = site.client.post("/login", data={"name": "thuongtruc", "password": PASSWORD,
                                              "csrf": csrf}, follow_redirects=False)
    assert answer.status_code == 303


def test_a_new_password_ends_the_open_sessions_and_the_old_password(site):
    other = _logged_in_elsewhere(site)
    code, output = _cchc(site, "user", "passwd", "thuongtruc", stdin="mot-mat-khau-moi-456\n")
    assert code == 0 and "Đã đổi mật khẩu của thuongtruc" in output
    assert other.get("/review", follow_redirects=False).status_code == 303
    csrf = page_token(site.client.get("/login").text)
    for password, status in ((PASSWORD, 401), ("mot-mat-khau-moi-456", 303)):
        answer = site.client.post("/login", data={"name": "thuongtruc", "password": password,
                                                  "csrf": csrf}, follow_redirects=False)
        assert answer.status_code == status


@pytest.mark.parametrize("args, stdin, phrase", [
    (["user", "disable", "khongco"], None, "không có tài khoản 'khongco'"),
    (["user", "passwd", "khongco"], "mot-mat-khau-moi-456\n", "không có tài khoản 'khongco'"),
    (["user", "passwd", "thuongtruc"], "ngan\n", "mật khẩu cần ít nhất 10 ký tự"),
])
def test_a_refused_user_command_writes_nothing(site, args, stdin, phrase):
    assert _cchc(site, "user", "add", "thuongtruc", stdin=PASSWORD + "\n")[0] == 0
    _refused_writes_nothing(site, *args, phrase=phrase, stdin=stdin)
