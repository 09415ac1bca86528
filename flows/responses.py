"""The use cases behind the units' pages and the secretariat's review: open a link, show a
unit its items, take what it sends back, decide on it, and tell the unit — each write one
transaction with its events, each e-mail through the outbox, once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session

from domain import responses as rules
from domain.addresses import AddressError, folded, validate_address
from domain.digest_lines import SentBefore
from domain.events import LinkRequested
from domain.models import Submission, TrackedItem, utcnow
from domain.recipients import UnitInfo, UnitTree
from domain.responses import FormProblems, Scope
from domain.states import DeadlineKind, ItemKind, SubmissionKind, SubmissionState
from domain.status import Status, status_of
from domain.tracking import ItemError
from domain.uploads import StoredFile
from flows import links
from flows.application import Application
from notifications import responses as letters
from notifications.digests import addressee
from notifications.words import label
from persistence import outbox
from persistence import responses as store
from persistence.events import record
from persistence.ledger import load_unit_tree, units_around
from persistence.tracking import open_periods, origin
from persistence.tracking import store as store_item

# A fresh link may be asked for this often per address; a login may fail this often per name
# and per address (IP) before it waits out the window.
LINK_REQUESTS = (3, timedelta(hours=24))
LOGIN_FAILURES = (5, timedelta(minutes=15))

# The unit page's order: overdue first, then due soon, in progress, undetermined.
_ORDER = (Status.OVERDUE, Status.REOPENED, Status.DUE_SOON, Status.IN_PROGRESS, Status.NOT_YET_DUE,
          Status.NO_DEADLINE)


class PageError(Exception):
    """What a person did that cannot be done, said in Vietnamese, with the HTTP status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


@dataclass(frozen=True)
class Actor:
    """Who acts (a link's address, a secretariat user) and from where (the client's IP)."""

    who: str
    ip: str | None


@dataclass
class ItemView:
    item: TrackedItem
    unit: UnitInfo
    status: Status
    remaining: int | None
    overdue: int | None
    sent: list[SentBefore]
    submissions: list[Submission]
    earliest_due: date  # the earliest date the unit may ask for (đề nghị gia hạn)

    @property
    def waiting(self) -> Submission | None:
        """The completion report or extension request waiting for the secretariat."""
        return next((s for s in self.submissions if s.state == SubmissionState.PENDING), None)

    @property
    def report(self) -> Submission | None:
        """The completion report waiting for the secretariat, if any."""
        return next((s for s in self.submissions if s.state == SubmissionState.PENDING
                     and s.kind == SubmissionKind.COMPLETION), None)


@dataclass
class UnitPage:
    scope: Scope
    units: list[UnitInfo]
    items: list[ItemView]
    supervised: list[ItemView] = field(default_factory=list)  # read-only


def open_link(app: Application, token: str) -> Scope:
    """The scope a page link grants (links.LinkRefused when it grants nothing). Its units are
    checked against the units file at each request: a head replaced there since the link was
    issued no longer opens the unit's page (the fresh link goes to whoever answers now)."""
    with app.uow.reading() as session:
        scope = app.links.read(token, lambda address: store.revoked_before(session, address))
        # The part of the tree around the link's units holds them all: enough to ask who
        # answers for them, without reading every unit of the country at each request.
        around = units_around(session, scope.units)
        if not scope.units <= rules.answerable_units(around, scope.recipient):
            raise links.LinkRefused("outdated", scope.recipient)
        return scope


def _views(app: Application, session, tree: UnitTree, lists, today: date
           ) -> list[list[ItemView]]:
    """For each list of items, their views, most pressing first; what was sent and submitted
    about the items of every list read at once (two queries, none for no item)."""
    ids = [item.id for items in lists for item in items]
    sent = store.sent_about(session, ids, tree) if ids else {}
    submitted = store.submissions_of(session, ids) if ids else {}

    def view(item: TrackedItem) -> ItemView:
        status = status_of(due=item.due_date, opens=item.opens_on, completed_on=None,
                           extended=item.extended, as_of=today, calendar=app.calendar,
                           due_soon_days=app.policy.due_soon_days,
                           reopened_on=item.reopened_on, first_due=item.due_when_reopened)
        due = item.due_date
        return ItemView(
            item, tree.responsible(item.unit_code), status,
            app.calendar.remaining(today, due) if due else None,
            app.calendar.overdue(due, today) if due else None,
            sent.get(item.id, []), submitted.get(item.id, []),
            rules.earliest_proposed_due(due, today))

    return [sorted(map(view, items),
                   key=lambda v: (_ORDER.index(v.status), v.item.due_date or date.max))
            for items in lists]


