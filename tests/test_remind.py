"""Reminders to late agencies: composed, written as .eml, delivered to a real SMTP server and read back."""

import json
import socket
import subprocess
from datetime import date
from email import message_from_bytes, policy
from email.utils import getaddresses, parsedate_to_datetime

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from dsday_cli.core.model import Event
from dsday_cli.store.plan import load_plan
from dsday_cli.core.status import fold_events as fold
from tests.conftest import DSDAY

PLAN = """\
id: thu-2023
title: Kế hoạch Tổ chức Ngày Chuyển đổi số quốc gia năm 2023 trên địa bàn tỉnh Thử
issuer: Ủy ban nhân dân tỉnh Thử
year: 2023
theme: Khai thác dữ liệu số để tạo ra giá trị
national_day: 2023-10-10
campaign: {start: 2023-09-15, end: 2023-10-15}
milestones: []
agencies:
  - {id: stttt, name: Sở Thông tin và Truyền thông, email: stttt@so.example.vn}
  - {id: sgddt, name: Sở Giáo dục và Đào tạo, email: sgddt@so.example.vn}
  - {id: tinh-doan, name: Tỉnh đoàn Thử}
  - id: huyen
    name: Ủy ban nhân dân các huyện, thành phố, thị xã
    members:
      - {id: do-luong, name: Huyện Đô Lương, email: "vanthu@doluong.example.vn, ubnd@doluong.example.vn"}
      - {id: vinh, name: Thành phố Vinh, email: vinh@example.vn}
responsibilities:
  - {id: a1, ref: V.1, agency: stttt, title: Báo cáo kết quả gửi UBND tỉnh, deadline: {kind: before, date: 2023-10-10}}
  - id: b1
    ref: [V.2, II.2.a]
    agency: sgddt
    title: Chỉ đạo các trường tuyên truyền
    deadline: {kind: before, date: 2023-10-10}
  - {id: b2, ref: V.2, agency: sgddt, title: Nhân rộng mô hình trường học số, deadline: {kind: before, date: 2023-10-25}}
  # No deadline in the document: never late, never in a reminder.
  - {id: b3, ref: V.2, agency: sgddt, title: Tham khảo kinh nghiệm của các địa phương}
  - id: c1
    ref: V.6
    agency: tinh-doan
    title: Phát tờ rơi về thông điệp Ngày Chuyển đổi số
    deadline: {kind: window, start: 2023-09-15, end: 2023-10-15, source: cited, ref: III}
  - {id: d1, ref: V.7, agency: huyen, title: Xây dựng Kế hoạch tổ chức trên địa bàn, deadline: {kind: by, date: 2023-10-15}}
  # No lead named: overdue, but there is no one to send a reminder to.
  - {id: e1, ref: II.2.a, title: Tuyên truyền Quyết định số 505/QĐ-TTg, deadline: {kind: by, date: 2023-10-01}}
"""
USER, PASSWORD = "stttt@so.example.vn", "mật-khẩu đúng"
SENDER = "Sở Thông tin và Truyền thông <stttt@so.example.vn>"


class Inbox:
    """What the server was given: (envelope recipients, message) for each delivery."""

    def __init__(self, refuse: set[str] | None = None):
        self.delivered: list[tuple[list[str], object]] = []
        self.refuse = refuse or set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.delivered.append((list(envelope.rcpt_tos), message))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def check_login(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


@pytest.fixture
def smtp():
    """A real SMTP server on localhost that wants a login."""
    inbox = Inbox()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=free_port(), authenticator=check_login, auth_require_tls=False
    )
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def setup(tmp_path, smtp):
    """The test plan, and a configuration file pointing at the local server (in $XDG_CONFIG_HOME)."""
    inbox, port = smtp
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    config = tmp_path / "config" / "dsday" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nuser = "{USER}"\nfrom = "{SENDER}"\nstarttls = false\n',
        encoding="utf-8",
    )
    return {"XDG_CONFIG_HOME": str(tmp_path / "config"), "DSDAY_SMTP_PASSWORD": PASSWORD}, inbox


def received(inbox) -> dict[str, tuple[list[str], object]]:
    """Deliveries by the recipient's display name."""
    return {getaddresses([m["To"]])[0][0]: (rcpt, m) for rcpt, m in inbox.delivered}


