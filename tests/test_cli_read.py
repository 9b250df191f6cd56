"""The read-only commands through the CLI: status, agencies, list, show, validate, schema, init."""

import json
import re

import pytest
import yaml

from dsday_cli import __version__
from tests.conftest import EMBEDDED, write_plan

ITEM_FIELDS = {
    "id", "ref", "refs", "agency", "agency_name", "role", "partners", "title", "detail",
    "deadline", "deadline_source", "deadline_ref", "tentative", "start", "due", "last_day",
    "status", "done_on", "done_by", "note", "members", "members_done", "members_total",
}  # fmt: skip


def test_version(cli):
    assert cli("--version").out == f"dsday {__version__}\n"


def test_no_arguments_shows_help(cli):
    result = cli()
    assert "status" in result.out + result.err and "Usage" in result.out + result.err


def test_status_on_the_embedded_plan_from_an_empty_directory(sh):
    result = sh("status", "--as-of", "2023-10-12")
    assert result.code == 0, result
    assert "Kế hoạch tổ chức Ngày Chuyển đổi số quốc gia năm 2023" in result.out
    assert "Khai thác dữ liệu số để tạo ra giá trị" in result.out
    assert "day 28 of 31, 3 days left until it ends" in result.out
    assert "Overdue (1)" in result.out and "v1-3" in result.out  # the launch ceremony, once
    assert "\x1b[" not in result.out  # piped: no escape codes
    assert not set(result.out) & set("╭│─╰┃━")  # nor box drawing


def test_status_json_fields(cli):
    result = cli("status", "--format", "json", "--as-of", "25/10/2023")
    data = json.loads(result.out)
    assert set(data) == {
        "as_of", "plan", "campaign", "milestones", "agencies", "overdue", "due_soon", "unassigned", "total", "finished",
    }  # fmt: skip
    assert data["as_of"] == "2023-10-25"
    assert data["campaign"]["phase"] == "ended"
    assert {i["id"] for i in data["overdue"]} >= {"v1-6", "v1-3"}
    agency = data["agencies"][0]
    assert {"id", "name", "short_name", "members", "total", "done", "done_late", "open", "due_soon", "overdue"} <= set(
        agency
    )
    assert set(data["overdue"][0]) == ITEM_FIELDS


def test_status_markdown(cli):
    out = cli("status", "--format", "md", "--as-of", "2023-10-12").out
    assert out.startswith("# Kế hoạch") and "## Overdue (1)" in out
    assert "tentatively before 10/10/2023 (per III)" in out and "12/10/2023" in out and "2023-10" not in out


def test_every_section_v_item_is_listed(cli):
    listed = {i["id"]: i for i in json.loads(cli("list", "--format", "json").out)}
    plan = yaml.safe_load(EMBEDDED.read_text(encoding="utf-8"))
    assert set(listed) == {r["id"] for r in plan["responsibilities"]}
    # Section V's duties: V.1 6, V.2 2, V.3 2, V.4 2, V.5 2, V.6 a lead-in and 4, V.7 3, V.8 1, V.9 2.
    assert sum(1 for i in listed.values() if i["refs"][0].startswith("V.")) == 25


def test_report_on_time_on_the_24th_and_overdue_on_the_25th(cli):
    def status(as_of, item):
        data = json.loads(cli("list", "--format", "json", "--as-of", as_of).out)
        return next(i for i in data if i["id"] == item)

    report = status("2023-10-24", "v1-6")
    assert (report["status"], report["deadline"], report["due"], report["last_day"]) == (
        "due-soon",
        "before",
        "2023-10-25",
        "2023-10-24",
    )
    assert status("25/10/2023", "v1-6")["status"] == "overdue"
    assert status("10/10/2023", "v1-3")["status"] == "overdue"
    assert status("09/10", "v1-3")["status"] == "due-soon"


