"""The results report: the Word document of Nghị định 30/2020, its figures, weekly progress and wording."""

import json
import os
import re
import subprocess
import sys
import time
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.shared import Mm

from dsday_cli.core.i18n import choose
from tests.conftest import DSDAY, EMBEDDED, write_plan

AS_OF = ["--as-of", "2023-10-26"]
VI = {"DSDAY_LANG": "vi"}


@pytest.fixture(autouse=True)
def shared_matplotlib_cache(tmp_path_factory, monkeypatch):
    """matplotlib's font list, built once for the session rather than in every test's fresh cache."""
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path_factory.getbasetemp() / "matplotlib"))
    choose(None)  # a --lang given to an earlier in-process run must not carry over


def record(cli) -> None:
    """On time, late, a member's part on time and late, a whole group item, a performer left blank."""
    steps = [
        ("v5-1", "--on", "20/09/2023", "--by", "Ban Biên tập Báo Nghệ An"),  # the whole group, week 1
        ("ii2-a", "--on", "28/09/2023", "--by", "Phòng Chuyển đổi số"),  # week 2
        ("v1-3", "--on", "09/10/2023", "--by", "Nguyễn Văn An", "--note", "Lễ phát động tại Vinh"),  # week 4
        ("v2-1", "--on", "15/10/2023", "--by", "Sở GD&ĐT"),  # week 5
        ("v7-1", "--member", "vinh", "--on", "14/10/2023", "--by", "Trần Thị Bình"),
        ("v7-1", "--member", "cua-lo", "--on", "16/10/2023", "--by", "Văn phòng UBND thị xã"),
        ("v1-6", "--on", "25/10/2023", "--by", "Phòng Chuyển đổi số"),  # "trước ngày 25/10": one day late
    ]
    for step in steps:
        result = cli("done", *step, *AS_OF)
        assert result.code == 0, result


def docx_text(document) -> list[str]:
    """Every paragraph of the body, its tables and the page header, in order, as text."""
    lines = [p.text for p in document.sections[0].header.paragraphs]
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in element.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in element.iter():
                if row.tag.endswith("}tc"):
                    lines.append(" ".join("".join(t.text or "" for t in p.iter() if t.tag.endswith("}t")) for p in row))
    return lines


class _HtmlText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag == "style"
        if tag in ("p", "td", "th", "h1", "h2", "h3", "div", "br", "tr", "text"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        self.skip -= tag == "style"

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(page: str) -> str:
    parser = _HtmlText()
    parser.feed(page)
    return "".join(parser.parts)


def md_tables(text: str) -> list[list[list[str]]]:
    """Markdown tables as lists of rows of cells (emphasis removed)."""
    tables, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            if not set(line) <= set("|:- "):
                current.append([c.strip().strip("*") for c in line.strip().strip("|").split(" | ")])
        elif current:
            tables.append(current)
            current = []
    return tables


def html_tables(page: str) -> list[list[list[str]]]:
    tables = []
    for table in re.findall(r'<table class="data">(.*?)</table>', page, re.DOTALL):
        rows = []
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.DOTALL):
            rows.append(
                [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.DOTALL)]
            )
        tables.append(rows)
    return tables


def docx_tables(document) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def by_label(tables, first_header: str, second_header: str) -> dict[str, list[str]]:
    """The rows of every table whose first headers are these, by their label (second) cell."""
    rows = {}
    for table in tables:
        if table[0][:2] == [first_header, second_header]:
            for row in table[1:]:
                rows[row[1]] = row
    return rows