def test_send_delivers_one_message_per_late_agency_and_the_second_says_nhac_lan_2(sh, setup):
    env, inbox = setup
    sh("done", "d1", "--member", "vinh", "--on", "14/10/2023", "--as-of", "2023-10-20")
    result = sh("remind", "--send", "--as-of", "2023-10-20", env=env)
    assert result.code == 67, result  # Tỉnh đoàn has no address: listed, the others sent
    assert result.err == "dsday: Tỉnh đoàn Thử: reminder 1, 1 item: no email address in the plan; not sent\n"
    assert result.out.splitlines() == [
        "Sở Giáo dục và Đào tạo: reminder 1, 2 items: sent to sgddt@so.example.vn",
        "Huyện Đô Lương: reminder 1, 1 item: sent to vanthu@doluong.example.vn, ubnd@doluong.example.vn",
    ]
    mail = received(inbox)
    assert sorted(mail) == ["Sở Giáo dục và Đào tạo", "Ủy ban nhân dân huyện Đô Lương"]  # not the coordinator, not Vinh
    rcpt, message = mail["Ủy ban nhân dân huyện Đô Lương"]
    assert rcpt == ["vanthu@doluong.example.vn", "ubnd@doluong.example.vn"]
    plan_title = "Kế hoạch Tổ chức Ngày Chuyển đổi số quốc gia năm 2023 trên địa bàn tỉnh Thử"
    assert message["Subject"] == f"V/v đôn đốc thực hiện {plan_title}"
    assert getaddresses([message["From"]]) == [("Sở Thông tin và Truyền thông", "stttt@so.example.vn")]
    assert parsedate_to_datetime(message["Date"]).tzinfo is not None
    assert message["Message-ID"].endswith("@so.example.vn>")
    assert message.get_content_type() == "text/plain" and message.get_content_charset() == "utf-8"
    assert message.get_content() == (
        "Kính gửi: Ủy ban nhân dân huyện Đô Lương\n\n"
        f"Thực hiện {plan_title} của Ủy ban nhân dân tỉnh Thử, tính đến ngày 20/10/2023, "
        "Ủy ban nhân dân huyện Đô Lương chưa hoàn thành nhiệm vụ sau:\n\n"  # one task: no "các"
        "1. Xây dựng Kế hoạch tổ chức trên địa bàn (mục V.7 Kế hoạch); thời hạn: đến ngày 15/10/2023; đã quá hạn 5 ngày.\n\n"
        "Đề nghị Ủy ban nhân dân huyện Đô Lương khẩn trương hoàn thành nhiệm vụ nêu trên và báo cáo kết quả về "
        "Sở Thông tin và Truyền thông.\n\n"
        "Sở Thông tin và Truyền thông\n"
    )
    body = mail["Sở Giáo dục và Đào tạo"][1].get_content()
    assert "chưa hoàn thành các nhiệm vụ sau:\n\nCác nhiệm vụ đã quá hạn:\n1. Chỉ đạo các trường tuyên truyền (mục V.2, II.2.a Kế hoạch); thời hạn: trước ngày 10/10/2023; đã quá hạn 11 ngày." in body  # fmt: skip
    assert "b3" not in body and "Tham khảo kinh nghiệm" not in body  # no deadline: never in a reminder
    assert "Các nhiệm vụ sắp đến hạn:\n2. Nhân rộng mô hình trường học số (mục V.2 Kế hoạch); thời hạn: trước ngày 25/10/2023; còn 4 ngày." in body  # fmt: skip
    assert (
        "Đề nghị Sở Giáo dục và Đào tạo khẩn trương hoàn thành các nhiệm vụ đã quá hạn, bảo đảm hoàn thành đúng thời hạn "
        "các nhiệm vụ sắp đến hạn và báo cáo kết quả về Sở Thông tin và Truyền thông.\n" in body
    )
    raw = bytes(message)
    headers = raw.split(b"\n\n", 1)[0]
    assert headers.isascii() and b"=?utf-8?" in headers  # RFC 2047 words, not raw UTF-8

    statuses = json.loads(sh("list", "--format", "json", "--as-of", "2023-10-20").out)
    second = sh("remind", "--send", "--as-of", "2023-10-22", env=env)
    assert second.code == 67
    assert "Huyện Đô Lương: reminder 2, 1 item: sent to" in second.out
    again = received(inbox)["Ủy ban nhân dân huyện Đô Lương"][1]
    assert again["Subject"] == f"V/v đôn đốc thực hiện {plan_title} (nhắc lần 2)"
    assert "Đây là lần nhắc thứ 2; lần nhắc trước vào ngày 20/10/2023." in again.get_content()
    assert len(inbox.delivered) == 4
    # reminders are in the journal and change no status
    log = json.loads(sh("log", "--format", "json", "--as-of", "2023-10-22").out)
    reminders = [(e["kind"], e["item"], e["member"], e["on"]) for e in log if e["kind"] == "remind"]
    assert reminders.count(("remind", "d1", "do-luong", "2023-10-20")) == 1
    assert ("remind", "c1", None, "2023-10-20") not in reminders  # not sent: not recorded
    assert not {item for _kind, item, _member, _on in reminders} & {"b3", "e1"}  # no deadline; no lead
    assert json.loads(sh("list", "--format", "json", "--as-of", "2023-10-20").out) == statuses