def _assigned_to(tree: UnitTree, units) -> set[str]:
    """Every unit code whose items `units` answer for (theirs, and dissolved ones')."""
    return {code for code in tree.units if rules.in_scope(tree, code, units)}


def unit_page(app: Application, scope: Scope) -> UnitPage:
    today = app.today()
    with app.uow.reading() as session:
        tree = units_around(session, scope.units)
        own = store.open_items_of(session, _assigned_to(tree, scope.units))
        below = rules.supervised_units(tree, scope.units)
        escalated = store.escalated_items(session, below) if below else []
        own_views, escalated_views = _views(app, session, tree, [own, escalated], today)
        return UnitPage(
            scope, [tree.units[code] for code in sorted(scope.units) if code in tree.units],
            own_views, escalated_views)


def _own_item(session, tree: UnitTree, scope: Scope, item_id: int) -> TrackedItem:
    """The item, if the link's units answer for it: another unit's item is refused exactly as
    one that does not exist, so a link learns nothing of others."""
    item = session.get(TrackedItem, item_id)
    if item is None or not rules.in_scope(tree, item.unit_code, scope.units):
        raise PageError("Không có nhiệm vụ này trong danh sách của đơn vị.", 404)
    if item.completed_on is not None:
        raise PageError(f"Nhiệm vụ {item.code} đã hoàn thành ngày "
                        f"{item.completed_on:%d/%m/%Y}: không cần báo cáo thêm.", 409)
    return item


def submit(app: Application, scope: Scope, item_id: int, kind: SubmissionKind,
           form: Mapping[str, str], actor: Actor,
           attachment: StoredFile | None = None) -> tuple[Submission, bool]:
    """Record what the unit sent about one of its items; (the submission, whether it is new).
    The same submission sent twice is recorded once. FormProblems or PageError: nothing
    written."""
    today = app.today()
    with app.uow.transaction() as session:
        tree = units_around(session, scope.units)
        item = _own_item(session, tree, scope, item_id)
        submitted = rules.report(kind, form, item, today=today, by=scope.recipient, ip=actor.ip,
                                 origin=origin(session, item),
                                 pause_on_report=app.policy.pause_on_report,
                                 attachment=attachment)
        stored, created = store.add_submission(session, submitted)
        if not created and stored.kind != kind:
            raise PageError(f"Nhiệm vụ {item.code} đã có {label(SubmissionKind(stored.kind))} "
                            f"gửi ngày {stored.submitted_on:%d/%m/%Y} đang chờ xét: chờ cơ quan "
                            "thường trực trả lời trước khi gửi đề nghị khác.", 409)
        # Read whole and detached: the page shows it after the transaction ends.
        session.refresh(stored)
        session.expunge(stored)
        return stored, created


# The secretariat's side.

# The review page's list of the latest progress notes and acknowledgements.
RECENT = 30


@dataclass
class ReviewQueue:
    waiting: list[tuple[Submission, TrackedItem, UnitInfo]]
    undetermined: list[TrackedItem]
    recent: list[tuple[Submission, TrackedItem, UnitInfo]] = field(default_factory=list)


def review_queue(app: Application) -> ReviewQueue:
    with app.uow.reading() as session:
        waiting = store.review_queue(session)
        recent = store.recently_recorded(session, RECENT)
        tree = units_around(session, {i.unit_code for _, i in waiting + recent})
        return ReviewQueue([(s, i, tree.responsible(i.unit_code)) for s, i in waiting],
                           list(store.undetermined(session)),
                           [(s, i, tree.responsible(i.unit_code)) for s, i in recent])


def _waiting(session, submission_id: int, kind: SubmissionKind) -> tuple[Submission, TrackedItem]:
    found = store.with_item(session, submission_id)
    if found is None or not rules.awaits_decision(found[0], kind):
        raise PageError("Báo cáo, đề nghị này không còn chờ xét (đã được xét, hoặc không có).",
                        409)
    return found


def _tell_unit(app: Application, session, tree: UnitTree, submission: Submission,
               item: TrackedItem) -> letters.Decided:
    """The unit's letter about the decision, queued once (keyed by the submission); returns
    the decision as the letter tells it."""
    recipient = submission.submitted_by
    units = rules.answerable_units(tree, recipient)
    unit = tree.units.get(min(units)) if units else None
    link = app.links.page_url(Scope(recipient, units)) if units and app.links.enabled else None
    decided = letters.Decided(
        SubmissionState(submission.state), SubmissionKind(submission.kind),
        item.kind == ItemKind.REMEDIATION, item.code, item.content, submission.submitted_on,
        submission.decision_note, submission.decided_due, submission.completed_on)
    message = letters.decision_letter(decided, addressee(unit, recipient),
                                      app.policy.secretariat, link)
    outbox.queue_message(session, key=f"decision:{submission.id}", day=app.today(),
                         recipient=recipient, unit_code=unit.code if unit else None,
                         subject=message.subject, text=message.text, html=message.html)
    return decided


