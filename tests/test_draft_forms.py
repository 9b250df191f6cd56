"""`dsday draft` on the forms a plan comes in: a district's plan, annex tables (md, csv, xlsx, docx), Word and PDF.

The expected readings below are written from the fixture documents, clause by clause,
by the rules the README states; the drafts are made by the installed command and read
back with the plan loader.
"""

from datetime import date

import pytest

from dsday_cli.store.plan import load_plan
from tests.conftest import ROOT
from tests.documents import docx_from_text, pdf_from_text

FIXTURES = ROOT / "tests" / "fixtures"
SEED = FIXTURES / "nghe-an-2023.txt"
DO_LUONG = FIXTURES / "do-luong-2023.txt"
HA_TINH = FIXTURES / "ha-tinh-2024-annex.md"
HA_TINH_CSV = FIXTURES / "ha-tinh-2024-annex.csv"


def drafted(sh, tmp_path, document, *options, name="draft.yaml"):
    result = sh("draft", str(document), "-o", name, *options)
    assert result.code == 0, result
    assert "Traceback" not in result.err
    assert sh("validate", name).code == 0
    return load_plan(tmp_path / name), result


def reading(plan, item) -> tuple:
    """An item as (refs, lead's name, partners' names, deadline) for comparison."""
    name = lambda ident: plan.agencies_by_id[ident].name if ident else None  # noqa: E731
    d = item.deadline
    when = None
    if d is not None:
        days = {"window": (d.start, d.end), "month": (d.month,), "ongoing": ()}.get(
            d.kind, (d.last_day,) if d.kind in ("quarter", "year") else (d.date,)
        )
        when = (d.kind, *days, d.source, d.ref, d.tentative)
    return (item.ref, name(item.agency), [name(p) for p in item.partners], when)


PHONG = "Phòng Văn hóa và Thông tin huyện"
TRUNG_TAM = "Trung tâm Văn hóa - Thể thao và Truyền thông huyện"
GDDT = "Phòng Giáo dục và Đào tạo huyện"
DOAN = "Huyện đoàn Đô Lương"
BUU_DIEN = "Bưu điện huyện, Viettel Đô Lương, VNPT Đô Lương"
XA = "UBND các xã, thị trấn"
CAMPAIGN_2023 = ("window", date(2023, 9, 20), date(2023, 10, 15), "cited", "III", False)

DO_LUONG_ITEMS = {
    # II.2.b: no agency named and no duty repeats it: the standing body (V.1) leads; a communication activity.
    "ii2-b": (["II.2.b"], PHONG, [], CAMPAIGN_2023),
    "v1-1": (["V.1"], PHONG, [], None),
    # The "Lễ ra quân" of II.2.a and III, dated by III: "vào ngày 06/10/2023 (dự kiến)".
    "v1-2": (["V.1", "II.2.a"], PHONG, [TRUNG_TAM], ("on", date(2023, 10, 6), "cited", "III", True)),
    "v1-3": (["V.1"], PHONG, [], ("before", date(2023, 9, 30), "stated", None, False)),
    "v1-4": (["V.1"], PHONG, [], ("by", date(2023, 10, 20), "stated", None, False)),
    "v2-1": (["V.2"], TRUNG_TAM, [], ("window", date(2023, 9, 25), date(2023, 10, 10), "stated", None, False)),
    "v2-2": (["V.2"], TRUNG_TAM, [], ("ongoing", "stated", None, False)),  # "thường xuyên"
    "v3-1": (["V.3"], GDDT, [], ("month", date(2023, 10, 1), "stated", None, False)),
    "v3-2": (["V.3"], GDDT, [], ("by", date(2023, 10, 25), "stated", None, False)),  # "25/10": year inferred
    "v4-1": (["V.4", "II.2.c"], DOAN, [XA], ("by", date(2023, 10, 5), "stated", None, False)),
    "v4-2": (["V.4", "II.2.d"], DOAN, [], ("on", date(2023, 10, 10), "stated", None, False)),
    "v5-1": (["V.5"], BUU_DIEN, [], None),
    "v5-2": (["V.5", "II.2.đ"], BUU_DIEN, [], ("month", date(2023, 10, 1), "stated", None, False)),
    "v6-1": (["V.6"], XA, [], ("before", date(2023, 9, 25), "stated", None, False)),
    "v6-2": (["V.6"], XA, [], CAMPAIGN_2023),
    "v6-3": (["V.6"], XA, [], ("ongoing", "stated", None, False)),  # "thường xuyên"
}


