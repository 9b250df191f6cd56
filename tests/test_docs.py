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
