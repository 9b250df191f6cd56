"""Reminders to agencies with overdue or soon-due items: composed, as .eml, sent by SMTP.

A reminder is a short formal message in the register of official correspondence
("Kính gửi: …", "Đề nghị … khẩn trương hoàn thành …") to the body that acts (the plan's
``addressee:``, else a place's People's Committee: names.addressee), listing the
recipient's items with their deadlines as the plan words them. The mail server and the
login are tried before any line about one recipient is said. Each reminder sent or written to a file is
recorded in the journal (kind ``remind``, one event per item), so the next one says
which time it is; one printed to look at is recorded only when asked. Nothing here
reads the clock or the environment: the day, the time of sending, the settings and
the password are passed in.
"""

import gettext
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from email.errors import MessageError
from email.message import Message
from pathlib import Path

from dsday_cli.core import i18n
from dsday_cli.core.dates import day_first
from dsday_cli.core.errors import MailError
from dsday_cli.store.files import write_atomically
from dsday_cli.core.i18n import LOCALE_DIR, _
from dsday_cli.store.journal import append_events, check_writable, new_event
from dsday_cli.core.model import Agency, Deadline, Event, Member, Plan, one_line
from dsday_cli.core.names import addressee
from dsday_cli.core.records import record
from dsday_cli.views.render import deadline_phrase
from dsday_cli.core.status import DUE_SOON, OVERDUE, ItemStatus, for_member

REPORT_MILESTONE = "agency-report"  # a plan milestone by this id: the day agencies report to the coordinator


@record(frozen=True)
class Recipient:
    """An agency, or one member of a group agency."""

    agency: Agency
    member: Member | None

    @property
    def name(self) -> str:
        """Its name as the plan gives it."""
        return self.member.name if self.member else self.agency.name

    @property
    def addressee(self) -> str:
        """The body the letter goes to: the plan's ``addressee:``, else a place's People's Committee."""
        body = self.member or self.agency
        return addressee(body.name, body.addressee)

    @property
    def key(self) -> str:
        """``agency`` or ``agency/member``."""
        return self.agency.id + (f"/{self.member.id}" if self.member else "")

    @property
    def addresses(self) -> list[str]:
        """Its email addresses in the plan (none for a member without its own)."""
        email = self.member.email if self.member else self.agency.email
        return [part.strip() for part in (email or "").split(",") if part.strip()]


@record
class Reminder:
    """One message to one recipient."""

    recipient: Recipient
    overdue: list[ItemStatus]
    due_soon: list[ItemStatus]
    number: int  # 1 for the first reminder about these items, 2 for the second, …
    previous: date | None  # the day of the last reminder, if any
    subject: str
    body: str

    @property
    def items(self) -> list[ItemStatus]:
        """Every item the reminder lists."""
        return self.overdue + self.due_soon



# Vietnamese writes the kind of a body in lower case inside a sentence ("Đề nghị các Sở, ban,
# ngành", "huyện Anh Sơn chưa hoàn thành"), though a name standing alone starts with a capital.
_COMMON_HEADS = ("Các ", "Huyện ", "Thành phố ", "Thị xã ", "Thị trấn ", "Xã ", "Phường ")


def mid_sentence(name: str) -> str:
    """``name`` as written inside a sentence: 'Huyện Anh Sơn' → 'huyện Anh Sơn'; proper names unchanged."""
    for head in _COMMON_HEADS:
        if name.startswith(head):
            return head.lower() + name[len(head) :]
    return name

def _translator(language: str):
    catalog = gettext.translation("dsday", LOCALE_DIR, languages=[language], fallback=True)
    return catalog.gettext, catalog.ngettext


@contextmanager
def _speaking(language: str) -> Iterator[None]:
    """The interface language set to the message's while it is worded, then set back."""
    before, explicit = i18n.language(), i18n.chosen() is not None
    i18n.choose(language, explicit)
    try:
        yield
    finally:
        i18n.choose(before, explicit)


def _deadline_words(deadline: Deadline | None, language: str) -> str:
    """A deadline as ``dsday list`` words it (render.deadline_phrase), in the message's language."""
    with _speaking(language):
        return deadline_phrase(deadline)


