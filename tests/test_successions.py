"""Successions in rollover, the succession file's problems, and members from the official register."""

import pytest

from dsday_cli.store.plan import load_plan
from tests.conftest import EMBEDDED, write_plan

QUANG_NAM = """\
id: quang-nam-2022
title: Kế hoạch tổ chức Ngày Chuyển đổi số quốc gia năm 2022 trên địa bàn tỉnh Quảng Nam
issuer: Ủy ban nhân dân tỉnh Quảng Nam
year: 2022
legal_basis:
  - Quyết định 505/QĐ-TTg ngày 22/4/2022 của Thủ tướng Chính phủ
agencies:
  - id: stttt
    name: Sở Thông tin và Truyền thông
    short_name: Sở TT&TT
  - id: ubnd-huyen
    name: UBND các huyện, thị xã, thành phố
    members:
      - {id: tam-ky, name: Thành phố Tam Kỳ}
      - {id: hoi-an, name: Thành phố Hội An}
responsibilities:
  - {id: a1, ref: V.1, agency: stttt, title: Tổ chức Lễ phát động năm 2022, deadline: {kind: by, date: 10/10/2022}}
  - {id: a2, ref: V.2, agency: ubnd-huyen, partners: [stttt], title: Tuyên truyền trên địa bàn tỉnh Quảng Nam}
report:
  parent_body: UBND tỉnh Quảng Nam
  body: Sở Thông tin và Truyền thông
  symbol: BC-STTTT
  place: Quảng Nam
"""


def test_rollover_2026_applies_the_2025_successions_and_the_register_fills_the_communes(cli, tmp_path):
    before = EMBEDDED.read_bytes()
    rolled = cli("rollover", "2026", "--output", "p2026.yaml")
    assert rolled.code == 0, rolled
    assert EMBEDDED.read_bytes() == before  # the 2023 plan keeps the names of its time
    text = (tmp_path / "p2026.yaml").read_text(encoding="utf-8")
    plan = load_plan(tmp_path / "p2026.yaml")
    ids = [a.id for a in plan.agencies]
    assert "stttt" not in ids and "ubnd-huyen" not in ids and {"skhcn", "ubnd-xa"} <= set(ids)
    assert {i.agency for i in plan.responsibilities if i.ref[0] == "V.1"} == {"skhcn"}
    assert plan.report.body == "Sở Khoa học và Công nghệ" and plan.report.symbol == "BC-SKHCN"
    assert "Nghị quyết số 07/NQ-HĐND ngày 25/02/2025" in text
    assert "Luật Tổ chức chính quyền địa phương ngày 16/06/2025 của Quốc hội" in text
    assert "TODO" in text and "Huyện" not in text
    assert "của Sở Khoa học và Công nghệ)" in plan.budget  # a text naming the old body names its successor
    budget = [line for line in rolled.err.splitlines() if "changed budget:" in line]  # renamed and re-dated: one line
    assert len(budget) == 1 and "năm 2023 của Sở Thông tin và Truyền thông)" in budget[0], budget
    assert budget[0].endswith("năm 2026 của Sở Khoa học và Công nghệ) và các nguồn kinh phí hợp pháp khác."), budget
    assert "changed agencies[0]: stttt (Sở Thông tin và Truyền thông) → skhcn" in rolled.err
    assert "changed agencies[6]: ubnd-huyen" in rolled.err
    assert "legal_basis[1]: 'Quyết định số 1080/QĐ-BTTTT" in rolled.err  # the ministry's plan of 2023
    assert "check line 2: # Kế hoạch Tổ chức Ngày Chuyển đổi số quốc gia năm 2023" in rolled.err
    # the duty's wording is the document's: kept, and named for the coordinator to check
    assert "check responsibilities[2].detail: it still speaks of 'cấp huyện', a level that ended" in rolled.err
    assert "cấp huyện" in plan.responsibilities[2].detail
    assert "a level that ended (ended from 01/07/2025; basis: Luật Tổ chức chính quyền địa phương" in rolled.err
    vi = cli("rollover", "2026", "--output", "vi2026.yaml", env={"DSDAY_LANG": "vi"})
    assert vi.code == 0 and "nội dung còn nhắc đến “cấp huyện” (kết thúc hoạt động từ ngày 01/07/2025; căn cứ:" in vi.err
    assert "giải thể" not in vi.err + (tmp_path / "vi2026.yaml").read_text(encoding="utf-8")  # a level ends, not dissolved
    dry = cli("plan", "members", "ubnd-xa", "--register", "nghe an", "--plan", "p2026.yaml", "--dry-run")
    assert dry.code == 0 and "would add 130 members (130 in all)" in dry.out
    added = cli("plan", "members", "ubnd-xa", "--register", "Nghệ An", "--plan", "p2026.yaml")
    assert added.code == 0 and "added 130 members" in added.out, added
    plan = load_plan(tmp_path / "p2026.yaml")
    communes = plan.agencies_by_id["ubnd-xa"].members
    assert len(communes) == 130 and all(m.name.startswith(("Xã ", "Phường ")) for m in communes)
    assert sum(m.name.startswith("Phường ") for m in communes) == 11
    assert {(m.id, m.name, m.code) for m in communes} >= {("anh-son", "Xã Anh Sơn", "17329")}
    assert len({m.code for m in communes}) == 130
    assert "# TODO: the members are the province's commune-level units" in (tmp_path / "p2026.yaml").read_text()
    assert cli("validate", "p2026.yaml").code == 0
    brief = cli("status", "--brief", "--plan", "p2026.yaml", "--as-of", "16/10/2026", env={"COLUMNS": "80"})
    assert brief.code == 0 and len(brief.out.splitlines()) <= 24


