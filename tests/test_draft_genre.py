"""The reader on the forms of the genre it met on plans it was not written from (issue 26, and the three plans
measured before it saw them).

Each test drafts a document of the evaluation set (tests/eval/) or a short text written
here, by the installed command where the draft validates as the format stands, else by the
reader's public function, and checks one thing the reader used to get wrong.
"""

from datetime import date
from pathlib import Path

from dsday_cli.documents.draft import draft_plan, letterhead_issuer
from dsday_cli.documents.draft_sources import Source, read_source
from dsday_cli.store.plan import load_plan
from tests.conftest import ROOT

EVAL = ROOT / "tests" / "eval"


def _draft_text(tmp_path: Path, text: str):
    path = tmp_path / "ke-hoach.txt"
    path.write_text(text, encoding="utf-8")
    return draft_plan(read_source(path))


PLAN = """ỦY BAN NHÂN DÂN
TỈNH THỬ

Số: 7/KH-UBND

KẾ HOẠCH
Hưởng ứng Ngày Chuyển đổi số quốc gia năm 2023 trên địa bàn tỉnh Thử

I. MỤC ĐÍCH

- Nâng cao nhận thức.

II. NỘI DUNG

1. Các hoạt động

a) Tổ chức Ngày hội thanh niên với chuyển đổi số tại Nhà Văn hóa tỉnh vào ngày 10/10/2023.

b) Tổ chức tọa đàm về dữ liệu số trong doanh nghiệp.

V. TỔ CHỨC THỰC HIỆN

1. Sở Thông tin và Truyền thông: Chủ trì triển khai các nội dung của Kế hoạch này.

2. Tỉnh đoàn

- Hướng dẫn thanh niên chuyển đổi số tại Nhà Văn hóa các xã.

3. Sở Công Thương

- Chủ trì tổ chức hoạt động tại điểm b khoản 1 Mục II, hoàn thành trước ngày 20/10/2023.
"""


def test_passages_sharing_words_are_not_merged_and_the_undated_duty_stays_undated(tmp_path):
    draft = _draft_text(tmp_path, PLAN)
    items = {i["id"]: i for i in draft.data["responsibilities"]}
    assert items["ii1-a"]["deadline"] == {"kind": "on", "date": date(2023, 10, 10)}  # the activity, its own item
    assert items["v2-1"]["ref"] == "V.2" and "deadline" not in items["v2-1"]  # alike (0.42), not the same duty
    # the same clause cited is evidence: II.1.b is the duty of V.3
    assert items["v3-1"]["ref"] == ["V.3", "II.1.b"]
    assert "ii1-b" not in items
    notes = draft.comments[("responsibilities", list(items).index("v3-1"), "ref")]
    assert notes == ["inferred: II.1.b and V.3 are one duty: V.3 cites II.1.b"]


def test_a_lead_in_that_is_an_action_passes_its_time_to_its_bullets(tmp_path):
    draft = draft_plan(read_source(EVAL / "ha-giang-2024.txt"))
    items = draft.data["responsibilities"]
    assert not [i for i in items if i["title"].startswith(("Trong tháng 10", "Từ ngày"))]  # no lead-in as a duty
    month = [i for i in items if i.get("deadline") == {"kind": "month", "month": "2024-10"}]
    assert [i["title"] for i in month] == [
        "Hội nghị chuyên đề về kinh tế số trong nông nghiệp vùng cao",
        "Cuộc thi trực tuyến tìm hiểu về chuyển đổi số dành cho cán bộ, công chức",
    ]
    index = items.index(month[0])
    assert draft.comments[("responsibilities", index, "deadline")] == [
        'the lead-in above: as written: "Trong tháng 10"',
        "inferred: 'Trong tháng 10' has no year: 2024, the plan's year",
    ]
    window = {"kind": "window", "start": date(2024, 10, 1), "end": date(2024, 10, 31)}
    assert sum(1 for i in items if i.get("deadline") == window) == 2  # "Từ ngày 01/10/2024 đến ngày 31/10/2024, …:"


def test_a_cut_off_last_passage_is_listed_not_a_duty(tmp_path):
    draft = draft_plan(read_source(EVAL / "ha-giang-2024.txt"))
    assert not [i for i in draft.data["responsibilities"] if "hiệp hội" in i["title"]]
    assert draft.unplaced == [
        'IV.6: "the copy ends in the middle of this passage (cut off): Với các hiệp hội và doanh nghiệp c"'
    ]


