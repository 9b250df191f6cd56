"""The seed document drafted by `dsday draft`, compared duty by duty with the hand-encoded plan.yaml.

The draft is made by the installed command, validated by `dsday validate`, and read
back with the plan loader; plan.yaml is the lead's own reading of the same document.
Every duty of II.2 and V must match: its lead agency, its partners, its clauses (refs,
merges included), its deadline (kind, days, source, cited clause, tentative); and the
members of V.5, V.7 and V.8. A failure lists every duty, matched or not, and why.
"""

import re
import unicodedata

import yaml

from dsday_cli.store.plan import load_plan
from tests.conftest import EMBEDDED, ROOT

FIXTURES = ROOT / "tests" / "fixtures"
SEED = FIXTURES / "nghe-an-2023.txt"  # a copy of ../shared/seed/000_c110e27f3f81a779.txt
DISTRICTS = FIXTURES / "nghe-an-districts-2023.txt"


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", unicodedata.normalize("NFC", text).lower()))


def _deadline(item) -> tuple | None:
    d = item.deadline
    return None if d is None else (d.kind, d.date, d.start, d.end, d.month, d.source, d.ref, d.tentative)


def _duty(plan, item) -> dict:
    name = lambda ident: plan.agencies_by_id[ident].name if ident else None  # noqa: E731
    return {
        "agency": name(item.agency),
        "partners": sorted(name(p) for p in item.partners),
        "ref": list(item.ref),
        "deadline": _deadline(item),
    }


def _compare(expected_plan, drafted_plan) -> tuple[list[str], list[str]]:
    """Per duty of the hand-encoded plan: 'id: matched' or what differs; and the draft's duties left over."""
    drafted = {item.id: item for item in drafted_plan.responsibilities}
    report, unmatched = [], []
    for item in expected_plan.responsibilities:
        found = drafted.pop(item.id, None)
        if found is None:
            report.append(f"{item.id} ({item.ref_text}): not in the draft")
            unmatched.append(item.id)
            continue
        want, got = _duty(expected_plan, item), _duty(drafted_plan, found)
        # The same duty, not a namesake: most words of the hand-written title are in the drafted text.
        shared = len(_words(item.title) & _words(f"{found.title} {found.detail or ''}")) / len(_words(item.title))
        problems = [f"{key} {got[key]!r} != {want[key]!r}" for key in want if got[key] != want[key]]
        if shared < 0.8:
            problems.append(f"text differs ({shared:.0%} of the title's words): {found.title!r}")
        report.append(f"{item.id} ({item.ref_text}): " + ("; ".join(problems) if problems else "matched"))
        if problems:
            unmatched.append(item.id)
    report += [f"{ident}: in the draft only ({item.ref_text}: {item.title})" for ident, item in drafted.items()]
    return report, unmatched + list(drafted)


def test_seed_draft_matches_the_hand_encoded_plan(sh, tmp_path):
    drafted = sh("draft", str(SEED), "--members", f"ubnd-huyen={DISTRICTS}", "-o", "draft.yaml")
    assert drafted.code == 0, drafted
    assert drafted.out == ""
    assert sh("validate", "draft.yaml").code == 0
    assert sh("status", "--plan", "draft.yaml", "--as-of", "2023-10-12").code == 0

    expected, draft = load_plan(EMBEDDED), load_plan(tmp_path / "draft.yaml")
    report, unmatched = _compare(expected, draft)
    assert unmatched == [], "\n".join(report)
    assert len(report) == 27

    for ref in ("V.5", "V.7", "V.8"):
        want = next(a for a in expected.agencies if a.ref == ref)
        got = next(a for a in draft.agencies if a.ref == ref)
        assert got.name == want.name
        assert [m.name for m in got.members] == [m.name for m in want.members], ref
    assert [a.name for a in draft.agencies] == [a.name for a in expected.agencies]
    for agency in draft.agencies:  # V.4 and V.9 name no members: the draft invents none
        if agency.ref in ("V.4", "V.9"):
            assert agency.members == []