def test_send_runs_under_env_i_as_from_cron(tmp_path, setup):
    _env, inbox = setup
    config = tmp_path / "config" / "dsday" / "config.toml"
    bare = {"PATH": "/usr/bin:/bin", "DSDAY_SMTP_PASSWORD": PASSWORD, "DSDAY_NO_CACHE": "1"}
    command = [DSDAY, "remind", "--send", "--plan", str(tmp_path / "plan.yaml"), "--config", str(config)]
    done = subprocess.run(
        [*command, "--as-of", "2023-10-20", "-a", "sgddt"], env=bare, check=False, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Sở Giáo dục và Đào tạo: reminder 1, 2 items: sent to sgddt@so.example.vn\n"
    assert [m["Subject"] for _rcpt, m in inbox.delivered] == [
        "V/v đôn đốc thực hiện Kế hoạch Tổ chức Ngày Chuyển đổi số quốc gia năm 2023 trên địa bàn tỉnh Thử"
    ]
    nothing = subprocess.run([*command, "--as-of", "2023-09-20"], env=bare, check=False, capture_output=True, text=True)
    assert (nothing.returncode, nothing.stdout, nothing.stderr) == (0, "", "")  # silent for cron


def test_wrong_password_missing_password_and_no_settings(sh, setup, tmp_path):
    env, inbox = setup
    wrong = sh("remind", "--send", "--as-of", "2023-10-20", env=env | {"DSDAY_SMTP_PASSWORD": "sai"})
    assert wrong.code == 69 and "refused the login of stttt@so.example.vn" in wrong.err
    # the one line, said first: not after a line for each recipient without an address (Tỉnh đoàn)
    assert wrong.out == "" and len(wrong.err.splitlines()) == 1, wrong
    empty = sh("remind", "--send", "--as-of", "2023-10-20", env=env | {"DSDAY_SMTP_PASSWORD": ""})
    assert empty.code == 78 and empty.err == "dsday: set DSDAY_SMTP_PASSWORD to the password of stttt@so.example.vn\n"
    missing = sh("remind", "--send", "--as-of", "2023-10-20", env={"XDG_CONFIG_HOME": env["XDG_CONFIG_HOME"]})
    assert (
        missing.code == 78 and missing.err == "dsday: set DSDAY_SMTP_PASSWORD to the password of stttt@so.example.vn\n"
    )
    none = sh("remind", "--send", "--as-of", "2023-10-20", env={"XDG_CONFIG_HOME": str(tmp_path / "elsewhere")})
    assert none.code == 78 and "no [smtp] settings" in none.err
    (tmp_path / "bad.toml").write_text('[smtp]\nhost = "x"\nfrom = \n')
    bad = sh("remind", "--send", "--config", "bad.toml", "--as-of", "2023-10-20")
    assert bad.code == 78 and bad.err.startswith("dsday: bad.toml: not a valid TOML file:") and "line 3" in bad.err
    (tmp_path / "typo.toml").write_text('[smtp]\nhost = "x"\nfrom = "a@b.vn"\npasword = "x"\n')
    typo = sh("remind", "--send", "--config", "typo.toml", "--as-of", "2023-10-20")
    assert typo.code == 78 and "unknown key 'pasword'" in typo.err
    assert inbox.delivered == [] and not any(e["kind"] == "remind" for e in log(sh))


def log(sh) -> list[dict]:
    return json.loads(sh("log", "--format", "json", "--as-of", "2023-10-22").out)


def test_starttls_asked_of_a_server_without_it(sh, setup, tmp_path):
    env, inbox = setup
    config = tmp_path / "config" / "dsday" / "config.toml"
    config.write_text(config.read_text().replace("starttls = false", "starttls = true"))
    result = sh("remind", "--send", "--as-of", "2023-10-20", env=env)
    assert result.code == 69 and "does not offer STARTTLS" in result.err
    assert inbox.delivered == [] and not any(e["kind"] == "remind" for e in log(sh))


def test_a_refused_recipient_is_listed_and_the_others_are_sent(sh, setup):
    env, inbox = setup
    inbox.refuse = {"sgddt@so.example.vn"}
    result = sh("remind", "--send", "--as-of", "2023-10-20", env=env)
    assert result.code == 67
    assert "Sở Giáo dục và Đào tạo: reminder 1, 2 items: not sent: sgddt@so.example.vn: 550" in result.err
    assert sorted(received(inbox)) == ["Ủy ban nhân dân huyện Đô Lương", "Ủy ban nhân dân thành phố Vinh"]
    items = {(e["item"], e["member"]) for e in log(sh) if e["kind"] == "remind"}
    assert items == {("d1", "do-luong"), ("d1", "vinh")}


def test_dry_run_shows_where_and_records_nothing(sh, setup):
    env, inbox = setup
    result = sh("remind", "--send", "--dry-run", "--as-of", "2023-10-20", env=env)
    assert result.code == 67
    assert "Sở Giáo dục và Đào tạo: reminder 1, 2 items: would send to sgddt@so.example.vn" in result.out
    assert inbox.delivered == [] and log(sh) == []


def test_eml_files_are_proper_mime(sh, setup, tmp_path):
    env, _inbox = setup
    result = sh("remind", "--format", "eml", "-o", "out", "--as-of", "2023-10-20", env=env)
    assert result.code == 0, result.err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "huyen.do-luong.eml", "huyen.vinh.eml", "sgddt.eml", "tinh-doan.eml"
    ]  # fmt: skip
    raw = (tmp_path / "out" / "huyen.do-luong.eml").read_bytes()
    assert raw.isascii()
    message = message_from_bytes(raw, policy=policy.default)
    assert getaddresses([message["To"]]) == [
        ("Ủy ban nhân dân huyện Đô Lương", "vanthu@doluong.example.vn"),
        ("Ủy ban nhân dân huyện Đô Lương", "ubnd@doluong.example.vn"),
    ]
    assert message["From"] == SENDER and message["Message-ID"] and message["Date"]
    assert message["Subject"].endswith("Ngày Chuyển đổi số quốc gia năm 2023 trên địa bàn tỉnh Thử")
    assert message["MIME-Version"] == "1.0" and message["Content-Transfer-Encoding"] == "base64"
    assert "Kính gửi: Ủy ban nhân dân huyện Đô Lương" in message.get_content()
    no_address = message_from_bytes((tmp_path / "out" / "tinh-doan.eml").read_bytes(), policy=policy.default)
    assert no_address["To"] is None and "Kính gửi: Tỉnh đoàn Thử" in no_address.get_content()
    assert (
        "1. Phát tờ rơi về thông điệp Ngày Chuyển đổi số (mục V.6 Kế hoạch); thời hạn: từ ngày 15/09/2023 đến ngày "
        "15/10/2023 (theo mục III Kế hoạch); đã quá hạn 5 ngày.\n" in no_address.get_content()
    )  # a deadline cited from another clause says which
    assert sh("remind", "--format", "eml", "--as-of", "2023-10-20", env=env).code == 2  # needs --output