def _decide(app: Application, submission_id: int, kind: SubmissionKind,
            decide: Callable[[Session, Submission, TrackedItem], rules.Reviewed],
            failed: str = "") -> letters.Decided:
    """One decision on a waiting submission, in one transaction: the submission and its item
    loaded, `decide` (reading what else it needs) decides, what it decided is stored and the
    unit told. An ItemError is the PageError `failed: why`. Returns the decision, as the
    unit's letter tells it."""
    with app.uow.transaction() as session:
        submission, item = _waiting(session, submission_id, kind)
        try:
            reviewed = decide(session, submission, item)
        except ItemError as error:  # e.g. completed meanwhile (`cchc task done`, an import)
            raise PageError(f"{failed}: {error}.", 409) from None
        store.store_review(session, submission, item, reviewed)
        return _tell_unit(app, session, load_unit_tree(session), submission, item)


def confirm_report(app: Application, actor: Actor, submission_id: int) -> letters.Decided:
    """Xác nhận (a remediation: đạt): the item is completed on the reported date."""
    def decide(session, submission, item):
        return rules.confirm_report(
            submission, item, today=app.today(), now=utcnow(), by=actor.who, ip=actor.ip,
            origin=origin(session, item), open_periods=open_periods(session, item))

    return _decide(app, submission_id, SubmissionKind.COMPLETION, decide,
                   "Không xác nhận được")


def return_report(app: Application, actor: Actor, submission_id: int,
                  form: Mapping[str, str]) -> letters.Decided:
    """Trả lại with a comment (a remediation: chưa đạt, with a new deadline, which reopens it):
    the ladder resumes, the unit is told why."""
    def decide(session, submission, item):
        return rules.return_report(submission, item, form, today=app.today(), now=utcnow(),
                                   by=actor.who, ip=actor.ip)

    return _decide(app, submission_id, SubmissionKind.COMPLETION, decide, "Không mở lại được")


def approve_extension(app: Application, actor: Actor, submission_id: int,
                      form: Mapping[str, str]) -> letters.Decided:
    """Chấp thuận: the existing extension, approved by the user, to the date given."""
    def decide(session, submission, item):
        return rules.approve_extension(
            submission, item, form, today=app.today(), now=utcnow(), by=actor.who, ip=actor.ip,
            open_periods=open_periods(session, item))

    return _decide(app, submission_id, SubmissionKind.EXTENSION, decide, "Không gia hạn được")


def refuse_extension(app: Application, actor: Actor, submission_id: int,
                     form: Mapping[str, str]) -> letters.Decided:
    def decide(session, submission, item):
        return rules.refuse_extension(submission, form, now=utcnow(), by=actor.who, ip=actor.ip)

    return _decide(app, submission_id, SubmissionKind.EXTENSION, decide)


def give_deadline(app: Application, actor: Actor, item_id: int,
                  form: Mapping[str, str]) -> str:
    """Date an undetermined deadline (what `cchc task deadline` does), from the review page."""
    with app.uow.transaction() as session:
        item = session.get(TrackedItem, item_id)
        if item is None or item.deadline_kind != DeadlineKind.UNDETERMINED:
            raise PageError("Nhiệm vụ này không còn chờ đặt thời hạn.", 409)
        try:
            decision = rules.give_deadline(item, form, today=app.today(), by=actor.who,
                                           ip=actor.ip, open_periods=open_periods(session, item))
        except ItemError as error:
            raise PageError(f"Không đặt được thời hạn: {error}.", 409) from None
        store_item(session, item, decision)
        return f"Nhiệm vụ {item.code} có thời hạn {item.due_date:%d/%m/%Y}."


def item_detail(app: Application, item_id: int):
    """One item, its submissions and its timeline (events, oldest first)."""
    from persistence.explain import item_timeline

    with app.uow.reading() as session:
        item = session.get(TrackedItem, item_id)
        if item is None:
            raise PageError("Không có nhiệm vụ này.", 404)
        return (item, store.submissions_of(session, [item.id]).get(item.id, []),
                list(item_timeline(session, item)))


def status_report(app: Application):
    """The status report as of today (the latest plan and the findings): the headline and the
    tables of `cchc report`, live."""
    from persistence.reports import status_report as build

    with app.uow.reading() as session:
        return build(session, app.today(), app.calendar, app.policy)


