"""`dsday plan add-member` and `dsday plan members --from`: members added, every comment and line kept.

Files are read back with an independent YAML reader and compared line by line with
the original: the only change an edit may make is inserted lines.
"""

import difflib
import shutil
import stat
import subprocess
import sys

import yaml

from tests.conftest import EMBEDDED, ROOT

FIXTURES = ROOT / "tests" / "fixtures"
COMMUNES = FIXTURES / "nghe-an-communes-2025.txt"


def only_insertions(before: str, after: str) -> list[str]:
    """The lines ``after`` adds to ``before``; fails if any line of ``before`` changed, moved or went."""
    old, new = before.splitlines(), after.splitlines()
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    assert all(op in ("equal", "insert") for op, *_ in opcodes), "\n".join(difflib.unified_diff(old, new, lineterm=""))
    return [line for op, _a, _b, j1, j2 in opcodes if op == "insert" for line in new[j1:j2]]


def test_load_130_communes_in_one_command_keeping_the_comments(sh, tmp_path):
    plan = tmp_path / "plan.yaml"
    shutil.copy(FIXTURES / "nghe-an-2025.yaml", plan)
    before = plan.read_text(encoding="utf-8")
    result = sh("plan", "members", "ubnd-xa", "--from", str(COMMUNES))
    assert result.code == 0, result
    assert result.out == "ubnd-xa: added 130 members (130 in all); wrote plan.yaml\n"
    after = plan.read_text(encoding="utf-8")
    added = only_insertions(before, after)
    assert len(added) == 1 + 2 * 130  # "members:" and an id and a name line each
    comments = [line for line in before.splitlines() if line.strip().startswith("#") or " # " in line]
    assert len(comments) == 12 and all(line in after.splitlines() for line in comments)
    assert sh("validate", "plan.yaml").code == 0
    data = yaml.safe_load(after)
    group = next(a for a in data["agencies"] if a["id"] == "ubnd-xa")
    names = [line for line in COMMUNES.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert [m["name"] for m in group["members"]] == names
    ids = [m["id"] for m in group["members"]]
    assert len(set(ids)) == 130
    assert ids[:3] == ["truong-vinh", "thanh-vinh", "vinh-hung"] and ids[-1] == "dong-thanh"
    assert all(i.isascii() and i == i.lower() for i in ids)
    # The members are usable at once: a group item counts each of them.
    status = sh("list", "--format", "json", "--as-of", "2025-09-20")
    assert status.code == 0 and '"members_total":130' in status.out.replace(" ", "")
    # Loading the same list again adds nothing and leaves the file as it is.
    again = sh("plan", "members", "communes", "--from", str(COMMUNES))
    assert again.code == 0
    assert again.out.splitlines()[0] == "ubnd-xa: 'Phường Trường Vinh' is already a member (truong-vinh); skipped"
    assert again.out.splitlines()[-1] == "ubnd-xa: nothing to add; plan.yaml unchanged"
    assert plan.read_text(encoding="utf-8") == after


def test_add_members_to_the_embedded_plans_copy(sh, tmp_path):
    plan = tmp_path / "plan.yaml"
    shutil.copy(EMBEDDED, plan)
    plan.chmod(0o640)
    before = plan.read_text(encoding="utf-8")
    result = sh("plan", "add-member", "UBND cấp huyện", "Xã Vinh", "Thị xã Mới: Bắc, Nam", "huyện đô lương")
    assert result.code == 0, result
    assert result.out == (
        "ubnd-huyen: 'huyện đô lương' is already a member (do-luong); skipped\n"
        "ubnd-huyen: added 2 members (23 in all); wrote plan.yaml\n"
    )
    added = only_insertions(before, plan.read_text(encoding="utf-8"))
    # In the style of the members before them; "vinh" is taken, so the full name gives the id.
    assert added == [
        "      - {id: xa-vinh, name: Xã Vinh}",
        '      - {id: moi-bac-nam, name: "Thị xã Mới: Bắc, Nam"}',
    ]
    assert stat.S_IMODE(plan.stat().st_mode) == 0o640
    assert sh("validate", "plan.yaml").code == 0
    assert not list(tmp_path.glob(".plan.yaml.*"))  # no temporary file left behind
    # A body without members gets its first ones in block style, after its last key.
    before = plan.read_text(encoding="utf-8")
    assert sh("plan", "add-member", "so-nganh", "Sở Tài chính", "Sở Nội vụ").code == 0
    assert only_insertions(before, plan.read_text(encoding="utf-8")) == [
        "    members:",
        "      - id: so-tai-chinh",
        "        name: Sở Tài chính",
        "      - id: so-noi-vu",
        "        name: Sở Nội vụ",
    ]
    listed = sh("plan", "members", "so-nganh")
    assert listed.out == "so-tai-chinh\tSở Tài chính\nso-noi-vu\tSở Nội vụ\n"


def test_line_ends_and_byte_order_mark_are_kept(sh, tmp_path):
    text = (FIXTURES / "nghe-an-2025.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert sh("plan", "add-member", "ubnd-xa", "Phường Vinh Phú").code == 0
    raw = plan.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\n") == raw.count(b"\r\n")
    only_insertions(text, raw.decode("utf-8-sig").replace("\r\n", "\n"))


def test_dry_run_writes_nothing(sh, tmp_path):
    plan = tmp_path / "plan.yaml"
    shutil.copy(FIXTURES / "nghe-an-2025.yaml", plan)
    before = plan.read_bytes()
    result = sh("plan", "add-member", "ubnd-xa", "Xã Diễn Châu", "Phường 1", "--dry-run")
    assert result.out == (
        "ubnd-xa: would add dien-chau (Xã Diễn Châu)\n"
        "ubnd-xa: would add 1 (Phường 1)\n"
        "ubnd-xa: would add 2 members (2 in all); nothing written\n"
    )
    assert plan.read_bytes() == before


def test_what_is_refused_leaves_the_file_as_it_was(sh, tmp_path):
    plan = tmp_path / "plan.yaml"
    shutil.copy(FIXTURES / "nghe-an-2025.yaml", plan)
    before = plan.read_bytes()

    def refused(code: int, *args: str) -> str:
        result = sh("plan", *args)
        assert result.code == code, result
        assert "Traceback" not in result.err and len(result.err.splitlines()) == 1
        assert plan.read_bytes() == before
        return result.err

    assert refused(2, "add-member", "bao", "Đài Nghệ An") == (
        "dsday: 'bao' is bao, a member of bao-dai; name the group agency\n"
    )
    assert refused(2, "add-member", "bo quoc phong", "X").startswith("dsday: unknown agency 'bo quoc phong'")
    assert refused(66, "members", "ubnd-xa", "--from", "khong-co.txt") == "dsday: khong-co.txt: no such file\n"
    (tmp_path / "empty.txt").write_text("# only a comment\n\n", encoding="utf-8")
    assert refused(65, "members", "ubnd-xa", "--from", "empty.txt") == "dsday: empty.txt: no names (one name a line)\n"
    (tmp_path / "long.txt").write_text("Xã " + "A" * 300 + "\n", encoding="utf-8")
    assert refused(65, "members", "ubnd-xa", "--from", "long.txt") == (
        "dsday: long.txt:1: 303 characters; not a name (one name a line)\n"
    )
    # The embedded plan as the console script sees it (installed: beside the code, not this checkout's file).
    embedded = subprocess.run(
        [sys.executable, "-c", "from dsday_cli.store.plan import EMBEDDED_PLAN; print(EMBEDDED_PLAN)"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert refused(2, "add-member", "ubnd-xa", "--plan", embedded, "X").startswith(
        "dsday: the embedded plan is not edited"
    )
    # An invalid plan is never edited.
    broken = tmp_path / "broken.yaml"
    broken.write_text(before.decode("utf-8").replace("year: 2025", "year: twenty"), encoding="utf-8")
    result = sh("plan", "add-member", "ubnd-xa", "X", "--plan", "broken.yaml")
    assert result.code == 65 and result.err.startswith("dsday: broken.yaml:7:7: year: ")
    # A layout ruamel.yaml cannot keep (lists indented two ways) is refused, not rewritten.
    mixed = tmp_path / "mixed.yaml"
    mixed.write_text(
        before.decode("utf-8").replace(
            "agencies:\n  - id: skhcn", "legal_basis:\n- Quyết định 505\nagencies:\n  - id: skhcn"
        ),
        encoding="utf-8",
    )
    kept = mixed.read_bytes()
    result = sh("plan", "add-member", "ubnd-xa", "X", "--plan", "mixed.yaml")
    assert result.code == 65 and result.err == (
        "dsday: mixed.yaml: dsday cannot add members without changing other lines of this file; add them by hand\n"
    )
    assert mixed.read_bytes() == kept


def test_names_that_look_like_yaml_are_read_back_as_written(sh, tmp_path):
    plan = tmp_path / "plan.yaml"
    shutil.copy(FIXTURES / "nghe-an-2025.yaml", plan)
    names = ["yes", "2025-07-01", "Xã: {A}, [B]", "&x *y !z", "'quoted'", "10:30", "~", "Phường  Vinh\u00a0Tân"]
    (tmp_path / "names.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
    assert sh("plan", "members", "ubnd-xa", "--from", "names.txt").code == 0
    assert sh("validate", "plan.yaml").code == 0
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    group = next(a for a in data["agencies"] if a["id"] == "ubnd-xa")
    assert [m["name"] for m in group["members"]] == names[:-1] + ["Phường Vinh Tân"]
    assert all(isinstance(m["id"], str) for m in group["members"])
