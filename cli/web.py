"""The `cchc` commands of the web pages: `web`, `user add`, `link revoke`."""

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
        settings = load_settings()
        with application(settings):  # refuses a database not initialised
            pass
        server = web_server(settings, host, port)
        console.print(f"Trang web: http://{host}:{port}/ (cơ quan thường trực: /login)",
                      highlight=False)
        server.run()

    run(work)


@user_app.command("add")
def user_add(name: str) -> None:
    """Tạo tài khoản (hoặc đổi mật khẩu); mật khẩu được hỏi, hoặc đọc một dòng từ stdin."""
    from domain.responses import FormProblems
    from flows.responses import add_user

    def work() -> None:
        settings = load_settings()
        with application(settings) as built:  # a database not initialised is refused first
            if sys.stdin.isatty():
                password = typer.prompt("Mật khẩu", hide_input=True, confirmation_prompt=True)
            else:
                password = sys.stdin.readline().rstrip("\r\n")
            try:
                created = add_user(built, name, password)
            except FormProblems as problems:
                raise UserError("; ".join(problems.problems.values())) from None
        console.print(f"Đã {'tạo tài khoản' if created else 'đổi mật khẩu của'} {name}.",
                      markup=False, highlight=False)

    run(work)


@link_app.command("revoke")
def link_revoke(address: str) -> None:
    """Thu hồi mọi đường dẫn đã gửi tới một địa chỉ (thư sau sẽ mang đường dẫn mới)."""
    from domain.responses import FormProblems
    from flows.responses import revoke_links

    def work() -> None:
        settings = load_settings()
        with application(settings) as built:
            try:
                recorded, known = revoke_links(built, address, "cchc link revoke")
            except FormProblems as problems:
                raise UserError("; ".join(problems.problems.values())) from None
        console.print(f"Đã thu hồi mọi đường dẫn đã gửi tới {recorded}.", markup=False,
                      highlight=False)
        if not known:
            console.print(f"Lưu ý: không đơn vị nào có {recorded} là e-mail người đứng đầu hay "
                          "đầu mối CCHC (kiểm tra lại địa chỉ).", markup=False, highlight=False)

    run(work)