def test_an_item_citing_no_clause_is_listed_without_brackets(sh, setup, tmp_path):
    env, _inbox = setup
    plan = tmp_path / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("    ref: V.6\n", ""), encoding="utf-8")  # ref is optional
    vi = sh("remind", "-a", "tinh-doan", "--as-of", "2023-10-20", "--dry-run", env=env)
    assert vi.code == 0 and "1. Phát tờ rơi về thông điệp Ngày Chuyển đổi số; thời hạn:" in vi.out
    assert "()" not in vi.out and "(mục  Kế hoạch)" not in vi.out
    en = sh("remind", "--lang", "en", "-a", "sgddt", "--as-of", "2023-10-20", "--dry-run", env=env)
    assert "1. Chỉ đạo các trường tuyên truyền (section V.2, II.2.a of the plan); deadline:" in en.out
    assert "Overdue tasks:\n1. " in en.out and "\nTasks due soon:\n2. " in en.out
    assert (
        "is requested to complete the overdue tasks without delay, make sure the tasks due soon are completed on time, "
        "and report the results to Sở Thông tin và Truyền thông." in en.out
    )


def test_text_for_chat_in_english_and_the_report_date_when_the_plan_gives_one(sh, setup, tmp_path):
    env, _inbox = setup
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "milestones: []",
            "milestones:\n  - {id: agency-report, title: Các cơ quan báo cáo kết quả, date: 2023-10-20, deadline: before}",
        ),
        encoding="utf-8",
    )
    english = sh("remind", "--lang", "en", "-a", "do luong", "--as-of", "2023-10-18", "--dry-run", env=env)
    assert english.code == 0 and english.out == (
        "Reminder: Kế hoạch Tổ chức Ngày Chuyển đổi số quốc gia năm 2023 trên địa bàn tỉnh Thử\n\n"
        "To: Ủy ban nhân dân huyện Đô Lương\n\n"
        "Under Kế hoạch Tổ chức Ngày Chuyển đổi số quốc gia năm 2023 trên địa bàn tỉnh Thử of Ủy ban nhân dân tỉnh Thử, "
        "as of 18/10/2023, Ủy ban nhân dân huyện Đô Lương has not completed the following task:\n\n"
        "1. Xây dựng Kế hoạch tổ chức trên địa bàn (section V.7 of the plan); deadline: by 15/10/2023; overdue by 3 days.\n\n"
        "Ủy ban nhân dân huyện Đô Lương is requested to complete the task above without delay and report the results to "
        "Sở Thông tin và Truyền thông before 20/10/2023.\n\n"
        "Sở Thông tin và Truyền thông\n"
    )
    looked = sh("remind", "-a", "sgddt", "--as-of", "2023-10-05", env=env)  # printed to look at: not recorded
    assert looked.err == "dsday: not sent and not recorded; give --record to count these reminders as sent\n"
    assert log(sh) == []
    vietnamese = sh("remind", "-a", "sgddt", "--as-of", "2023-10-05", "--record", env=env)  # due soon only, recorded
    assert vietnamese.out == looked.out and vietnamese.err == ""
    assert "Sở Giáo dục và Đào tạo còn nhiệm vụ sắp đến hạn sau:" in vietnamese.out  # one task
    assert "Đề nghị Sở Giáo dục và Đào tạo hoàn thành nhiệm vụ nêu trên đúng thời hạn" in vietnamese.out
    assert "báo cáo kết quả về Sở Thông tin và Truyền thông trước ngày 20/10/2023." in vietnamese.out
    assert (
        "1. Chỉ đạo các trường tuyên truyền (mục V.2, II.2.a Kế hoạch); thời hạn: trước ngày 10/10/2023; còn 4 ngày."
        in vietnamese.out
    )
    kinds = [(e["kind"], e["item"]) for e in log(sh)]
    assert kinds == [("remind", "b1")]  # b2 is not yet due soon on 05/10
    later = sh("remind", "-a", "sgddt", "--as-of", "2023-10-12", "--dry-run", env=env)
    assert "(nhắc lần 2)" in later.out.splitlines()[0]


