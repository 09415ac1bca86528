"""The `cchc` commands of the web pages: `web`, `user add|list|disable|passwd`, `link revoke`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from cli.shared import (
    UserError,
    app,
    application,
    console,
    load_settings,
    run,
    web_server,
)

user_app = typer.Typer(help="Tài khoản đăng nhập của cơ quan thường trực (trang web).")
link_app = typer.Typer(help="Đường dẫn tới trang của đơn vị trong thư nhắc việc.")
app.add_typer(user_app, name="user")
app.add_typer(link_app, name="link")

Host = Annotated[str, typer.Option(help="địa chỉ lắng nghe")]
Port = Annotated[int, typer.Option(help="cổng")]


@app.command()
def web(host: Host = "127.0.0.1", port: Port = 8080) -> None:
    """Chạy trang web: trang của đơn vị (từ đường dẫn trong thư) và trang xét duyệt của cơ quan
    thường trực (dừng bằng Ctrl+C)."""
    def work() -> None:
        with application(load_settings()) as built:  # refuses a database not initialised
            server = web_server(built, host, port)
            console.print(f"Trang web: http://{host}:{port}/ (cơ quan thường trực: /login)",
                          highlight=False)
            server.run()

    run(work)


def _password() -> str:
    """The password, asked (twice) on a terminal, else one line of stdin."""
    if sys.stdin.isatty():
        return typer.prompt("Mật khẩu", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


def _carried_out(case, *arguments):
    """A use case of the web's logins and links run on this command's application; what the
    user got wrong (FormProblems) said once, as a command's error."""
    from domain.responses import FormProblems

    with application(load_settings()) as built:  # a database not initialised is refused first
        try:
            return case(built, *arguments)
        except FormProblems as problems:
            raise UserError("; ".join(problems.problems.values())) from None


@user_app.command("add")
def user_add(name: str) -> None:
    """Tạo tài khoản (hoặc đổi mật khẩu và mở lại tài khoản đã khóa); mật khẩu được hỏi, hoặc
    đọc một dòng từ stdin."""
    from flows.responses import add_user

    def work() -> None:
        created = _carried_out(add_user, name, _password())
        console.print(f"Đã {'tạo tài khoản' if created else 'đổi mật khẩu của'} {name}.",
                      markup=False, highlight=False)

    run(work)


@user_app.command("list")
def user_list() -> None:
    """Các tài khoản: tên, đang dùng hay đã khóa, ngày tạo."""
    from flows.logins import users
    from notifications.terminal import print_users

    def work() -> None:
        settings = load_settings()
        with application(settings) as built:
            print_users(console, users(built), settings.zone)

    run(work)


@user_app.command("disable")
def user_disable(name: str) -> None:
    """Khóa tài khoản: không đăng nhập được nữa, các phiên đang mở kết thúc ngay."""
    from flows.logins import disable_user

    def work() -> None:
        _carried_out(disable_user, name)
        console.print(f"Đã khóa tài khoản {name}; các phiên đăng nhập của tài khoản đã kết "
                      "thúc.", markup=False, highlight=False)

    run(work)


@user_app.command("passwd")
def user_passwd(name: str) -> None:
    """Đổi mật khẩu (được hỏi, hoặc đọc một dòng từ stdin); các phiên đang mở kết thúc."""
    from flows.logins import change_password

    def work() -> None:
        _carried_out(change_password, name, _password())
        console.print(f"Đã đổi mật khẩu của {name}; các phiên đăng nhập của tài khoản đã kết "
                      "thúc.", markup=False, highlight=False)

    run(work)


@link_app.command("revoke")
def link_revoke(address: str) -> None:
    """Thu hồi mọi đường dẫn đã gửi tới một địa chỉ (thư sau sẽ mang đường dẫn mới)."""
    from flows.responses import revoke_links

    def work() -> None:
        recorded, known = _carried_out(revoke_links, address, "cchc link revoke")
        console.print(f"Đã thu hồi mọi đường dẫn đã gửi tới {recorded}.", markup=False,
                      highlight=False)
        if not known:
            console.print(f"Lưu ý: không đơn vị nào có {recorded} là e-mail người đứng đầu hay "
                          "đầu mối CCHC (kiểm tra lại địa chỉ).", markup=False, highlight=False)

    run(work)
