"""The e-mails the web pages queue (a decision told to a unit, a fresh link) are sent by the web
process itself, every `CCHC_WEB_DISPATCH_SECONDS`, instead of waiting for a check or a dispatch
(which `cchc serve` runs in office hours only). They go through the outbox's claims like any
dispatch: a check's dispatch running at the same moment never sends one twice."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flows import checking
from flows.application import Application
from persistence.outbox import WEB_PARTITION

log = logging.getLogger("cchc.web.mail")


@contextmanager
def pages_mail_sent(app: Application) -> Iterator[None]:
    """Send the pages' e-mails from a thread of their own while the block runs, so that no
    request waits on the SMTP server."""
    stop = threading.Event()
    sender = threading.Thread(target=_send_until, args=(app, stop), name="cchc-web-mail",
                              daemon=True)
    sender.start()
    try:
        yield
    finally:
        stop.set()
        # A send under way is let finish; one cut short is taken over after its lease.
        sender.join(timeout=app.settings.smtp_timeout)


def _send_until(app: Application, stop: threading.Event) -> None:
    while True:
        try:
            checking.dispatch(app, log, partition=WEB_PARTITION)
        except Exception:
            # The database or the SMTP server away for a while: the next round tries again.
            log.exception("chưa gửi được thư của trang web; sẽ thử lại")
        if stop.wait(app.settings.web_dispatch_seconds):
            return