def test_list_filters(cli):
    out = json.loads(cli("list", "--agency", "so gd", "--format", "json").out)
    assert [i["id"] for i in out] == ["v2-1", "v2-2"]
    overdue = json.loads(cli("list", "-s", "overdue", "--as-of", "2023-10-12", "--format", "json").out)
    assert [i["id"] for i in overdue] == ["v1-3"]
    member = json.loads(cli("list", "--agency", "vinh", "--format", "json").out)
    assert [(i["id"], i["role"]) for i in member] == [
        ("v6-1", "partner"),  # Tỉnh đoàn leads it "phối hợp với chính quyền địa phương"
        ("v7-1", "lead"),
        ("v7-2", "lead"),
        ("v7-3", "lead"),
    ]
    assert [m["id"] for m in member[1]["members"]] == ["vinh"]


def test_list_formats(cli):
    csv_out = cli("list", "--format", "csv", "--agency", "sct").out
    assert csv_out.startswith("id,ref,agency,")  # no BOM in a pipe
    assert len(csv_out.splitlines()) == 3
    md = cli("list", "--format", "md", "--agency", "sct").out
    assert md.count("- [ ]") == 2
    table = cli("list", "--agency", "sct", env={"COLUMNS": "200"}).out
    assert "v3-1" in table and "from 15/09/2023 to 15/10/2023 (per III)" in table
    assert "v3-2" in table and "no deadline" in table


@pytest.mark.parametrize(
    "args, message",
    [
        (("list", "--agency", "nobody"), "unknown agency 'nobody'"),
        (("list", "--agency", "so"), "agency 'so' is ambiguous"),
        (("list", "--as-of", "31/02/2023"), "--as-of: '31/02/2023' is not a day of the calendar"),
        (("list", "--as-of", "tomorrow"), "--as-of: 'tomorrow' is not a date"),
        (("list", "--status", "late"), "--status: unknown status 'late'"),
        (("show", "v1-7"), "unknown item 'v1-7'; closest: v1-6"),
    ],
)
def test_usage_errors_exit_2_with_one_line(cli, args, message):
    result = cli(*args)
    assert result.code == 2
    assert message in result.err and result.err.count("\n") == 1, result


def test_unknown_agency_suggests_closest(cli):
    assert "closest: tinh-doan (Tỉnh đoàn)" in cli("list", "--agency", "tinh doam").err


def test_show(cli):
    out = cli("show", "V1-6", "--as-of", "2023-10-25").out
    assert "v1-6 (V.1)" in out and "before 25/10/2023" in out and "last on-time day 24/10/2023" in out
    assert "overdue" in out and "nothing recorded yet" in out
    data = json.loads(cli("show", "v5-1", "--format", "json").out)
    assert data["members_total"] == 3 and data["history"] == []


def test_agencies(cli):
    data = json.loads(cli("agencies", "--format", "json").out)
    assert len(data) == 9
    districts = next(a for a in data if a["id"] == "ubnd-huyen")
    assert len(districts["members"]) == 21 and districts["total"] == 3
    assert "Thành phố Vinh" in cli("agencies").out
    assert cli("agencies", "--format", "csv").out.startswith("id,name,short_name")
    assert cli("agencies", "--format", "md").out.startswith("| id | name |")


def test_plan_from_current_directory_and_env(cli, tmp_path):
    write_plan(tmp_path / "plan.yaml")
    assert [i["id"] for i in json.loads(cli("list", "--format", "json").out)] == ["t0", "t1", "t2"]
    other = write_plan(tmp_path / "other.yaml", items=1)
    assert len(json.loads(cli("list", "--format", "json", env={"DSDAY_PLAN": str(other)}).out)) == 1


@pytest.mark.parametrize(
    "content, code, start",
    [
        ("id: [\n", 65, "{path}:2:1: YAML syntax"),
        ("a: &x 1\nb: *x\n", 65, "{path}:1:4: YAML anchors"),
        ("a: 1\na: 2\n", 65, "{path}:2:1: duplicate key 'a'"),
        (None, 66, "dsday: {path}: no such plan file"),
    ],
)
def test_broken_plans_exit_codes(cli, tmp_path, content, code, start):
    path = tmp_path / "bad.yaml"
    if content is not None:
        path.write_text(content)
    result = cli("status", "--plan", str(path))
    assert result.code == code
    assert start.format(path=path) in result.err and "Traceback" not in result.err
    assert len(result.err.splitlines()) <= 2


