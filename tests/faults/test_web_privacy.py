"""A unit's page shows and accepts only its own items: over random unit trees (those of the
digest privacy test), the link each digest carries opens a page listing only the items its
recipient's units answer for (and, read-only, escalated items of units below them), and an
item of any other unit is refused with nothing written."""

from __future__ import annotations

import logging
import re
import shutil
import uuid

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from domain.models import Notice, TrackedItem
from domain.responses import answerable_units
from flows import checking
from flows.application import build_application
from persistence import ledger
from tests.faults.test_privacy import (  # noqa: F401
    AS_OF,
    empty_database,
    insert_organisation,
    organisations,
)
from tests.web_support import SECRET, web_settings, written
from web.app import create_app
from web.security import Sessions


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(organisation=organisations(), data=st.data())
def test_a_units_link_never_shows_or_accepts_another_units_item(
    empty_database, tmp_path, organisation, data
):
    units, items = organisation
    folder = tmp_path / uuid.uuid4().hex  # each example its own installation
    folder.mkdir()
    shutil.copy(empty_database, folder / "cchc.db")
    site = web_settings(f"sqlite:///{folder / 'cchc.db'}", folder)
    application = build_application(site)
    insert_organisation(application.uow.engine, units, items)
    checking.sweep_and_seal(application, AS_OF, logging.getLogger("t"))
    with application.uow.reading() as session:
        tree = ledger.load_unit_tree(session)
        digests = session.execute(select(Notice.recipient, Notice.text_body)).all()
        unit_of = dict(session.execute(select(TrackedItem.code, TrackedItem.unit_code)).all())
        ids = dict(session.execute(select(TrackedItem.code, TrackedItem.id)).all())

    assume(digests)  # a tree where nobody has an address sends nothing to open
    client = TestClient(create_app(application), base_url="http://testserver")
    for recipient, text in data.draw(st.lists(st.sampled_from(digests), min_size=1,
                                              max_size=4, unique=True)):
        link = re.search(r"Cập nhật tiến độ, báo cáo kết quả: http://testserver(\S+)", text)
        own = answerable_units(tree, recipient)
        assert own, recipient
        page = client.get(link.group(1)).text
        editable, _, readonly = page.partition("(chỉ xem)")
        answered = {code: tree.responsible(unit).code for code, unit in unit_of.items()}
        for code in re.findall(r"\[(I\d+)\]", editable):
            assert answered[code] in own
        below = set().union(*(tree.subtree(u) for u in own)) - own
        for code in re.findall(r"\[(I\d+)\]", readonly):
            assert answered[code] in below
        # Every open item of theirs is listed.
        assert {c for c, u in answered.items() if u in own} <= set(
            re.findall(r"\[(I\d+)\]", editable))
        others = sorted(c for c, u in answered.items() if u not in own)
        if others:
            code = data.draw(st.sampled_from(others))
            before = written(application, site.upload_dir)
            token = link.group(1).removeprefix("/u/")
            answer = client.post(f"{link.group(1)}/items/{ids[code]}/ack",
                                 data={"csrf": Sessions(SECRET).form_token("link:" + token)})
            assert answer.status_code == 404
            assert written(application, site.upload_dir) == before
    client.close()
    application.close()
