"""Every command is documented: in its help (with an example) and in the README's table."""

from dsday_cli.cli.commands import app
from tests.conftest import ROOT


def test_every_command_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [info.name or info.callback.__name__ for info in app.registered_commands]
    for group in app.registered_groups:  # "plan add-member", "plan members"
        names += [f"{group.name} {info.name}" for info in group.typer_instance.registered_commands]
    assert len(names) == 24
    for name in names:
        assert f"| `{name}" in readme, name
        assert f"`dsday {name}" in readme, name  # an example


def test_every_exit_code_is_documented():
    from dsday_cli.core.errors import ExitCode

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in ExitCode:
        assert f"\n| {int(code)} |" in readme, code


def test_the_readme_layout_is_the_one_the_docstrings_make(tmp_path):
    """The README's Layout section is generated; it fails here when a folder or module changes and it does not."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "readme_layout.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for folder in ("cli/", "app/", "views/", "documents/", "store/", "core/"):
        assert f"\n  {folder}" in readme
    # the check can fail: a README whose Layout lost a line is told so
    broken = tmp_path / "scripts"
    broken.mkdir()
    (tmp_path / "dsday_cli").symlink_to(ROOT / "dsday_cli")
    (broken / "readme_layout.py").write_text((ROOT / "scripts" / "readme_layout.py").read_text(encoding="utf-8"))
    (tmp_path / "README.md").write_text(readme.replace("    model.py", "    modell.py"), encoding="utf-8")
    done = subprocess.run([sys.executable, str(broken / "readme_layout.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 1 and "Layout" in done.stdout


def test_the_readme_api_script_works_on_one_districts_rows(tmp_path):
    """The README's API script: Đô Lương's overdue rows, one completed (its part only), a partner's refused, a reminder sent."""
    import json
    import os
    import re
    import subprocess
    import sys

    from aiosmtpd.controller import Controller

    from tests.test_remind import Inbox, free_port

    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Python API", 1)[1].split("\n## ", 1)[0]
    script = [block for block in re.findall(r"```python\n(.*?)```", section, re.S) if "ws.remind(" in block][0]
    assert len(script.strip().splitlines()) <= 25
    plan = (ROOT / "plan.yaml").read_text(encoding="utf-8")
    plan = plan.replace("{id: do-luong, name: Huyện Đô Lương}", "{id: do-luong, name: Huyện Đô Lương, email: ubnd@doluong.example.vn}")
    (tmp_path / "plan.yaml").write_text(plan, encoding="utf-8")
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        config = tmp_path / "config" / "dsday" / "config.toml"
        config.parent.mkdir(parents=True)
        config.write_text(
            f'[smtp]\nhost = "127.0.0.1"\nport = {controller.port}\nfrom = "stttt@so.example.vn"\nstarttls = false\n',
            encoding="utf-8",
        )
        (tmp_path / "script.py").write_text(script, encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "script.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
            env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")},
        )  # fmt: skip
    finally:
        controller.stop()
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[:3] for line in lines[:3]] == [["v6-1", "partner", "None"], ["v7-2", "lead", "do-luong"], ["v7-3", "lead", "do-luong"]]
    assert lines[3] == "v7-2 [do-luong] recorded", done.stdout
    refused = next(line for line in lines if line.startswith("refused:"))
    assert "v6-1" in refused and "--" not in refused  # a script typed no flag
    assert lines[-1].startswith("Huyện Đô Lương sent")
    events = [json.loads(line) for line in (tmp_path / "plan.progress.jsonl").read_text(encoding="utf-8").splitlines()]
    done_events = [(e["kind"], e["item"], e.get("member"), e.get("by")) for e in events if e["kind"] != "remind"]
    assert done_events == [("done", "v7-2", "do-luong", "UBND huyện Đô Lương")]  # Đô Lương's part only, not 21 districts
    assert [e["member"] for e in events if e["kind"] == "remind"] == ["do-luong"]
    assert [rcpt for rcpt, _message in inbox.delivered] == [["ubnd@doluong.example.vn"]]
