"""A unit's kind, read from its units file's Loại cell or from its name as a secretariat reads
it, on real names: Sơn La city's wards and communes, Mai Sơn district's township and communes
(before the 2025 reorganisation), a district's specialised offices as Decree 37/2014/NĐ-CP lists
them and a province's departments as Decree 24/2014/NĐ-CP does."""

from __future__ import annotations

import pytest

from domain.states import UnitKind, UnitKindSource
from domain.unit_kinds import kind_from_name, kind_from_word, kinds_in_tree, unit_kind

SON_LA_CITY = {
    UnitKind.WARD: ["Phường Chiềng Lề", "Phường Tô Hiệu", "Phường Quyết Thắng",
                    "Phường Quyết Tâm", "Phường Chiềng An", "Phường Chiềng Cơi",
                    "Phường Chiềng Sinh"],
    UnitKind.COMMUNE: ["Xã Chiềng Cọ", "Xã Chiềng Đen", "Xã Chiềng Xôm", "Xã Chiềng Ngần",
                       "Xã Hua La"],
}
MAI_SON_COMMUNES = ["Chiềng Ban", "Chiềng Chăn", "Chiềng Chung", "Chiềng Dong", "Chiềng Kheo",
                    "Chiềng Lương", "Chiềng Mai", "Chiềng Mung", "Chiềng Nơi", "Chiềng Sung",
                    "Chiềng Ve", "Cò Nòi", "Hát Lót", "Mường Bằng", "Mường Bon",
                    "Mường Chanh", "Nà Bó", "Nà Ớt", "Phiêng Cằm", "Phiêng Pằn", "Tà Hộc"]
# A district's specialised offices; the last three are named for their level only by the tree.
DISTRICT_OFFICES = ["Phòng Nội vụ", "Phòng Tư pháp", "Phòng Tài chính - Kế hoạch",
                    "Phòng Tài nguyên và Môi trường", "Phòng Lao động - Thương binh và Xã hội",
                    "Phòng Văn hóa và Thông tin", "Phòng Giáo dục và Đào tạo", "Phòng Y tế",
                    "Phòng Kinh tế - Hạ tầng", "Phòng Nông nghiệp và Phát triển nông thôn",
                    "Phòng Dân tộc", "Thanh tra huyện", "Văn phòng HĐND và UBND huyện",
                    "Văn phòng HĐND - UBND huyện Mai Sơn", "Thanh tra thành phố",
                    "Ban Quản lý dự án đầu tư xây dựng huyện Mai Sơn"]
PROVINCE_DEPARTMENTS = ["Sở Nội vụ", "Sở Tư pháp", "Sở Kế hoạch và Đầu tư", "Sở Tài chính",
                        "Sở Công Thương", "Sở Nông nghiệp và Phát triển nông thôn",
                        "Sở Giao thông vận tải", "Sở Xây dựng", "Sở Tài nguyên và Môi trường",
                        "Sở Thông tin và Truyền thông", "Sở Lao động - Thương binh và Xã hội",
                        "Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ",
                        "Sở Giáo dục và Đào tạo", "Sở Y tế", "Thanh tra tỉnh",
                        "Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh Sơn La"]


@pytest.mark.parametrize(("kind", "name"), [
    *((kind, f"UBND {name[0].lower()}{name[1:]}") for kind, names in SON_LA_CITY.items()
      for name in names),
    *((kind, name) for kind, names in SON_LA_CITY.items() for name in names),
    *((UnitKind.COMMUNE, f"UBND xã {name}") for name in MAI_SON_COMMUNES),
    (UnitKind.TOWNSHIP, "UBND thị trấn Hát Lót"), (UnitKind.TOWNSHIP, "Thị trấn Hát Lót"),
    (UnitKind.TOWNSHIP, "UBND TT. Hát Lót"),
    (UnitKind.COMMUNE, "Ủy ban nhân dân xã Chiềng Mung"), (UnitKind.COMMUNE, "HĐND-UBND xã Nà Bó"),
    (UnitKind.WARD, "UBND P. Quyết Thắng"),
    (UnitKind.DISTRICT, "UBND huyện Mai Sơn"), (UnitKind.DISTRICT, "UBND thành phố Sơn La"),
    (UnitKind.DISTRICT, "UBND TP Sơn La"), (UnitKind.DISTRICT, "Thành phố Sơn La"),
    (UnitKind.DISTRICT, "UBND thị xã Mộc Châu"), (UnitKind.DISTRICT, "Huyện Thuận Châu"),
    (UnitKind.PROVINCE, "UBND tỉnh Sơn La"), (UnitKind.PROVINCE, "Ủy ban nhân dân tỉnh"),
    *((UnitKind.OFFICE, name) for name in DISTRICT_OFFICES),
    *((UnitKind.DEPARTMENT, name) for name in PROVINCE_DEPARTMENTS),
    (UnitKind.BOARD, "Ban Dân tộc tỉnh"), (UnitKind.BOARD, "Ban Quản lý các khu công nghiệp tỉnh"),
])
def test_the_name_says_the_kind_a_secretariat_reads_in_it(kind, name):
    assert kind_from_name(name) is kind


