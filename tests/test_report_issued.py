"""The report as it leaves the office: printed through LibreOffice and Chromium, no id, no login, no English.

Also: the issued report's own duty, the figures against ``status --format json``, the
black-and-white chart, and a group of 130 communes summarised with its annex.
"""

import json
import re
import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from docx import Document

from dsday_cli.core.i18n import choose
from tests.conftest import EMBEDDED, write_plan

AS_OF = ["--as-of", "2023-10-24"]
VI = {"DSDAY_LANG": "vi"}
ISSUED = ["--number", "125", "--date", "24/10/2023", "--signer", "Trần Văn B"]
# What leaked into Vietnamese reports before: the importer's prefix, a login, English words of the layout.
ENGLISH = re.compile(
    r"\b(imported|from|root|nvbinh|done|late|section|Note|Total|due|today|carried|performer|None|False|lead|partner|"
    r"window|cited|on time|not done)\b"
)


@pytest.fixture(autouse=True)
def shared_matplotlib_cache(tmp_path_factory, monkeypatch):
    """matplotlib's font list, built once for the session rather than in every test's fresh cache."""
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path_factory.getbasetemp() / "matplotlib"))
    choose(None)


def numbered_plan(tmp_path: Path) -> Path:
    """The embedded plan with a number and a day of issue (the copy it was encoded from bears neither)."""
    text = EMBEDDED.read_text(encoding="utf-8")
    text = text.replace("year: 2023\n", "year: 2023\nnumber: 203/KH-UBND\nissued: 2023-09-08\n", 1)
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "plan.yaml"


def record(sh, tmp_path: Path) -> None:
    """Completions by name, by a login only, and one imported with the old English prefix in its note."""
    steps = [
        (["v1-3", "--on", "09/10/2023", "--by", "Nguyễn Văn An", "--note", "Lễ phát động tại Vinh"], {}),
        (["ii2-a", "--on", "28/09/2023", "--by", "Phòng Chuyển đổi số"], {}),
        (["v2-1", "--on", "15/10/2023"], {"DSDAY_USER": "", "LOGNAME": "nvbinh"}),  # no name configured: a login
        (["v7-1", "--member", "vinh", "--on", "14/10/2023", "--by", "Trần Thị Bình"], {}),
    ]
    for args, env in steps:
        result = sh("done", *args, *AS_OF, env=env)
        assert result.code == 0, result
    journal = tmp_path / "plan.progress.jsonl"  # beside ./plan.yaml
    event = json.loads(journal.read_text(encoding="utf-8").splitlines()[-1])
    event |= {"id": "old-import", "item": "v3-1", "member": None, "on": "2023-10-02", "seq": None}
    event |= {"by": "Sở Công Thương", "note": "imported from sg-done.xlsx: Đã tuyên truyền trên Cổng thông tin"}
    with open(journal, "a", encoding="utf-8") as stream:
        stream.write(json.dumps(event, ensure_ascii=False) + "\n")


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def libreoffice_pdf(docx: Path) -> list[str]:
    """The Word document as LibreOffice prints it, page by page."""
    profile = docx.parent / "lo-profile"
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(docx.parent), str(docx)],
        capture_output=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return pdf_pages(docx.with_suffix(".pdf"))


