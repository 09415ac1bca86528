"""The importers' vocabulary: for each kind of file, the columns it may carry, the header labels
secretariats write for each (synonyms, kept here and nowhere else), the word the import summary
uses for it ("thời hạn") and the short name a user gives in `--columns thoi_han=F`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from domain.deadlines import normalise


@dataclass(frozen=True)
class Column:
    key: str
    labels: Sequence[str]  # accepted header texts; the first is shown in messages
    required: bool = True
    role: str = ""  # what the summary says the column was taken for
    short: str = ""  # its name in `--columns` and in the policy's [import.columns]

    @property
    def label(self) -> str:
        return self.labels[0]


def header_key(text: object) -> str:
    """A header label made comparable: case, accents, spacing, line breaks and punctuation
    ("Cơ quan, đơn vị\\nchủ trì" = "co quan don vi chu tri") do not matter."""
    return re.sub(r"[^a-z0-9]+", " ", normalise(str(text))).strip()


UNIT_COLUMNS = (
    Column("code", ("Mã đơn vị", "Mã"), role="mã đơn vị", short="ma"),
    Column("name", ("Tên đơn vị",), role="tên đơn vị", short="ten"),
    Column("parent", ("Đơn vị cấp trên",), role="đơn vị cấp trên", short="cap_tren"),
    Column("head_title", ("Chức danh người đứng đầu",), role="chức danh người đứng đầu",
           short="chuc_danh"),
    Column("head_email", ("Email người đứng đầu",), role="e-mail người đứng đầu",
           short="email_thu_truong"),
    Column("focal_email", ("Email đầu mối CCHC", "Email đầu mối"), role="e-mail đầu mối CCHC",
           short="email_dau_moi"),
    Column("active", ("Còn hoạt động", "Hoạt động"), required=False, role="còn hoạt động",
           short="hoat_dong"),
    Column("successor", ("Đơn vị kế thừa",), required=False, role="đơn vị kế thừa",
           short="ke_thua"),
    Column("other_names", ("Tên khác", "Tên gọi khác"), required=False, role="tên khác",
           short="ten_khac"),
    Column("groups", ("Nhóm", "Nhóm đơn vị"), required=False, role="nhóm đơn vị", short="nhom"),
    Column("kind", ("Loại", "Loại đơn vị", "Cấp"), required=False, role="loại đơn vị",
           short="loai"),
)
PLAN_COLUMNS = (
    Column("number", ("STT", "TT", "Số TT", "Số thứ tự"), role="số thứ tự", short="stt"),
    Column("content", ("Nội dung nhiệm vụ", "Nội dung", "Nhiệm vụ", "Tên nhiệm vụ",
                       "Nội dung công việc", "Tên gọi văn bản", "Nhiệm vụ cụ thể"),
           role="nội dung", short="noi_dung"),
    Column("unit", ("Cơ quan chủ trì", "Đơn vị chủ trì", "Cơ quan, đơn vị chủ trì",
                    "Cơ quan chủ trì thực hiện", "Đơn vị chủ trì thực hiện", "Cơ quan thực hiện",
                    "Đơn vị thực hiện", "Cơ quan soạn thảo", "Chủ trì"),
           role="đơn vị chủ trì", short="chu_tri"),
    Column("cooperating", ("Cơ quan phối hợp", "Đơn vị phối hợp", "Cơ quan, đơn vị phối hợp",
                           "Phối hợp"),
           required=False, role="đơn vị phối hợp", short="phoi_hop"),
    Column("product", ("Sản phẩm", "Kết quả, sản phẩm", "Sản phẩm đầu ra", "Hình thức văn bản",
                       "Hình thức sản phẩm"),
           required=False, role="sản phẩm", short="san_pham"),
    Column("deadline", ("Thời gian hoàn thành", "Thời gian thực hiện", "Thời hạn hoàn thành",
                        "Thời hạn", "Tiến độ", "Tiến độ thực hiện", "Tiến độ hoàn thành",
                        "Thời gian", "Ngày dự kiến trình", "Thời gian trình"),
           role="thời hạn", short="thoi_han"),
    Column("state", ("Trạng thái", "Tình trạng", "Tình hình thực hiện", "Kết quả thực hiện"),
           required=False, role="trạng thái", short="trang_thai"),
    Column("completed_on", ("Ngày hoàn thành", "Ngày hoàn thành thực tế",
                            "Thời gian hoàn thành thực tế"), required=False,
           role="ngày hoàn thành", short="ngay_hoan_thanh"),
)
FINDING_COLUMNS = (
    Column("code", ("Mã", "Mã tồn tại", "Ký hiệu"), role="mã", short="ma"),
    Column("inspection", ("Đợt kiểm tra", "Đoàn kiểm tra", "Cuộc kiểm tra"),
           role="đợt kiểm tra", short="dot_kiem_tra"),
    Column("concluded_on", ("Ngày kết luận", "Ngày ban hành kết luận"), role="ngày kết luận",
           short="ngay_ket_luan"),
    Column("finding", ("Tồn tại, hạn chế", "Tồn tại hạn chế", "Tồn tại", "Hạn chế",
                       "Nội dung tồn tại, hạn chế"),
           role="tồn tại, hạn chế", short="ton_tai"),
    Column("unit", ("Đơn vị chịu trách nhiệm", "Đơn vị khắc phục", "Đơn vị thực hiện",
                    "Cơ quan chủ trì", "Đơn vị chủ trì"),
           role="đơn vị chịu trách nhiệm", short="don_vi"),
    Column("requirement", ("Yêu cầu khắc phục", "Nội dung khắc phục", "Kiến nghị khắc phục",
                           "Yêu cầu"),
           role="yêu cầu khắc phục", short="yeu_cau"),
    Column("deadline", ("Thời hạn", "Thời hạn khắc phục", "Thời hạn hoàn thành",
                        "Thời gian hoàn thành"),
           role="thời hạn", short="thoi_han"),
    Column("state", ("Trạng thái", "Tình trạng", "Tình hình khắc phục", "Kết quả khắc phục",
                     "Kết quả thực hiện"),
           required=False, role="trạng thái", short="trang_thai"),
    Column("completed_on", ("Ngày hoàn thành",), required=False, role="ngày hoàn thành",
           short="ngay_hoan_thanh"),
    Column("concluded_by", ("Cơ quan kết luận", "Đơn vị kết luận", "Cơ quan ban hành kết luận"),
           required=False, role="cơ quan kết luận", short="co_quan_ket_luan"),
)

# A findings file under a conclusion recorded by `cchc inspection conclude`: the conclusion
# gives the inspection and its date, a blank unit is the inspected unit's.
CONCLUSION_FINDING_COLUMNS = tuple(
    replace(c, required=False) if c.key in ("inspection", "concluded_on", "unit") else c
    for c in FINDING_COLUMNS)

# A plan of inspections (kế hoạch kiểm tra): one row per inspected unit (or unit group).
INSPECTION_COLUMNS = (
    Column("number", ("STT", "TT", "Số TT", "Số thứ tự"), required=False, role="số thứ tự",
           short="stt"),
    Column("unit", ("Đơn vị được kiểm tra", "Cơ quan được kiểm tra",
                    "Cơ quan, đơn vị được kiểm tra", "Đối tượng được kiểm tra",
                    "Đối tượng kiểm tra", "Đơn vị", "Cơ quan", "Cơ quan, đơn vị", "Tên đơn vị"),
           role="đơn vị được kiểm tra", short="don_vi"),
    Column("mode", ("Hình thức kiểm tra", "Hình thức", "Phương thức kiểm tra", "Phương thức"),
           required=False, role="hình thức kiểm tra", short="hinh_thuc"),
    # Read as a deadline cell (an Excel date cell shown as Excel shows it): hence its key.
    Column("deadline", ("Thời gian kiểm tra", "Thời gian", "Thời gian dự kiến",
                        "Thời gian dự kiến kiểm tra", "Thời gian thực hiện", "Thời điểm kiểm tra"),
           required=False, role="thời gian kiểm tra", short="thoi_gian"),
    Column("topics", ("Nội dung kiểm tra", "Nội dung"), required=False, role="nội dung kiểm tra",
           short="noi_dung"),
    Column("body", ("Đơn vị chủ trì", "Đơn vị chủ trì kiểm tra", "Cơ quan chủ trì",
                    "Thành phần đoàn", "Thành phần đoàn kiểm tra", "Đoàn kiểm tra"),
           required=False, role="đơn vị chủ trì, thành phần đoàn", short="chu_tri"),
)

# A register of periodic reports received (sổ theo dõi báo cáo định kỳ).
REPORT_COLUMNS = (
    Column("source", ("Mã báo cáo", "Mã nhiệm vụ", "Nghĩa vụ báo cáo", "Báo cáo", "Mã"),
           role="nhiệm vụ định kỳ hoặc nghĩa vụ báo cáo", short="ma"),
    Column("unit", ("Đơn vị gửi", "Đơn vị báo cáo", "Mã đơn vị", "Đơn vị"), required=False,
           role="đơn vị gửi", short="don_vi"),
    Column("period", ("Kỳ báo cáo", "Kỳ"), role="kỳ báo cáo", short="ky"),
    Column("received_on", ("Ngày nhận", "Ngày gửi", "Ngày nhận báo cáo"), role="ngày nhận",
           short="ngay_nhan"),
    Column("document", ("Số văn bản", "Số, ký hiệu văn bản", "Văn bản", "Số hiệu"),
           required=False, role="văn bản báo cáo", short="van_ban"),
)

COLUMNS_BY_KIND: Mapping[str, Sequence[Column]] = {
    "units": UNIT_COLUMNS,
    "plan": PLAN_COLUMNS,
    "findings": FINDING_COLUMNS,
    "reports": REPORT_COLUMNS,
    "inspections": INSPECTION_COLUMNS,
}


def label_index(columns: Sequence[Column]) -> dict[str, Column]:
    """Every accepted label, made comparable, → its column."""
    return {header_key(label): column for column in columns for label in column.labels}


def column_for_label(text: object, index: Mapping[str, Column]
                     ) -> tuple[Column, str | None] | None:
    """The column a header label names: by one of its synonyms as written (None beside it), or
    by the longest synonym of two words or more that it starts with before more words ("Thời
    hạn hoàn thành dự kiến", "Thời gian hoàn thành (dự kiến)"), given beside it to be said."""
    key = header_key(text)
    if key in index:
        return index[key], None
    words = key.split()
    for count in range(len(words) - 1, 1, -1):
        start = " ".join(words[:count])
        if start in index:
            column = index[start]
            return column, next(label for label in column.labels if header_key(label) == start)
    return None


class ColumnMappingError(ValueError):
    pass


def parse_column_mapping(text: str, columns: Sequence[Column]) -> dict[str, str]:
    """`"thoi_han=F,chu_tri=C"` → {"deadline": "F", "unit": "C"}."""
    pairs = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, letter = part.partition("=")
        pairs[name.strip()] = letter.strip()
    return column_mapping(pairs, columns)


def column_mapping(pairs: Mapping[str, object], columns: Sequence[Column]) -> dict[str, str]:
    """Short column names → column letters, checked: {"thoi_han": "F"} → {"deadline": "F"}."""
    by_short = {c.short: c for c in columns}
    mapping: dict[str, str] = {}
    for name, letter in pairs.items():
        column = by_short.get(name)
        if column is None:
            raise ColumnMappingError(
                f"không có cột '{name}' (các tên cột: {', '.join(by_short)})")
        if not isinstance(letter, str) or not re.fullmatch(r"[A-Za-z]{1,3}", letter):
            raise ColumnMappingError(f"'{name}' cần chữ cái của cột (vd. F), nhận được {letter!r}")
        mapping[column.key] = letter.upper()
    taken = list(mapping.values())
    for letter in taken:
        if taken.count(letter) > 1:
            raise ColumnMappingError(f"cột {letter} được gán cho hai ý nghĩa")
    return mapping
