"""The demo is its own installation: it derives its settings from the invocation's and hands them
on, so the process's environment, and the database it names, stay as they were."""

from __future__ import annotations

from typer.testing import CliRunner

from cli.main import app
from cli.running import demo_settings, load_demo, prepare_demo
from cli.shared import application, load_settings
from tests.conftest import cchc_environment


def test_the_demo_loads_the_example_into_its_folder_and_leaves_the_environment_alone(
    tmp_path, monkeypatch
):
    elsewhere = tmp_path / "elsewhere.db"
    monkeypatch.setenv("CCHC_DATABASE_URL", f"sqlite:///{elsewhere}")
    monkeypatch.setenv("CCHC_SMTP_HOST", "smtp.invalid")
    monkeypatch.delenv("CCHC_POLICY_FILE", raising=False)
    before = cchc_environment()
    invocation = load_settings()  # reads the (default) policy, as every command does

    settings = demo_settings(invocation, tmp_path / "demo")
    prepare_demo(settings, tmp_path / "demo")
    with application(settings) as built:
        load_demo(built)

    assert cchc_environment() == before
    assert not elsewhere.exists()
    # The demo's policy is the example's, not the one the invocation had read already.
    assert settings.policy.secretariat_email == "cchc@pnv.tpsonla.sonla.example"
    assert invocation.policy.secretariat_email is None
    assert settings.smtp_host is None and settings.maildir == tmp_path / "demo" / "outbox"

    monkeypatch.setenv("CCHC_DATABASE_URL", settings.database_url)
    result = CliRunner().invoke(app, ["status", "--as-of", "25/06/2021"])
    assert result.exit_code == 0 and "36/70" in result.output, result.output
    # The province's 2019 plan of inspections, its visit to the city and the conclusion whose
    # findings the register holds.
    said = " ".join(result.output.split())
    assert ("Kế hoạch kiểm tra KHKT-2019 (KẾ HOẠCH Kiểm tra công tác cải cách hành chính năm "
            "2019; Quyết định số 53/QĐ-UBND ngày 07/01/2019): 12 đơn vị — 8 sở, ban và 4 UBND "
            "cấp huyện.") in said
    assert ("Đến ngày 25/06/2021, đã thực hiện công tác kiểm tra theo kế hoạch tại 1 UBND cấp "
            "huyện (kiểm tra trực tiếp).") in said
    assert ("Tồn tại, hạn chế theo kết luận kiểm tra: 5 tồn tại, 5 nhiệm vụ khắc phục — hoàn "
            "thành đúng hạn 3, hoàn thành quá hạn 1, chưa hoàn thành 1 (quá hạn 1).") in said
    assert ("Chỉ số CCHC: 1/14 sở, ban và UBND cấp huyện được kiểm tra trong năm 2019 (7,1%, "
            "chưa đạt mức 30%); tồn tại, hạn chế sau kiểm tra đã khắc phục 4/5 (80,0%).") in said
    result = CliRunner().invoke(app, ["inspections", "--as-of", "25/06/2021"])
    assert ("TP-SL (UBND thành phố Sơn La, huyện/thành phố/thị xã) · trực tiếp, Từ 23 đến "
            "25/9/2019 · đã có kết luận · kiểm tra 23/09/2019–25/09/2019 · kết luận: Đoàn kiểm "
            "tra liên ngành về CCHC của tỉnh, 23-25/9/2019 (04/10/2019) · 5 tồn tại, 5 nhiệm vụ "
            "khắc phục: hoàn thành đúng hạn 3, quá hạn 1, chưa hoàn thành 1") in result.output