@pytest.mark.parametrize("name", [
    "Huyện ủy Mai Sơn", "Tỉnh ủy Sơn La", "Tỉnh đoàn Sơn La", "Huyện đoàn Mai Sơn",
    "Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Văn phòng Tỉnh ủy",
    "Trung tâm Phục vụ hành chính công tỉnh", "Bưu điện tỉnh", "UBND các xã, thị trấn",
    "Thanh tra", "Phòng", "Đơn vị A",
])
def test_a_name_that_says_no_kind_is_read_as_none(name):
    assert kind_from_name(name) is None


def test_a_thanh_tra_or_a_van_phong_named_without_its_level_takes_it_from_its_parent():
    # "Văn phòng HĐND và UBND" of a district is one of its offices; of a province, its office
    # is a department; a bare "Ban …" under a district is one of the district's offices.
    assert kind_from_name("Thanh tra", UnitKind.DISTRICT) is UnitKind.OFFICE
    assert kind_from_name("Văn phòng HĐND và UBND", UnitKind.DISTRICT) is UnitKind.OFFICE
    assert kind_from_name("Thanh tra", UnitKind.PROVINCE) is UnitKind.DEPARTMENT
    assert kind_from_name("Văn phòng UBND", UnitKind.PROVINCE) is UnitKind.DEPARTMENT
    assert kind_from_name("Ban Quản lý dự án", UnitKind.DISTRICT) is UnitKind.OFFICE
    assert kind_from_name("Ban Quản lý dự án", UnitKind.PROVINCE) is UnitKind.BOARD
    # Under a department, a Thanh tra is its inspectorate: none of the kinds counted.
    assert kind_from_name("Thanh tra Sở", UnitKind.DEPARTMENT) is None


@pytest.mark.parametrize(("text", "kind"), [
    ("Tỉnh", UnitKind.PROVINCE), ("sở", UnitKind.DEPARTMENT), ("Ban", UnitKind.BOARD),
    ("Huyện", UnitKind.DISTRICT), ("Thành phố", UnitKind.DISTRICT),
    ("thị xã", UnitKind.DISTRICT), ("huyện/thành phố/thị xã", UnitKind.DISTRICT),
    ("Phòng", UnitKind.OFFICE), ("Phòng ban", UnitKind.OFFICE), ("XÃ", UnitKind.COMMUNE),
    ("Phường", UnitKind.WARD), ("Thị trấn", UnitKind.TOWNSHIP), ("Khác", UnitKind.OTHER),
])
def test_a_loai_cell_says_the_kind_in_the_words_secretariats_write(text, kind):
    assert kind_from_word(text) is kind


@pytest.mark.parametrize("text", ["cấp xã", "Tổ", "X"])
def test_a_loai_cell_in_other_words_is_not_read(text):
    # "cấp xã" is a xã, a phường or a thị trấn: which, the cell must say.
    assert kind_from_word(text) is None


def test_the_cell_comes_first_then_the_known_kind_then_the_name_then_khac():
    assert unit_kind("UBND xã Hua La", given=UnitKind.WARD) == (UnitKind.WARD,
                                                               UnitKindSource.COLUMN)
    assert unit_kind("UBND xã Hua La", kept=UnitKind.OTHER) == (UnitKind.OTHER,
                                                               UnitKindSource.KEPT)
    assert unit_kind("UBND xã Hua La") == (UnitKind.COMMUNE, UnitKindSource.NAME)
    assert unit_kind("Công an tỉnh") == (UnitKind.OTHER, UnitKindSource.UNREAD)


def test_a_tree_is_read_parents_first_whatever_order_its_units_come_in():
    units = {"TT": ("Thanh tra", "H"), "VP": ("Văn phòng HĐND và UBND", "H"),
             "H": ("UBND huyện Mai Sơn", "T"), "T": ("UBND tỉnh Sơn La", None),
             "TTT": ("Thanh tra", "T"), "X": ("UBND xã Cò Nòi", "H"),
             "CA": ("Công an tỉnh", "T"), "LOOP": ("Thanh tra", "LOOP")}
    assert kinds_in_tree(units) == {
        "TT": UnitKind.OFFICE, "VP": UnitKind.OFFICE, "H": UnitKind.DISTRICT,
        "T": UnitKind.PROVINCE, "TTT": UnitKind.DEPARTMENT, "X": UnitKind.COMMUNE,
        "CA": UnitKind.OTHER, "LOOP": UnitKind.OTHER}