def test_partners_named_one_by_one_are_matched_or_offered_as_agencies():
    draft = draft_plan(read_source(EVAL / "ha-giang-2024.txt"))
    agencies = {a["id"]: a for a in draft.data["agencies"]}
    items = {i["id"]: i for i in draft.data["responsibilities"]}
    office = items["iv2-1"]  # "Phối hợp với Sở Nội vụ, Công an tỉnh rà soát …": both are agencies of the plan
    assert [agencies[p]["name"] for p in office["partners"]] == ["Sở Nội vụ", "Công an tỉnh"]
    access = next(i for i in items.values() if "điểm truy cập" in i["title"])
    assert [agencies[p]["name"] for p in access["partners"]] == ["Bưu điện tỉnh", "Viettel Hà Giang"]
    new = [index for index, a in enumerate(draft.data["agencies"]) if a["name"] in ("Bưu điện tỉnh", "Viettel Hà Giang")]
    assert all("ref" not in draft.data["agencies"][i] for i in new)
    assert draft.comments[("agencies", new[0])] == [
        "named as a partner in IV.1, with no clause of its own; check it belongs in the plan"
    ]


def test_dated_lines_of_the_time_section_are_milestones():
    draft = draft_plan(read_source(EVAL / "ha-giang-2024.txt"))
    assert [(m["id"], m["date"], m["deadline"]) for m in draft.data["milestones"]] == [
        ("hoan-thanh-ra-soat", date(2024, 10, 5), "before"),
        ("hoan-thanh-lap-dat", date(2024, 10, 31), "before"),
    ]


def test_annex_deadlines_by_quarter_year_and_ongoing():
    draft = draft_plan(read_source(EVAL / "thanh-hoa-2026-annex.md"))
    deadlines = [i.get("deadline") for i in draft.data["responsibilities"]]
    assert deadlines[:3] == [{"kind": "quarter", "quarter": "2026-Q4"}, {"kind": "year", "year": 2026}, {"kind": "ongoing"}]
    assert draft.unplaced == [] and draft.missing == []


def test_letterheads_of_committees_ministries_and_their_units():
    assert letterhead_issuer(["BỘ Y TẾ", "Số: 12/KH-BYT"]) == "Bộ Y tế"
    assert letterhead_issuer(["BỘ Y TẾ", "CỤC CÔNG NGHỆ THÔNG TIN"]) == "Cục Công nghệ thông tin"
    assert letterhead_issuer(["UBND TỈNH LÂM ĐỒNG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]) == "Sở Khoa học và Công nghệ"
    assert letterhead_issuer(["ỦY BAN NHÂN DÂN", "XÃ NAM ĐÀN"]) == "Ủy ban nhân dân xã Nam Đàn"
    # one cell of a Word table, and the lines of a PDF where the motto runs beside the issuer
    assert letterhead_issuer(["ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH Số: 45/Kh-Ubnd"]) == "Ủy ban nhân dân tỉnh Bình Định"
    assert letterhead_issuer(["ỦY BAN NHÂN DÂN ", "", "THỊ XÃ KỲ ANH "]) == "Ủy ban nhân dân thị xã Kỳ Anh"


def test_a_ministry_plan_is_drafted_with_its_issuer(sh, tmp_path):
    result = sh("draft", str(EVAL / "bo-y-te-2024.txt"), "-o", str(tmp_path / "d.yaml"))
    assert result.code == 0, result
    plan = load_plan(tmp_path / "d.yaml")
    assert (plan.issuer, plan.number) == ("Bộ Y tế", "12/KH-BYT")
    assert "not named in the document" not in (tmp_path / "d.yaml").read_text(encoding="utf-8")
    # II.1 (the Ministry's portal) is not merged into IV.2 (the mass media) for sharing the words of the day
    refs = [item.ref for item in plan.responsibilities]
    assert ["II.1"] in refs and ["IV.2"] in refs


def test_a_word_document_with_a_letterhead_table_and_list_styles(sh, tmp_path):
    result = sh("draft", str(EVAL / "binh-dinh-2024.docx"), "-o", str(tmp_path / "d.yaml"))
    assert result.code == 0, result
    plan = load_plan(tmp_path / "d.yaml")
    assert (plan.id, plan.issuer, plan.number) == ("binh-dinh-2024", "Ủy ban nhân dân tỉnh Bình Định", "45/KH-UBND")
    # "List Bullet" and "List Number" paragraphs: each a duty of the clause above; the generic lead-in none
    justice = [i for i in plan.responsibilities if i.agency == "stp"]
    assert [i.title for i in justice] == ["Cấp Phiếu lý lịch tư pháp trên ứng dụng VNeID", "Số hóa sổ hộ tịch, hoàn thành"]
    assert justice[1].deadline.kind == "month"
    assert "every passage of the document was placed" in result.err


def test_a_pdf_line_broken_after_a_colon_keeps_its_milestone(sh, tmp_path):
    result = sh("draft", str(EVAL / "ky-anh-2024.pdf"), "-o", str(tmp_path / "d.yaml"))
    assert result.code == 0, result
    plan = load_plan(tmp_path / "d.yaml")
    launch = plan.milestones[0]
    assert (launch.id, launch.date, launch.deadline, launch.tentative) == ("launch", date(2024, 10, 10), "before", True)
    assert launch.items == ["iv1-2"]
    assert plan.issuer == "Ủy ban nhân dân thị xã Kỳ Anh"


GROUPED = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NAM

Số: 9/KH-UBND

KẾ HOẠCH
Hưởng ứng Ngày Chuyển đổi số quốc gia năm 2024 trên địa bàn tỉnh Quảng Nam

I. MỤC ĐÍCH

- Nâng cao nhận thức.

II. TỔ CHỨC THỰC HIỆN

1. Các sở, ban, ngành

a) Sở Thông tin và Truyền thông: Chủ trì triển khai các nội dung của Kế hoạch này; báo cáo UBND tỉnh trước ngày 25/10/2024.

b) Sở Tư pháp: Số hóa sổ hộ tịch, hoàn thành trong tháng 11/2024.