def test_validate(cli, tmp_path):
    ok = cli("validate", str(EMBEDDED))
    assert ok.code == 0 and "valid plan 'nghe-an-2023': 9 agencies (26 members), 27 responsibilities" in ok.out
    bad = write_plan(tmp_path / "bad.yaml")
    bad.write_text(bad.read_text().replace("year: 2023", "year: x") + "colour: red\n")
    result = cli("validate", str(bad))
    assert result.code == 65
    assert result.err.splitlines() == [
        f"{bad}:4:7: year: Input should be a valid integer, unable to parse string as an integer",
        f"{bad}:21:1: colour: unknown key",
    ]


def test_schema_validates_the_shipped_plan(cli):
    import jsonschema

    schema = json.loads(cli("schema").out)
    jsonschema.Draft202012Validator.check_schema(schema)

    class EditorLoader(yaml.SafeLoader):
        """YAML as an editor's language server reads it: dates stay strings."""

    EditorLoader.yaml_implicit_resolvers = {
        key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    document = yaml.load(EMBEDDED.read_text(encoding="utf-8"), Loader=EditorLoader)
    jsonschema.validate(document, schema)
    document["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


def test_init(cli, tmp_path):
    result = cli("init", "new")
    assert result.code == 0 and (tmp_path / "new" / "plan.yaml").read_bytes() == EMBEDDED.read_bytes()
    again = cli("init", "new")
    assert again.code == 73 and "exists; use --force" in again.err
    (tmp_path / "new" / "plan.yaml").write_text("mine")
    assert cli("init", "new", "--force").code == 0
    assert (tmp_path / "new" / "plan.yaml").read_bytes() == EMBEDDED.read_bytes()


def test_every_command_has_help_with_an_example(cli):
    commands = re.findall(r"^\s{2}(\w+)\s", cli("--help").out.split("Commands:")[1], re.M)
    assert {"status", "list", "show", "done", "validate"} <= set(commands)
    for name in commands:
        assert "\n  Examples:\n    dsday " in cli(name, "--help").out, name


def test_usage_errors_from_the_console_script_are_one_line(sh):
    for args, message in (
        (("list", "--foo"), "dsday: No such option: --foo"),
        (("lst",), "dsday: No such command 'lst'. Did you mean 'list'?"),
        (("list", "--format", "xml"), "dsday: Invalid value for '--format' / '-f': 'xml' is not one of"),
        (("show",), "dsday: Missing argument 'ITEM'."),
    ):
        result = sh(*args)
        assert result.code == 2 and result.err.startswith(message), result
        assert len(result.err.splitlines()) == 1 and "Traceback" not in result.err


def test_rich_markup_in_plan_and_journal_text_is_shown_as_written(cli, tmp_path):
    # Regression: a title "[/]" made Rich raise MarkupError (exit 70) in every table.
    hostile = "[/] [bold red]x[/bold red] :smile: [link=http://evil]y[/link]"
    plan = write_plan(tmp_path / "plan.yaml", items=2)
    plan.write_text(
        plan.read_text()
        .replace("title: Việc số 0", f"title: '{hostile}'")
        .replace("name: Cơ quan số 0", f"name: '{hostile}'")
    )
    assert cli("done", "t1", "--note", hostile, "--as-of", "2023-10-20").code == 0
    for args in (
        ["status"],
        ["list"],
        ["show", "t0"],
        ["show", "t1"],
        ["agencies"],
        ["log"],
        ["timeline"],
        ["overdue"],
    ):
        result = cli(*args, "--as-of", "2023-10-20", env={"COLUMNS": "400"})
        assert result.code == 0, (args, result)
        if args[0] in ("list", "show", "log", "overdue"):
            assert "[/] [bold red]x[/bold red] :smile: [link=http://evil]y[/link]" in result.out, args