def attachment(app: Application, submission_id: int) -> Submission:
    with app.uow.reading() as session:
        found = store.attachment(session, submission_id)
    if found is None:
        raise PageError("Không có tệp đính kèm này.", 404)
    return found


# Fresh links, logins, revocations.

def request_link(app: Application, address: str, actor: Actor) -> None:
    """E-mail a fresh page link to `address`, if the units file knows it and it has not asked
    too often; the answer is the same either way (the page tells nobody which addresses
    exist)."""
    address = folded(address)
    if not app.links.enabled or "@" not in address or len(address) > 254:
        return
    now = utcnow()
    limit, window = LINK_REQUESTS
    with app.uow.transaction() as session:
        tree = load_unit_tree(session)
        units = rules.answerable_units(tree, address)
        key = f"link:{address}"
        if not units or store.limited(session, key, now, limit=limit, window=window):
            return
        store.count_attempt(session, key, now, window)
        link = app.links.page_url(Scope(address, units))
        unit = tree.units[min(units)]
        message = letters.link_letter(addressee(unit, address), link, app.policy.link_days,
                                      app.policy.secretariat)
        notice = outbox.queue_message(
            session, key=f"link:{address}:{now.isoformat()}", day=app.today(),
            recipient=address, unit_code=unit.code, subject=message.subject,
            text=message.text, html=message.html)
        record(session, LinkRequested(notice_id=notice.id, to=address, ip=actor.ip))


def revoke_links(app: Application, address: str, by: str) -> tuple[str, bool]:
    """Refuse every link sent to `address` so far: (the address as recorded, whether a unit
    of the units file names it). FormProblems, and nothing written, when it is no address."""
    try:
        validate_address(address.strip())
    except AddressError:
        raise FormProblems({"address": f"không phải địa chỉ e-mail: {address!r}"}) from None
    with app.uow.transaction() as session:
        store.revoke_links(session, address, utcnow(), by)
        known = bool(rules.answerable_units(load_unit_tree(session), address))
    return folded(address), known


def add_user(app: Application, name: str, password: str) -> bool:
    from argon2 import PasswordHasher

    name = name.strip()
    problems: dict[str, str] = {}
    rules.one_line(name, "name", problems)
    rules.check_password(password, problems)
    if problems:
        raise FormProblems(problems)
    with app.uow.transaction() as session:
        return store.save_user(session, name, PasswordHasher().hash(password))


def log_in(app: Application, name: str, password: str, actor: Actor) -> str:
    """The user's name when the password is theirs; PageError otherwise, or when the name or
    the address has failed too often lately (the attempt is then not even checked)."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    limit, window = LOGIN_FAILURES
    now = utcnow()
    keys = [f"login:{name.strip().lower()}"[:300], f"login-ip:{actor.ip}"]
    with app.uow.transaction() as session:
        if any(store.limited(session, key, now, limit=limit, window=window) for key in keys):
            raise PageError("Đăng nhập sai quá nhiều lần: hãy thử lại sau "
                            f"{int(window.total_seconds() // 60)} phút.", 429)
        stored = store.password_hash(session, name.strip())
        try:
            if stored is None:
                raise VerificationError
            PasswordHasher().verify(stored, password)
        except (VerificationError, InvalidHashError):
            for key in keys:
                store.count_attempt(session, key, now, window)
            failed = True
        else:
            store.clear_attempts(session, keys)
            failed = False
    if failed:
        raise PageError("Tên đăng nhập hoặc mật khẩu không đúng.", 401)
    return name.strip()


def queue_review_digest(app: Application, as_of: date) -> bool:
    """The secretariat's review digest of the day, when the queue is not empty and the policy
    names the secretariat's address; queued once per day. Returns whether it was queued."""
    recipient = app.policy.secretariat_email
    queue = review_queue(app)
    if recipient is None or not (queue.waiting or queue.undetermined):
        return False
    entries = [
        f"[{item.code}] {unit.name}: {label(SubmissionKind(s.kind))} gửi ngày "
        f"{s.submitted_on:%d/%m/%Y} ({s.submitted_by})"
        for s, item, unit in queue.waiting
    ]
    base = app.settings.base_url
    message = letters.review_letter(entries, len(queue.undetermined), as_of,
                                    app.policy.secretariat,
                                    f"{base.rstrip('/')}/review" if base else None)
    with app.uow.transaction() as session:
        return outbox.queue_message(
            session, key=f"review:{as_of.isoformat()}", day=as_of, recipient=recipient,
            unit_code=None, subject=message.subject, text=message.text,
            html=message.html) is not None
