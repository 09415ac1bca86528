"""From an e-mail to a confirmed completion, in a real browser (Debian's chromium driven by
Playwright): a check writes a digest as a real .eml; its link opens the unit's page on a phone
screen; the unit reports completion with an attachment; the secretariat logs in on a desktop
and confirms; the next day's check sends nothing about that item. Screenshots are kept in the
test's tmp_path (test output, not committed)."""

from __future__ import annotations

import logging
import re
from email import policy as email_policy
from email.parser import BytesParser
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from domain.models import LadderEntry, TrackedItem
from flows import checking
from flows.application import build_application
from flows.responses import add_user
from persistence.db import make_engine, upgrade
from tests.conftest import postgres_url  # noqa: F401
from tests.web_support import free_port, seed, serving, unit_token, web_settings

pytestmark = pytest.mark.slow  # a real browser
playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
LOG = logging.getLogger("test")


def _link_in_mail(maildir: Path, address: str) -> str:
    for path in sorted(maildir.glob("*.eml")):
        with path.open("rb") as raw:
            message = BytesParser(policy=email_policy.default).parse(raw)
        if message["To"] == address:
            text = message.get_body(("plain",)).get_content()
            return re.search(r"Cập nhật tiến độ, báo cáo kết quả: (\S+)", text).group(1)
    raise AssertionError(f"no e-mail to {address} in {maildir}")


def _mails_about(maildir: Path, code: str, seen: set[str]) -> list[str]:
    """The e-mails written since `seen` that mention item `code`."""
    fresh = [p for p in sorted(maildir.glob("*.eml")) if p.name not in seen]
    found = []
    for path in fresh:
        with path.open("rb") as raw:
            message = BytesParser(policy=email_policy.default).parse(raw)
        if f"[{code}]" in message.get_body(("plain",)).get_content():
            found.append(path.name)
    return found


def _browser_flow(database_url: str, tmp_path: Path) -> None:
    port = free_port()
    settings = web_settings(database_url, tmp_path, base_url=f"http://127.0.0.1:{port}")
    engine = make_engine(database_url)
    upgrade(engine)
    application = build_application(settings)
    today, calendar = application.today(), application.calendar
    ids = seed(engine, today, calendar)
    day = today if calendar.is_working_day(today) else calendar.add_working_days(today, 1)
    checking.sweep_and_seal(application, day, LOG)
    checking.dispatch(application, LOG)
    link = _link_in_mail(settings.maildir, "giamdoc@a.example")
    assert link.startswith(f"http://127.0.0.1:{port}/u/")
    add_user(application, "thuongtruc", "mat-khau-du-dai-123")
    evidence = tmp_path / "bao-cao-15.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% Bao cao ket qua\n" + b"0" * 4000)
    reported_on = f"{today:%d/%m/%Y}"

    with serving(settings, port) as url, playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM)
        phone = browser.new_context(viewport={"width": 375, "height": 812})
        page = phone.new_page()
        page.goto(link)
        assert "Nhiệm vụ của Sở A <b>&" in page.inner_text("h1")
        # Nothing overflows a phone's width.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.screenshot(path=str(tmp_path / "don-vi-375.png"), full_page=True)
        item = page.locator(f"#item-{ids.a1}")
        item.locator("summary", has_text="Báo cáo hoàn thành").click()
        form = item.locator("form[action$='/report']")
        form.locator("input[name=completed_on]").fill(reported_on)
        form.locator("input[name=doc_number]").fill("15/BC-SA")
        form.locator("input[name=doc_date]").fill(reported_on)
        form.locator("textarea[name=note]").fill("Đã ban hành kế hoạch")
        form.locator("input[name=attachment]").set_input_files(str(evidence))
        form.locator("button", has_text="Gửi báo cáo hoàn thành").click()
        # Redirected to the unit's page, which says what was done.
        assert page.url == link
        assert page.inner_text(".done").startswith("Đã ghi nhận: Báo cáo hoàn thành")
        assert f"Đã báo cáo hoàn thành ngày {reported_on}, chờ xét" in page.locator(
            f"#item-{ids.a1}").inner_text()

        desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        desk.goto(f"{url}/login")
        desk.fill("input[name=name]", "thuongtruc")
        desk.fill("input[name=password]", "mat-khau-du-dai-123")
        desk.click("button[type=submit]")
        assert desk.url == f"{url}/review"
        card = desk.locator("section.item", has_text="[A1]")
        assert "bao-cao-15.pdf" in card.inner_text()
        desk.screenshot(path=str(tmp_path / "xet-duyet-1280.png"), full_page=True)
        card.locator("button", has_text="Xác nhận hoàn thành").click()
        assert desk.url == f"{url}/review"
        assert desk.inner_text(".done").startswith("Đã ghi nhận: Nhiệm vụ [A1]")
        # A refresh reads the queue again: nothing posted twice, the result said once.
        desk.reload()
        assert desk.locator(".done").count() == 0
        browser.close()

    with application.uow.reading() as session:
        assert session.get(TrackedItem, ids.a1).completed_on == today
        rungs_before = session.execute(select(LadderEntry.id).where(
            LadderEntry.item_id == ids.a1)).all()
    # The unit is told of the confirmation.
    before_letters = {p.name for p in settings.maildir.glob("*.eml")}
    checking.dispatch(application, LOG)
    (letter,) = _mails_about(settings.maildir, "A1", before_letters)
    with (settings.maildir / letter).open("rb") as raw:
        assert "đã được xác nhận" in BytesParser(policy=email_policy.default).parse(raw)[
            "Subject"]
    sent = {p.name for p in settings.maildir.glob("*.eml")}
    next_day = calendar.add_working_days(day, 1)
    checking.sweep_and_seal(application, next_day, LOG)
    checking.dispatch(application, LOG)
    assert _mails_about(settings.maildir, "A1", sent) == []
    # …while the same check still reminds what is still open, so it did run.
    assert _mails_about(settings.maildir, "OLD1", sent)
    with application.uow.reading() as session:
        assert session.execute(select(LadderEntry.id).where(
            LadderEntry.item_id == ids.a1)).all() == rungs_before
    for shot in ("don-vi-375.png", "xet-duyet-1280.png"):
        assert (tmp_path / shot).stat().st_size > 0
    application.close()
    engine.dispose()