def _last_day(status: ItemStatus) -> date:
    """The last on-time day of an item a reminder lists: only items with a day to keep are listed."""
    last_day = status.item.last_day
    assert last_day is not None
    return last_day


def coordinator_of(plan: Plan, name: str | None) -> Agency | None:
    """The agency that sends reminders: the one named (configuration), else the plan's first (V.1)."""
    if name:
        from dsday_cli.core.lookup import find_agency

        return find_agency(plan, name)[0]
    return plan.agencies[0] if plan.agencies else None


def reminders(
    plan: Plan,
    statuses: list[ItemStatus],
    events: list[Event],
    as_of: date,
    language: str,
    coordinator: Agency | None,
    only: list[tuple[Agency, Member | None]] | None = None,
) -> list[Reminder]:
    """A reminder for each agency (each member of a group agency) with overdue or soon-due items.

    The coordinator sends them and gets none. An item whose plan gives no deadline (or an
    ongoing one, thường xuyên) is never listed, nor one whose plan names no lead (there is no one to send it to).
    ``only`` limits them to the agencies or members named.
    """
    sent: dict[tuple[str, str | None], list[date]] = {}
    for event in events:
        if event.kind == "remind" and event.plan == plan.id and event.on_day:
            sent.setdefault((event.item, event.member), []).append(event.on_day)
    report_by = next((m for m in plan.milestones if m.id == REPORT_MILESTONE), None)
    out = []
    for agency in plan.agencies:
        if coordinator is None or agency.id == coordinator.id:
            continue
        mine = [s for s in statuses if s.agency is not None and s.agency.id == agency.id and s.item.last_day]
        parts: list[Member | None] = [*agency.members] or [None]
        for member in parts:
            recipient = Recipient(agency, member)
            if only is not None and not any(
                a.id == agency.id and (m is None or (member is not None and m.id == member.id)) for a, m in only
            ):
                continue
            seen = [for_member(s, member) for s in mine] if member else mine
            overdue = sorted((s for s in seen if s.status == OVERDUE), key=_last_day)
            due_soon = sorted((s for s in seen if s.status == DUE_SOON), key=_last_day)
            if not overdue and not due_soon:
                continue
            member_id = member.id if member else None
            before = [sent.get((s.item.id, member_id), []) for s in overdue + due_soon]
            number = 1 + max(len(days) for days in before)
            previous = max((day for days in before for day in days), default=None)
            subject, body = compose(
                plan, recipient, overdue, due_soon, as_of, number, previous, coordinator, report_by, language
            )
            out.append(Reminder(recipient, overdue, due_soon, number, previous, subject, body))
    return out