def test_the_fold_ignores_reminders(tmp_path):
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    plan = load_plan(tmp_path / "plan.yaml")

    def event(n: int, kind: str) -> Event:
        return Event(f"e{n}", f"2023-10-1{n}T00:00:00.000000Z", kind, "b1", None, f"2023-10-1{n}", "x", None, plan.id)

    progress = fold(plan, [event(1, "done"), event(2, "remind")])
    assert progress.mark("b1").on == date(2023, 10, 11)
    assert fold(plan, [event(1, "remind")]).mark("b1") is None


def test_starttls_with_a_certificate_the_machine_trusts(sh, setup, tmp_path):
    import ssl

    env, _inbox = setup
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=False, capture_output=True, text=True,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=free_port(), authenticator=check_login, tls_context=context,
        require_starttls=True,
    )  # fmt: skip
    controller.start()
    try:
        config = tmp_path / "tls.toml"
        config.write_text(
            f'[smtp]\nhost = "127.0.0.1"\nport = {controller.port}\nuser = "{USER}"\nfrom = "{SENDER}"\n',
            encoding="utf-8",
        )  # starttls is the default
        result = sh("remind", "--send", "--config", str(config), "-a", "sgddt", "--as-of", "2023-10-20",
                    env=env | {"SSL_CERT_FILE": str(cert)})  # fmt: skip
        assert result.code == 0, result.err
        untrusted = sh("remind", "--send", "--config", str(config), "-a", "sgddt", "--as-of", "2023-10-21", env=env)
        assert untrusted.code == 69 and "CERTIFICATE_VERIFY_FAILED" in untrusted.err
    finally:
        controller.stop()
    assert [m["Subject"][:21] for _rcpt, m in inbox.delivered] == ["V/v đôn đốc thực hiện"]