def test_an_english_browser_on_a_phone_reads_and_writes_dates_as_dd_mm_yyyy(tmp_path):
    """Point 14 and 16 at 390 px and locale en-US, where a browser's own date picker would show
    mm/dd/yyyy: the fields are typed dd/mm/yyyy, a bad one is refused beside it, a reported
    item waits for review, the status page's tables stack."""
    port = free_port()
    settings = web_settings(f"sqlite:///{tmp_path / 'cchc.db'}", tmp_path,
                            base_url=f"http://127.0.0.1:{port}")
    engine = make_engine(settings.database_url)
    upgrade(engine)
    application = build_application(settings)
    today = application.today()
    ids = seed(engine, today, application.calendar)
    add_user(application, "thuongtruc", "mat-khau-du-dai-123")
    link = f"{settings.base_url}/u/{unit_token(settings, 'giamdoc@a.example', 'A')}"
    evidence = tmp_path / "bao-cao-15.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% Bao cao ket qua\n" + b"0" * 4000)
    typed_today, earliest = f"{today:%d/%m/%Y}", f"{today + timedelta(days=1):%d/%m/%Y}"

    with serving(settings, port) as url, playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM)
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
        page = phone.new_page()
        page.goto(link)
        assert page.evaluate("navigator.language") == "en-US"
        item = page.locator(f"#item-{ids.a1}")
        item.locator("summary", has_text="Đề nghị gia hạn").click()
        extend = item.locator("form[action$='/extend']")
        assert f"sớm nhất {earliest}" in extend.inner_text()
        item.locator("summary", has_text="Báo cáo hoàn thành").click()
        form = item.locator("form[action$='/report']")
        field = form.locator("input[name=completed_on]")
        assert field.get_attribute("type") is None and field.get_attribute(
            "placeholder") == "dd/mm/yyyy"
        field.fill(f"31/02/{today.year}")  # the pattern's shape, no such day
        form.locator("input[name=doc_number]").fill("15/BC-SA")
        form.locator("input[name=doc_date]").fill(typed_today)
        form.locator("button", has_text="Gửi báo cáo hoàn thành").click()
        item = page.locator(f"#item-{ids.a1}")
        field = item.locator("input[name=completed_on]")
        assert field.input_value() == f"31/02/{today.year}"
        beside = field.locator("xpath=../following-sibling::p[1]")
        assert "không phải ngày hợp lệ" in beside.inner_text() and beside.is_visible()
        assert item.locator("input[name=doc_date]").input_value() == typed_today
        page.screenshot(path=str(tmp_path / "ngay-sai-390.png"), full_page=True)
        field.fill(typed_today)
        item.locator("input[name=attachment]").set_input_files(str(evidence))
        item.locator("button", has_text="Gửi báo cáo hoàn thành").click()
        assert page.url == link and page.inner_text(".done").startswith("Đã ghi nhận")
        reported = page.locator(f"#item-{ids.a1}").inner_text()
        assert f"Đã báo cáo hoàn thành ngày {typed_today}, chờ xét" in reported
        assert "quá hạn" not in reported and "bao-cao-15.pdf" in reported
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        page.goto(f"{url}/login")
        page.fill("input[name=name]", "thuongtruc")
        page.fill("input[name=password]", "mat-khau-du-dai-123")
        page.click("button[type=submit]")
        page.goto(f"{url}/status")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        cell = page.locator("table.stack td").first
        assert cell.evaluate("td => getComputedStyle(td).display") == "block"
        header = page.locator("table.stack th").first.inner_text()
        assert header in cell.evaluate("td => getComputedStyle(td, '::before').content")
        page.screenshot(path=str(tmp_path / "tinh-hinh-390.png"), full_page=True)
        browser.close()
    application.close()
    engine.dispose()


def test_from_the_emails_link_to_a_confirmed_completion_in_a_browser(tmp_path):
    _browser_flow(f"sqlite:///{tmp_path / 'cchc.db'}", tmp_path)


@pytest.mark.postgres
def test_the_same_flow_on_postgresql(postgres_url, tmp_path):
    _browser_flow(postgres_url, tmp_path)
