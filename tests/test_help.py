"""Help that teaches, in the interface language: examples that run, framework words translated, nothing cut."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dsday_cli.cli.commands import app
from tests.conftest import DSDAY, ROOT
from tests.documents import docx_from_text, pdf_from_text

FIXTURES = ROOT / "tests" / "fixtures"
VI = {"LANG": "vi_VN.UTF-8"}
# Exit codes an example may document (README, "Exit codes"): any other than 0 is listed here.
EXPECTED_CODE = {"dsday overdue --exit-code": 1}


def command_paths() -> list[tuple[str, ...]]:
    """Every command and group as typed after ``dsday``, in the order of ``dsday --help``."""
    paths = [(info.name or info.callback.__name__,) for info in app.registered_commands]
    for group in app.registered_groups:
        paths.append((group.name,))
        paths += [(group.name, info.name) for info in group.typer_instance.registered_commands]
    return paths


def examples(help_text: str, heading: str = "Examples:") -> list[str]:
    """The example lines of a help page: those under the examples heading, as typed."""
    lines = help_text.split(f"\n  {heading}\n", 1)[1].split("\n\n", 1)[0].splitlines()
    return [line.strip() for line in lines]


def test_every_command_shows_two_or_three_examples_the_same_in_both_languages(sh):
    for path in command_paths():
        english = examples(sh(*path, "--help", env={"LANG": "C"}).out)
        vietnamese = examples(sh(*path, "--help", env=VI).out, "Ví dụ:")
        assert 2 <= len(english) <= 3 and all("dsday " in line for line in english), (path, english)
        assert vietnamese == english, path
        assert any(line.startswith(f"dsday {' '.join(path)}") for line in english), (path, english)


@pytest.fixture(scope="module")
def workplace(tmp_path_factory) -> Path:
    """What a coordinator has at hand: a plan made by init, two completions, exported checklists, the plan document."""
    place = tmp_path_factory.mktemp("examples")
    home = place / "home"
    for folder in (".local/share/bash-completion/completions", ".zfunc", ".config/fish/completions"):
        (home / folder).mkdir(parents=True)  # where the README says to put the completion scripts
    run = lambda *args: subprocess.run([DSDAY, *args], cwd=place, env=example_env(place), capture_output=True)  # noqa: E731
    assert run("init", "my-province", "--git").returncode == 0
    assert run("done", "v1-3", "--on", "09/10/2023").returncode == 0  # a journal with something to undo
    assert run("done", "v7-1", "--member", "do-luong", "--on", "12/10/2023").returncode == 0
    assert run("export", "--agency", "do luong", "--format", "csv", "--output", "do-luong.csv").returncode == 0
    assert run("export", "--agency", "sgddt", "--format", "xlsx", "--output", "sgddt.xlsx").returncode == 0
    document = (FIXTURES / "nghe-an-2023.txt").read_text(encoding="utf-8")
    docx_from_text(document, place / "ke-hoach-2023.docx")
    pdf_from_text(document, place / "ke-hoach-2023.pdf")
    shutil.copy(FIXTURES / "nghe-an-districts-2023.txt", place / "huyen.txt")
    return place


def example_env(place: Path) -> dict[str, str]:
    """The console script first on PATH, a home and state of the example's own, no DSDAY_* from the test run."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DSDAY_", "XDG_")) and k not in ("LANG", "LC_ALL")}
    return keep | {
        "PATH": f"{Path(DSDAY).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(place / "home"),
        "XDG_STATE_HOME": str(place / "state"),
        "XDG_CACHE_HOME": str(place / "cache"),
        "GIT_CONFIG_GLOBAL": str(place / "gitconfig"),
        "DSDAY_USER": "Văn phòng Sở",
    }


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_every_example_in_help_runs(workplace, tmp_path, sh, path):
    """Each command's examples, in order, in a copy of the workplace: exit 0 or the code the README documents."""
    place = tmp_path / "place"
    shutil.copytree(workplace, place, symlinks=True)
    env = example_env(place)
    shown = examples(sh(*path, "--help", env={"LANG": "C"}).out)
    for line in shown:
        done = subprocess.run(["bash", "-c", line], cwd=place, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == EXPECTED_CODE.get(line, 0), (line, done.stdout[-2000:], done.stderr[-2000:])
        assert "Traceback" not in done.stderr, (line, done.stderr)


def test_help_names_dates_and_arguments_the_same_way_everywhere(sh):
    pages = {path: sh(*path, "--help", env={"LANG": "C"}).out for path in command_paths()}
    # the option lists only: "  -a, --agency AGENCY  help", not the examples
    everything = "\n".join(line for page in pages.values() for line in page.splitlines() if re.match(r"  -", line))
    assert "<str>" not in everything and "<path>" not in everything and "<int" not in everything
    for option in ("--as-of", "--on", "--since", "--until", "--due-before", "--due-after", "--date"):
        shown = re.findall(rf"^  (?:-\w, )?{option} (\S+)", everything, re.M)
        assert shown and set(shown) == {"DD/MM/YYYY"}, (option, shown)
    assert "dsday show [OPTIONS] ITEM\n" in pages[("show",)]
    assert "dsday done [OPTIONS] ITEM...\n" in pages[("done",)]
    assert "dsday undo [OPTIONS] [ITEM]\n" in pages[("undo",)]
    assert "dsday import [OPTIONS] FILE\n" in pages[("import",)]
    assert "dsday plan members [OPTIONS] AGENCY\n" in pages[("plan", "members")]
    assert "<str>" not in "\n".join(pages.values()) and "{" not in "\n".join(pages.values())
    declared = lambda option: set(re.findall(rf"^  (?:-\w, )?{option} (\S+)", everything, re.M))  # noqa: E731
    assert declared("--agency") == {"AGENCY"} and declared("--member") == {"MEMBER"} and declared("--item") == {"ITEM"}
    assert declared("--output") == {"FILE", "DIR"}  # remind writes its .eml files into a DIR
    assert declared("--json") == {"FIELDS"} and declared("--plan") == {"FILE"} and declared("--progress") == {"FILE"}


def test_progress_help_says_where_the_embedded_plans_journal_is(sh):
    for path in [("status",), ("done",), ("log",)]:
        text = " ".join(sh(*path, "--help", env={"LANG": "C", "COLUMNS": "400"}).out.split())
        assert "Progress journal [default: PLAN.progress.jsonl beside the plan file; for the embedded plan, in " in text
        assert "$XDG_STATE_HOME/dsday, else ~/.local/state/dsday]" in text


@pytest.mark.parametrize("columns", ["60", "80", "120"])
@pytest.mark.parametrize("lang", ["C", "vi_VN.UTF-8"])
def test_root_help_never_cuts_a_command_summary(sh, columns, lang):
    out = sh("--help", env={"LANG": lang, "COLUMNS": columns}).out
    heading = "Commands:" if lang == "C" else "Các lệnh:"
    listing = out.split(f"\n{heading}\n")[1]
    assert "..." not in listing and "…" not in listing
    for path in [p for p in command_paths() if len(p) == 1]:
        page = sh(*path, "--help", env={"LANG": lang, "COLUMNS": "400"}).out
        summary = page.split("\n\n")[1].strip()  # the first paragraph after the usage line
        assert summary in " ".join(listing.split()), (path, summary)


def words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", text))


# Words the Vietnamese root help shares with the English one that are not English prose: names and values.
NAMES = {"dsday", "en", "vi", "DSDAY", "LANG", "JSON", "git", "bash", "zsh", "fish", "cron", "Nghệ", "An"}


def test_vietnamese_root_help_has_no_english_word_but_names(sh):
    vi = sh("--help", env=VI).out
    en = sh("--help", env={"LANG": "C"}).out
    commands = {path[0] for path in command_paths()}
    options = set(re.findall(r"--([a-z-]+)", en))
    names = NAMES | commands | {part for option in options for part in option.split("-")}
    shared = words(vi) & words(en)
    assert shared - names == set(), shared - names
    for word in ("Usage", "Options", "Commands", "Show this message", "default", "env var", "required"):
        assert word not in vi, word


@pytest.mark.parametrize("path", [("list",), ("show",), ("done",), ("log",), ("export",), ("plan", "members")], ids=" ".join)
def test_vietnamese_command_help_words_the_framework_in_vietnamese(sh, path):
    vi = sh("--lang", "vi", *path, "--help").out
    for english in ("Usage:", "Options:", "Arguments:", "Examples:", "Show this message and exit.", "[required]",
                    "[default:", "env var:", "{ID", "<str>", "<path>"):  # fmt: skip
        assert english not in vi, (path, english)
    assert vi.startswith(f"Cách dùng: dsday {' '.join(path)} [TÙY_CHỌN]")
    assert "\nTùy chọn:\n" in vi and "Hiển thị hướng dẫn này và thoát." in vi and "\n  Ví dụ:\n" in vi


USAGE_ERRORS = [
    (("list", "--bogus"), "Không có tùy chọn --bogus (có thể là --bom) (xem 'dsday list --help')",
     "No such option: --bogus (did you mean --bom?) (see 'dsday list --help')"),
    (("show",), "Thiếu đối số 'NHIỆM_VỤ'. (xem 'dsday show --help')",
     "Missing argument 'ITEM'. (see 'dsday show --help')"),
    (("lst",), "Không có lệnh 'lst'. Có thể là 'list'. (xem 'dsday --help')",
     "No such command 'lst'. Did you mean 'list'? (see 'dsday --help')"),
    (("show", "v1-1", "v1-2", "v1-3"), "Thừa đối số: v1-2 v1-3 (xem 'dsday show --help')",
     "Unexpected extra arguments: v1-2 v1-3 (see 'dsday show --help')"),
    (("show", "v1-1", "v1-2"), "Thừa đối số: v1-2 (xem 'dsday show --help')",
     "Unexpected extra argument: v1-2 (see 'dsday show --help')"),
    (("list", "-f", "xml"),
     "Giá trị của '--format' / '-f' không hợp lệ: 'xml' không thuộc các giá trị 'table', 'json', 'csv', 'md', 'xlsx'. "
     "(xem 'dsday list --help')",
     "Invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json', 'csv', 'md', 'xlsx'. "
     "(see 'dsday list --help')"),
    (("list", "--limit", "x"), "Giá trị của '--limit' không hợp lệ: 'x' không phải là số nguyên. (xem 'dsday list --help')",
     "Invalid value for '--limit': 'x' is not a whole number. (see 'dsday list --help')"),
    (("list", "--limit", "-1"), "Giá trị của '--limit' không hợp lệ: -1 nằm ngoài khoảng x>=0. (xem 'dsday list --help')",
     "Invalid value for '--limit': -1 is not in the range x>=0. (see 'dsday list --help')"),
    (("list", "--plan"), "Tùy chọn --plan cần có giá trị.", "Option --plan needs a value."),
    (("list", "--bom=yes"), "Tùy chọn --bom không nhận giá trị.", "Option --bom takes no value."),
    (("completion", "tcsh"),
     "Giá trị của 'bash|zsh|fish' không hợp lệ: 'tcsh' không thuộc các giá trị 'bash', 'zsh', 'fish'. "
     "(xem 'dsday completion --help')",
     "Invalid value for 'bash|zsh|fish': 'tcsh' is not one of 'bash', 'zsh', 'fish'. (see 'dsday completion --help')"),
]  # fmt: skip


@pytest.mark.parametrize("args, vietnamese, english", USAGE_ERRORS, ids=[" ".join(e[0]) for e in USAGE_ERRORS])
def test_usage_errors_in_both_languages(sh, args, vietnamese, english):
    for env, message in ((VI, vietnamese), ({"LANG": "C"}, english)):
        result = sh(*args, env=env)
        assert (result.code, result.out, result.err) == (2, "", f"dsday: {message}\n")


def test_help_of_a_group_without_a_command_is_worded_too(sh):
    result = sh("--lang", "vi", "plan")
    assert result.code == 2 and result.err.startswith("Cách dùng: dsday plan [TÙY_CHỌN] LỆNH [ĐỐI_SỐ]...")
    assert "\nCác lệnh:\n  add-member" in result.err


def test_a_normal_run_imports_nothing_for_completion():
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "dsday_cli", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.startswith("dsday ")
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "dsday_cli.cli.usage" in imported  # the measurement saw our modules
    assert not {"dsday_cli.cli.completion", "dsday_cli.views.logview"} & imported  # (Typer itself imports its typer.completion)
