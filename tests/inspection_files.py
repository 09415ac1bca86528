"""A district's files for the inspection cycle, shaped like the account of one: a units file with
12 specialised offices (phòng ban chuyên môn) and 13 communes and towns (12 xã, 1 thị trấn), and
its 2019 plan of inspections — 12 direct (5 xã, the thị trấn, 6 offices) and 13 by report (7 xã,
6 offices) — as an .xlsx with its title block, or a CSV."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

DISTRICT = ("H-MS", "UBND huyện Mai Sơn")
OFFICES = [
    ("P-NV", "Phòng Nội vụ"), ("P-TP", "Phòng Tư pháp"), ("P-TCKH", "Phòng Tài chính - Kế hoạch"),
    ("P-KTHT", "Phòng Kinh tế và Hạ tầng"), ("P-TNMT", "Phòng Tài nguyên và Môi trường"),
    ("P-LDTBXH", "Phòng Lao động - Thương binh và Xã hội"),
    ("P-VHTT", "Phòng Văn hóa và Thông tin"), ("P-GDDT", "Phòng Giáo dục và Đào tạo"),
    ("P-YT", "Phòng Y tế"), ("TTRA", "Thanh tra huyện"),
    ("VP-H", "Văn phòng HĐND và UBND huyện"),
    ("P-NN", "Phòng Nông nghiệp và Phát triển nông thôn"),
]
TOWN = ("TT-HL", "UBND thị trấn Hát Lót")
COMMUNES = [
    ("X-CB", "UBND xã Chiềng Ban"), ("X-CM", "UBND xã Chiềng Mung"),
    ("X-CMA", "UBND xã Chiềng Mai"), ("X-CC", "UBND xã Chiềng Chăn"),
    ("X-MB", "UBND xã Mường Bon"), ("X-MBA", "UBND xã Mường Bằng"),
    ("X-CN", "UBND xã Cò Nòi"), ("X-NB", "UBND xã Nà Bó"), ("X-CS", "UBND xã Chiềng Sung"),
    ("X-TH", "UBND xã Tà Hộc"), ("X-PC", "UBND xã Phiêng Cằm"), ("X-CL", "UBND xã Chiềng Lương"),
]
OFFICES_GROUP = "Các cơ quan chuyên môn thuộc UBND huyện"
COMMUNES_GROUP = "UBND các xã, thị trấn"
TOPICS = "Công tác chỉ đạo, điều hành CCHC; cải cách thủ tục hành chính; thực hiện cơ chế một cửa"

# (unit name as the plan writes it, mode, window)
DIRECT = ([(name, "Kiểm tra trực tiếp", "Quý II") for _, name in OFFICES[:6]]
          + [(name, "Kiểm tra trực tiếp", "Từ 23 đến 25/9/2019") for _, name in COMMUNES[:5]]
          + [(TOWN[1], "Trực tiếp", "Tháng 10/2019")])
BY_REPORT = ([(name, "Qua báo cáo", "Trước 30/6") for _, name in OFFICES[6:]]
             + [(name, "Kiểm tra qua báo cáo", "Quý III") for _, name in COMMUNES[5:]])


def write_units(path: Path, extra: list[list[str]] = ()) -> Path:
    """The district's units file; `extra`: more rows (code, name, parent)."""
    header = ["Mã đơn vị", "Tên đơn vị", "Đơn vị cấp trên", "Chức danh người đứng đầu",
              "Email người đứng đầu", "Email đầu mối CCHC", "Tên khác", "Nhóm"]
    rows = [[*DISTRICT, "", "Chủ tịch UBND huyện", "chutich@maison.example",
             "cchc@maison.example", "", ""]]
    for code, name in OFFICES:
        rows.append([code, name, DISTRICT[0], f"Trưởng {name}", f"{code.lower()}@maison.example",
                     "", "", OFFICES_GROUP])
    for code, name in [TOWN, *COMMUNES]:
        rows.append([code, name, DISTRICT[0], f"Chủ tịch {name}",
                     f"{code.lower()}@maison.example", "", "", COMMUNES_GROUP])
    rows += [[*row, "", "", "", "", ""] for row in extra]
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([header, *rows])
    return path


TITLE_BLOCK = [
    ["UỶ BAN NHÂN DÂN HUYỆN MAI SƠN", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
    [None, None, None, "Độc lập - Tự do - Hạnh phúc"],
    [None, "KẾ HOẠCH"],
    [None, "Kiểm tra công tác cải cách hành chính năm 2019"],
    [None, "(Kèm theo Quyết định số 53/QĐ-UBND ngày 07/01/2019 của Chủ tịch UBND huyện)"],
]
HEADER = ["STT", "Đơn vị được kiểm tra", "Hình thức kiểm tra", "Thời gian", "Nội dung kiểm tra"]


def plan_rows(rows=None) -> list[list[str | int | None]]:
    """The table under its header: each target's row numbered, direct first."""
    listed = rows if rows is not None else [*DIRECT, *BY_REPORT]
    return [[number, name, mode, window, TOPICS]
            for number, (name, mode, window) in enumerate(listed, start=1)]


def write_plan_xlsx(path: Path, rows=None, header=HEADER) -> Path:
    book = Workbook()
    sheet = book.active
    for line in [*TITLE_BLOCK, [], header, *plan_rows(rows)]:
        sheet.append(line)
    book.save(path)
    return path


def write_plan_csv(path: Path, lines: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(lines)
    return path