- Cấp Phiếu lý lịch tư pháp trên ứng dụng VNeID.

2. UBND các huyện, thị xã, thành phố

a) Ban hành kế hoạch hưởng ứng trước ngày 30/9/2024.
"""


def test_agencies_named_by_the_letters_of_a_group_clause(tmp_path):
    draft = _draft_text(tmp_path, GROUPED)
    assert [(a["name"], a["ref"]) for a in draft.data["agencies"]] == [
        ("Sở Thông tin và Truyền thông", "II.1.a"),
        ("Sở Tư pháp", "II.1.b"),
        ("UBND các huyện, thị xã, thành phố", "II.2"),  # its letters are duties: "Ban hành" names no body
    ]
    assert [(i["id"], i["agency"]) for i in draft.data["responsibilities"]] == [
        ("ii1a-1", "stttt"), ("ii1a-2", "stttt"), ("ii1b-1", "stp"), ("ii1b-2", "stp"), ("ii2-1", "ubnd-huyen"),
    ]  # fmt: skip
    assert draft.unplaced == []


def test_a_word_letterhead_table_of_two_rows(sh, tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_documents", EVAL / "make_documents.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    make.ky_anh(tmp_path / "ky-anh.docx")  # rows "ỦY BAN NHÂN DÂN" | motto, "THỊ XÃ KỲ ANH" | …, "Số: …" | date
    result = sh("draft", str(tmp_path / "ky-anh.docx"), "-o", str(tmp_path / "d.yaml"))
    assert result.code == 0, result
    plan = load_plan(tmp_path / "d.yaml")
    assert (plan.id, plan.issuer, plan.number, plan.issued) == (
        "ky-anh-2024", "Ủy ban nhân dân thị xã Kỳ Anh", "210/KH-UBND", date(2024, 9, 17)
    )  # fmt: skip


def test_an_event_of_the_time_section_with_its_time_and_place_on_lines_below():
    draft = draft_plan(read_source(EVAL / "huong-son-2024.txt"))  # "1. Hội nghị …" / "- Thời gian: …" / "- Địa điểm: …"
    first = draft.data["milestones"][0]
    assert (first["title"], first["date"], first["deadline"]) == (
        "Hội nghị chuyển đổi số huyện Hương Sơn năm 2024", date(2024, 10, 9), "on"
    )  # fmt: skip
    assert "Địa điểm: Hội trường UBND huyện." in draft.comments[("milestones", 0)][0]
    assert draft.unplaced == []


DOTTED = GROUPED.replace(
    "1. Các sở, ban, ngành\n\na) Sở Thông tin và Truyền thông: Chủ trì",
    "1. Trách nhiệm của các sở, ban, ngành\n\n1.1. Sở Thông tin và Truyền thông (cơ quan thường trực)\n\n- Chủ trì",
).replace("b) Sở Tư pháp:", "1.2. Sở Tư pháp:")


def test_agencies_named_by_the_decimal_numbers_of_a_group_clause(tmp_path):
    draft = _draft_text(tmp_path, DOTTED)
    assert [(a["name"], a["ref"]) for a in draft.data["agencies"]] == [
        ("Sở Thông tin và Truyền thông", "II.1.1"),
        ("Sở Tư pháp", "II.1.2"),
        ("UBND các huyện, thị xã, thành phố", "II.2"),
    ]
    assert [i["id"] for i in draft.data["responsibilities"]] == ["ii11-1", "ii12-1", "ii12-2", "ii2-1"]


def test_a_word_document_whose_clauses_and_duties_are_all_word_lists(tmp_path):
    import docx

    document = docx.Document()
    for text, style in [
        ("ỦY BAN NHÂN DÂN", None), ("TỈNH PHÚ YÊN", None), ("Số: 77/KH-UBND", None), ("KẾ HOẠCH", None),
        ("Hưởng ứng Ngày Chuyển đổi số quốc gia năm 2024 trên địa bàn tỉnh Phú Yên", None),
        ("I. MỤC ĐÍCH, YÊU CẦU", None), ("Nâng cao nhận thức về chuyển đổi số.", "List Bullet"),
        ("II. NỘI DUNG", None), ('Chủ đề: "Phổ cập hạ tầng số, ứng dụng số".', "List Number"),
        ("III. TỔ CHỨC THỰC HIỆN", None),
        ("Sở Thông tin và Truyền thông", "List Number 2"),
        ("Chủ trì triển khai các nội dung của Kế hoạch này.", "List Bullet 2"),
        ("Báo cáo UBND tỉnh trước ngày 28/10/2024.", "List Bullet 2"),
        ("Sở Nội vụ", "List Number 2"),
        ("Số hóa hồ sơ cán bộ, công chức trong tháng 11/2024.", "List Bullet 2"),
    ]:  # fmt: skip
        document.add_paragraph(text, style=style)
    document.save(tmp_path / "ke-hoach.docx")
    draft = draft_plan(read_source(tmp_path / "ke-hoach.docx"))
    assert draft.data["theme"] == "Phổ cập hạ tầng số, ứng dụng số"  # a numbered item that is the theme, no duty
    assert [(a["name"], a["ref"]) for a in draft.data["agencies"]] == [
        ("Sở Thông tin và Truyền thông", "III.1"), ("Sở Nội vụ", "III.2"),
    ]  # fmt: skip
    assert [(i["id"], i.get("deadline", {}).get("kind")) for i in draft.data["responsibilities"]] == [
        ("iii1-1", None), ("iii1-2", "before"), ("iii2-1", "month"),
    ]  # fmt: skip


MINISTRY = """BỘ THÔNG TIN VÀ TRUYỀN THÔNG

