"""`cchc init` and `cchc import …`: the database created, and the secretariat's files brought in
all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.shared import (
    UserError,
    app,
    application,
    import_and_say,
    import_app,
    initialise,
    load_settings,
    read_settings,
    run,
)

DryRun = Annotated[bool, typer.Option("--dry-run", help="chỉ kiểm tra và cho xem sẽ nhập gì")]
Strict = Annotated[bool, typer.Option(
    "--strict", help="không nhận thời hạn chưa xác định (không nêu ngày cụ thể)")]
SkipUnknownUnits = Annotated[bool, typer.Option(
    "--skip-unknown-units",
    help="bỏ qua (và liệt kê) các dòng giao cho đơn vị không có trong danh sách đơn vị")]
Columns = Annotated[str | None, typer.Option(
    "--columns", metavar="TÊN=CỘT,…",
    help="chỉ rõ cột khi tên cột lạ, vd. \"thoi_han=F,chu_tri=C\" (tên cột: xem README)",
)]


@app.command()
def init() -> None:
    """Tạo hoặc nâng cấp cơ sở dữ liệu."""
    run(lambda: initialise(read_settings()))


def _import(kind: str, file: Path, columns: str | None, **options) -> None:
    from domain.columns import COLUMNS_BY_KIND, ColumnMappingError, parse_column_mapping
    from flows.importing import ImportKind

    def work() -> None:
        settings = load_settings()
        mapping = None
        if columns:
            # The command line wins over the policy's [import.columns].
            try:
                mapping = "--columns", parse_column_mapping(columns, COLUMNS_BY_KIND[kind])
            except ColumnMappingError as error:
                raise UserError(f"--columns: {error}") from None
        with application(settings) as built:
            import_and_say(built, ImportKind(kind), file, mapping, **options)

    run(work)


@import_app.command("units")
def import_units(file: Path, columns: Columns = None, dry_run: DryRun = False) -> None:
    """Danh sách đơn vị (cây đơn vị, người đứng đầu, đầu mối CCHC, tên khác, nhóm)."""
    _import("units", file, columns, dry_run=dry_run)


@import_app.command("plan")
def import_plan(
    file: Path,
    code: Annotated[str | None, typer.Option(help="mã kế hoạch (mặc định KH-<năm>)")] = None,
    year: Annotated[int | None, typer.Option(help="năm kế hoạch, khi tệp không có tiêu đề")] = None,
    owner: Annotated[str | None, typer.Option(help="mã đơn vị ban hành kế hoạch")] = None,
    columns: Columns = None,
    dry_run: DryRun = False,
    strict: Strict = False,
    skip_unknown_units: SkipUnknownUnits = False,
) -> None:
    """Kế hoạch CCHC: nhóm nhiệm vụ (I, II, …) và nhiệm vụ cụ thể."""
    _import("plan", file, columns, dry_run=dry_run, strict=strict, code=code, year=year,
            owner=owner, skip_unknown_units=skip_unknown_units)


@import_app.command("findings")
def import_findings(
    file: Path, columns: Columns = None, dry_run: DryRun = False, strict: Strict = False
) -> None:
    """Tồn tại, hạn chế sau kiểm tra và nhiệm vụ khắc phục."""
    _import("findings", file, columns, dry_run=dry_run, strict=strict)


@import_app.command("inspections")
def import_inspections(
    file: Path,
    code: Annotated[str | None, typer.Option(help="mã kế hoạch kiểm tra (mặc định KHKT-<năm>)")
                    ] = None,
    year: Annotated[int | None, typer.Option(help="năm kế hoạch, khi tệp không có tiêu đề")] = None,
    owner: Annotated[str | None, typer.Option(
        help="mã đơn vị của cơ quan thường trực giữ kế hoạch (mặc định: đơn vị ban hành)")] = None,
    columns: Columns = None,
    dry_run: DryRun = False,
) -> None:
    """Kế hoạch kiểm tra CCHC: đơn vị được kiểm tra, hình thức (trực tiếp, qua báo cáo), thời
    gian, nội dung."""
    _import("inspections", file, columns, dry_run=dry_run, code=code, year=year, owner=owner)


@import_app.command("reports")
def import_reports(file: Path, columns: Columns = None, dry_run: DryRun = False) -> None:
    """Sổ theo dõi báo cáo định kỳ đã nhận (mã, đơn vị, kỳ, ngày nhận, số văn bản)."""
    _import("reports", file, columns, dry_run=dry_run)