def test_word_document_in_the_form_of_decree_30(sh, cli, tmp_path):
    record(cli)
    result = sh("report", "--format", "docx", "-o", "bao-cao.docx", "--as-of", "26/10/2023", "--lang", "vi")
    assert result.code == 0, result
    assert result.err == "dsday: đã ghi bao-cao.docx\n"
    document = Document(str(tmp_path / "bao-cao.docx"))

    section = document.sections[0]
    # Word stores lengths in twentieths of a point: compare in tenths of a millimetre.
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (210, 297)
    mm = {side: round(getattr(section, f"{side}_margin").mm, 1) for side in ("top", "bottom", "left", "right")}
    assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25 and 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20

    # Times New Roman for every script, with no theme font that Word would prefer, and no run naming another.
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    defaults = document.styles.element.find(f"{w}docDefaults").find(f"{w}rPrDefault").find(f"{w}rPr")
    fonts = defaults.find(f"{w}rFonts").attrib
    assert {key.removeprefix(w): value for key, value in fonts.items()} == dict.fromkeys(
        ("ascii", "hAnsi", "eastAsia", "cs"), "Times New Roman"
    )
    assert document.styles["Normal"].font.name == "Times New Roman"
    named = {f for f in document.element.body.iter(f"{w}rFonts") for f in f.attrib.values()}
    assert named <= {"Times New Roman"}
    sizes = {run.font.size.pt for p in document.paragraphs for run in p.runs if run.text.strip()}
    assert sizes == {12.0, 14.0}, sizes  # the body 14 pt, the chart's caption 12

    head = document.tables[0]
    left, right = head.cell(0, 0), head.cell(0, 1)
    assert [p.text for p in left.paragraphs if p.text] == ["UBND TỈNH NGHỆ AN", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"]
    assert [r.bold for p in left.paragraphs for r in p.runs if r.text] == [None, True]  # parent normal, issuer bold
    assert [p.text for p in right.paragraphs if p.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert all(r.bold for p in right.paragraphs for r in p.runs if r.text)
    assert head.cell(1, 0).text == "Số: …/BC-STTTT"
    assert head.cell(1, 1).text == "Nghệ An, ngày … tháng … năm …"
    assert all(r.italic for p in head.cell(1, 1).paragraphs for r in p.runs if r.text)

    texts = [p.text for p in document.paragraphs]
    title = texts.index("BÁO CÁO")
    assert document.paragraphs[title].runs[0].bold and document.paragraphs[title].alignment == 1
    assert (
        texts[title + 1]
        == "Kết quả thực hiện Kế hoạch tổ chức Ngày Chuyển đổi số quốc gia năm 2023 trên địa bàn tỉnh Nghệ An"
    )
    assert texts[title + 2] == "Kính gửi: Ủy ban nhân dân tỉnh Nghệ An"
    assert "Sở Thông tin và Truyền thông kính báo cáo Ủy ban nhân dân tỉnh Nghệ An./." in texts

    results = next(t for t in document.tables if t.cell(0, 1).text == "Cơ quan, đơn vị")
    assert [c.text for c in results.rows[0].cells] == [
        "STT", "Cơ quan, đơn vị", "Số nhiệm vụ", "Hoàn thành đúng hạn", "Hoàn thành chậm", "Chưa hoàn thành",
        "Tỷ lệ hoàn thành",
    ]  # fmt: skip
    assert [r.cells[0].text for r in results.rows[1:-1]] == [str(n) for n in range(1, 10)]
    assert [c.text for c in results.rows[-1].cells] == ["", "Tổng cộng", "27", "4", "1", "22", "18,5%"]
    assert [c.text for c in results.rows[1].cells] == [
        "1",
        "Sở Thông tin và Truyền thông",
        "7",
        "2",
        "1",
        "4",
        "42,9%",
    ]

    sign = document.tables[-1]
    recipients = [p.text for p in sign.cell(0, 0).paragraphs]
    assert recipients == ["Nơi nhận:", "- Như trên;", "- Lưu: VT, …"]
    label = sign.cell(0, 0).paragraphs[0].runs[0]
    assert label.bold and label.italic and label.font.size.pt == 12
    signer = [p.text for p in sign.cell(0, 1).paragraphs if p.text]
    assert signer == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "………………"]  # the name stays for the office to type

    assert len(document.inline_shapes) == 1  # the weekly chart
    chart = document.inline_shapes[0]
    assert chart.width == Mm(160)
    blob = document.part.related_parts[chart._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    assert blob.startswith(b"\x89PNG\r\n\x1a\n")
    assert document.sections[0].different_first_page_header_footer  # page numbers from page 2


def test_options_fill_in_number_date_and_signer(cli, tmp_path):
    result = cli(
        "report", "-f", "docx", "-o", "r.docx", "--number", "125", "--date", "05/10/2023",
        "--signer", "Nguyễn Văn A", "--signer-title", "GIÁM ĐỐC", *AS_OF, env=VI,
    )  # fmt: skip
    assert result.code == 0, result
    document = Document(str(tmp_path / "r.docx"))
    head = document.tables[0]
    assert head.cell(1, 0).text == "Số: 125/BC-STTTT"
    assert head.cell(1, 1).text == "Nghệ An, ngày 05 tháng 10 năm 2023"  # a day below 10 takes its 0
    assert [p.text for p in document.tables[-1].cell(0, 1).paragraphs if p.text] == ["GIÁM ĐỐC", "Nguyễn Văn A"]
    md = cli("report", "--date", "2024-02-09", "--number", "7/BC-STTTT", *AS_OF, env=VI).out
    assert "| Số: 7/BC-STTTT | *Nghệ An, ngày 09 tháng 02 năm 2024* |" in md  # and so do the months 1 and 2


def test_a_bad_signing_date_is_a_usage_error(cli, tmp_path):
    result = cli("report", "-f", "docx", "-o", "r.docx", "--date", "31/02/2023", *AS_OF)
    assert result.code == 2
    assert result.err == "dsday: --date: '31/02/2023' is not a day of the calendar\n"
    assert not (tmp_path / "r.docx").exists()


def test_a_plan_without_a_report_section_leaves_the_blanks_visible(cli, tmp_path):
    write_plan(tmp_path / "p.yaml")
    out = cli("report", "--plan", "p.yaml", *AS_OF, env=VI).out
    assert out.startswith(
        "| **…** | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**<br>**Độc lập - Tự do - Hạnh phúc** |\n"
        "|:---:|:---:|\n"
        "| Số: …/BC-… | *…, ngày … tháng … năm …* |\n"
    )
    assert "Kính gửi: UBND tỉnh Thử\n" in out  # the results go back to whoever issued the plan
    assert "Thực hiện Kế hoạch số … ngày … của UBND tỉnh Thử về thử, kết quả thực hiện tính đến ngày 26/10/2023" in out
    assert out.endswith("| ***Nơi nhận:***<br>- Như trên;<br>- Lưu: VT. | …<br><br><br><br>**………………** |\n")


def test_docx_goes_to_a_pipe_as_bytes(tmp_path):
    done = subprocess.run([DSDAY, "report", "-f", "docx", *AS_OF], capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    (tmp_path / "piped.docx").write_bytes(done.stdout)
    assert Document(str(tmp_path / "piped.docx")).tables[0].cell(0, 1).text.startswith("SOCIALIST REPUBLIC")


def test_figures_agree_with_status_json(cli, tmp_path):
    record(cli)
    status = json.loads(cli("status", "--format", "json", *AS_OF).out)
    md = cli("report", *AS_OF, env=VI).out
    assert cli("report", "-f", "html", "-o", "r.html", *AS_OF, env=VI).code == 0
    assert cli("report", "-f", "docx", "-o", "r.docx", *AS_OF, env=VI).code == 0
    sources = {
        "md": md_tables(md),
        "html": html_tables((tmp_path / "r.html").read_text(encoding="utf-8")),
        "docx": docx_tables(Document(str(tmp_path / "r.docx"))),
    }
    totals = [0, 0, 0, 0]
    for name, tables in sources.items():
        agencies = by_label(tables, "STT", "Cơ quan, đơn vị")
        members = by_label(tables, "STT", "Đơn vị")
        for agency in status["agencies"]:
            not_done = agency["open"] + agency["due_soon"] + agency["overdue"]
            counts = [agency["total"], agency["done"], agency["done_late"], not_done]
            done = agency["done"] + agency["done_late"]
            rate = f"{done * 100 / agency['total']:.1f}".replace(".", ",") + "%"
            assert agencies[agency["name"]][2:] == [str(c) for c in counts] + [rate], (name, agency["id"])
            if name == "md":
                totals = [t + c for t, c in zip(totals, counts)]
            for member in agency["members"]:
                row = members[member["name"]]
                assert (int(row[2]), int(row[3]) + int(row[4])) == (member["total"], member["done"]), member
        assert agencies["Tổng cộng"][2:6] == [str(t) for t in totals], name
    assert totals == [27, 4, 1, 22]
    assert (
        "Trong tổng số 27 nhiệm vụ, đã hoàn thành 5 nhiệm vụ (18,5%), trong đó hoàn thành đúng hạn 4 nhiệm vụ "
        "(14,8%), hoàn thành chậm 1 nhiệm vụ (3,7%); chưa hoàn thành 22 nhiệm vụ (81,5%)." in md
    )


def test_weekly_progress_agrees_with_status_on_each_weeks_last_day(cli):
    record(cli)
    md = cli("report", *AS_OF, env=VI).out
    weeks = next(t for t in md_tables(md) if t[0][0] == "Tuần")[1:]
    start, as_of = date(2023, 9, 15), date(2023, 10, 26)
    assert len(weeks) == 6  # 15/09 to 26/10: six weeks, the last ending on the day judged
    previous_done = 0
    for number, row in enumerate(weeks, 1):
        first = start + timedelta(days=7 * (number - 1))
        last = min(first + timedelta(days=6), as_of)
        assert row[:2] == [str(number), f"{first:%d/%m}–{last:%d/%m}"]
        status = json.loads(cli("status", "--format", "json", "--as-of", last.isoformat()).out)
        on_time = sum(a["done"] for a in status["agencies"])
        late = sum(a["done_late"] for a in status["agencies"])
        not_done = sum(a["open"] + a["due_soon"] + a["overdue"] for a in status["agencies"])
        assert row[2:6] == [str(on_time + late - previous_done), str(on_time), str(late), str(not_done)], row
        previous_done = on_time + late
    assert [row[6] for row in weeks] == ["3,7%", "7,4%", "7,4%", "11,1%", "14,8%", "18,5%"]
    assert (
        "Tỷ lệ nhiệm vụ hoàn thành: đến ngày 21/09/2023 đạt 3,7%; đến ngày 28/09/2023 đạt 7,4%; "
        "đến ngày 05/10/2023 đạt 7,4%; đến ngày 12/10/2023 đạt 11,1%; đến ngày 19/10/2023 đạt 14,8%; "
        "đến ngày 26/10/2023 đạt 18,5%." in md
    )


def test_work_done_before_the_campaign_has_its_own_row_and_a_report_before_it_has_none(cli):
    assert cli("done", "v7-1", "--on", "01/09/2023", "--as-of", "2023-09-20").code == 0
    md = cli("report", "--as-of", "2023-09-20", env=VI).out
    weeks = next(t for t in md_tables(md) if t[0][0] == "Tuần")[1:]
    assert weeks == [
        ["", "trước ngày 15/09", "1", "1", "0", "26", "3,7%"],
        ["1", "15/09–20/09", "0", "1", "0", "26", "3,7%"],
    ]
    early = cli("report", "--as-of", "2023-09-10", env=VI).out
    assert "Thời gian tổ chức bắt đầu từ ngày 15/09/2023 nên chưa có số liệu theo tuần." in early
    assert not [t for t in md_tables(early) if t[0][0] == "Tuần"]


def test_what_was_done_names_performers_and_a_partly_done_group_item_appears_once(cli, tmp_path):
    record(cli)
    journal = next((tmp_path / "state" / "dsday").glob("*.progress.jsonl"))
    event = json.loads(journal.read_text(encoding="utf-8").splitlines()[-1])
    event |= {"id": "blank-performer", "item": "v3-1", "on": "2023-10-01", "by": None, "note": None}
    with open(journal, "a", encoding="utf-8") as stream:
        stream.write(json.dumps(event, ensure_ascii=False) + "\n")
    for member, day, by in (("hoi-tin-hoc-na", "05/10/2023", "Hội Tin học"), ("hiep-hoi-dn", "16/10/2023", "Hiệp hội")):
        assert cli("done", "v8-1", "--member", member, "--on", day, "--by", by, *AS_OF).code == 0
    md = cli("report", "--ids", *AS_OF, env=VI).out
    done_part = md[md.index("## II.") : md.index("## III.")]
    outstanding = md[md.index("## III.") : md.index("## IV.")]
    assert (
        "- **v1-3** Chủ trì tổ chức Lễ phát động tuyên truyền rộng rãi Ngày Chuyển đổi số quốc gia năm 2023 "
        "trên địa bàn tỉnh (mục V.1, II.2.e Kế hoạch): hoàn thành ngày 09/10/2023, do Nguyễn Văn An thực hiện. Ghi chú: *“Lễ phát động tại Vinh”*"
    ) in done_part
    assert (
        ": hoàn thành ngày 25/10/2023 (chậm 1 ngày), do Phòng Chuyển đổi số thực hiện." in done_part
    )  # v1-6: "trước ngày 25/10/2023"
    assert (
        "Tuyên truyền, phổ biến nội dung trọng tâm theo Quyết định số 505/QĐ-TTg (mục V.3 Kế hoạch): hoàn thành ngày 01/10/2023, "
        "không ghi nhận người thực hiện."
        in done_part
    )
    # Members that did it the same day by the same hand share one clause; others get their own.
    assert ": cả 3 đơn vị hoàn thành ngày 20/09/2023, do Ban Biên tập Báo Nghệ An thực hiện.\n" in done_part
    assert (
        ": cả 2 đơn vị đã hoàn thành, đơn vị cuối cùng hoàn thành ngày 16/10/2023. Hội Tin học: hoàn thành ngày "
        "05/10/2023, do Hội Tin học thực hiện; Hiệp hội doanh nghiệp tỉnh: hoàn thành ngày 16/10/2023 (chậm 1 ngày), "
        "do Hiệp hội thực hiện.\n" in done_part
    )
    assert "v7-1" not in done_part and "Trần Thị Bình" not in md  # partly done: outstanding only
    lines = [line for line in outstanding.splitlines() if "v7-1" in line]
    assert len(lines) == 1
    line = lines[0]
    assert line.startswith(
        "- **v7-1** Xây dựng Kế hoạch tổ chức Ngày Chuyển đổi số quốc gia năm 2023 trên địa bàn (mục V.7 Kế hoạch): "
    )
    assert (
        "không quy định thời hạn; đã có 2/21 đơn vị hoàn thành; còn 19 đơn vị chưa hoàn thành gồm: Thị xã Thái Hòa, "
        in line
    )  # V.7 gives a district's own plan no date
    assert "Thành phố Vinh" not in line and "Cửa Lò" not in line and line.endswith("Huyện Yên Thành.")
    assert "- **v7-2** " in outstanding and "chưa có đơn vị nào trong số 21 đơn vị hoàn thành." in outstanding
    headings = re.findall(r"^\*\*(.+)\*\*$", outstanding, re.MULTILINE)
    assert headings[0] == "Sở Thông tin và Truyền thông" and len(headings) == len(set(headings))  # grouped by agency
    assert (
        "- **v1-1** Chủ trì hướng dẫn công tác thông tin, tuyên truyền về Ngày Chuyển đổi số quốc gia "
        "năm 2023 trên môi trường số (mục V.1, II.2.b Kế hoạch): từ ngày 15/09/2023 đến ngày 15/10/2023 "
        "(theo mục III Kế hoạch), quá hạn 11 ngày.\n"
        in outstanding
    )  # a deadline cited from section III says it is the plan's section, not the report's own III
    assert (
        "- **ii2-dd** Phát động và tổ chức Tháng 10 - Tháng tiêu dùng số; có các chương trình khuyến mãi "
        "khuyến khích sử dụng sản phẩm, dịch vụ số (mục II.2.đ Kế hoạch): trong tháng 10/2023, còn 5 ngày.\n" in outstanding
    )
    # The longest overdue first, duties without a deadline last.
    ministry = outstanding[outstanding.index("**Sở Thông tin và Truyền thông**") : outstanding.index("**Sở Giáo dục")]
    assert re.findall(r"^- \*\*(\S+)\*\* ", ministry, re.MULTILINE) == ["v1-1", "v1-5", "v1-2", "v1-4"]
    assert ministry.count("không quy định thời hạn.") == 2


def test_a_duty_with_no_lead_has_its_own_row_and_one_with_no_deadline_is_never_late(cli, tmp_path):
    extra = (
        "  - {id: u1, ref: II.2.a, title: Việc chưa giao, deadline: {kind: by, date: 2023-10-01}}\n"
        "  - {id: n1, ref: [V.1, II.2.b], agency: ag0, title: Việc thường xuyên}\n"
    )
    write_plan(tmp_path / "p.yaml", extra=extra)
    assert cli("done", "n1", "--on", "20/10/2023", "--by", "Phòng A", "--plan", "p.yaml", *AS_OF).code == 0
    assert cli("done", "t1", "--on", "16/10/2023", "--by", "Phòng B", "--plan", "p.yaml", *AS_OF).code == 0
    md = cli("report", "--plan", "p.yaml", "--ids", *AS_OF, env=VI).out
    status = json.loads(cli("status", "--format", "json", "--plan", "p.yaml", *AS_OF).out)
    assert [i["id"] for i in status["unassigned"]] == ["u1"] and status["total"] == 5
    agencies = by_label(md_tables(md), "STT", "Cơ quan, đơn vị")
    assert agencies["Cơ quan số 0"][2:] == ["3", "1", "0", "2", "33,3%"]  # n1: done, and with no deadline never late
    assert agencies["Cơ quan số 1"][2:] == ["1", "0", "1", "0", "100,0%"]
    assert agencies["Nhiệm vụ chưa xác định cơ quan chủ trì"][2:] == ["1", "0", "0", "1", "0,0%"]
    assert agencies["Tổng cộng"][2:] == [str(status["total"]), "1", "1", "3", "40,0%"]
    assert "- **n1** Việc thường xuyên (mục V.1, II.2.b Kế hoạch): hoàn thành ngày 20/10/2023, do Phòng A thực hiện.\n" in md
    outstanding = md[md.index("## III.") : md.index("## IV.")]
    assert outstanding.endswith(
        "**Nhiệm vụ chưa xác định cơ quan chủ trì**\n\n"
        "- **u1** Việc chưa giao (mục II.2.a Kế hoạch): đến ngày 01/10/2023, quá hạn 25 ngày.\n\n"
    )  # the duties no agency leads come after every agency's
    text = (tmp_path / "p.yaml").read_text(encoding="utf-8")
    (tmp_path / "q.yaml").write_text(text.replace("campaign: {start: 2023-09-15, end: 2023-10-15}\n", ""), "utf-8")
    bare = cli("report", "--plan", "q.yaml", *AS_OF, env=VI).out
    assert "Kế hoạch không quy định thời gian tổ chức chung nên không có số liệu theo tuần." in bare
    assert "Thời gian tổ chức:" not in bare and not [t for t in md_tables(bare) if t[0][0] == "Tuần"]


def test_html_prints_on_a4_with_an_inline_chart_and_no_external_request(cli, tmp_path):
    record(cli)
    for name in ("a.html", "b.html"):
        assert cli("report", "-f", "html", "-o", name, *AS_OF, env=VI).code == 0
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert page == (tmp_path / "b.html").read_text(encoding="utf-8")  # no timestamps, no random ids
    assert "@page { size: A4; margin: 20mm 15mm 20mm 30mm;" in page
    assert 'font-family: "Times New Roman"' in page and "break-after: avoid" in page
    assert page.count("<svg") == 1 and "<figcaption>Số nhiệm vụ hoàn thành đúng hạn" in page
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "Hoàn thành đúng hạn" in svg and "Chưa hoàn thành" in svg and "18,5%" in svg
    references = re.findall(r'(?:href|src)="([^"]*)"|url\(([^)]*)\)', page)
    assert all(target.startswith("#") for pair in references for target in pair if target), references
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert "dc:date" not in svg and "2026" not in svg


def test_report_md_and_status_import_neither_matplotlib_nor_docx():
    for args in (["status"], ["report"]):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "dsday_cli", *args, *AS_OF],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        imported = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
        assert "dsday_cli" in imported and not imported & {"matplotlib", "docx", "numpy"}, args


# Words of a Vietnamese report written without diacritics: Vietnamese syllables, the
# section numbers, and the abbreviations of the decree's form (STT: số thứ tự, VT: văn
# thư, KT: ký thay, BC: báo cáo). Compared in lower case.
VIETNAMESE_PLAIN = {
    "an", "bao", "cho", "chung", "con", "ghi", "khi", "sau", "sung", "tin", "theo", "trong", "thi", "xa", "va",
    "nam", "phan", "hoc", "stt", "vt", "kt", "bc", "stttt", "ubnd", "i", "ii", "iii", "iv", "v",
}  # fmt: skip


def plan_words() -> set[str]:
    """Every word of the plan's own text: names, titles and quotations may be in any language."""
    words: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            words.update(re.findall(r"[^\W\d_]+", value))
        elif isinstance(value, (dict, list)):
            for item in value.values() if isinstance(value, dict) else value:
                walk(item)

    walk(yaml.safe_load(EMBEDDED.read_text(encoding="utf-8")))
    return words | {w.upper() for w in words}


JOURNAL_WORDS = {
    "Ban",
    "Biên",
    "tập",
    "Báo",
    "Nghệ",
    "An",
    "Phòng",
    "Chuyển",
    "đổi",
    "số",
    "Nguyễn",
    "Văn",
    "Lễ",
    "Vinh",
}


def english_words(text: str) -> list[str]:
    """Words made only of ASCII letters that neither the plan nor a list of Vietnamese ones contains."""
    allowed = plan_words() | JOURNAL_WORDS | VIETNAMESE_PLAIN
    found = re.findall(r"[^\W\d_]+", text)
    return sorted({w for w in found if w.isascii() and w not in allowed and w.lower() not in allowed})


def test_every_word_is_vietnamese_under_lang_vi(cli, tmp_path):
    record(cli)
    md = cli("report", *AS_OF, env=VI).out
    assert cli("report", "-f", "html", "-o", "r.html", *AS_OF, env=VI).code == 0
    assert cli("report", "-f", "docx", "-o", "r.docx", *AS_OF, env=VI).code == 0
    texts = {
        "md": re.sub(r"<br>", " ", md),
        "html": html_text((tmp_path / "r.html").read_text(encoding="utf-8")),
        "docx": "\n".join(docx_text(Document(str(tmp_path / "r.docx")))),
    }
    for name, text in texts.items():
        assert "Kính gửi" in text and "Nơi nhận" in text, name
        assert english_words(text) == [], (name, english_words(text))
    # The check itself sees English: the same report in English is full of it.
    assert {"Recipients", "Results", "PROPOSALS", "ASSESSMENT"} <= set(english_words(cli("report", *AS_OF).out))


def test_english_report_keeps_the_plan_text(cli):
    out = cli("report", *AS_OF, env={"DSDAY_LANG": "en"}).out
    assert "| No.: …/BC-STTTT | *Nghệ An, …/…/…* |" in out
    assert "# REPORT\n\n**Results of implementing the Kế hoạch tổ chức Ngày Chuyển đổi số quốc gia năm 2023" in out
    assert "To: Ủy ban nhân dân tỉnh Nghệ An\n" in out
    assert "Of 27 responsibilities, none is done yet.\n" in out  # no "0 are done (0.0%): 0 on time (0.0%)"
    assert "0.0%" not in out.split("### 2. ")[0]


def test_the_embedded_plan_names_no_signer():
    plan = yaml.safe_load(EMBEDDED.read_text(encoding="utf-8"))
    assert plan["report"]["signer_title"] == "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"
    assert "signer" not in plan["report"] and "number" not in plan["report"] and "date" not in plan["report"]


def test_a_report_section_with_an_unknown_key_is_located(cli, tmp_path):
    text = EMBEDDED.read_text(encoding="utf-8").replace("  symbol: BC-STTTT\n", "  symbol: BC-STTTT\n  sigher: X\n")
    Path(tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    result = cli("validate", "plan.yaml")
    assert result.code == 65
    line = text.splitlines().index("  sigher: X") + 1
    assert f"plan.yaml:{line}:3: report.sigher: unknown key" in result.err


def test_html_prints_on_a4_with_each_table_whole_and_beside_its_heading(cli, tmp_path):
    from pypdf import PdfReader

    record(cli)
    md = cli("report", *AS_OF, env=VI).out
    assert cli("report", "-f", "html", "-o", "r.html", *AS_OF, env=VI).code == 0
    profile = tmp_path / "chromium-profile"
    done = subprocess.run(
        [
            "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={tmp_path / 'r.pdf'}",
            str(tmp_path / "r.html"),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    pages = PdfReader(tmp_path / "r.pdf").pages
    for page in pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4 in points
    texts = [" ".join(page.extract_text().split()) for page in pages]
    assert texts[1].startswith("2 ") and not texts[0].startswith("1 ")  # numbered from the second page
    lines = md.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith(("| STT", "| Tuần"))]
    assert len(starts) == 5  # weekly, by agency, and the members of three group agencies
    for start in starts:
        rows = [[c.strip().strip("*") for c in line.strip("|").split(" | ")] for line in lines[start + 2 :]]
        rows = rows[: next(i for i, line in enumerate(lines[start + 2 :]) if not line.startswith("|"))]
        before = next(line for line in reversed(lines[:start]) if line).strip("#* ")
        first, last = " ".join(rows[0]).strip(), " ".join(rows[-1]).strip()
        page = next(i for i, text in enumerate(texts) if first in text)
        assert last in texts[page], (first, last)  # the table is whole on one page
        assert before[-20:] in texts[page], (before, first)  # and its heading is there with it


def test_a_word_document_is_not_written_to_a_terminal(tmp_path):
    session = f"dsday-report-{os.getpid()}"
    env = dict(os.environ, TERM="xterm-256color")
    command = f"{DSDAY} report -f docx --as-of 2023-10-26; echo exit=$?; sleep 30"
    subprocess.run(["tmux", "-L", session, "new-session", "-d", "-x", "120", "-y", "20", "-s", session, command],
                   env=env, check=True)  # fmt: skip
    try:
        screen = ""
        for _attempt in range(200):
            screen = subprocess.run(
                ["tmux", "-L", session, "capture-pane", "-p", "-t", session],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            if "exit=" in screen:
                break
            time.sleep(0.1)
    finally:
        subprocess.run(["tmux", "-L", session, "kill-server"], capture_output=True, check=False)
    assert "dsday: a binary file (xlsx, docx) is not for a terminal: write it with --output FILE\nexit=2" in screen


def test_a_note_with_control_characters_still_makes_a_document(cli, tmp_path):
    assert cli("done", "v1-3", "--on", "09/10/2023", "--note", "Lễ phát động\x01\x0b xong", *AS_OF).code == 0
    result = cli("report", "-f", "docx", "-o", "r.docx", *AS_OF, env=VI)
    assert result.code == 0, result
    texts = [p.text for p in Document(str(tmp_path / "r.docx")).paragraphs]
    # \x01 cannot be said in XML; \v (Word's line break in pasted text) is a line break
    assert any("Ghi chú: “Lễ phát động\ufffd\n xong”" in text for text in texts)