Số: 3/KH-BTTTT

KẾ HOẠCH
Hưởng ứng Ngày Chuyển đổi số quốc gia năm 2024

I. MỤC ĐÍCH

- Nâng cao nhận thức.

II. TỔ CHỨC THỰC HIỆN

1. Vụ Thi đua - Khen thưởng: Phối hợp với Cục Báo chí, Cục Thông tin cơ sở cập nhật tin bài về các điển hình chuyển đổi số.

2. Cục Báo chí: Hướng dẫn các cơ quan báo chí tuyên truyền về Ngày Chuyển đổi số quốc gia; phối hợp với Vụ Pháp chế và Văn phòng Bộ rà soát văn bản.
"""


def test_a_ministry_and_its_units_as_partners(tmp_path):
    draft = _draft_text(tmp_path, MINISTRY)
    assert draft.data["issuer"] == "Bộ Thông tin và Truyền thông"
    names = {a["id"]: a["name"] for a in draft.data["agencies"]}
    partners = [[names[p] for p in i.get("partners", [])] for i in draft.data["responsibilities"]]
    # "Cục Báo chí" is the agency of clause 2; "Cục Thông tin cơ sở", "Vụ Pháp chế", "Văn phòng Bộ" are offered
    assert partners == [["Cục Báo chí", "Cục Thông tin cơ sở"], [], ["Vụ Pháp chế", "Văn phòng Bộ"]]
    assert draft.data["responsibilities"][0]["title"].startswith("Phối hợp với Cục Báo chí, Cục Thông tin cơ sở cập nhật")


def test_a_clause_heading_that_runs_on_into_its_duty_without_a_colon(tmp_path):
    text = PLAN.split("V. TỔ CHỨC THỰC HIỆN")[0] + (
        "V. TỔ CHỨC THỰC HIỆN\n\n"
        "1. Sở Giáo dục và Đào tạo chỉ đạo các trường học tổ chức tiết học về chuyển đổi số trong tháng 10/2023.\n\n"
        "2. Trung tâm Công nghệ thông tin và Truyền thông bảo đảm an toàn thông tin cho các hệ thống.\n"
    )
    draft = _draft_text(tmp_path, text)
    assert [a["name"] for a in draft.data["agencies"]] == [
        "Sở Giáo dục và Đào tạo", "Trung tâm Công nghệ thông tin và Truyền thông",
    ]  # fmt: skip


def test_deadline_wordings_of_the_genre():
    from dsday_cli.documents.draft import read_deadlines

    def read(text: str, bare: str = "") -> list[dict]:
        return [r.as_data() for r in read_deadlines(text, 2024, bare=bare)[0]]

    assert read("Tuyên truyền từ tháng 9 đến tháng 10/2024.") == [
        {"kind": "window", "start": date(2024, 9, 1), "end": date(2024, 10, 31)}
    ]
    assert read("Tuyên truyền trong tháng 9-10/2024.") == [
        {"kind": "window", "start": date(2024, 9, 1), "end": date(2024, 10, 31)}
    ]  # not "on 9/10/2024"
    assert read("Hưởng ứng Ngày Chuyển đổi số quốc gia 10/10 trên địa bàn tỉnh") == []  # the day's name
    assert read("hoàn thành trong quý II năm 2026") == [{"kind": "quarter", "quarter": "2026-Q2"}]
    assert read("Năm 2026", bare="by") == [{"kind": "year", "year": 2026}]
    assert read("10/2026", bare="by") == [{"kind": "month", "month": "2026-10"}]
    assert read("Ngày Chuyển đổi số quốc gia năm 2024") == []  # a year named is no deadline in running text
    assert read("Duy trì hoạt động của Tổ công nghệ số cộng đồng thường xuyên.") == [{"kind": "ongoing"}]
    assert read("chậm nhất ngày 05 tháng 11 năm 2024") == [{"kind": "by", "date": date(2024, 11, 5)}]


def test_an_annex_table_whose_header_has_two_rows(tmp_path):
    import docx

    document = docx.Document()
    for text in ("ỦY BAN NHÂN DÂN", "TỈNH PHÚ YÊN", "Số: 8/KH-UBND", "KẾ HOẠCH", "Chuyển đổi số năm 2026", "PHỤ LỤC"):
        document.add_paragraph(text)
    table = document.add_table(rows=4, cols=6)
    heads = ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian", ""]
    for index, text in enumerate(heads):
        table.cell(0, index).text = text
    for index in range(4):  # the first four columns merged down over the header's two rows
        table.cell(0, index).merge(table.cell(1, index))
    table.cell(0, 4).merge(table.cell(0, 5))  # "Thời gian" over "Bắt đầu | Hoàn thành"
    table.cell(0, 4).text = "Thời gian"
    table.cell(1, 4).text, table.cell(1, 5).text = "Bắt đầu", "Hoàn thành"
    for row, cells in zip(table.rows[2:], [
        ["1", "Nâng cấp Trung tâm dữ liệu tỉnh", "Sở Khoa học và Công nghệ", "Sở Tài chính", "01/3/2026", "30/9/2026"],
        ["2", "Số hóa hồ sơ lưu trữ", "Sở Nội vụ", "", "Quý I/2026", "Quý IV/2026"],
    ]):  # fmt: skip
        for cell, text in zip(row.cells, cells):
            cell.text = text
    document.save(tmp_path / "ke-hoach.docx")
    draft = draft_plan(read_source(tmp_path / "ke-hoach.docx"))
    assert [i.get("deadline") for i in draft.data["responsibilities"]] == [
        {"kind": "by", "date": date(2026, 9, 30)},
        {"kind": "quarter", "quarter": "2026-Q4"},
    ]
    assert [i["title"] for i in draft.data["responsibilities"]] == ["Nâng cấp Trung tâm dữ liệu tỉnh", "Số hóa hồ sơ lưu trữ"]


def test_a_bare_date_in_running_text_is_commented_as_what_it_is_read(tmp_path):
    text = PLAN.split("V. TỔ CHỨC THỰC HIỆN")[0] + (
        "V. TỔ CHỨC THỰC HIỆN\n\n1. Sở Công Thương\n\n- Tổ chức hội nghị kết nối cung cầu 12/10/2023.\n\n"
        "- Rà soát danh mục sản phẩm. Thời hạn: 30/11/2023.\n"
    )
    draft = _draft_text(tmp_path, text)
    items = draft.data["responsibilities"]
    index = next(n for n, i in enumerate(items) if "kết nối" in i["title"])
    assert items[index]["deadline"] == {"kind": "on", "date": date(2023, 10, 12)}
    assert draft.comments[("responsibilities", index, "deadline")] == [
        'as written: "12/10/2023"',
        "inferred: a date with no wording: read as 'on', the day of the work",
    ]  # never "read as 'by'" beside an 'on'
    assert items[index + 1]["deadline"] == {"kind": "by", "date": date(2023, 11, 30)}  # "Thời hạn: 30/11/2023"


def test_a_line_giving_a_duty_its_time_belongs_to_the_duty_above(tmp_path):
    text = PLAN.split("V. TỔ CHỨC THỰC HIỆN")[0] + (
        "V. TỔ CHỨC THỰC HIỆN\n\n1. Sở Giáo dục và Đào tạo\n\n"
        "- Tổ chức cuộc thi trực tuyến tìm hiểu về chuyển đổi số cho học sinh.\n\n"
        "- Thời gian thực hiện: tháng 11/2023.\n\n"
        "- Sản phẩm: báo cáo kết quả cuộc thi.\n"
    )
    draft = _draft_text(tmp_path, text)
    duties = [i for i in draft.data["responsibilities"] if i["id"].startswith("v")]
    assert len(duties) == 1
    assert duties[0]["deadline"] == {"kind": "month", "month": "2023-11"}


def test_agencies_as_dashes_of_a_group_clause_and_as_letters_with_no_clause(tmp_path):
    dashed = GROUPED.replace("a) Sở Thông tin và Truyền thông:", "- Sở Thông tin và Truyền thông:").replace(
        "b) Sở Tư pháp:", "- Sở Tư pháp:"
    ).replace("\n\n- Cấp Phiếu", "\n\n+ Cấp Phiếu")
    draft = _draft_text(tmp_path, dashed)
    assert [(a["name"], a["ref"]) for a in draft.data["agencies"]][:2] == [
        ("Sở Thông tin và Truyền thông", "II.1"), ("Sở Tư pháp", "II.1"),
    ]  # fmt: skip
    assert [(i["id"], i["agency"]) for i in draft.data["responsibilities"]][:3] == [
        ("ii1-1", "stttt"), ("ii1-2", "stttt"), ("ii1-3", "stp"),
    ]  # fmt: skip
    lettered = GROUPED.replace("1. Các sở, ban, ngành\n\n", "").split("2. UBND")[0]
    draft = _draft_text(tmp_path, lettered)
    assert [(a["name"], a["ref"]) for a in draft.data["agencies"]] == [
        ("Sở Thông tin và Truyền thông", "II.a"), ("Sở Tư pháp", "II.b"),
    ]  # fmt: skip
    assert draft.unplaced == []


def test_recurrent_spending_is_no_ongoing_deadline():
    from dsday_cli.documents.draft import read_deadlines

    def read(text: str, bare: str = "") -> list[dict]:
        return [r.as_data() for r in read_deadlines(text, 2024, bare=bare)[0]]

    assert read("Bố trí kinh phí cho các hoạt động của Kế hoạch từ nguồn chi thường xuyên của Bộ.") == []
    assert read("Bảo đảm kinh phí thường xuyên cho Tổ công nghệ số cộng đồng.") == []
    assert read("Đẩy mạnh hóa đơn điện tử; thực hiện thường xuyên.") == [{"kind": "ongoing"}]
    assert read("Thường xuyên", bare="by") == [{"kind": "ongoing"}]
    draft = draft_plan(read_source(EVAL / "bo-tai-chinh-2024.docx"))
    budget = next(i for i in draft.data["responsibilities"] if i["title"].startswith("Bố trí kinh phí"))
    assert "deadline" not in budget


def test_a_clause_agency_ends_where_what_is_said_of_it_starts():
    draft = draft_plan(read_source(EVAL / "hai-phong-2024-annex.docx"))
    names = [a["name"] for a in draft.data["agencies"]]
    assert names[:2] == ["Sở Thông tin và Truyền thông", "Các sở, ban, ngành, Ủy ban nhân dân các quận, huyện"]
    titles = [i["title"] for i in draft.data["responsibilities"] if i["ref"] == "V.1"]
    assert titles[0].startswith("Là cơ quan thường trực, theo dõi")


def test_partners_separated_by_semicolons_and_a_group_after_a_name():
    draft = draft_plan(read_source(EVAL / "hai-phong-2024-annex.docx"))
    names = {a["id"]: a["name"] for a in draft.data["agencies"]}
    partners = {i["ref"]: [names[p] for p in i.get("partners", [])] for i in draft.data["responsibilities"]}
    assert partners["PL.II.2"] == ["Ngân hàng Nhà nước Chi nhánh Hải Phòng", "các doanh nghiệp"]
    assert partners["PL.II.1"] == ["Văn phòng UBND thành phố"]  # "các cơ quan liên quan" names no body
    assert partners["PL.III.3"] == ["Các sở, ban, ngành", "UBND các quận, huyện"]
    draft = draft_plan(read_source(EVAL / "bo-tai-chinh-2024.docx"))
    names = {a["id"]: a["name"] for a in draft.data["agencies"]}
    tax = next(i for i in draft.data["responsibilities"] if "nộp thuế điện tử qua" in i["title"])
    assert [names[p] for p in tax["partners"]] == ["Ngân hàng Nhà nước Việt Nam", "các ngân hàng thương mại"]


def test_the_closing_request_is_no_duty_and_a_time_section_of_dates_is_the_campaign():
    draft = draft_plan(read_source(EVAL / "bo-tai-chinh-2024.docx"))
    assert not any("vướng mắc" in i["title"] for i in draft.data["responsibilities"])
    draft = draft_plan(read_source(EVAL / "hai-phong-2024-annex.docx"))
    assert draft.data["campaign"] == {"start": date(2024, 10, 1), "end": date(2024, 10, 31), "ref": "III"}
    assert [m["title"] for m in draft.data["milestones"] if m["id"].startswith("campaign")] == [
        "Bắt đầu thời gian thực hiện Kế hoạch", "Kết thúc thời gian thực hiện Kế hoạch",
    ]  # fmt: skip
    assert not any(u.startswith("III") for u in draft.unplaced)


def test_titles_drop_a_whole_window_and_unit_ids_end_on_a_word():
    draft = draft_plan(read_source(EVAL / "tuyen-quang-2025.txt"))
    banners = next(i for i in draft.data["responsibilities"] if "băng rôn" in i["title"])
    assert banners["title"] == "Chỉ đạo treo băng rôn, khẩu hiệu hưởng ứng tại các tuyến phố chính, trụ sở cơ quan"
    ids = {a["name"]: a["id"] for a in draft.data["agencies"]}
    assert ids["Báo và Phát thanh, Truyền hình Tuyên Quang"] == "bao-phat-thanh"  # not "bao-va"
    draft = draft_plan(read_source(EVAL / "bo-tai-chinh-2024.docx"))
    ids = {a["name"]: a["id"] for a in draft.data["agencies"]}
    assert ids["Văn phòng Bộ"] == "van-phong-bo"
    assert ids["Vụ Kế hoạch - Tài chính"] == "vu-khtc"
    assert (ids["Tổng cục Thuế"], ids["Tổng cục Hải quan"]) == ("tong-cuc-thue", "tong-cuc-hai-quan")