def test_district_plan(sh, tmp_path):
    plan, result = drafted(sh, tmp_path, DO_LUONG)
    got = {item.id: reading(plan, item) for item in plan.responsibilities}
    assert got == DO_LUONG_ITEMS
    assert (plan.id, plan.issuer, plan.number, plan.issued) == (
        "do-luong-2023",
        "Ủy ban nhân dân huyện Đô Lương",
        "215/KH-UBND",
        date(2023, 9, 8),
    )
    assert plan.title == (
        "Kế hoạch tổ chức các hoạt động hưởng ứng Ngày Chuyển đổi số quốc gia năm 2023 trên địa bàn huyện Đô Lương"
    )
    assert plan.signed_by == "Nguyễn Văn Hùng, Phó Chủ tịch"
    assert plan.theme == "Khai thác dữ liệu số để tạo ra giá trị"
    assert len(plan.legal_basis) == 2 and plan.legal_basis[1].startswith("Kế hoạch số 612/KH-UBND ngày 01/9/2023")
    assert [(m.id, m.date, m.deadline, m.tentative, m.items) for m in plan.milestones] == [
        ("campaign-start", date(2023, 9, 20), "on", False, []),
        ("le-ra-quan", date(2023, 10, 6), "on", True, ["v1-2"]),
        ("campaign-end", date(2023, 10, 15), "by", False, []),
        ("report", date(2023, 10, 20), "by", False, ["v1-4"]),
    ]
    members = {a.name: [m.name for m in a.members] for a in plan.agencies}
    assert members[BUU_DIEN] == ["Bưu điện huyện", "Viettel Đô Lương", "VNPT Đô Lương"]
    assert members[XA] == []  # the document names no commune: none invented
    text = (tmp_path / "draft.yaml").read_text(encoding="utf-8")
    assert "# inferred: 'chậm nhất ngày 25/10' has no year: 2023, the plan's year" in text
    assert "add its members with: dsday plan members ubnd-xa --from FILE" in text
    assert '# as written: "thường xuyên"' in text


CAMPAIGN_2024 = ("window", date(2024, 10, 1), date(2024, 10, 31), "stated", None, False)
TTTT = "Sở Thông tin và Truyền thông"
ANNEX_ITEMS = {
    "PL.I.1": (TTTT, ["Báo Hà Tĩnh", "Đài Phát thanh - Truyền hình tỉnh"], CAMPAIGN_2024),
    "PL.I.2": ("Các sở, ban, ngành cấp tỉnh", [], ("before", date(2024, 10, 5), "stated", None, False)),
    "PL.II.1": (
        "Tỉnh đoàn Hà Tĩnh",
        ["Công an tỉnh", "UBND các huyện, thành phố, thị xã"],
        ("by", date(2024, 10, 10), "stated", None, False),  # a bare date under "Thời gian hoàn thành"
    ),
    "PL.II.2": (
        "Sở Công Thương",
        ["Các doanh nghiệp bưu chính, viễn thông"],
        ("month", date(2024, 10, 1), "stated", None, False),
    ),
    # "Thường xuyên": ongoing; "Các cơ quan, đơn vị liên quan" is no agency
    "PL.II.3": ("Công an tỉnh", [], ("ongoing", "stated", None, False)),
    # two leads: the first leads; "Quý IV/2024": on time through the quarter's last day
    "PL.II.4": (TTTT, ["Văn phòng UBND tỉnh"], ("quarter", date(2024, 12, 31), "stated", None, False)),
    "PL.II.5": (None, ["Hiệp hội doanh nghiệp tỉnh"], ("by", date(2024, 10, 25), "stated", None, False)),
}


def annex_readings(plan) -> dict:
    return {item.ref[0]: reading(plan, item)[1:] for item in plan.responsibilities if item.ref[0].startswith("PL.")}


def test_plan_with_an_annex_table(sh, tmp_path):
    plan, result = drafted(sh, tmp_path, HA_TINH)
    assert annex_readings(plan) == ANNEX_ITEMS
    body = [reading(plan, i) for i in plan.responsibilities if not i.ref[0].startswith("PL.")]
    assert body == [
        (["III.1"], TTTT, [], None),
        (["III.1"], TTTT, [], ("before", date(2024, 11, 15), "stated", None, False)),
    ]
    lines = HA_TINH.read_text(encoding="utf-8").splitlines()
    row = next(n for n, line in enumerate(lines, 1) if "Hội thảo chuyển đổi số" in line)
    # The passage sending the reader to the annex is read (the annex's rows are the duties); the row with no
    # lead is a duty all the same: listed for its missing lead, not as a passage that could not be placed.
    assert result.err.splitlines()[-3:] == [
        "dsday: 1 duty drafted with no lead agency; write it:",
        f"dsday:   - pl-ii-5: line {row}: the row names no lead agency; write it",
        "dsday: every passage of the document was placed",
    ]
    assert plan.agencies_by_id["stttt"].ref == "III.1"  # the body's agency and the table's are one