def test_a_letter_goes_to_the_peoples_committee_of_a_district_or_to_the_plans_addressee(sh, setup, tmp_path):
    env, inbox = setup
    plan = tmp_path / "plan.yaml"
    text = plan.read_text(encoding="utf-8").replace(
        "      - {id: vinh, name: Thành phố Vinh, email: vinh@example.vn}",
        "      - {id: vinh, name: Thành phố Vinh, email: vinh@example.vn}\n"
        "      - {id: ky-son, name: Huyện Kỳ Sơn, email: ubnd@kyson.example.vn}",
    ).replace(
        "  - {id: tinh-doan, name: Tỉnh đoàn Thử}",
        "  - {id: tinh-doan, name: Tỉnh đoàn Thử, addressee: Ban Thường vụ Tỉnh đoàn Thử, email: td@example.vn}",
    )
    plan.write_text(text, encoding="utf-8")
    result = sh("remind", "--send", "--as-of", "2023-10-20", env=env)
    assert result.code == 0, result
    mail = received(inbox)
    rcpt, message = mail["Ủy ban nhân dân huyện Kỳ Sơn"]
    assert rcpt == ["ubnd@kyson.example.vn"]
    body = message.get_content()
    assert body.startswith("Kính gửi: Ủy ban nhân dân huyện Kỳ Sơn\n")
    assert "tính đến ngày 20/10/2023, Ủy ban nhân dân huyện Kỳ Sơn chưa hoàn thành nhiệm vụ sau:" in body
    assert "\nĐề nghị Ủy ban nhân dân huyện Kỳ Sơn khẩn trương hoàn thành nhiệm vụ nêu trên" in body
    assert "Huyện Kỳ Sơn" not in body and "Đề nghị huyện" not in body  # the place is not the addressee
    vinh = mail["Ủy ban nhân dân thành phố Vinh"][1].get_content()
    assert vinh.startswith("Kính gửi: Ủy ban nhân dân thành phố Vinh\n")
    assert "Đề nghị Ủy ban nhân dân thành phố Vinh" in vinh
    youth = mail["Ban Thường vụ Tỉnh đoàn Thử"][1].get_content()  # the plan's addressee: as written
    assert youth.startswith("Kính gửi: Ban Thường vụ Tỉnh đoàn Thử\n") and "Đề nghị Ban Thường vụ Tỉnh đoàn Thử" in youth
    department = mail["Sở Giáo dục và Đào tạo"][1].get_content()  # a department is its own addressee
    assert department.startswith("Kính gửi: Sở Giáo dục và Đào tạo\n")
    # the lines on the terminal still name the recipient as the plan does
    assert "Huyện Kỳ Sơn: reminder 1, 1 item: sent to ubnd@kyson.example.vn" in result.out.splitlines()


def test_a_very_long_addressee_still_makes_mail(sh, tmp_path):
    """A display name is one encoded word, which cannot fold: past 150 characters it is cut in the header only."""
    import email

    long = "Ủy ban nhân dân xã " + "Thượng Trạch " * 300
    (tmp_path / "plan.yaml").write_text(
        "id: long-test\ntitle: Kế hoạch thử\nissuer: UBND tỉnh Thử\nyear: 2023\nnational_day: 2023-10-10\n"
        "agencies:\n"
        "  - {id: so, name: Sở Thử}\n"  # the first agency coordinates: it sends, it gets none
        f"  - {{id: ag0, name: Cơ quan A, email: a@example.org, addressee: \"{long.strip()}\"}}\n"
        "responsibilities:\n"
        "  - {id: t0, agency: ag0, title: Việc A, deadline: {kind: by, date: 2023-10-15}}\n",
        encoding="utf-8",
    )
    done = sh("remind", "--format", "eml", "--output", str(tmp_path / "out"), "--as-of", "20/10/2023",
              "--plan", str(tmp_path / "plan.yaml"))  # fmt: skip
    assert done.code == 0, done
    (path,) = (tmp_path / "out").iterdir()
    raw = path.read_bytes()
    assert max(len(line) for line in raw.splitlines()) <= 998  # RFC 5322: a line is at most 998 octets
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["To"].addresses[0].display_name.endswith("…")
    assert message["To"].addresses[0].addr_spec == "a@example.org"
    assert long.split()[0] in message.get_content()  # the letter names it in full
