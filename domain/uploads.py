"""What an attachment is, read from its first bytes (never from its name or the browser's word):
PDF, Word/Excel/PowerPoint (OOXML, or the old OLE format), PNG or JPEG."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True)
class FileType:
    label: str
    media_type: str
    extensions: frozenset[str]  # the names a file of this type may carry


PDF = FileType("PDF", "application/pdf", frozenset({".pdf"}))
PNG = FileType("ảnh PNG", "image/png", frozenset({".png"}))
JPEG = FileType("ảnh JPEG", "image/jpeg", frozenset({".jpg", ".jpeg"}))
OLE = FileType("Word/Excel (định dạng cũ)", "application/octet-stream",
               frozenset({".doc", ".xls", ".ppt"}))
OOXML = FileType("Word/Excel", "application/octet-stream",
                 frozenset({".docx", ".xlsx", ".pptx"}))

# Bytes a file of each type starts with. An OOXML file is a zip archive: its parts are checked
# once it is whole (`is_ooxml`).
_MAGIC = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
    (b"PK\x03\x04", OOXML),
)
SNIFF_BYTES = 8
ACCEPTED = "PDF, Word, Excel, ảnh PNG hoặc JPEG"


class UploadRefused(ValueError):
    pass


@dataclass(frozen=True)
class StoredFile:
    """An attachment already streamed to the upload folder under a generated name."""

    original_name: str
    stored_name: str
    media_type: str
    size: int


def file_type(head: bytes, filename: str) -> FileType:
    """The type of a file starting with `head` and named `filename`; refused when the content is
    none of the accepted types, or its name says another type (a mislabelled file)."""
    found = next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)
    if found is None:
        raise UploadRefused(f"tệp {filename!r} không phải {ACCEPTED} (đã kiểm tra nội dung tệp)")
    suffix = PurePath(filename).suffix.lower()
    if suffix not in found.extensions:
        raise UploadRefused(
            f"tệp {filename!r} có nội dung {found.label}, không khớp với đuôi "
            f"{suffix or '(không có đuôi)'}: hãy đặt đúng tên tệp"
        )
    return found


def is_ooxml(names: list[str]) -> bool:
    """Whether a zip archive's member names are those of a Word/Excel/PowerPoint document."""
    return "[Content_Types].xml" in names


CSV = FileType("CSV", "text/csv", frozenset({".csv"}))
TABLES = "Excel (.xlsx) hoặc CSV (.csv)"


def table_type(head: bytes, filename: str) -> FileType:
    """A spreadsheet for an import (a conclusion's findings file): an .xlsx whose content is a
    zip archive, or a .csv whose content is text (no other type's first bytes, no NUL byte);
    refused otherwise. What the file holds is read by the import, which says each problem."""
    suffix = PurePath(filename).suffix.lower()
    found = next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)
    if suffix == ".xlsx" and found is OOXML:
        return OOXML
    if suffix == ".csv" and found is None and b"\x00" not in head:
        return CSV
    if suffix not in (".xlsx", ".csv"):
        raise UploadRefused(f"tệp {filename!r} không phải {TABLES}")
    raise UploadRefused(f"tệp {filename!r} có đuôi {suffix} nhưng nội dung không phải "
                        f"{'Excel' if suffix == '.xlsx' else 'văn bản CSV'} (đã kiểm tra nội "
                        "dung tệp)")
