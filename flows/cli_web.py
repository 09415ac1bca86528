"""The `cchc` commands of the web pages: `web`, `user add`, `link revoke`; and the server that
`cchc web` and `cchc serve --web` run."""

from __future__ import annotations

import sys
import threading
from typing import Annotated

import typer

from flows.cli import UserError, app, console, load_settings, run, session_scope

user_app = typer.Typer(help="Tài khoản đăng nhập của cơ quan thường trực (trang web).")
link_app = typer.Typer(help="Đường dẫn tới trang của đơn vị trong thư nhắc việc.")
app.add_typer(user_app, name="user")
app.add_typer(link_app, name="link")

Host = Annotated[str, typer.Option(help="địa chỉ lắng nghe")]
Port = Annotated[int, typer.Option(help="cổng")]


def web_server(settings, host: str, port: int):
    """The uvicorn server of the web app over a freshly built application. Without an access
    log: the unit pages' links (tokens) are in their paths, and must never reach a log."""
    import uvicorn

    from flows.application import build_application
    from web.app import create_app

    if settings.secret_key is None:
        raise UserError("chưa đặt CCHC_SECRET_KEY: trang web cần khóa bí mật để ký đường dẫn "
                        "và phiên đăng nhập (vd. `python3 -c 'import secrets; "
                        "print(secrets.token_urlsafe(32))'`)")
    config = uvicorn.Config(create_app(build_application(settings)), host=host, port=port,
                            access_log=False, log_level="info", server_header=False)
    return uvicorn.Server(config)


def _check_database(settings) -> None:
    with session_scope(settings):
        pass


@app.command()
def web(host: Host = "127.0.0.1", port: Port = 8080) -> None:
    """Chạy trang web: trang của đơn vị (từ đường dẫn trong thư) và trang xét duyệt của cơ quan
    thường trực (dừng bằng Ctrl+C)."""
    def work() -> None:
        settings = load_settings()
        _check_database(settings)
        server = web_server(settings, host, port)
        console.print(f"Trang web: http://{host}:{port}/ (cơ quan thường trực: /login)",
                      highlight=False)
        server.run()

    run(work)


def start_beside(settings, host: str, port: int):
    """`cchc serve --web`: the web server in a thread beside the scheduler; returns its stop."""
    server = web_server(settings, host, port)
    thread = threading.Thread(target=server.run, name="cchc-web", daemon=True)
    thread.start()

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)

    return stop


@user_app.command("add")
def user_add(name: str) -> None:
    """Tạo tài khoản (hoặc đổi mật khẩu); mật khẩu được hỏi, hoặc đọc một dòng từ stdin."""
    from domain.responses import FormProblems
    from flows.application import build_application
    from flows.responses import add_user

    def work() -> None:
        settings = load_settings()
        _check_database(settings)
        if sys.stdin.isatty():
            password = typer.prompt("Mật khẩu", hide_input=True, confirmation_prompt=True)
        else:
            password = sys.stdin.readline().rstrip("\r\n")
        application = build_application(settings)
        try:
            created = add_user(application, name, password)
        except FormProblems as problems:
            raise UserError("; ".join(problems.problems.values())) from None
        finally:
            application.close()
        console.print(f"Đã {'tạo tài khoản' if created else 'đổi mật khẩu của'} {name}.",
                      markup=False, highlight=False)

    run(work)


@link_app.command("revoke")
def link_revoke(address: str) -> None:
    """Thu hồi mọi đường dẫn đã gửi tới một địa chỉ (thư sau sẽ mang đường dẫn mới)."""
    from flows.application import build_application
    from flows.responses import revoke_links

    def work() -> None:
        settings = load_settings()
        _check_database(settings)
        application = build_application(settings)
        try:
            revoke_links(application, address, "cchc link revoke")
        finally:
            application.close()
        console.print(f"Đã thu hồi mọi đường dẫn đã gửi tới {address}.", markup=False,
                      highlight=False)

    run(work)
