"""The 2026 plan at commune scale: rolled over, filled from the register, one reminder to each commune's People's Committee."""

from email.utils import getaddresses

import pytest
from aiosmtpd.controller import Controller
from ruamel.yaml import YAML

from tests.test_remind import Inbox, free_port

SENDER = "Sở Khoa học và Công nghệ <skhcn@example.vn>"


@pytest.fixture
def plan_2026(cli, tmp_path):
    """The embedded plan rolled into 2026, its commune group filled from the register, an address for each commune."""
    assert cli("rollover", "2026", "--output", "p2026.yaml").code == 0
    filled = cli("plan", "members", "ubnd-xa", "--register", "Nghệ An", "--plan", "p2026.yaml")
    assert filled.code == 0, filled
    path = tmp_path / "p2026.yaml"
    yaml = YAML()  # the addresses a coordinator types in: `email:` on each member
    data = yaml.load(path.read_text(encoding="utf-8"))
    group = next(a for a in data["agencies"] if a["id"] == "ubnd-xa")
    for member in group["members"]:
        member["email"] = f"ubnd.{member['id']}@nghean.example.vn"
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(data, out)
    assert cli("validate", str(path)).code == 0
    return path, {m["id"]: str(m["name"]) for m in group["members"]}


def test_remind_send_delivers_one_message_to_each_of_the_130_communes_peoples_committees(sh, tmp_path, plan_2026):
    path, communes = plan_2026
    assert len(communes) == 130
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        config = tmp_path / "config" / "dsday" / "config.toml"
        config.parent.mkdir(parents=True)
        config.write_text(
            f'[smtp]\nhost = "127.0.0.1"\nport = {controller.port}\nfrom = "{SENDER}"\nstarttls = false\n',
            encoding="utf-8",
        )
        result = sh("remind", "--send", "--plan", str(path), "--as-of", "20/10/2026")
    finally:
        controller.stop()
    assert result.code == 67, result  # the departments have no address in this plan: listed, the communes sent
    to_communes = {rcpt[0]: message for rcpt, message in inbox.delivered if rcpt[0].startswith("ubnd.")}
    assert len(inbox.delivered) == len(to_communes) == 130
    kinds = {"xã": 0, "phường": 0}
    for ident, name in communes.items():
        message = to_communes[f"ubnd.{ident}@nghean.example.vn"]
        kind, place = name.split(" ", 1)  # "Xã Anh Sơn", "Phường Vinh Phú"
        kinds[kind.lower()] += 1
        committee = f"Ủy ban nhân dân {kind.lower()} {place}"
        assert getaddresses([message["To"]]) == [(committee, f"ubnd.{ident}@nghean.example.vn")]
        body = message.get_content()
        assert body.startswith(f"Kính gửi: {committee}\n"), body
        assert f"\nĐề nghị {committee} khẩn trương hoàn thành các nhiệm vụ nêu trên" in body
        assert "báo cáo kết quả về Sở Khoa học và Công nghệ" in body and "Thông tin và Truyền thông" not in body
    assert kinds == {"xã": 119, "phường": 11}
    sent = [line for line in result.out.splitlines() if ": sent to ubnd." in line]
    assert len(sent) == 130
