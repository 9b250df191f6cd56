"""Hostile names, addresses, journals and servers against `dsday remind`: a real SMTP server on localhost.

Names with line breaks or control characters are refused where the plan is read; no text
can end a header block early; a reminder counts only when it went out; what goes out
can always be recorded, by the performer every writer records, in the interface language.
"""

import json
import os
import re
from datetime import date, datetime, timezone
from email.utils import getaddresses

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import DSDAY
from tests.terminal import run_in_terminal
from tests.test_remind import PLAN, Inbox, free_port

HOSTILE = "\x1b]0;owned\x07\x1b]52;c;Zm9v\x07\x1b[2J"


@pytest.fixture
def smtp():
    """A real SMTP server on localhost that wants no login."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def setup(tmp_path, smtp):
    """The plan of test_remind, and the server in the configuration file ($XDG_CONFIG_HOME)."""
    inbox, port = smtp
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    config = tmp_path / "config" / "dsday" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nfrom = "Sở TT&TT <stttt@so.example.vn>"\nstarttls = false\n',
        encoding="utf-8",
    )
    return {"XDG_CONFIG_HOME": str(tmp_path / "config")}, inbox


def edit(tmp_path, old: str, new: str) -> None:
    plan = tmp_path / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    assert old in text
    plan.write_text(text.replace(old, new, 1), encoding="utf-8")


def log(sh) -> list[dict]:
    return json.loads(sh("log", "--format", "json", "--as-of", "2023-10-22").out)


def journal_lines(tmp_path) -> list[str]:
    """The journal beside the plan, read as it is (a plan that does not validate has no `dsday log`)."""
    journal = tmp_path / "plan.progress.jsonl"
    return journal.read_text(encoding="utf-8").splitlines() if journal.exists() else []


def clean_failure(result) -> None:
    assert "Traceback" not in result.err and "internal error" not in result.err and result.code != 70, result


# Each hostile value in the plan, as YAML writes it (a double-quoted scalar with escapes).
# fmt: off
BAD_NAMES = {
    "crlf-header": ("{id: sgddt, name: Sở Giáo dục và Đào tạo,", '{id: sgddt, name: "Sgddt\\r\\nReply-To: evil@attacker.example",', "agencies[1].name", "U+000D"),
    "blank-line": ("{id: sgddt, name: Sở Giáo dục và Đào tạo,", '{id: sgddt, name: "Sgddt\\n\\nForged first line",', "agencies[1].name", "U+000A"),
    "member-newline": ("{id: vinh, name: Thành phố Vinh,", '{id: vinh, name: "Thành phố\\nVinh",', "agencies[3].members[1].name", "U+000A"),
    "member-u2028": ("{id: vinh, name: Thành phố Vinh,", '{id: vinh, name: "Thành phố\\u2028Vinh",', "agencies[3].members[1].name", "U+2028"),
    "osc-title": ("{id: tinh-doan, name: Tỉnh đoàn Thử}", '{id: tinh-doan, name: "Tỉnh đoàn \\e]0;owned\\a"}', "agencies[2].name", "U+001B"),
    "c1-csi": ("{id: tinh-doan, name: Tỉnh đoàn Thử}", '{id: tinh-doan, name: "Tỉnh đoàn \\x9b2J"}', "agencies[2].name", "U+009B"),
    "rlo": ("{id: tinh-doan, name: Tỉnh đoàn Thử}", '{id: tinh-doan, name: Tỉnh đoàn Thử, short_name: "TĐ \\u202e"}', "agencies[2].short_name", "U+202E"),
    "addressee-crlf": ("{id: vinh, name: Thành phố Vinh,", '{id: vinh, name: Thành phố Vinh, addressee: "UBND\\r\\nBcc: evil@attacker.example",', "agencies[3].members[1].addressee", "U+000D"),
    "alias-nul": ("{id: tinh-doan, name: Tỉnh đoàn Thử}", '{id: tinh-doan, name: Tỉnh đoàn Thử, aliases: ["td\\0"]}', "agencies[2].aliases[0]", "U+0000"),
    "issuer": ("issuer: Ủy ban nhân dân tỉnh Thử", 'issuer: "Ủy ban nhân dân\\vtỉnh Thử"', "issuer", "U+000B"),
    "title": (PLAN.splitlines()[1], 'title: "Kế hoạch\\rBcc: evil@attacker.example"', "title", "U+000D"),
    "email-esc": ("email: sgddt@so.example.vn}", 'email: "sgddt@so.example.vn\\e[2J"}', "agencies[1].email", "U+001B"),
}
# fmt: on


@pytest.mark.parametrize("case", sorted(BAD_NAMES))
def test_a_line_break_or_control_character_in_a_name_is_refused_where_it_stands(sh, setup, tmp_path, case):
    env, inbox = setup
    old, new, field, code = BAD_NAMES[case]
    edit(tmp_path, old, new)
    line = next(n for n, text in enumerate(PLAN.splitlines(), 1) if old in text)
    checked = sh("validate")
    assert checked.code == 65 and checked.out == "", checked
    assert re.fullmatch(rf"plan\.yaml:{line}:\d+: {re.escape(field)}: a line break or control character \({re.escape(code)}\) at character \d+; a name or address is one line of plain text\n", checked.err), checked.err  # fmt: skip
    runs = (["--send"], ["--format", "eml", "-o", "out"], [], ["--lang", "vi"]) if case == "crlf-header" else (["--send"],)
    for run in runs:
        result = sh("remind", *run, "--as-of", "2023-10-20", env=env)
        clean_failure(result)
        assert result.code == 65 and field in result.err and result.out == ""
    assert inbox.delivered == [] and not (tmp_path / "out").exists() and journal_lines(tmp_path) == []
    if case == "crlf-header":
        assert "tên và địa chỉ chỉ được viết trên một dòng" in result.err  # --lang vi


def test_a_tab_in_a_name_is_white_space(sh, setup, tmp_path):
    env, inbox = setup
    edit(tmp_path, "{id: sgddt, name: Sở Giáo dục và Đào tạo,", '{id: sgddt, name: "Sở Giáo dục\\tvà Đào tạo",')
    result = sh("remind", "--send", "-a", "sgddt", "--as-of", "2023-10-20", env=env)
    assert result.code == 0, result
    [(rcpt, message)] = inbox.delivered
    assert getaddresses([message["To"]]) == [("Sở Giáo dục và Đào tạo", "sgddt@so.example.vn")]


@pytest.mark.parametrize(
    "address", ["vanthu@sở.example.vn", "văn-thư@so.example.vn", "sgddt@so.example.vn, vanthu@sở.example.vn"]
)
def test_an_address_mail_cannot_carry_is_refused_at_validation_not_a_crash(sh, setup, tmp_path, address):
    env, inbox = setup
    edit(tmp_path, "email: sgddt@so.example.vn}", f'email: "{address}"}}')
    checked = sh("validate")
    assert checked.code == 65 and "agencies[1].email: '" in checked.err and "xn--" in checked.err, checked
    result = sh("remind", "--send", "--as-of", "2023-10-20", env=env)
    clean_failure(result)
    assert result.code == 65 and inbox.delivered == [] and journal_lines(tmp_path) == []


@pytest.mark.parametrize("sender", ["vanthu@sở.example.vn", "Sở\\r\\nBcc: evil@attacker.example <a@so.example.vn>", "no address"])
def test_a_from_address_mail_cannot_carry_is_a_configuration_error(sh, setup, tmp_path, sender):
    env, inbox = setup
    config = tmp_path / "config" / "dsday" / "config.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('from = "Sở TT&TT <stttt@so.example.vn>"', f'from = "{sender}"'), encoding="utf-8")
    result = sh("remind", "--send", "--as-of", "2023-10-20", env=env)
    clean_failure(result)
    assert result.code == 78 and "[smtp] from must be one address in ASCII letters" in result.err, result
    assert inbox.delivered == []


def test_display_names_are_encoded_and_cannot_add_recipients_or_headers(sh, setup, tmp_path):
    """Quotes, commas, angle brackets and an at sign in a name stay in the name: one recipient, every header intact."""
    env, inbox = setup
    name = 'Sở "Giáo dục", <evil@attacker.example> & Đào tạo'
    edit(tmp_path, "{id: sgddt, name: Sở Giáo dục và Đào tạo,", "{id: sgddt, name: '" + name.replace("'", "''") + "',")
    edit(tmp_path, "{id: tinh-doan, name: Tỉnh đoàn Thử}", '{id: tinh-doan, name: "Tinh doan, evil@attacker.example", email: td@so.example.vn}')  # fmt: skip
    result = sh("remind", "--send", "--as-of", "2023-10-20", env=env)
    assert result.code == 0, result
    by_rcpt = {tuple(rcpt): message for rcpt, message in inbox.delivered}
    assert ("evil@attacker.example",) not in by_rcpt and all("evil" not in r for rcpt in by_rcpt for r in rcpt)
    message = by_rcpt[("sgddt@so.example.vn",)]
    assert getaddresses([message["To"]]) == [(name, "sgddt@so.example.vn")]
    ascii_name = by_rcpt[("td@so.example.vn",)]
    assert getaddresses([ascii_name["To"]]) == [("Tinh doan, evil@attacker.example", "td@so.example.vn")]
    for found in by_rcpt.values():
        assert not found.defects and found["Subject"].startswith("V/v đôn đốc") and found["Date"]
        assert found.get_content().startswith("Kính gửi: ")


def test_a_plan_made_in_code_cannot_break_headers_and_one_bad_recipient_stops_no_other(tmp_path, smtp):
    """Through the Python API no validation stands in between: names are made one line, a bad address refused alone."""
    from dsday_cli.store.config import SmtpSettings
    from dsday_cli.store.plan import load_plan
    from dsday_cli.app.remind import coordinator_of, dispatch, reminders
    from dsday_cli.core.status import fold_events, item_statuses

    inbox, port = smtp
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    plan = load_plan(tmp_path / "plan.yaml")
    sgddt = plan.agencies_by_id["sgddt"]
    sgddt.name = "Sgddt\r\nReply-To: evil@attacker.example\r\n\r\nForged body"
    do_luong = plan.agencies_by_id["huyen"].members[0]
    do_luong.email = "vanthu@sở.example.vn"
    as_of = date(2023, 10, 20)
    batch = reminders(plan, item_statuses(plan, fold_events(plan, []), as_of), [], as_of, "vi", coordinator_of(plan, None))
    journal = tmp_path / "plan.progress.jsonl"
    outcomes = list(
        dispatch(
            batch, "smtp", journal=journal, as_of=as_of, by="tester", plan_id=plan.id,
            now=datetime(2023, 10, 20, 1, tzinfo=timezone.utc),
            smtp=SmtpSettings("127.0.0.1", port, "stttt@so.example.vn", starttls=False),
        )
    )  # fmt: skip
    states = {o.reminder.recipient.key: o.state for o in outcomes}
    assert states == {"sgddt": "sent", "tinh-doan": "no-address", "huyen/do-luong": "refused", "huyen/vinh": "sent"}
    refused = next(o for o in outcomes if o.state == "refused")
    assert "'vanthu@sở.example.vn' is not an address dsday can send to" in refused.detail
    mail = {tuple(rcpt): m for rcpt, m in inbox.delivered}
    assert sorted(mail) == [("sgddt@so.example.vn",), ("vinh@example.vn",)]
    message = mail[("sgddt@so.example.vn",)]
    assert not message.defects and message["Reply-To"] is None
    assert message["Subject"].startswith("V/v đôn đốc") and message["Date"] and message["Message-ID"]
    assert getaddresses([message["To"]]) == [("Sgddt Reply-To: evil@attacker.example Forged body", "sgddt@so.example.vn")]
    recorded = {json.loads(line)["member"] or json.loads(line)["item"] for line in journal.read_text().splitlines()}
    assert recorded == {"b1", "b2", "vinh"}  # sent is recorded; the refused one is not


def test_printing_a_reminder_to_look_at_it_is_not_sending_it(sh, setup):
    env, inbox = setup
    for _ in range(3):
        looked = sh("remind", "-a", "sgddt", "--as-of", "2023-10-20", env=env)
        assert looked.code == 0 and looked.out.startswith("V/v đôn đốc thực hiện Kế hoạch")
        assert looked.err == "dsday: not sent and not recorded; give --record to count these reminders as sent\n"
    eng = sh("remind", "--lang", "en", "-a", "sgddt", "--as-of", "2023-10-20", env=env)
    assert eng.err == "dsday: not sent and not recorded; give --record to count these reminders as sent\n"
    vi = sh("remind", "-a", "sgddt", "--as-of", "2023-10-20", env=env | {"DSDAY_LANG": "vi"})
    assert "chưa gửi và chưa ghi nhận" in vi.err
    assert log(sh) == []
    sent = sh("remind", "--send", "-a", "sgddt", "--as-of", "2023-10-20", env=env)
    assert sent.out == "Sở Giáo dục và Đào tạo: reminder 1, 2 items: sent to sgddt@so.example.vn\n", sent
    [(_rcpt, message)] = inbox.delivered
    assert "nhắc lần" not in message["Subject"] and "lần nhắc thứ" not in message.get_content()
    again = sh("remind", "-a", "sgddt", "--record", "--as-of", "2023-10-21", env=env)  # asked: counted
    assert again.code == 0 and "(nhắc lần 2)" in again.out.splitlines()[0] and again.err == ""
    third = sh("remind", "--send", "-a", "sgddt", "--as-of", "2023-10-22", env=env)
    assert "reminder 3" in third.out and "(nhắc lần 3)" in inbox.delivered[-1][1]["Subject"]
    refused = sh("remind", "--record", "--dry-run", "--as-of", "2023-10-22", env=env)
    assert refused.code == 2 and refused.err.startswith("dsday: --dry-run records nothing: leave out --record")


@pytest.mark.parametrize("journal", ["read-only", "fifo", "directory"])
@pytest.mark.parametrize("how", [["--send"], ["--format", "eml", "-o", "out"], ["--record"]])
def test_nothing_goes_out_that_cannot_be_recorded(sh, setup, tmp_path, journal, how):
    env, inbox = setup
    path = tmp_path / "plan.progress.jsonl"
    if journal == "read-only":
        path.write_text("")
        path.chmod(0o444)
    elif journal == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()
    result = sh("remind", *how, "--as-of", "2023-10-20", env=env)
    clean_failure(result)
    assert result.code == 74, result
    assert "plan.progress.jsonl" in result.err and "nothing recorded" in result.err
    assert result.out == "" and inbox.delivered == [] and not (tmp_path / "out").exists()


def test_remind_records_the_performer_every_writer_records_with_a_note_in_the_interface_language(
    sh, setup, tmp_path, monkeypatch
):
    env, _inbox = setup
    config = tmp_path / "config" / "dsday" / "config.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[user]\nname = "Văn phòng Sở TT&TT"\n', encoding="utf-8")
    for day in ("2023-10-20", "2023-10-21"):
        if day == "2023-10-21":  # no DSDAY_USER: the configuration file's name
            monkeypatch.delenv("DSDAY_USER", raising=False)
        run_env = {k: v for k, v in env.items() if not (day == "2023-10-21" and k == "DSDAY_USER")}
        assert sh("note", "a1", "ghi chú", "--as-of", day, env=run_env).code == 0
        assert sh("remind", "--send", "-a", "sgddt", "--lang", "vi", "--as-of", day, env=run_env).code == 0
    events = log(sh)
    for day in ("2023-10-20", "2023-10-21"):  # a note and the reminders of one run: one performer
        assert len({e["by"] for e in events if e["on"] == day}) == 1, events
    assert {e["by"] for e in events if e["on"] == "2023-10-21"} == {"Văn phòng Sở TT&TT"}  # no DSDAY_USER: the file's
    assert [e["note"] for e in events if e["kind"] == "remind"] == [
        "nhắc lần 1 gửi sgddt (thư điện tử gửi sgddt@so.example.vn)"
    ] * 2 + ["nhắc lần 2 gửi sgddt (thư điện tử gửi sgddt@so.example.vn)"] * 2
    assert sh("remind", "-a", "sgddt", "--lang", "en", "--record", "--as-of", "2023-10-22", env=env).code == 0
    assert log(sh)[-1]["note"] == "reminder 3 to sgddt (printed)"
    assert sh("remind", "-f", "eml", "-o", "out", "-a", "do luong", "--as-of", "2023-10-22", env=env).code == 0
    assert log(sh)[-1]["note"] == "reminder 1 to huyen/do-luong (file huyen.do-luong.eml)"


def test_plan_text_in_a_reminder_drives_no_terminal(sh, setup, tmp_path):
    env, _inbox = setup
    edit(tmp_path, "title: Chỉ đạo các trường tuyên truyền", f'title: "Chỉ đạo {HOSTILE}\\u202e\\x9b2J"'.replace("\x1b", "\\e").replace("\x07", "\\a"))  # fmt: skip
    piped = sh("remind", "-a", "sgddt", "--as-of", "2023-10-20", env=env)
    assert piped.code == 0 and "1. Chỉ đạo ␛]0;owned␇␛]52;c;Zm9v␇␛[2J\ufffd\ufffd2J (mục V.2, II.2.a Kế hoạch)" in piped.out
    assert not re.search("[\x1b\x07\x9b\u202e]", piped.out)
    code, screen = run_in_terminal("remind", "-a", "sgddt", "--as-of", "2023-10-20", cwd=tmp_path, env=env, escapes=True)
    assert code == 0
    assert "\x1b]" not in screen and "\x07" not in screen and not re.search(r"\x1b\[[0-9;]*[A-Za-ln-z]", screen)
    assert "␛]52;c;Zm9v" in screen


class HostileServer(Inbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("sgddt"):
            return "550 5.1.1 \x1b]0;owned\x07\x1b[2J no such mailbox"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


def test_a_server_reply_drives_no_terminal_and_the_others_are_sent(sh, setup, tmp_path):
    env, _inbox = setup
    inbox = HostileServer()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        config = tmp_path / "hostile.toml"
        config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {controller.port}\nfrom = "a@so.example.vn"\nstarttls = false\n')
        result = sh("remind", "--send", "--config", str(config), "--as-of", "2023-10-20", env=env)
    finally:
        controller.stop()
    assert result.code == 67, result
    assert "\x1b" not in result.err and "\x07" not in result.err
    assert "Sở Giáo dục và Đào tạo: reminder 1, 2 items: not sent: sgddt@so.example.vn: 550 5.1.1 ␛]0;owned␇␛[2J" in result.err  # fmt: skip
    assert sorted(rcpt[0] for rcpt, _m in inbox.delivered) == ["vanthu@doluong.example.vn", "vinh@example.vn"]


def test_closed_stdout_with_record_ends_quietly(tmp_path, setup):
    import subprocess

    env, _inbox = setup
    done = subprocess.run(
        f"{DSDAY} remind --record --as-of 2023-10-20 | head -c 1 >/dev/null; echo ${{PIPESTATUS[0]}} >&2",
        shell=True, executable="/bin/bash", capture_output=True, text=True, cwd=tmp_path, env=os.environ | env,
    )  # fmt: skip
    assert done.stderr == "0\n"  # no traceback, no exit 70: what the reader did not take is not recorded