def test_seed_draft_metadata_and_milestones_are_the_documents(sh, tmp_path):
    assert sh("draft", str(SEED), "-o", "draft.yaml").code == 0
    expected, draft = load_plan(EMBEDDED), load_plan(tmp_path / "draft.yaml")
    for key in (
        "title",
        "issuer",
        "year",
        "theme",
        "national_day",
        "legal_basis",
        "purposes",
        "requirements",
        "budget",
    ):
        assert getattr(draft, key) == getattr(expected, key), key
    assert (draft.campaign.start, draft.campaign.end, draft.campaign.ref) == (
        expected.campaign.start,
        expected.campaign.end,
        expected.campaign.ref,
    )
    assert draft.signed_by.startswith("Nguyễn Đức Trung, Chủ tịch")
    assert draft.number is None and draft.issued is None  # the copy has neither: nothing invented

    def milestone(m) -> tuple:
        return (m.id, m.date, m.deadline, m.ref, m.tentative, m.items)

    assert [milestone(m) for m in draft.milestones] == [milestone(m) for m in expected.milestones]


def test_every_inference_is_commented_and_summarised(sh, tmp_path):
    result = sh("draft", str(SEED), "-o", "draft.yaml")
    text = (tmp_path / "draft.yaml").read_text(encoding="utf-8")
    err = result.err.splitlines()
    assert err[0] == "dsday: wrote draft.yaml"
    assert err[1] == (
        "dsday: nghe-an-2023.txt: 9 agencies (5 members), 27 duties; deadlines: 2 stated "
        "(1 read with an inferred year or kind), 20 cited from another clause, 5 none"
    )
    inferred = [line.removeprefix("dsday:   - ") for line in err if line.startswith("dsday:   - ")]
    assert err[2] == f"dsday: {len(inferred)} values inferred, each commented in the draft:"
    assert err[-1] == "dsday: every passage of the document was placed"
    # Each inference of the summary stands as a comment in the draft, worded the same.
    comments = [line.strip().removeprefix("# inferred: ") for line in text.splitlines() if "# inferred: " in line]
    assert sorted(comments) == sorted(line.split(": ", 1)[1] for line in inferred)
    # The five merges plan.yaml makes, each found and explained, and the year of "Tháng 10".
    for ref in ("II.2.b and V.1", "II.2.d and V.6", "II.2.e and V.1", "II.2.c and V.5", "the action of II.2.đ"):
        assert any(ref in line for line in inferred), ref
    assert any("'Tháng 10' has no year: 2023, the plan's year" in line for line in inferred)
    assert any(line.startswith("ii2-a agency: II.2.a names no agency") for line in inferred)
    assert '# as written: "trước ngày 25/10/2023"' in text


def test_the_draft_is_block_yaml_that_other_readers_agree_on(sh, tmp_path):
    assert sh("draft", str(SEED), "-o", "draft.yaml").code == 0
    text = (tmp_path / "draft.yaml").read_text(encoding="utf-8")
    # Flow style only for empty lists; text never in braces or brackets.
    assert not [line for line in text.splitlines() if re.search(r":\s*[\[{](?!\])", line)]
    data = yaml.safe_load(text)  # an independent reader (YAML 1.1) sees the same values
    assert data["title"] == "Kế hoạch tổ chức Ngày Chuyển đổi số quốc gia năm 2023 trên địa bàn tỉnh Nghệ An"
    assert data["year"] == 2023
    item = next(i for i in data["responsibilities"] if i["id"] == "v1-1")
    assert item["detail"].startswith("Chủ trì hướng dẫn công tác thông tin, tuyên truyền về Ngày Chuyển đổi số")
    assert ": Các trang mạng xã hội" in item["detail"]


def test_stdout_without_output_and_never_overwrite(sh, tmp_path):
    plain = sh("draft", str(SEED))
    assert plain.code == 0 and plain.out.startswith("# Draft plan read by 'dsday draft' from nghe-an-2023.txt")
    (tmp_path / "draft.yaml").write_text("mine\n", encoding="utf-8")
    refused = sh("draft", str(SEED), "-o", "draft.yaml")
    assert refused.code == 73 and refused.err == "dsday: draft.yaml exists; use --force to overwrite it\n"
    assert (tmp_path / "draft.yaml").read_text(encoding="utf-8") == "mine\n"
    assert sh("draft", str(SEED), "-o", "draft.yaml", "--force").code == 0
    assert (tmp_path / "draft.yaml").read_text(encoding="utf-8") == plain.out
