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