def compose(
    plan: Plan,
    recipient: Recipient,
    overdue: list[ItemStatus],
    due_soon: list[ItemStatus],
    as_of: date,
    number: int,
    previous: date | None,
    coordinator: Agency,
    report_by,
    language: str,
) -> tuple[str, str]:
    """The subject and text of one reminder, in ``language``."""
    _, n_ = _translator(language)  # the message's language, not necessarily the interface's
    words = {"before": _("before {day}"), "by": _("by {day}"), "on": _("on {day}")}
    name = recipient.addressee  # "Kính gửi", the opening and "Đề nghị …" name the body that acts
    subject = _("Reminder: {plan}").format(plan=plan.title)
    if number > 1:
        subject += " " + _("(reminder {number})").format(number=number)
    lines = [_("To: {name}").format(name=name), ""]
    one = len(overdue) + len(due_soon) == 1  # "nhiệm vụ sau", not "các nhiệm vụ sau" (Vietnamese has no plural form)
    if overdue:
        opening = (
            _("Under {plan} of {issuer}, as of {day}, {name} has not completed the following task:")
            if one
            else _("Under {plan} of {issuer}, as of {day}, {name} has not completed the following tasks:")
        )
    else:
        opening = (
            _("Under {plan} of {issuer}, as of {day}, {name} has the following task due soon:")
            if one
            else _("Under {plan} of {issuer}, as of {day}, {name} has the following tasks due soon:")
        )
    inline = mid_sentence(name) if language == "vi" else name
    lines += [opening.format(plan=plan.title, issuer=plan.issuer, day=day_first(as_of), name=inline), ""]

    def clauses(status: ItemStatus) -> str:
        """' (section V.2 of the plan)', or nothing where the item cites no clause."""
        return " " + _("(section {refs} of the plan)").format(refs=status.item.ref_text) if status.item.ref else ""

    count = 0
    if due_soon and overdue:
        lines.append(_("Overdue tasks:"))
    for status in overdue:
        count += 1
        late = (as_of - _last_day(status)).days
        lines.append(
            f"{count}. {status.item.title}{clauses(status)}; "
            + _("deadline: {deadline}").format(deadline=_deadline_words(status.item.deadline, language))
            + "; "
            + n_("overdue by {count} day", "overdue by {count} days", late).format(count=late)
            + "."
        )
    if due_soon and overdue:
        lines += ["", _("Tasks due soon:")]
    for status in due_soon:
        count += 1
        left = (_last_day(status) - as_of).days
        remaining = (
            n_("{count} day left", "{count} days left", left).format(count=left) if left else _("the last day is today")
        )
        lines.append(
            f"{count}. {status.item.title}{clauses(status)}; "
            + _("deadline: {deadline}").format(deadline=_deadline_words(status.item.deadline, language))
            + "; "
            + remaining
            + "."
        )
    lines.append("")
    if overdue and due_soon:
        action = _("complete the overdue tasks without delay, make sure the tasks due soon are completed on time,")
    elif overdue:
        action = (
            _("complete the task above without delay") if one else _("complete the tasks above without delay")
        )
    else:
        action = _("complete the task above on time") if one else _("complete the tasks above on time")
    if report_by:
        when = words[report_by.deadline].format(day=day_first(report_by.date))
        closing = _("{name} is requested to {action} and report the results to {coordinator} {when}.")
    else:
        when = ""
        closing = _("{name} is requested to {action} and report the results to {coordinator}.")
    lines.append(closing.format(name=inline, action=action, coordinator=coordinator.name, when=when))
    if number > 1 and previous:
        lines += [
            "",
            _("This is reminder number {number}; the previous one was on {day}.").format(
                number=number, day=day_first(previous)
            ),
        ]
    lines += ["", coordinator.name]
    return subject, "\n".join(lines) + "\n"


def as_text(reminder: Reminder) -> str:
    """The reminder for a chat (Zalo): its subject, then its text."""
    return f"{reminder.subject}\n\n{reminder.body}"


def journal_events(
    reminder: Reminder, as_of: date, by: str | None, channel: str, plan_id: str, now: datetime
) -> list[Event]:
    """One ``remind`` event per item listed, recorded at ``now``; the note says which reminder, to whom, how.

    The note is in the interface language (the message's may differ).
    """
    member = reminder.recipient.member.id if reminder.recipient.member else None
    note = _("reminder {number} to {recipient} ({channel})").format(
        number=reminder.number, recipient=reminder.recipient.key, channel=channel
    )
    return [new_event("remind", s.item.id, member, as_of, by, note, plan_id, now) for s in reminder.items]


def eml_name(reminder: Reminder) -> str:
    """The file name of a reminder's .eml: its recipient's ids."""
    return reminder.recipient.key.replace("/", ".") + ".eml"


_NOT_IN_A_HEADER = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


HEADER_NAME_CHARS = 150  # a display name kept as one encoded word stays well inside a mail line's 998 octets


def _display_name(name: str) -> str:
    """A name for a mail header: line breaks and control characters as spaces (a validated plan has none)."""
    return " ".join(_NOT_IN_A_HEADER.sub(" ", name).split())


