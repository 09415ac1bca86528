"""The inspection cycle on the secretariat's pages: the plans of inspections at a glance, and per
target the forms that record a visit, a conclusion (with its findings file or without), a target
added or dropped — each through the same use cases as `cchc inspection …`, behind the login and
the form's token; a refused form shows each problem beside its field and writes nothing."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import select

from domain.models import Event, InspectionTarget, TrackedItem
from flows.application import Application, build_application
from flows.importing import ImportKind, import_file
from persistence.events import typed
from tests.conftest import *  # noqa: F403 (the database fixtures)
from tests.database_dump import dump
from tests.inspection_files import write_plan_csv, write_plan_xlsx, write_units
from tests.web_support import log_in, page_token, web_settings

MARKUP = "UBND xã <b>Bản</b> & <i>Mòng</i>"
FINDINGS_HEADER = ["Mã", "Tồn tại, hạn chế", "Đơn vị chịu trách nhiệm", "Yêu cầu khắc phục",
                   "Thời hạn"]


@dataclass
class Site:
    application: Application
    client: object  # fastapi.testclient.TestClient
    engine: object
    uploads: Path

    def target(self, unit: str) -> InspectionTarget:
        with self.application.uow.reading() as session:
            return session.exec(select(InspectionTarget).where(
                InspectionTarget.unit_code == unit)).one()

    def csrf(self, path: str = "/inspections") -> str:
        return page_token(self.client.get(path).text)

    def post(self, path: str, data: dict, files: dict | None = None, csrf: bool = True):
        form = {"csrf": self.csrf()} if csrf else {}
        return self.client.post(path, data={**form, **data}, files=files,
                                follow_redirects=False)

    def on_target(self, unit: str, action: str, data: dict, files: dict | None = None):
        return self.post(f"/inspections/targets/{self.target(unit).id}/{action}", data, files)


@pytest.fixture
def site(engine, database_url, tmp_path) -> Iterator[Site]:
    """The district's units (and one whose name carries markup) and its 2019 plan of
    inspections, on the web app, the secretariat logged in."""
    from fastapi.testclient import TestClient

    from web.app import create_app

    settings = web_settings(database_url, tmp_path)
    application = build_application(settings)
    import_file(application, ImportKind.units,
                write_units(tmp_path / "units.csv", [["X-BM", MARKUP, "H-MS"]]))
    import_file(application, ImportKind.inspections, write_plan_xlsx(tmp_path / "kh.xlsx"))
    with TestClient(create_app(application), base_url="http://testserver") as client:
        log_in(client, application)
        yield Site(application, client, engine, settings.upload_dir)
    application.close()


def findings_csv(path: Path, *rows: list[str]) -> Path:
    return write_plan_csv(path, [FINDINGS_HEADER, *(rows or [
        ["KT-MS-01", "Chưa niêm yết đầy đủ thủ tục hành chính", "", "Niêm yết đầy đủ",
         "15 ngày làm việc"],
        ["KT-MS-02", "Hồ sơ một cửa lưu trữ chưa khoa học", "P-NV", "Sắp xếp lại hồ sơ",
         "Quý IV/2019"],
    ])])


def said_once(site: Site, answer, sentence: str) -> None:
    """A recorded form: 303 to the page it came from, which says what was done once."""
    assert answer.status_code == 303, answer.text
    page = site.client.get(answer.headers["location"]).text
    assert "Đã ghi nhận:</strong> " + sentence in page
    assert 'class="done"' not in site.client.get(answer.headers["location"]).text


def refused(site: Site, answer_of, action: str, field: str, reason: str,
            kept: str | None = None) -> str:
    """A refused form (its address ends with `action`): 422, `reason` in the error beside
    `field` of that form, what was typed (`kept`) still there, and nothing written (files
    included)."""
    before = dump(site.engine)
    answer = answer_of()
    assert answer.status_code == 422, answer.text
    assert "Chưa ghi nhận: biểu mẫu có lỗi" in answer.text
    form = answer.text.split(f'{action}"', 1)[1].split("</form>")[0]
    # The first error after the field, before the next field.
    beside = re.search(rf'name="{field}"[^>]*>((?!name=).)*?<p class="error field-error">'
                       r'([^<]*)</p>', form, re.S)
    assert beside and reason in html.unescape(beside.group(2)), form
    if kept is not None:
        assert f'value="{kept}"' in form
    assert dump(site.engine) == before
    assert not site.uploads.exists() or list(site.uploads.rglob("*")) == []
    return form


def test_the_plans_page_answers_who_was_inspected_who_is_next_and_what_is_open(site, tmp_path):
    assert 'href="/inspections"' in site.client.get("/review").text  # in the navigation
    page = site.client.get("/inspections").text
    assert "[KHKT-2019]" in page and page.count('<tr id="target-') == 25
    site.on_target("X-CB", "visit", {"on": "23/09/2019", "to": "25/09/2019"})
    site.on_target("X-CM", "visit", {"on": "24/09/2019"})
    site.on_target("X-CB", "conclude", {"doc": "Thông báo số 45/TB-UBND", "on": "04/10/2019",
                                        "findings_kind": "yes"},
                   {"findings": ("tontai.csv", findings_csv(tmp_path / "t.csv").read_bytes(),
                                 "text/csv")})
    page = site.client.get("/inspections").text
    # The plan's sentences, as `cchc inspections` says them: who was inspected, who is late
    # (2019 is over: every window passed), which conclusions are still open.
    glance = page.split('class="glance"')[1].split("</div>")[0]
    assert "đã thực hiện công tác kiểm tra theo kế hoạch tại 2 xã" in glance
    assert "Chưa kiểm tra: 23 đơn vị, trong đó 23 đã quá thời gian kiểm tra" in glance
    assert "chưa có kết luận: X-CM (UBND xã Chiềng Mung)" in glance
    assert "2 nhiệm vụ khắc phục" in glance
    row = page.split(f'id="target-{site.target("X-CB").id}"')[1].split("</tr>")[0]
    assert "từ 23/09/2019 đến 25/09/2019" in row
    assert "Thông báo số 45/TB-UBND ngày 04/10/2019, có tồn tại, hạn chế; 2 nhiệm vụ khắc " \
        "phục, 2 chưa hoàn thành (2 quá hạn)" in row
    late = page.split(f'id="target-{site.target("X-CC").id}"')[1].split("</tr>")[0]
    assert 'class="status-overdue">chưa kiểm tra — quá thời gian dự kiến' in late


def test_a_visit_then_a_conclusion_without_findings_recorded_through_the_forms(site):
    said_once(site, site.on_target("X-CL", "visit", {"on": "02/07/2019", "to": "10/07/2019"}),
              "Đã ghi nhận kiểm tra qua báo cáo X-CL (UBND xã Chiềng Lương), kế hoạch "
              "KHKT-2019: báo cáo nhận ngày 02/07/2019, xem xét ngày 10/07/2019.")
    said_once(site, site.on_target("X-CL", "conclude", {
        "doc": "Thông báo số 50/TB-UBND", "on": "15/07/2019", "findings_kind": "no"}),
        "Đã ghi nhận kết luận kiểm tra X-CL (UBND xã Chiềng Lương), kế hoạch KHKT-2019: "
        "Thông báo số 50/TB-UBND ngày 15/07/2019, không có tồn tại, hạn chế.")
    target = site.target("X-CL")
    assert (target.state, target.has_findings) == ("concluded", False)
    page = site.client.get(f"/inspections/targets/{target.id}").text
    # Concluded: no form is left, the history says who recorded each step, from where.
    assert "<form method=\"post\" action=\"/inspections/targets/" not in page
    assert "Thông báo số 50/TB-UBND ngày 15/07/2019, không có tồn tại, hạn chế; bởi " \
        "thuongtruc" in page
    with site.application.uow.reading() as session:
        events = [typed(row) for row in session.exec(select(Event).order_by(Event.id))
                  if row.name.startswith("inspection.")]
    assert [(e.name, e.by, e.ip) for e in events] == [
        ("inspection.done", "thuongtruc", "testclient"),
        ("inspection.concluded", "thuongtruc", "testclient")]


def test_a_conclusion_imports_its_findings_file_under_it(site, tmp_path):
    site.on_target("X-CB", "visit", {"on": "23/09/2019", "to": "25/09/2019"})
    findings = findings_csv(tmp_path / "t.csv").read_bytes()
    answer = site.on_target("X-CB", "conclude", {
        "doc": "Thông báo số 45/TB-UBND", "on": "04/10/2019", "findings_kind": "yes"},
        {"findings": ("tồn tại.csv", findings, "text/csv")})
    said_once(site, answer, "Đã ghi nhận kết luận kiểm tra X-CB (UBND xã Chiềng Ban), kế "
              "hoạch KHKT-2019: Thông báo số 45/TB-UBND ngày 04/10/2019, có tồn tại, hạn chế.\n"
              "Đã nhập tồn tại.csv: 2 mới")
    with site.application.uow.reading() as session:
        items = {item.code: item for item in session.exec(select(TrackedItem))}
    assert items["KT-MS-01"].unit_code == "X-CB"  # a blank unit is the inspected unit's
    assert str(items["KT-MS-01"].due_date) == "2019-10-25"  # 15 working days after 04/10
    assert items["KT-MS-02"].unit_code == "P-NV"
    assert list(site.uploads.rglob("*")) == []  # read, imported, not kept
    page = site.client.get(f"/inspections/targets/{site.target('X-CB').id}").text
    assert "KT-MS-01 (X-CB), hạn 25/10/2019" in page


def test_a_conclusion_takes_the_findings_the_register_already_holds_under_its_document(
        site, tmp_path):
    doc = "Thông báo số 45/TB-UBND"
    import_file(site.application, ImportKind.findings, write_plan_csv(tmp_path / "so.csv", [
        [*FINDINGS_HEADER, "Đợt kiểm tra", "Ngày kết luận"],
        ["KT-MS-01", "Chưa niêm yết", "X-CB", "Niêm yết đầy đủ", "Quý IV/2019", doc,
         "04/10/2019"]]))
    _visited(site)
    said_once(site, site.on_target("X-CB", "conclude", {
        "doc": doc, "on": "04/10/2019", "findings_kind": "registered"}),
        f"Đã ghi nhận kết luận kiểm tra X-CB (UBND xã Chiềng Ban), kế hoạch KHKT-2019: {doc} "
        "ngày 04/10/2019, có tồn tại, hạn chế.")
    assert site.target("X-CB").has_findings is True
    page = site.client.get(f"/inspections/targets/{site.target('X-CB').id}").text
    assert "KT-MS-01 (X-CB), hạn 31/12/2019" in page


def _visited(site: Site, unit: str = "X-CB") -> None:
    assert site.on_target(unit, "visit", {"on": "23/09/2019", "to": "25/09/2019"}
                          ).status_code == 303


# Refused forms on a target: (action, fields, the field its problem is beside, the reason,
# what was typed and is kept).
TARGET_REFUSALS = [
    ("visit", {"on": "01/01/2099"}, "on", "ngày kiểm tra 01/01/2099 là ngày trong tương lai",
     "01/01/2099"),
    ("visit", {"on": "06/01/2019"}, "on", "ngày kiểm tra 06/01/2019 trước ngày quyết định phê "
     "duyệt kế hoạch 07/01/2019", "06/01/2019"),
    ("visit", {"on": "25/09/2019", "to": "31/02/2019"}, "to", "không phải ngày hợp lệ",
     "31/02/2019"),
    ("visit", {"on": "25/09/2019", "to": "23/09/2019"}, "on", "ngày cuối 23/09/2019 trước "
     "ngày đầu 25/09/2019", "23/09/2019"),
    ("drop", {"reason": "  "}, "reason", "cần nêu lý do đưa đơn vị ra khỏi kế hoạch", None),
]


def test_a_refused_form_on_a_target_says_why_beside_its_field_and_writes_nothing(site):
    for action, data, field, reason, kept in TARGET_REFUSALS:
        refused(site, lambda: site.on_target("X-CB", action, data), f"/{action}", field,
                reason, kept)


# Refused conclusions of a target visited 23-25/09/2019: (fields, file, field, reason).
CONCLUSION_REFUSALS = [
    ({"on": "24/09/2019", "findings_kind": "no"}, None, "on",
     "ngày kết luận 24/09/2019 trước ngày kiểm tra 25/09/2019"),
    ({"on": "04/10/2019"}, None, "findings",
     "chưa chọn kết luận có hay không có tồn tại, hạn chế"),
    ({"on": "04/10/2019", "findings_kind": "yes"}, None, "findings",
     "chưa chọn tệp tồn tại, hạn chế"),
    ({"on": "04/10/2019", "findings_kind": "no"}, ("t.csv", b"a,b\n1,2\n"), "findings",
     "đã chọn tệp tồn tại, hạn chế nhưng không chọn"),
    ({"on": "04/10/2019", "findings_kind": "yes"}, ("tontai.csv", b"%PDF-1.4\n..."),
     "findings", "tệp 'tontai.csv' có đuôi .csv nhưng nội dung không phải văn bản CSV"),
    ({"on": "04/10/2019", "findings_kind": "yes"}, ("tontai.pdf", b"%PDF-1.4\n..."),
     "findings", "không phải Excel (.xlsx) hoặc CSV (.csv)"),
    ({"on": "04/10/2019", "findings_kind": "yes"}, ("tontai.xlsx", b"PK\x03\x04 not a zip"),
     "findings", "không phải tài liệu Word/Excel"),
]


def test_a_refused_conclusion_says_why_beside_its_field_and_writes_nothing(site):
    _visited(site)
    for data, file, field, reason in CONCLUSION_REFUSALS:
        files = {"findings": (*file, "application/octet-stream")} if file else None
        form = refused(site, lambda: site.on_target(
            "X-CB", "conclude", {"doc": "Thông báo số 45/TB-UBND", **data}, files),
            "/conclude", field, reason)
        assert 'value="Thông báo số 45/TB-UBND"' in form  # what was typed is kept


def test_a_findings_file_with_bad_rows_is_refused_whole_naming_each_row(site, tmp_path):
    _visited(site)
    bad = findings_csv(tmp_path / "t.csv",
                       ["KT-MS-01", "Chưa niêm yết", "PHONG-LA", "Niêm yết", "Quý IV/2019"],
                       ["KT-MS-02", "Hồ sơ", "", "Sắp xếp", "Tháng 13/2019"])
    text = refused(site, lambda: site.on_target("X-CB", "conclude", {
        "doc": "Thông báo số 45/TB-UBND", "on": "04/10/2019", "findings_kind": "yes"},
        {"findings": ("tồn tại <b>.csv", bad.read_bytes(), "text/csv")}), "/conclude",
        "findings", "Không nhập gì cả: 2 lỗi")
    # Each problem names the file as it was sent (escaped), its row and column.
    assert "• tồn tại &lt;b&gt;.csv, dòng 2" in text and "• tồn tại &lt;b&gt;.csv, dòng 3" in text
    assert "<b>.csv" not in text


def test_a_target_added_with_markup_in_its_name_is_escaped_then_dropped_with_its_reason(site):
    said_once(site, site.post("/inspections/add", {
        "plan": "KHKT-2019", "unit": "X-BM", "mode": "qua báo cáo", "window": "Quý IV",
        "reason": "Theo chỉ đạo <script>"}),
        "Đã thêm X-BM (UBND xã &lt;b&gt;Bản&lt;/b&gt; &amp; &lt;i&gt;Mòng&lt;/i&gt;) vào kế "
        "hoạch KHKT-2019: kiểm tra qua báo cáo")
    page = site.client.get("/inspections").text
    assert "UBND xã &lt;b&gt;Bản&lt;/b&gt; &amp; &lt;i&gt;Mòng&lt;/i&gt;" in page
    assert MARKUP not in page and "<script>" not in page
    target = site.target("X-BM")
    assert (target.state, target.mode, target.added_reason) == ("planned", "by_report",
                                                                  "Theo chỉ đạo <script>")
    said_once(site, site.on_target("X-BM", "drop", {"reason": "Sáp nhập"}),
              "Đã đưa X-BM (UBND xã &lt;b&gt;Bản&lt;/b&gt; &amp; &lt;i&gt;Mòng&lt;/i&gt;) ra "
              "khỏi kế hoạch KHKT-2019; lý do: Sáp nhập.")
    history = site.client.get(f"/inspections/targets/{target.id}").text
    assert "lý do: Theo chỉ đạo &lt;script&gt;; bởi thuongtruc" in history
    assert "lý do: Sáp nhập; bởi thuongtruc" in history


# Refused targets to add: (fields, the field its problem is beside, the reason).
ADD_REFUSALS = [
    ({"unit": "X-CB", "mode": "trực tiếp", "reason": "Bổ sung"}, "unit",
     "đơn vị X-CB đã có trong kế hoạch KHKT-2019"),
    ({"unit": "X-XX", "mode": "trực tiếp", "reason": "Bổ sung"}, "unit",
     "“X-XX”: không có đơn vị"),
    ({"unit": "X-BM", "mode": "trực tuyến", "reason": "Bổ sung"}, "mode",
     "hình thức kiểm tra “trực tuyến” không rõ"),
    ({"unit": "X-BM", "mode": "trực tiếp", "window": "Hằng quý", "reason": "Bổ sung"},
     "window", "là định kỳ"),
    ({"unit": "X-BM", "mode": "trực tiếp", "reason": ""}, "reason",
     "cần nêu lý do thêm đơn vị vào kế hoạch"),
]


def test_a_refused_target_to_add_says_why_beside_its_field_and_writes_nothing(site):
    for data, field, reason in ADD_REFUSALS:
        refused(site, lambda: site.post("/inspections/add", {"plan": "KHKT-2019", **data}),
                "/inspections/add", field, reason, data["unit"])


def test_a_refusal_about_no_field_of_the_form_is_said_at_the_head_of_the_page(site):
    site.on_target("X-CM", "visit", {"on": "24/09/2019"})
    for post, reason in [
        (lambda: site.post("/inspections/add", {"plan": "KHKT-2020", "unit": "X-BM",
                                                 "mode": "trực tiếp", "reason": "Bổ sung"}),
         "không có kế hoạch kiểm tra mã KHKT-2020"),
        # A conclusion for a target not yet inspected (its page offers no such form).
        (lambda: site.on_target("X-CB", "conclude", {"doc": "TB 1", "on": "04/10/2019",
                                                     "findings_kind": "no"}),
         "đơn vị X-CB (kế hoạch KHKT-2019) chưa được ghi nhận đã kiểm tra"),
        # The register's findings, when it holds none under that document.
        (lambda: site.on_target("X-CM", "conclude", {"doc": "TB 1", "on": "04/10/2019",
                                                     "findings_kind": "registered"}),
         "sổ theo dõi chưa có tồn tại, hạn chế nào của “TB 1”")]:
        before = dump(site.engine)
        answer = post()
        assert answer.status_code == 422
        head = answer.text.split("<main>")[1].split("<h1>")[0]
        assert "Chưa ghi nhận: biểu mẫu có lỗi" in head and reason in head
        assert dump(site.engine) == before


def test_every_form_needs_its_token_and_the_login(site):
    target = site.target("X-CB").id
    posts = [("/inspections/add", {"plan": "KHKT-2019", "unit": "X-BM", "mode": "trực tiếp",
                                   "reason": "Bổ sung"}),
             (f"/inspections/targets/{target}/visit", {"on": "23/09/2019"}),
             (f"/inspections/targets/{target}/conclude", {"doc": "TB 1", "on": "04/10/2019",
                                                         "findings_kind": "no"}),
             (f"/inspections/targets/{target}/drop", {"reason": "Sáp nhập"})]
    before = dump(site.engine)
    for path, data in posts:
        answer = site.post(path, data, csrf=False)
        assert answer.status_code == 403 and "Biểu mẫu không hợp lệ" in answer.text
        answer = site.post(path, {**data, "csrf": "gia-mao"}, csrf=False)
        assert answer.status_code == 403
    assert dump(site.engine) == before
    csrf = site.csrf()
    site.client.post("/logout", data={"csrf": csrf})
    before = dump(site.engine)  # the session ended
    for path, data in [*posts, ("/inspections", None), (f"/inspections/targets/{target}", None)]:
        answer = (site.client.get(path, follow_redirects=False) if data is None else
                  site.client.post(path, data={**data, "csrf": csrf}, follow_redirects=False))
        assert answer.status_code == 303 and answer.headers["location"] == "/login", path
    assert dump(site.engine) == before


def test_a_target_that_is_not_one_is_a_404(site):
    for path in ("/inspections/targets/999999", "/inspections/targets/0",
                 "/inspections/targets/99999999999", "/inspections/targets/abc"):
        answer = site.client.get(path)
        assert answer.status_code == 404 and "<html" in answer.text, path
    answer = site.post("/inspections/targets/999999/visit", {"on": "23/09/2019"})
    assert answer.status_code == 404