def test_a_province_merged_in_2025_rolls_over_under_its_successor(cli, tmp_path):
    (tmp_path / "qn.yaml").write_text(QUANG_NAM, encoding="utf-8")
    assert cli("validate", "qn.yaml").code == 0
    rolled = cli("rollover", "2026", "--plan", "qn.yaml")
    assert rolled.code == 0, rolled
    assert "Quảng Nam merged into thành phố Đà Nẵng from 01/07/2025" in rolled.err
    assert "issuer: Ủy ban nhân dân thành phố Đà Nẵng" in rolled.out and "id: da-nang-2026" in rolled.out
    assert "parent_body: UBND thành phố Đà Nẵng" in rolled.out and "place: Đà Nẵng" in rolled.out
    assert "Nghị quyết số 202/2025/QH15" in rolled.out
    assert "title: Tuyên truyền trên địa bàn thành phố Đà Nẵng" in rolled.out
    assert '--register "Đà Nẵng"' in rolled.out  # the group's TODO names the successor, which the register knows
    refused = cli("plan", "members", "ubnd-huyen", "--register", "Quang Nam", "--plan", "qn.yaml")
    assert refused.code == 2 and "merged into thành phố Đà Nẵng" in refused.err


def test_a_title_citing_a_decision_without_so_keeps_its_date(cli, tmp_path):
    extra = "legal_basis: [Kế hoạch 12/KH-UBND]\n"
    text = write_plan(tmp_path / "p.yaml", extra=extra).read_text().replace(
        "title: Việc số 0", "title: Thực hiện Quyết định 505 ngày 22/4/2023 năm 2023"
    )
    (tmp_path / "p.yaml").write_text(text)
    rolled = cli("rollover", "2024", "--plan", "p.yaml")
    assert rolled.code == 0, rolled
    assert "Thực hiện Quyết định 505 ngày 22/4/2023 năm 2023" in rolled.out


@pytest.mark.parametrize(
    "entries, where, message",
    [
        (
            "  - {agency: so-khong-co, change: renamed, effective: 01/03/2025, basis: [{document: QĐ 1}],"
            " successor: {id: x, name: X}}\n",
            ":2:",
            "unknown agency 'so-khong-co'",
        ),
        (
            "  - {agency: ag0, change: renamed, effective: 01/03/2025, basis: [{document: QĐ 1}], successor: {id: ag1, name: B}}\n"
            "  - {agency: ag1, change: renamed, effective: 01/03/2025, basis: [{document: QĐ 2}], successor: {id: ag0, name: A}}\n",
            ":3:",
            "a cycle",
        ),
        (
            "  - {agency: ag0, change: dissolved, effective: 01/03/2020, basis: [{document: QĐ 1}]}\n",
            ":2:",
            "is before the plan's year 2023",
        ),
    ],
)
def test_a_bad_succession_file_is_one_located_line_and_exit_65(cli, tmp_path, entries, where, message):
    write_plan(tmp_path / "p.yaml")
    (tmp_path / "s.yaml").write_text("successions:\n" + entries, encoding="utf-8")
    result = cli("rollover", "2026", "--plan", "p.yaml", "--successions", "s.yaml")
    assert result.code == 65, result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dsday: s.yaml" + where) and message in lines[0], result.err
    assert result.out == ""


def test_a_user_succession_renames_and_moves_duties(cli, tmp_path):
    write_plan(tmp_path / "p.yaml")
    (tmp_path / "s.yaml").write_text(
        "successions:\n"
        "  - agency: CQ0\n    change: merged\n    effective: 01/03/2024\n"
        "    basis: [{document: Quyết định 9/QĐ-UBND, date: 20/02/2024, issuer: UBND tỉnh Thử}]\n"
        "    successor: {id: ag1, name: Cơ quan số 1}\n",
        encoding="utf-8",
    )
    result = cli("rollover", "2024", "--plan", "p.yaml", "--successions", "s.yaml")
    assert result.code == 0, result
    assert "id: ag0" not in result.out and "agency: ag0" not in result.out
    assert "its duties to ag1" in result.err and "Quyết định 9/QĐ-UBND ngày 20/02/2024 của UBND tỉnh Thử" in result.err
    missing = cli("rollover", "2024", "--plan", "p.yaml", "--successions", "none.yaml")
    assert missing.code == 66


