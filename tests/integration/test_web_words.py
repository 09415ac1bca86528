"""What a unit's head and the secretariat read on the pages: notices in words, dates as
dd/mm/yyyy, a reported item waiting for review, the decision a result names."""

from __future__ import annotations

import logging
import re

from flows import checking
from tests.conftest import *  # noqa: F403 (the database fixtures)
from tests.web_support import site, unit_token  # noqa: F401


def _checked_and_sent(site):
    """A check on the next working day from today, its digests delivered."""
    calendar = site.application.calendar
    today = site.application.today()
    day = today if calendar.is_working_day(today) else calendar.add_working_days(today, 1)
    log = logging.getLogger("t")
    checking.sweep_and_seal(site.application.uow, site.settings, day, log)
    checking.dispatch(site.application.uow, site.settings, log)


def test_the_unit_page_says_which_notice_was_sent_in_words_not_rung_codes(site):
    _checked_and_sent(site)
    token = unit_token(site.settings, "giamdoc@a.example", "A")
    html = site.client.get(f"/u/{token}").text
    sent = re.findall(r"Thư đã gửi: (.*)</p>", html)
    notices = [n for line in sent for n in re.findall(r"\(([^,()]+), [^()]+\)", line)]
    assert notices and "đôn đốc lần thứ" in " ".join(notices)
    words = r"nhắc trước hạn \d+ ngày làm việc|nhắc đến hạn|đôn đốc lần thứ \d+|báo cáo cấp trên lần thứ \d+"
    assert all(re.fullmatch(words, notice) for notice in notices), notices
    assert not re.search(r"\b[ROE][0-9]+\b", " ".join(sent))
