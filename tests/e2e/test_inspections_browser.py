"""The inspection cycle in a real browser (Debian's chromium driven by Playwright): the
secretariat logs in, opens the plans of inspections from the navigation, records a commune's
visit and then its conclusion with a findings file, on a desktop and on a phone's width, and the
plan's page says where each stands. Screenshots are kept in the test's tmp_path."""

from __future__ import annotations

import pytest
from sqlmodel import select

from domain.models import InspectionTarget, TrackedItem
from flows.application import build_application
from flows.importing import ImportKind, import_file
from flows.responses import add_user
from persistence.db import make_engine, upgrade
from tests.inspection_files import write_plan_csv, write_plan_xlsx, write_units
from tests.web_support import free_port, serving, web_settings

pytestmark = pytest.mark.slow  # a real browser
playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"


def _planned(tmp_path, port: int):
    settings = web_settings(f"sqlite:///{tmp_path / 'cchc.db'}", tmp_path,
                            base_url=f"http://127.0.0.1:{port}")
    engine = make_engine(settings.database_url)
    upgrade(engine)
    application = build_application(settings)
    import_file(application, ImportKind.units, write_units(tmp_path / "units.csv"))
    import_file(application, ImportKind.inspections, write_plan_xlsx(tmp_path / "kh.xlsx"))
    add_user(application, "thuongtruc", "mat-khau-du-dai-123")
    return settings, engine, application


def test_a_visit_and_a_conclusion_with_findings_recorded_through_the_forms(tmp_path):
    port = free_port()
    settings, engine, application = _planned(tmp_path, port)
    findings = write_plan_csv(tmp_path / "tồn tại Chiềng Ban.csv", [
        ["Mã", "Tồn tại, hạn chế", "Đơn vị chịu trách nhiệm", "Yêu cầu khắc phục", "Thời hạn"],
        ["KT-MS-01", "Chưa niêm yết đầy đủ thủ tục hành chính", "", "Niêm yết đầy đủ",
         "15 ngày làm việc"],
    ])
    with serving(settings, port) as url, playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM)
        desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        desk.goto(f"{url}/login")
        desk.fill("input[name=name]", "thuongtruc")
        desk.fill("input[name=password]", "mat-khau-du-dai-123")
        desk.click("button[type=submit]")
        desk.click("nav a:text('Kiểm tra')")
        assert desk.url == f"{url}/inspections"
        desk.click("tr:has-text('X-CB') a")

        visit = desk.locator("form[action$='/visit']")
        visit.locator("input[name=on]").fill("23/09/2019")
        visit.locator("input[name=to]").fill("25/09/2019")
        visit.locator("button").click()
        target_page = desk.url
        assert target_page.startswith(f"{url}/inspections/targets/")
        assert desk.inner_text(".done").startswith(
            "Đã ghi nhận: Đã ghi nhận kiểm tra trực tiếp X-CB (UBND xã Chiềng Ban)")

        conclude = desk.locator("form[action$='/conclude']")
        conclude.locator("input[name=doc]").fill("Thông báo số 45/TB-UBND")
        conclude.locator("input[name=on]").fill("24/09/2019")  # before the visit ended
        conclude.get_by_label("Có tồn tại, hạn chế: tệp kèm theo").check()
        conclude.locator("input[name=findings]").set_input_files(str(findings))
        conclude.locator("button").click()
        # Refused beside its field, what was typed kept; the file is chosen again.
        conclude = desk.locator("form[action$='/conclude']")
        field = conclude.locator("input[name=on]")
        assert "trước ngày kiểm tra 25/09/2019" in field.locator(
            "xpath=../following-sibling::p[1]").inner_text()
        assert conclude.locator("input[name=doc]").input_value() == "Thông báo số 45/TB-UBND"
        field.fill("04/10/2019")
        conclude.locator("input[name=findings]").set_input_files(str(findings))
        conclude.locator("button").click()
        assert desk.url == target_page
        done = desk.inner_text(".done")
        assert "Thông báo số 45/TB-UBND ngày 04/10/2019, có tồn tại, hạn chế." in done
        assert "Đã nhập tồn tại Chiềng Ban.csv: 1 mới" in done
        assert "KT-MS-01 (X-CB), hạn 25/10/2019" in desk.inner_text("main")
        desk.screenshot(path=str(tmp_path / "ket-luan-1280.png"), full_page=True)
        desk.reload()  # a refresh reads the page again, and posts nothing
        assert desk.locator(".done").count() == 0

        phone = browser.new_context(viewport={"width": 375, "height": 812},
                                    storage_state=desk.context.storage_state()).new_page()
        phone.goto(f"{url}/inspections")
        row = phone.locator("tr:has-text('X-CB')").inner_text()
        assert "đã có kết luận" in row and "1 nhiệm vụ khắc phục, 1 chưa hoàn thành" in row
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
        phone.screenshot(path=str(tmp_path / "ke-hoach-kiem-tra-375.png"), full_page=True)
        browser.close()

    with application.uow.reading() as session:
        target = session.exec(select(InspectionTarget).where(
            InspectionTarget.unit_code == "X-CB")).one()
        item = session.exec(select(TrackedItem).where(TrackedItem.code == "KT-MS-01")).one()
    assert (target.state, target.has_findings) == ("concluded", True)
    assert item.unit_code == "X-CB"
    application.close()
    engine.dispose()
