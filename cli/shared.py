"""What every `cchc` command shares: the root command and its groups, the one reading of the
settings per invocation, the application and its transaction, and the errors a user can cause —
each said once, in Vietnamese, on one line, with a non-zero exit: a mistyped command or option
(Click's own messages are English), a date that is wrong or does not exist, a file that cannot
be read or written, a setting that does not parse. The bodies the demo shares with the commands
(`initialise`, `import_and_say`, `print_status_report`) live here too, so that no command module
imports another.

Commands that run no flow never import Prefect, so they start fast: what a command needs is
imported inside it."""

from __future__ import annotations

import calendar
import errno
import importlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

if TYPE_CHECKING:
    from flows.application import Application
    from flows.importing import ImportKind
    from flows.settings import Settings

console = Console()
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


# --- the commands' groups and options -------------------------------------------------------

app = typer.Typer(
    cls=VietnameseUsage,
    help="Theo dõi, nhắc việc và đôn đốc nhiệm vụ cải cách hành chính (CCHC).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(help="Nhập dữ liệu từ tệp .xlsx hoặc .csv (tất cả hoặc không gì cả).")
task_app = typer.Typer(help="Ghi nhận hoàn thành, gia hạn hoặc đặt thời hạn cho một nhiệm vụ.")
history_app = typer.Typer(help="Lịch sử: các lần chạy, hoặc từng nhiệm vụ (`history item MÃ`).")
app.add_typer(import_app, name="import")
app.add_typer(task_app, name="task")
app.add_typer(history_app, name="history")

Day = Annotated[date, typer.Option(parser=parse_day, metavar="DD/MM/YYYY")]


def parse_day_or_rule(text: str) -> date | str:
    """A day (DD/MM/YYYY), or text with words in it: a recurring rule as a plan's cell writes
    it, read by the use case."""
    return text.strip() if re.search(r"[^\W\d_]", text) else parse_day(text)


DayOrRule = Annotated[object, typer.Option(
    parser=parse_day_or_rule, metavar="DD/MM/YYYY|QUY_TẮC",
    help="ngày, hoặc quy tắc định kỳ như ô thời hạn: \"Trước ngày 10 hằng tháng\"")]
OptionalDay = Annotated[
    date | None, typer.Option(parser=parse_day, metavar="DD/MM/YYYY", show_default="hôm nay")
]
Plan = Annotated[str | None, typer.Option("--plan", help="mã kế hoạch, khi mã nhiệm vụ trùng")]
Unit = Annotated[str | None, typer.Option(help="chỉ đơn vị này và các đơn vị trực thuộc")]
AsJson = Annotated[bool, typer.Option("--json", help="in JSON (xem README)")]


# --- settings, the application, a transaction -----------------------------------------------

def read_settings() -> Settings:
    """The configuration, from the environment and `.env`: the invocation's one reading, handed
    on to whatever the command runs."""
    # Imported here: the settings load pydantic and the policy's rules, and `--help` needs none.
    from flows.settings import Settings

    return Settings()


def load_settings() -> Settings:
    """The configuration, with the policy file read now: a bad one is refused at start."""
    settings = read_settings()
    settings.policy  # noqa: B018 (reading it validates it)
    return settings


@contextmanager
def application(settings: Settings) -> Iterator[Application]:
    """The invocation's one application, over a database at the current schema (else: run
    `cchc init`): whatever the command runs — its use cases, its flows, the web server — is
    handed this one, and its engine is disposed when the command ends."""
    from flows.application import build_application
    from persistence.db import is_current

    built = build_application(settings)
    try:
        if not is_current(built.uow.engine):
            raise UserError("cơ sở dữ liệu chưa được khởi tạo hoặc cần nâng cấp: chạy `cchc init`")
        yield built
    finally:
        built.close()


@contextmanager
def session_scope(settings: Settings, *, dry_run: bool = False) -> Iterator:
    """One transaction of a command that needs nothing else of its application: committed when
    the block ends (rolled back for a dry run), rolled back on any error."""
    with application(settings) as built:
        with built.uow.reading() if dry_run else built.uow.transaction() as session:
            yield session


def views() -> ModuleType:
    """The terminal's tables and lines, loaded by the command that prints them."""
    from notifications import terminal

    return terminal


def web_server(built: Application, host: str, port: int, *, own_log: bool = True):
    """The uvicorn server of the web pages over the command's application, for `cchc web`
    and `cchc serve --web`; it sends what the pages queue. Without an access log: the units'
    links (tokens) are in their paths, and must never reach a log. `own_log` False: its lines
    go wherever the caller's logging sends them (`cchc serve`: its log file), not to the console."""
    import uvicorn

    from web.app import create_app

    settings = built.settings
    if settings.secret_key is None:
        raise UserError("chưa đặt CCHC_SECRET_KEY: trang web cần khóa bí mật để ký đường dẫn "
                        "và phiên đăng nhập (vd. `python3 -c 'import secrets; "
                        "print(secrets.token_urlsafe(32))'`)")
    if not settings.base_url:
        # Without it no link can be written: the units' pages could not keep the expired-link
        # page's promise of a fresh one.
        raise UserError("chưa đặt CCHC_BASE_URL: trang web cần địa chỉ mà đơn vị mở được "
                        "(vd. https://cchc.example.gov.vn) để viết đường dẫn trong thư")
    config = uvicorn.Config(create_app(built, send_mail=True),
                            host=host, port=port, access_log=False, log_level="info",
                            server_header=False,
                            proxy_headers=False,  # the app reads them (CCHC_TRUSTED_PROXIES)
                            **({} if own_log else {"log_config": None}))
    return uvicorn.Server(config)


def start_web_beside(built: Application, host: str, port: int) -> Callable[[], None]:
    """`cchc serve --web`: the web server in a thread beside the scheduler, logging to serve's
    log, once it serves; returns its stop."""
    import threading
    import time

    server = web_server(built, host, port, own_log=False)
    thread = threading.Thread(target=server.run, name="cchc-web", daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        time.sleep(0.05)
    if not server.started:
        raise UserError(f"trang web không chạy được ở {host}:{port} (cổng đang bận?): "
                        f"xem {built.settings.log_file}")

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)

    return stop


# --- running a command ----------------------------------------------------------------------

def run(command):
    """Render the errors a user can cause once, in Vietnamese, with a non-zero exit; anything
    else is a bug and keeps its traceback."""
    try:
        return command()
    except typer.Exit:
        raise
    except Exception as error:
        exit = _user_error_exit(error)
        if exit is None:
            raise
        raise exit from None


def _user_error_exit(error: Exception) -> typer.Exit | None:
    # Imported only once something went wrong: they cost a command's start otherwise.
    from pydantic import ValidationError
    from sqlalchemy.exc import OperationalError

    from domain.importers import ImportFailed
    from domain.inspections import InspectionError
    from domain.policy import PolicyError
    from domain.tracking import ItemError

    if isinstance(error, ImportFailed):
        errors.print(f"[bold red]Không nhập gì cả: {len(error.problems)} lỗi[/]")
        for problem in error.problems:
            errors.print(f"  • {problem}", markup=False, highlight=False)
        return typer.Exit(1)
    if isinstance(error, (UserError, ItemError)):
        return fail(escape(str(error)), 1)
    if isinstance(error, InspectionError):
        # The option the refusal is about, as the command line names it.
        option = f"--{error.field}: " if error.field not in (None, "unit") else ""
        return fail(escape(f"{option}{error}"), 1)
    if isinstance(error, PolicyError):
        return fail(escape(str(error)), 2)
    if isinstance(error, ValidationError) and error.title == "Settings":
        return fail(escape(settings_message(error)), 2)
    if isinstance(error, OperationalError):
        # The driver's own message: it names the server, never the URL with its password.
        reason = escape(str(error.orig).strip())
        return fail(f"không kết nối được cơ sở dữ liệu: {reason} (kiểm tra CCHC_DATABASE_URL)", 1)
    if isinstance(error, OSError) and error.filename:
        return fail(escape(f"không đọc hoặc ghi được {error.filename}: {os_reason(error)}; "
                           "kiểm tra đường dẫn và quyền truy cập"), 1)
    return None


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


# --- the bodies the demo shares with the commands -------------------------------------------

def initialise(settings: Settings) -> None:
    """`cchc init`: create the database, or bring it to the current schema."""
    from persistence.db import make_engine, upgrade

    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    # The URL may hold the database's password: show it hidden.
    shown = engine.url.render_as_string(hide_password=True)
    console.print(f"Cơ sở dữ liệu đã sẵn sàng: {shown}")


def import_and_say(
    built: Application, kind: ImportKind, file: Path, columns: tuple[str, dict] | None = None, *,
    dry_run: bool = False, strict: bool = False, **plan_options: Any,
) -> None:
    """`cchc import KIND FILE`: import it all or nothing and say what came in (a dry run: what
    would), then hand the import's events to the Prefect server, if one is configured."""
    from flows.importing import import_file

    summary = import_file(built, kind, file, columns, dry_run=dry_run, strict=strict,
                          **plan_options)
    if dry_run:
        views().print_import_preview(console, file.name, summary)
        return
    views().print_imported(console, file.name, summary)
    if built.settings.prefect_api_url:
        import logging

        from flows.publishing import publish_after_command

        publish_after_command(built.uow, logging.getLogger("cchc"))


def chosen_plan(session, plan: str | None, unit: str | None):
    """The plan named by `--plan` (None without it), after refusing an unknown plan or unit."""
    from domain.models import Plan as PlanRow
    from domain.models import Unit as UnitRow

    chosen = session.get(PlanRow, plan) if plan else None
    if plan and chosen is None:
        raise UserError(f"không có kế hoạch mã {plan}")
    if unit and session.get(UnitRow, unit) is None:
        raise UserError(f"không có đơn vị mã {unit}")
    return chosen


def status_report(session, settings: Settings, day: date, plan: str | None, unit: str | None):
    """The status report of `plan` (default: the latest) on `day`, for `unit`'s subtree."""
    from persistence.reports import status_report as report_of

    return report_of(session, day, settings.calendar, settings.policy,
                     plan=chosen_plan(session, plan, unit), unit=unit)


def print_status_report(
    built: Application, day: date, *, unit: str | None = None, plan: str | None = None,
    as_json: bool = False,
) -> None:
    """`cchc status`: the progress on `day`, as tables or as JSON."""
    with built.uow.transaction() as session:
        report = status_report(session, built.settings, day, plan, unit)
        if as_json:
            import json

            from notifications.schemas import status_document

            typer.echo(json.dumps(status_document(report), ensure_ascii=False, indent=2))
        else:
            views().print_status(console, report)
