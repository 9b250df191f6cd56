"""Output that cannot be turned against the reader: escape sequences in data never reach stdout raw."""

import csv
import io
import re

import pytest

from dsday_cli.views.render import md_escape, safe_text
from tests.conftest import write_plan
from tests.terminal import run_in_terminal

TITLE_SET = "\x1b]0;owned\x07"  # sets the terminal window's title
CLIPBOARD = "\x1b]52;c;Zm9v\x07"  # writes "foo" to the clipboard
CLEAR = "\x1b[2J"  # clears the screen
HOSTILE = f"{TITLE_SET}{CLIPBOARD}{CLEAR}"


def yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar: the control characters as escapes, as an editor would save them."""
    return '"' + text.replace("\x1b", "\\e").replace("\x07", "\\a").replace("\n", "\\n") + '"'


@pytest.fixture
def hostile(tmp_path, sh):
    """A plan whose theme and two items' titles carry escape sequences, and a note that does too.

    Names (the plan's title, agencies') are one line without control characters: validation refuses them.
    """
    plan = write_plan(tmp_path / "plan.yaml", items=3, agencies=2)
    text = plan.read_text(encoding="utf-8")
    text = text.replace("theme: Dữ liệu số", "theme: " + yaml_quoted("Dữ liệu " + HOSTILE))
    # a newline in an item's title must not forge a ticked checklist line
    text = text.replace("title: Việc số 2,", "title: " + yaml_quoted(f"Việc {HOSTILE}\n- [x] **t9** forged") + ",")
    text = text.replace("title: Việc số 1,", "title: " + yaml_quoted(f"Việc {HOSTILE}") + ",")
    plan.write_text(text, encoding="utf-8")
    result = sh("done", "t0", "--on", "01/10/2023", "--note", f"ghi chú {HOSTILE}", "--by", f"ai {CLEAR}",
                "--as-of", "20/10/2023")  # fmt: skip
    assert result.code == 0, result
    return plan


VIEWS = [
    ("status",),
    ("status", "--brief"),
    ("list",),
    ("show", "t0"),
    ("show", "t1"),
    ("log",),
    ("agencies",),
    ("timeline",),
    ("overdue",),
    ("export", "--format", "md"),
    ("export", "--format", "csv"),
    ("list", "--format", "md"),
    ("status", "--format", "md"),
    ("report",),
]


@pytest.mark.parametrize("view", VIEWS, ids=" ".join)
def test_no_escape_from_data_reaches_a_pipe(hostile, sh, view):
    result = sh(*view, "--as-of", "20/10/2023")
    assert result.code == 0, result
    assert "\x1b" not in result.out and "\x07" not in result.out and "\x9b" not in result.out
    assert "owned" in result.out or view[0] in ("agencies", "overdue", "report", "timeline") or "t0" in view or (
        view == ("status", "--brief")  # the plan's title and the agencies' names: one line, validated
    )


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_view_in_a_real_terminal_keeps_the_escapes_visible(hostile, lang):
    for view in VIEWS:
        code, screen = run_in_terminal(*view, "--as-of", "20/10/2023", cwd=hostile.parent, env={"DSDAY_LANG": lang},
                                       escapes=True)  # fmt: skip
        assert code == 0, (view, screen)
        # Rich's own colours are CSI ... m; anything else (OSC, clear screen) came from the data
        foreign = re.sub(r"\x1b\[[0-9;:]*m", "", screen)
        assert "\x1b" not in foreign and "\x07" not in foreign, (view, screen)
        # a raw sequence would be obeyed by the terminal (title set, screen cleared), not drawn
        if view in (("status",), ("list",), ("show", "t1"), ("log",), ("export", "--format", "md")):
            assert "␛]52;c;Zm9v" in screen.replace("\\", ""), (view, screen)
    code, screen = run_in_terminal("status", "--as-of", "20/10/2023", cwd=hostile.parent)
    assert code == 0 and "Theme: Dữ liệu ␛]0;owned␇␛]52;c;Zm9v␇␛[2J" in screen


def test_json_escapes_control_characters(hostile, sh):
    result = sh("list", "--format", "json", "--as-of", "20/10/2023")
    assert result.code == 0
    assert "\x1b" not in result.out and "\\u001b]0;owned\\u0007" in result.out


def test_a_newline_in_an_item_title_forges_no_checklist_line(hostile, sh):
    result = sh("export", "--format", "md", "--as-of", "20/10/2023")
    assert result.code == 0
    ticked = [line for line in result.out.splitlines() if line.lstrip().startswith("- [x]")]
    assert ticked == ["- [x] **t0** (V.1) Việc số 0 — by 15/10/2023 (done 01/10/2023)"]
    assert "- [ ] **t2** (V.1) Việc ␛\\]0;owned␇␛\\]52;c;Zm9v␇␛\\[2J - \\[x\\] \\*\\*t9\\*\\* forged — by" in result.out


def test_csv_keeps_line_breaks_quoted_and_shows_escapes(hostile, sh):
    result = sh("list", "--format", "csv", "--as-of", "20/10/2023")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert rows[2]["id"] == "t2" and rows[2]["title"] == "Việc ␛]0;owned␇␛]52;c;Zm9v␇␛[2J\n- [x] **t9** forged"
    assert rows[0]["note"] == "ghi chú ␛]0;owned␇␛]52;c;Zm9v␇␛[2J"


def test_safe_text_shows_every_control_character_one_for_one():
    assert safe_text(HOSTILE) == "␛]0;owned␇␛]52;c;Zm9v␇␛[2J"
    assert safe_text("a\nb") == "a␊b" and safe_text("a\nb", newlines=True) == "a\nb"
    assert safe_text("\x9b31m\u202eabc\x7f") == "\ufffd31m\ufffdabc␡"
    assert safe_text(None) == "" and safe_text("Sở Y tế") == "Sở Y tế"
    assert md_escape("<script>x</script> [a](javascript:alert(1))\n- [x] y") == (
        "\\<script\\>x\\</script\\> \\[a\\](javascript:alert(1)) - \\[x\\] y"
    )


@pytest.mark.parametrize("view", [("status",), ("list",), ("log",), ("export", "--format", "csv")])
def test_a_closed_stdout_ends_quietly(sh, view, tmp_path):
    import subprocess

    from tests.conftest import DSDAY

    done = subprocess.run(
        f"{DSDAY} {' '.join(view)} --as-of 20/10/2023 | head -c 1 >/dev/null; echo ${{PIPESTATUS[0]}} >&2",
        shell=True, executable="/bin/bash", capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert done.stderr == "0\n"
    done = subprocess.run(
        f"{DSDAY} {' '.join(view)} --as-of 20/10/2023 | true; echo ${{PIPESTATUS[0]}} >&2",
        shell=True, executable="/bin/bash", capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert done.stderr == "0\n"


def test_columns_not_a_number_is_a_usage_error(sh):
    result = sh("list", env={"COLUMNS": "abc"})
    assert (result.code, result.out) == (2, "")
    assert result.err == "dsday: COLUMNS: 'abc' is not a number of columns\n"


def test_a_two_character_delimiter_is_a_usage_error(sh):
    result = sh("list", "--format", "csv", "--delimiter", ";;")
    assert (result.code, result.out) == (2, "")
    assert result.err == "dsday: --delimiter: ';;' is not one character other than a quote or a line break\n"