def test_annex_table_as_csv_with_other_headers(sh, tmp_path):
    plan, result = drafted(sh, tmp_path, HA_TINH_CSV)
    assert annex_readings(plan) == ANNEX_ITEMS
    assert plan.title == "PHỤ LỤC NHIỆM VỤ HƯỞNG ỨNG NGÀY CHUYỂN ĐỔI SỐ QUỐC GIA NĂM 2024"
    assert plan.year == 2024
    text = (tmp_path / "draft.yaml").read_text(encoding="utf-8")
    assert "# the document does not name its issuer: write it" in text


def test_annex_table_as_xlsx_with_date_cells(sh, tmp_path):
    import csv
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Phụ lục"
    with open(HA_TINH_CSV, encoding="utf-8-sig", newline="") as stream:
        for row in csv.reader(stream, delimiter=";"):
            if row and row[-1] == "10/10/2024":
                row[-1] = datetime(2024, 10, 10)  # a real date cell, as Excel keeps it
            sheet.append(row)
    book.save(tmp_path / "phu-luc.xlsx")
    plan, result = drafted(sh, tmp_path, tmp_path / "phu-luc.xlsx")
    assert annex_readings(plan) == ANNEX_ITEMS


def test_annex_table_inside_a_word_document_gives_items_with_partners(sh, tmp_path):
    body = "\n".join(line for line in HA_TINH.read_text(encoding="utf-8").splitlines() if not line.startswith("|"))
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in HA_TINH.read_text(encoding="utf-8").splitlines()
        if line.startswith("|") and not line.startswith("|---")
    ]
    docx_from_text(body, tmp_path / "ke-hoach.docx", tables=[rows])
    plan, result = drafted(sh, tmp_path, tmp_path / "ke-hoach.docx")
    assert annex_readings(plan) == ANNEX_ITEMS
    assert sum(1 for item in plan.responsibilities if item.partners) == 5


def test_a_word_document_of_the_seed_gives_the_same_draft(sh, tmp_path):
    docx_from_text(SEED.read_text(encoding="utf-8"), tmp_path / "ke-hoach.docx")
    from_text = sh("draft", str(SEED)).out.splitlines()
    from_word = sh("draft", "ke-hoach.docx").out.splitlines()
    assert (
        from_word[0]
        == "# Draft plan read by 'dsday draft' from ke-hoach.docx; check it against the document before use."
    )
    assert from_word[1:] == from_text[1:]  # only the header naming the file differs
    assert len(from_text) > 300


@pytest.mark.parametrize("document", [SEED, DO_LUONG, HA_TINH])
@pytest.mark.parametrize("width, numbered", [(90, False), (60, True), (48, True)])
def test_a_pdf_with_a_text_layer_gives_the_same_draft(sh, tmp_path, document, width, numbered):
    # Wrapped like a printed page (words and "QĐ-TTg" broken at line ends, headings over two
    # lines), no blank lines, page numbers: paragraphs are put back together as the text has them.
    text = "\n".join(line for line in document.read_text(encoding="utf-8").splitlines() if not line.startswith("|"))
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    pdf_from_text(text, tmp_path / "doc.pdf", width=width, numbered=numbered)
    from_text = sh("draft", "doc.txt").out.splitlines()
    from_pdf = sh("draft", "doc.pdf").out.splitlines()
    assert from_pdf[0] == "# Draft plan read by 'dsday draft' from doc.pdf; check it against the document before use."
    assert from_pdf[1:] == from_text[1:]
    assert "responsibilities:" in from_text and len(from_text) > 50


@pytest.mark.parametrize("document", [DO_LUONG, HA_TINH])
def test_fixtures_as_word_documents_give_the_same_draft(sh, tmp_path, document):
    text = "\n".join(line for line in document.read_text(encoding="utf-8").splitlines() if not line.startswith("|"))
    docx_from_text(text, tmp_path / "doc.docx")
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    assert sh("draft", "doc.docx").out.splitlines()[1:] == sh("draft", "doc.txt").out.splitlines()[1:]


def test_members_of_a_group_from_a_list(sh, tmp_path):
    districts = FIXTURES / "nghe-an-districts-2023.txt"
    plan, result = drafted(sh, tmp_path, SEED, "--members", f"UBND các huyện={districts}")
    group = next(a for a in plan.agencies if a.ref == "V.7")
    assert len(group.members) == 21
    assert (group.members[0].id, group.members[0].name) == ("vinh", "Thành phố Vinh")
    assert (group.members[7].id, group.members[7].name) == ("do-luong", "Huyện Đô Lương")
    text = (tmp_path / "draft.yaml").read_text(encoding="utf-8")
    assert "# inferred: from nghe-an-districts-2023.txt (--members), not from the document: 21 names" in text
