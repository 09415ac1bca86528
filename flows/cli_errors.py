"""The errors a user of `cchc` can cause, each said once, in Vietnamese, on one line: a mistyped
command or option (Click's own messages are English), a date that is wrong or does not exist,
a file that cannot be written, a setting that does not parse."""

from __future__ import annotations

import calendar
import errno
import importlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import typer
from rich.console import Console
from typer.core import TyperGroup

errors = Console(stderr=True)

# Typer ships its own copy of Click from 0.2x on: take the exception classes from wherever
# typer.BadParameter comes from.
_click = importlib.import_module(typer.BadParameter.__module__)


class UserError(Exception):
    """Something the user can fix; printed without a traceback."""


class OptionValueError(typer.BadParameter):
    """A value refused by one of our parsers, with its reason already in Vietnamese."""


def fail(message: str, code: int) -> typer.Exit:
    """Print one error line and return the exit to raise."""
    errors.print(f"[bold red]Lỗi:[/] {message}", highlight=False, markup=True, soft_wrap=True)
    return typer.Exit(code)


# --- dates ----------------------------------------------------------------------------------

_DAY = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*")


def parse_day(text: str) -> date:
    """DD/MM/YYYY. A wrong shape and a day that does not exist are told apart."""
    found = _DAY.fullmatch(text)
    if found is None:
        raise OptionValueError(f"cần ngày dạng DD/MM/YYYY (ví dụ 25/06/2021), nhận được {text!r}")
    day, month, year = (int(part) for part in found.groups())
    if not 1 <= month <= 12:
        raise OptionValueError(f"ngày {text.strip()} không tồn tại: không có tháng {month}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise OptionValueError(
            f"ngày {text.strip()} không tồn tại: tháng {month}/{year} có {last} ngày"
        )
    return date(year, month, day)


# --- Click's usage errors -------------------------------------------------------------------

def _hint(param: Any) -> str:
    if param is None:
        return "tham số"
    if getattr(param, "param_type_name", "") == "argument":
        return (param.metavar or param.name or "").upper()
    return " / ".join(param.opts)


_EXPECTED = {int: "cần một số nguyên", float: "cần một số", "integer": "cần một số nguyên",
             "float": "cần một số"}


def _expected(param: Any) -> str:
    described = getattr(param, "type_descriptor", None)
    kind = getattr(described, "annotation", None) or getattr(getattr(param, "type", None),
                                                              "name", None)
    return _EXPECTED.get(kind, "giá trị không hợp lệ")


_GENERAL = [
    (re.compile(r"No such command '(.*)'\.(?: Did you mean (.*)\?)?"),
     lambda m: f"không có lệnh {m[1]!r}" + (f" (có phải {m[2]}?)" if m[2] else "")),
    (re.compile(r"Missing command\."), lambda m: "thiếu lệnh con"),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)"),
     lambda m: f"thừa đối số: {m[1]}"),
]


def usage_message(error: Any) -> str:
    """Click's usage error, in Vietnamese."""
    param = getattr(error, "param", None)
    if isinstance(error, _click.MissingParameter):
        kind = "đối số" if getattr(param, "param_type_name", "") == "argument" else "tùy chọn"
        return f"thiếu {kind} {_hint(param)}"
    if isinstance(error, OptionValueError):
        return f"{_hint(param)}: {error.message}"
    if isinstance(error, _click.BadParameter):
        return f"{_hint(param)}: {_expected(param)}"
    if isinstance(error, _click.NoSuchOption):
        maybe = f" (có phải {', '.join(sorted(error.possibilities))}?)" if error.possibilities else ""
        return f"không có tùy chọn {error.option_name}{maybe}"
    if isinstance(error, _click.BadOptionUsage):
        if "requires an argument" in error.message:
            return f"tùy chọn {error.option_name} cần một giá trị"
        if "does not take a value" in error.message:
            return f"tùy chọn {error.option_name} không nhận giá trị"
        return f"dùng sai tùy chọn {error.option_name}"
    for pattern, say in _GENERAL:
        found = pattern.fullmatch(error.message)
        if found:
            return say(found)
    return f"lệnh không hợp lệ ({error.message})"


@contextmanager
def _usage_in_vietnamese() -> Iterator[None]:
    try:
        yield
    except _click.UsageError as error:
        if type(error).__name__ == "NoArgsIsHelpError":  # `cchc` alone: the help is the answer
            raise
        ctx = getattr(error, "ctx", None)
        help_hint = f" Xem `{ctx.command_path} --help`." if ctx is not None else ""
        raise fail(f"{usage_message(error)}.{help_hint}", 2) from None


class VietnameseUsage(TyperGroup):
    """The root command: Click's usage errors, from any subcommand, said in Vietnamese."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        with _usage_in_vietnamese():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        with _usage_in_vietnamese():
            return super().invoke(ctx)


# --- files and settings ---------------------------------------------------------------------

_OS_REASONS = {
    errno.ENOENT: "thư mục hoặc tệp không tồn tại",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.EACCES: "không có quyền",
    errno.EPERM: "không có quyền",
    errno.EISDIR: "đó là một thư mục",
    errno.EROFS: "ổ đĩa chỉ đọc",
    errno.ENOSPC: "hết chỗ trên đĩa",
}


def os_reason(error: OSError) -> str:
    return _OS_REASONS.get(error.errno, error.strerror or str(error))


def settings_message(error: Any) -> str:
    """A pydantic ValidationError of the settings: which variable, and what it needs."""
    problems = []
    for problem in error.errors():
        name = "CCHC_" + "_".join(str(part) for part in problem["loc"]).upper()
        context = problem.get("ctx") or {}
        need = {
            "int_parsing": "cần một số nguyên",
            "float_parsing": "cần một số",
            "literal_error": f"cần một trong {context.get('expected', '')}".replace(" or ", ", "),
            "greater_than": f"cần lớn hơn {context.get('gt')}",
            "greater_than_equal": f"cần từ {context.get('ge')} trở lên",
            "value_error": str(context.get("error")),
        }.get(problem["type"], problem["msg"])
        problems.append(f"{name}={problem.get('input')!r}: {need}")
    return "cấu hình không hợp lệ: " + "; ".join(problems)