def _address(name: str, address: str) -> str:
    """``name <address>``, a name not ASCII RFC 2047 encoded; ValueError for an address mail cannot carry."""
    from email.utils import formataddr

    if not address.isascii() or _NOT_IN_A_HEADER.search(address):
        one_line(address)
        raise ValueError(
            _(
                "'{address}' is not an address dsday can send to: write it in ASCII letters "
                "(a domain with Vietnamese letters in its xn-- form)"
            ).format(address=address)
        )
    # one encoded word, which mail cannot fold: cut with '…' so the line stays mail (the letter names it in full)
    shown = _display_name(name)
    if len(shown) > HEADER_NAME_CHARS:
        shown = shown[: HEADER_NAME_CHARS - 1].rstrip() + "…"
    return formataddr((shown, address), charset="utf-8")


def to_email(reminder: Reminder, sender: str | None, when: datetime, plan_id: str) -> Message:
    """The reminder as a MIME message: UTF-8 text, RFC 2047 encoded headers, Date and Message-ID.

    Built with the compat32 API: the newer header folder of Python 3.11 drops the
    space between two encoded words of a long Vietnamese subject ("Kế hoạchTổ
    chức"). A display name stays one encoded word, since readers that insert a space
    between adjacent encoded words in addresses would otherwise split names. No text
    of the plan can end the header block early: names lose their line breaks, the
    subject is encoded whole. ValueError when an address cannot go into a header.
    """
    from email.header import Header
    from email.mime.text import MIMEText
    from email.utils import format_datetime, parseaddr

    message = MIMEText(reminder.body, "plain", "utf-8")
    if sender:
        message["From"] = _address(*parseaddr(sender))
    if reminder.recipient.addresses:
        message["To"] = ", ".join(_address(reminder.recipient.addressee, a) for a in reminder.recipient.addresses)
    subject = Header(_display_name(reminder.subject), "utf-8")
    message["Subject"] = subject  # type: ignore[assignment]  # compat32 takes a Header
    message["Date"] = format_datetime(when)
    domain = parseaddr(sender or "")[1].rpartition("@")[2]
    domain = domain if re.fullmatch(r"[A-Za-z0-9.-]+", domain) else "dsday.invalid"
    message["Message-ID"] = f"<{uuid.uuid4().hex}.{re.sub(r'[^A-Za-z0-9.-]', '.', reminder.recipient.key)}@{domain}>"
    message["X-Dsday-Plan"] = plan_id
    message["X-Dsday-Recipient"] = reminder.recipient.key
    return message


@record(frozen=True)
class Outcome:
    """What became of one reminder."""

    reminder: Reminder
    state: str  # printed, written, sent, no-address, refused; would-write, would-send (dry run)
    detail: str = ""  # the file, the addresses, or why it was refused


def dispatch(
    batch: list[Reminder],
    how: str,
    *,
    journal: Path,
    as_of: date,
    by: str | None,
    plan_id: str,
    now: datetime,
    directory: Path | None = None,
    smtp=None,
    password: str | None = None,
    dry_run: bool = False,
    show: Callable[[Reminder], None] | None = None,
    record_printed: bool = False,
) -> Iterator[Outcome]:
    """Print (``text``, by ``show``), write (``eml``, one file each in ``directory``) or send (``smtp``) the reminders.

    Each reminder written or sent is recorded in the journal as soon as it is, so a
    failure half-way leaves exactly what went out recorded; one printed is recorded
    only with ``record_printed``, once ``show`` has returned. Before anything goes out,
    JournalWriteError if what goes out could not be recorded. A dry run records nothing.
    A message that cannot be made (an address mail cannot carry) is refused alone.
    """
    sender = smtp.sender if smtp else None

    def record(reminder: Reminder, channel: str) -> None:
        if not dry_run:
            append_events(journal, journal_events(reminder, as_of, by, channel, plan_id, now))

    if not dry_run and (how != "text" or record_printed):
        check_writable(journal)  # never a reminder out that the next one does not count
    if how == "text":
        for reminder in batch:
            if show is not None:
                show(reminder)
            if record_printed:
                record(reminder, _("printed"))
            yield Outcome(reminder, "printed")
        return
    if how == "eml":
        assert directory is not None
        for reminder in batch:
            path = directory / eml_name(reminder)
            if dry_run:
                yield Outcome(reminder, "would-write", str(path))
                continue
            try:
                message = to_email(reminder, sender, now, plan_id)
            except (ValueError, MessageError) as error:
                yield Outcome(reminder, "refused", str(error))
                continue
            write_atomically(path, bytes(message))
            record(reminder, _("file {name}").format(name=path.name))
            yield Outcome(reminder, "written", str(path))
        return
    if dry_run:
        for reminder in batch:
            addresses = ", ".join(reminder.recipient.addresses)
            yield Outcome(reminder, "would-send", addresses) if addresses else Outcome(reminder, "no-address")
        return
    # The server is reached and logged in to before any line about one recipient: a wrong
    # setting or password is the one line said, not the last of many.
    unsent: list[Outcome] = []
    messages = []
    for reminder in batch:
        if not reminder.recipient.addresses:
            unsent.append(Outcome(reminder, "no-address"))
            continue
        try:
            messages.append((reminder, to_email(reminder, sender, now, plan_id)))
        except (ValueError, MessageError) as error:  # this one alone: the others still go
            unsent.append(Outcome(reminder, "refused", str(error)))
    yield from _sent(smtp, password, messages, record)
    yield from unsent