def chromium_pdf(page: Path) -> list[str]:
    """The HTML page as Chromium prints it, page by page."""
    out = page.with_suffix(".pdf")
    done = subprocess.run(
        [
            "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={page.parent / 'chromium-profile'}", "--no-pdf-header-footer", f"--print-to-pdf={out}",
            str(page),
        ],
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return pdf_pages(out)


def not_done_total(sh, *args: str) -> int:
    status = json.loads(sh("status", "--format", "json", *args).out)
    return status["total"] - status["finished"]


def test_printed_report_names_clauses_people_and_the_plan_and_counts_as_status_does(sh, tmp_path):
    plan = numbered_plan(tmp_path)
    record(sh, tmp_path)
    draft_not_done = not_done_total(sh, "--plan", str(plan), *AS_OF)
    for fmt in ("docx", "html"):
        result = sh("report", "-f", fmt, "-o", f"r.{fmt}", "--plan", str(plan), *ISSUED, *AS_OF, env=VI)
        assert result.code == 0, result
    ids = [item["id"] for item in yaml.safe_load(plan.read_text(encoding="utf-8"))["responsibilities"]]
    # The report is issued on 24/10 for V.1's duty to report (v1-6): status says the same once that is recorded.
    assert sh("done", "v1-6", "--on", "24/10/2023", "--plan", str(plan), *AS_OF).code == 0
    issued_not_done = not_done_total(sh, "--plan", str(plan), *AS_OF)
    assert issued_not_done == draft_not_done - 1
    printed = {"docx": libreoffice_pdf(tmp_path / "r.docx"), "html": chromium_pdf(tmp_path / "r.html")}
    for name, pages in printed.items():
        text = " ".join(pages)
        assert not [i for i in ids if re.search(rf"(?<![\w./-]){re.escape(i)}(?![\w/-])", text)], name  # no item id
        assert not ENGLISH.findall(text), (name, ENGLISH.findall(text))  # no login, no English word
        assert "Thực hiện Kế hoạch số 203/KH-UBND ngày 08/09/2023 của Ủy ban nhân dân tỉnh Nghệ An về tổ chức" in text
        assert f"chưa hoàn thành {issued_not_done} nhiệm vụ" in text, name  # the figure status gives
        assert "Chủ trì tổ chức Lễ phát động" in text and "(mục V.1, II.2.e Kế hoạch): hoàn thành ngày 09/10/2023, do Nguyễn Văn An thực hiện" in text
        assert "hoàn thành ngày 15/10/2023, không ghi nhận người thực hiện" in text  # the login is no one's name
        assert "Ghi chú: “Đã tuyên truyền trên Cổng thông tin”" in text  # the note as written
        assert "gửi UBND tỉnh (mục V.1 Kế hoạch): hoàn thành ngày 24/10/2023, thực hiện tại Báo cáo này" in text
        assert "Kế hoạch giao 27 nhiệm vụ cho 9 cơ quan, đơn vị chủ trì thực hiện." in text
    docx_pages = printed["docx"]
    # Page 1 is filled before the first table (it used to end half empty: the table kept whole with the chart).
    assert filled(tmp_path / "r.pdf", 1) > 0.75  # the text ends above 0.93 (the bottom margin)
    assert "Trần Văn B" in docx_pages[-1] and "Nơi nhận:" in docx_pages[-1]


def filled(pdf: Path, page: int) -> float:
    """How far down the page its last line of text reaches, as a share of the page's height (pdftotext's boxes)."""
    done = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', done.stdout).group(1))
    return max(float(y) for y in re.findall(r'yMax="([\d.]+)"', done.stdout)) / height


def test_an_issued_reports_figures_are_those_of_status_once_its_duty_is_recorded(cli, tmp_path):
    assert cli("done", "v1-3", "--on", "09/10/2023", "--by", "Nguyễn Văn An", *AS_OF).code == 0
    draft = cli("report", *AS_OF, env=VI).out
    issued = cli("report", *ISSUED, *AS_OF, env=VI).out
    # A draft (no signing day) lists the duty to report as outstanding, as status does.
    status = json.loads(cli("status", "--format", "json", *AS_OF).out)
    assert f"chưa hoàn thành {status['total'] - status['finished']} nhiệm vụ" in draft
    assert "thực hiện tại Báo cáo này" in issued and "thực hiện tại Báo cáo này" not in draft
    assert cli("done", "v1-6", "--on", "24/10/2023", *AS_OF).code == 0
    status = json.loads(cli("status", "--format", "json", *AS_OF).out)
    done = status["finished"]
    assert (
        f"Trong tổng số {status['total']} nhiệm vụ, đã hoàn thành {done} nhiệm vụ" in issued
        and f"chưa hoàn thành {status['total'] - done} nhiệm vụ" in issued
    )
    agencies = {a["name"]: a for a in status["agencies"]}
    row = next(line for line in issued.splitlines() if line.startswith("| 1 | Sở Thông tin và Truyền thông |"))
    sttt = agencies["Sở Thông tin và Truyền thông"]
    assert row.split(" | ")[2:6] == [str(sttt["total"]), str(sttt["done"]), str(sttt["done_late"]), str(
        sttt["open"] + sttt["due_soon"] + sttt["overdue"]
    )]
    weeks = [line for line in issued.splitlines() if line.startswith("| 6 | 20/10–24/10 |")]
    assert weeks and weeks[0].split(" | ")[5] == str(status["total"] - done)  # the last week counts it too


def test_wording_clauses_ids_on_request_due_today_and_a_title_ending_in_a_full_stop(cli, tmp_path):
    extra = "  - {id: x1, ref: V.9, agency: ag1, title: Việc có dấu chấm., deadline: {kind: by, date: 2023-10-24}}\n"
    write_plan(tmp_path / "p.yaml", extra=extra)
    md = cli("report", "--plan", "p.yaml", *AS_OF, env=VI).out
    assert "- Việc có dấu chấm (mục V.9 Kế hoạch): đến ngày 24/10/2023, đến hạn vào ngày báo cáo.\n" in md
    assert ".:" not in md and "còn 0 ngày" not in md and "**x1**" not in md and "t0" not in md
    with_ids = cli("report", "--plan", "p.yaml", "--ids", *AS_OF).out
    assert "- **x1** Việc có dấu chấm (section V.9): by 24/10/2023, due on the day of this report.\n" in with_ids


def test_only_leads_are_counted_as_assigned_and_items_without_a_lead_apart(cli, tmp_path):
    extra = (
        "  - {id: u1, ref: II.2.a, title: Việc chưa giao, partners: [ag1]}\n"
        "  - {id: p1, ref: V.1, agency: ag0, partners: [ag1], title: Việc phối hợp}\n"
    )
    write_plan(tmp_path / "p.yaml", items=2, agencies=3, extra=extra.replace("ag1", "ag2"))
    text = (tmp_path / "p.yaml").read_text(encoding="utf-8").replace("agency: ag1,", "agency: ag0,")
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")  # ag0 leads everything, ag1 and ag2 nothing
    md = cli("report", "--plan", "p.yaml", *AS_OF, env=VI).out
    assert "Kế hoạch giao 3 nhiệm vụ cho 1 cơ quan, đơn vị chủ trì thực hiện. Có 1 nhiệm vụ Kế hoạch chưa xác định cơ quan chủ trì." in md
    table = [line for line in md.splitlines() if line.startswith("| ") and "Cơ quan số" in line]
    assert [line.split(" | ")[1] for line in table] == ["Cơ quan số 0"]  # a partner only is assigned nothing


def test_the_chart_reads_in_black_and_white_with_its_values_written(cli, tmp_path):
    from PIL import Image

    assert cli("done", "v1-3", "--on", "09/10/2023", *AS_OF).code == 0
    assert cli("done", "v1-6", "--on", "25/10/2023", "--as-of", "2023-10-26").code == 0  # late
    assert cli("report", "-f", "docx", "-o", "r.docx", "--as-of", "2023-10-26", env=VI).code == 0
    document = Document(str(tmp_path / "r.docx"))
    blip = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = Image.open(BytesIO(document.part.related_parts[blip].blob)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert all(max(rgb) - min(rgb) <= 8 for _count, rgb in colours)  # greys only: nothing depends on colour
    assert cli("report", "-f", "html", "-o", "r.html", "--as-of", "2023-10-26", env=VI).code == 0
    svg = (tmp_path / "r.html").read_text(encoding="utf-8")
    svg = svg[svg.index("<svg") : svg.index("</svg>")]
    assert ">25</text>" in svg and ">26</text>" in svg  # the counts on the bars: 25 then 26 not done
    assert "<pattern" in svg  # the late part hatched


def test_a_group_of_130_communes_is_summarised_by_band_and_listed_in_an_annex(cli, tmp_path):
    write_plan(tmp_path / "p.yaml", items=3, agencies=2, members=130)  # ag0 (130 members) leads t0 and t2
    plan = ["--plan", "p.yaml"]
    nothing = cli("report", *plan, *AS_OF, env=VI).out
    assert "Cả 130 đơn vị đều chưa hoàn thành nhiệm vụ nào (kết quả của từng đơn vị tại Phụ lục)." in nothing
    assert "Trong tổng số 3 nhiệm vụ, chưa có nhiệm vụ nào hoàn thành.\n" in nothing
    assert not re.search(r"(?<!\d)0 (đơn vị|nhiệm vụ)", nothing) and "(0,0%)" not in nothing
    for m in range(10):
        assert cli("done", "t0", "--member", f"m{m}", "--on", "01/10/2023", *plan, *AS_OF).code == 0
    some = cli("report", *plan, *AS_OF, env=VI).out  # nobody has done both: that band is left out
    assert "Trong số 130 đơn vị, 10 đơn vị hoàn thành một phần và 120 đơn vị chưa hoàn thành nhiệm vụ nào (" in some
    for m in range(5):
        assert cli("done", "t2", "--member", f"m{m}", "--on", "02/10/2023", *plan, *AS_OF).code == 0
    md = cli("report", *plan, *ISSUED, *AS_OF, env=VI).out
    body, annex = md.split("\n---\n")
    assert (
        "Trong số 130 đơn vị, 5 đơn vị đã hoàn thành tất cả nhiệm vụ được giao, 5 đơn vị hoàn thành một phần và "
        "120 đơn vị chưa hoàn thành nhiệm vụ nào (kết quả của từng đơn vị tại Phụ lục)." in body
    )
    assert "Thành viên 57" not in body  # no 130 names in the body: the annex lists them
    assert "đã có 10/130 đơn vị hoàn thành (kết quả của từng đơn vị tại Phụ lục)" in body
    assert annex.startswith("\n**PHỤ LỤC**\n\n*(Kèm theo Báo cáo số 125/BC-… ngày 24 tháng 10 năm 2023 của …)*\n")
    assert "| STT | Đơn vị | Số nhiệm vụ được giao | Hoàn thành đúng hạn |" in annex  # each unit's parts
    rows = [line for line in annex.splitlines() if line.startswith("| ") and "Thành viên" in line]
    assert len(rows) == 130 and rows[0].startswith("| 1 | Thành viên 0 | 2 | 2 | 0 | 0 | 100,0% |")
    assert "|  | **Tổng cộng** | **260** | **15** | **0** | **245** | **5,8%** |" in annex
    assert cli("report", "-f", "docx", "-o", "r.docx", *plan, *ISSUED, *AS_OF, env=VI).code == 0
    document = Document(str(tmp_path / "r.docx"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body_xml = list(document.element.body)
    breaks = [i for i, e in enumerate(body_xml) if e.find(f".//{w}br[@{w}type='page']") is not None]
    assert len(breaks) == 1  # the annex starts a page, after the signature
    annex_tables = [e for e in body_xml[breaks[0] :] if e.tag == f"{w}tbl"]
    assert len(annex_tables) == 1 and len(annex_tables[0].findall(f"{w}tr")) == 132  # header, 130, Tổng cộng
    assert cli("report", "-f", "html", "-o", "r.html", *plan, *AS_OF, env=VI).code == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count('<section class="annex">') == 1 and "break-before: page" in page


def test_zero_counts_are_said_in_words_and_the_annex_names_the_report_in_full(cli, tmp_path):
    extra = "report: {body: Sở Khoa học và Công nghệ, symbol: BC-SKHCN}\n"
    write_plan(tmp_path / "p.yaml", items=3, agencies=2, members=31, extra=extra)
    plan = ["--plan", "p.yaml"]
    assert cli("done", "t1", "--on", "10/10/2023", *plan, *AS_OF).code == 0  # on time
    md = cli("report", *plan, *AS_OF, env=VI).out
    assert (
        "Trong tổng số 3 nhiệm vụ, đã hoàn thành 1 nhiệm vụ (33,3%), trong đó hoàn thành đúng hạn 1 nhiệm vụ (33,3%), "
        "không có nhiệm vụ hoàn thành chậm; chưa hoàn thành 2 nhiệm vụ (66,7%).\n" in md
    )
    assert "hoàn thành chậm 0" not in md
    assert "(Kèm theo Báo cáo số …/BC-SKHCN ngày … tháng … năm … của Sở Khoa học và Công nghệ)" in md
    assert "Cả 31 đơn vị đều chưa hoàn thành nhiệm vụ nào" in md
    assert cli("done", "t2", "--on", "20/10/2023", *plan, *AS_OF).code == 0  # late, by every member of ag0
    md = cli("report", *plan, *ISSUED, *AS_OF, env=VI).out
    assert "trong đó hoàn thành đúng hạn 1 nhiệm vụ (33,3%), hoàn thành chậm 1 nhiệm vụ (33,3%); chưa hoàn thành" in md
    assert "(Kèm theo Báo cáo số 125/BC-SKHCN ngày 24 tháng 10 năm 2023 của Sở Khoa học và Công nghệ)" in md
    english = cli("report", *plan, *AS_OF, env={"DSDAY_LANG": "en"}).out
    assert "Of 3 responsibilities, 2 are done (66.7%): 1 on time (33.3%) and 1 late (33.3%); 1 are not done" in english
    assert "All 31 units have done some of their parts (each unit's results are in the annex)." in english
    assert "| No. | Unit | Tasks assigned |" in english and "| No. | Agency or unit | Tasks |" in english
    assert cli("report", "-f", "docx", "-o", "r.docx", *plan, *AS_OF, env={"DSDAY_LANG": "en"}).code == 0
    tables = [t for t in Document(str(tmp_path / "r.docx")).tables if len(t.columns) == 7]
    table = next(t for t in tables if t.cell(0, 2).text == "Tasks assigned")
    assert round(table.columns[2].width.mm) >= 25  # the header's words whole, not "Respons/ibilities"
