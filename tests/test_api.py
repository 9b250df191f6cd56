"""The public API, as a Python script uses it: no CLI, the same journal."""

import json
import subprocess
import sys

import dsday_cli as d


def test_a_script_needs_no_cli(tmp_path):
    script = "import dsday_cli as d; ws = d.open_workspace(); print(len(ws.select()))"
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout == "27\n", done.stderr


def test_a_completion_recorded_through_the_api_reads_back_through_the_cli(sh, tmp_path):
    env = d.Environment.from_os()
    ws = d.open_workspace(as_of="20/10/2023", env=env)
    (outcome,) = ws.done(["v1-3"], on="09/10/2023", by="Văn phòng Sở", note="Lễ phát động")
    assert outcome.result is d.Result.RECORDED and outcome.event is not None
    assert ws.item("v1-3").status is d.Status.DONE
    (again,) = ws.done(["v1-3"], on="09/10/2023")
    assert again.result is d.Result.ALREADY and again.event is None
    (event,) = json.loads(sh("log", "--format", "json", "--as-of", "20/10/2023").out)
    assert (event["id"], event["item"], event["on"], event["by"], event["note"]) == (
        outcome.event.id, "v1-3", "2023-10-09", "Văn phòng Sở", "Lễ phát động",
    )  # fmt: skip


def test_errors_carry_their_exit_codes():
    ws = d.open_workspace(as_of="20/10/2023")
    try:
        ws.item("v99")
    except d.UsageError as error:
        assert error.exit_code == 2 and "unknown item 'v99'" in str(error)
    else:
        raise AssertionError("an unknown item must raise UsageError")
    assert set(d.__all__) <= set(dir(d)) | {name for name in d.__all__ if getattr(d, name, None) is not None}


def test_every_public_name_loads_and_the_verbs_return_types_are_public():
    import typing

    import dsday_cli

    for name in dsday_cli.__all__:
        assert getattr(dsday_cli, name) is not None, name
    hints = {
        verb: typing.get_type_hints(getattr(dsday_cli.Workspace, verb))["return"]
        for verb in ("dashboard", "agency_counts", "import_checklist", "item")
    }
    public = {getattr(dsday_cli, name) for name in dsday_cli.__all__}
    for verb, returned in hints.items():
        inner = typing.get_args(returned) or (returned,)
        assert any(kind in public for kind in inner), (verb, returned)
