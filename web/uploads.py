"""An attachment streamed into the upload folder under a generated name: its type read from its
content, its size counted as it is copied; refused whole (nothing kept) when it is not one of
the accepted types or too large."""

from __future__ import annotations

import secrets
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePath

from domain.uploads import (
    OOXML,
    SNIFF_BYTES,
    FileType,
    StoredFile,
    UploadRefused,
    file_type,
    is_ooxml,
)

CHUNK = 64 * 1024


async def store_upload(upload, folder: Path, max_bytes: int,
                       kind_of: Callable[[bytes, str], FileType] = file_type
                       ) -> StoredFile | None:
    """Copy a form's file (starlette's UploadFile) into `folder`; None when none was chosen.
    `kind_of`: the types accepted (an attachment's, or `domain/uploads.py: table_type`)."""
    name = PurePath((upload.filename or "").replace("\\", "/")).name.strip()
    head = await upload.read(SNIFF_BYTES)
    if not name and not head:
        return None
    kind = kind_of(head, name or "(không tên)")
    folder.mkdir(parents=True, exist_ok=True)
    # Never the uploaded name: a generated one, with the suffix the content was checked against.
    stored = secrets.token_hex(16) + PurePath(name).suffix.lower()
    target = folder / stored
    size = len(head)
    try:
        with target.open("xb") as out:
            out.write(head)
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRefused(
                        f"tệp {name!r} lớn hơn {max_bytes // (1024 * 1024)} MB cho phép")
                out.write(chunk)
        if kind is OOXML:
            _check_ooxml(target, name)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return StoredFile(name, stored, kind.media_type, size)


def _check_ooxml(path: Path, name: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.namelist()
    except zipfile.BadZipFile:
        members = []
    if not is_ooxml(members):
        raise UploadRefused(f"tệp {name!r} là tệp nén, không phải tài liệu Word/Excel")