def _sent(
    smtp, password: str | None, messages: list[tuple[Reminder, Message]], record: Callable[[Reminder, str], None]
) -> Iterator[Outcome]:
    """Send the messages (the server reached and the login made first, even for none), each recorded once sent."""
    for reminder, problem in send(smtp, password, messages):
        address = ", ".join(reminder.recipient.addresses)
        if problem:
            yield Outcome(reminder, "refused", problem)
            continue
        record(reminder, _("email to {addresses}").format(addresses=address))
        yield Outcome(reminder, "sent", address)


def send(
    settings, password: str | None, messages: list[tuple[Reminder, Message]]
) -> Iterator[tuple[Reminder, str | None]]:
    """Send each message; yield (reminder, None) when sent, (reminder, why) when refused.

    Raises MailError when the server cannot be reached or refuses the login: then
    nothing more is sent (what was yielded before was sent).
    """
    import smtplib
    import ssl

    where = f"{settings.host}:{settings.port}"
    try:
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if settings.ssl:
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with client:
            client.ehlo()
            if settings.starttls and not settings.ssl:
                if not client.has_extn("starttls"):
                    raise MailError(
                        _(
                            "{server}: the mail server does not offer STARTTLS; set starttls = false (or ssl = true) in the configuration"
                        ).format(server=where)
                    )
                client.starttls(context=context)
                client.ehlo()
            if settings.user:
                _login(client, settings.user, password or "")
            for reminder, message in messages:
                try:
                    refused = client.send_message(message)
                except (
                    smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused,
                    smtplib.SMTPNotSupportedError, UnicodeError,
                ) as error:  # fmt: skip
                    yield reminder, _describe(error)
                    continue
                yield reminder, (_("refused for {addresses}").format(addresses=", ".join(refused)) if refused else None)
    except smtplib.SMTPAuthenticationError as error:
        raise MailError(
            _("{server}: the mail server refused the login of {user}: {error}").format(
                server=where, user=settings.user, error=_describe(error)
            )
        ) from None
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(_("{server}: cannot send mail: {error}").format(server=where, error=_describe(error))) from None


def _login(client, user: str, password: str) -> None:
    """Log in by AUTH PLAIN in UTF-8 (RFC 4616) when offered, else as smtplib does.

    smtplib encodes credentials as ASCII only, and after a refusal it tries its next
    mechanism, which some servers leave hanging until the timeout.
    """
    import base64
    import smtplib

    if "plain" not in client.esmtp_features.get("auth", "").lower().split():
        try:
            client.login(user, password)
        except UnicodeEncodeError:
            raise smtplib.SMTPAuthenticationError(0, b"the server offers no login method for a non-ASCII password")
        return
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, reply = client.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _describe(error: Exception) -> str:
    """An SMTP or network error in one line."""
    import smtplib

    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{a}: {code} {_text(reply)}" for a, (code, reply) in error.recipients.items())
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return str(error) or type(error).__name__


def _text(reply: bytes | str) -> str:
    return (reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply).replace("\n", " ")