def test_every_problem_of_a_succession_file_is_said_and_hostile_files_are_refused(cli, tmp_path):
    write_plan(tmp_path / "p.yaml")
    (tmp_path / "s.yaml").write_text(
        "successions:\n"
        "  - {agency: nowhere, change: dissolved, effective: 01/03/2025, basis: [{document: QĐ 1}]}\n"
        "  - {agency: ag0, change: renamed, effective: 01/03/2020, basis: [{document: QĐ 2}], successor: {name: X}}\n"
        "  - {agency: ag1, change: merged, effective: 01/03/2025, basis: [{document: QĐ 3}], colour: red}\n",
        encoding="utf-8",
    )
    before = (tmp_path / "p.yaml").read_bytes()
    cases = {
        "s.yaml": (65, ["s.yaml:4:"]),  # the schema first: the unknown key
        "anchors.yaml": (65, ["anchors.yaml:1:14: YAML anchors"]),
        "latin1.yaml": (65, ["latin1.yaml:1:"]),
        "list.yaml": (65, ["list.yaml:1:1:"]),
        "dir": (66, ["dir: cannot read the succession file"]),
        "missing.yaml": (66, ["missing.yaml: cannot read the succession file"]),
    }
    (tmp_path / "anchors.yaml").write_text("successions: &a\n  - *a\n")
    (tmp_path / "latin1.yaml").write_bytes("successions: [{agency: S\xf4}]\n".encode("latin-1"))
    (tmp_path / "list.yaml").write_text("- agency: ag0\n")
    (tmp_path / "dir").mkdir()
    for name, (code, starts) in cases.items():
        result = cli("rollover", "2026", "--plan", "p.yaml", "--successions", name)
        assert result.code == code and result.out == "", (name, result)
        assert "Traceback" not in result.err and all(s in result.err for s in starts), (name, result.err)
    (tmp_path / "s.yaml").write_text(
        (tmp_path / "s.yaml").read_text().replace(", colour: red", ", successor: {name: Y}"), encoding="utf-8"
    )
    result = cli("rollover", "2026", "--plan", "p.yaml", "--successions", "s.yaml")
    lines = result.err.strip().splitlines()
    assert result.code == 65 and len(lines) == 2, result
    assert lines[0].startswith("dsday: s.yaml:2:") and "unknown agency 'nowhere'" in lines[0]
    assert lines[1].startswith("dsday: s.yaml:3:") and "before the plan's year 2023" in lines[1]
    assert (tmp_path / "p.yaml").read_bytes() == before


def test_a_dissolved_body_without_successor_is_kept_with_a_warning_and_a_todo(cli, tmp_path):
    write_plan(tmp_path / "p.yaml", members=2)
    (tmp_path / "s.yaml").write_text(
        "successions:\n  - {agency: ag0, change: dissolved, effective: 01/07/2024, basis: [{document: Nghị quyết 5/NQ-HĐND}]}\n",
        encoding="utf-8",
    )
    result = cli("rollover", "2024", "--plan", "p.yaml", "--successions", "s.yaml")
    assert result.code == 0, result
    assert "agencies[0]: Cơ quan số 0 dissolved (dissolved from 01/07/2024; basis: Nghị quyết 5/NQ-HĐND)" in result.err
    assert "# TODO: dissolved (dissolved from 01/07/2024; basis: Nghị quyết 5/NQ-HĐND)" in result.out
    assert "id: ag0" in result.out


def test_a_group_of_districts_with_no_known_successor_is_flagged(cli, tmp_path):
    write_plan(tmp_path / "p.yaml", members=1)
    text = (tmp_path / "p.yaml").read_text().replace("name: Thành viên 0", "name: Huyện Nam Đàn")
    (tmp_path / "p.yaml").write_text(text)
    result = cli("rollover", "2026", "--plan", "p.yaml")
    assert result.code == 0, result
    assert "agencies[0] (ag0): 1 members are bodies dissolved" in result.err and "Huyện Nam Đàn" in result.err
    assert "# TODO: members dissolved" in result.out


@pytest.mark.parametrize(
    "province, code, said",
    [
        ("Quang", 2, "names several provinces"),
        ("Nghe Ann", 2, "closest: Nghệ An"),
        ("", 2, "no province of the register"),
        ("40", 0, "would add 130 members"),
        ("tỉnh NGHỆ AN", 0, "would add 130 members"),
    ],
)
def test_the_register_province_by_name_or_code(cli, tmp_path, province, code, said):
    write_plan(tmp_path / "p.yaml", members=1)
    result = cli("plan", "members", "ag0", "--register", province, "--plan", "p.yaml", "--dry-run")
    assert result.code == code and said in result.out + result.err, result
