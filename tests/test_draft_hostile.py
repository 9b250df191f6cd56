"""Documents that are not plans, damaged, hostile or huge: one line naming the file, a documented exit code.

No traceback, and nothing written: the directory holds only what the test put there.
"""

import io
import os
import struct
import zipfile

import pytest
import yaml

from dsday_cli.store.plan import load_plan
from tests.conftest import ROOT
from tests.documents import docx_from_text, pdf_without_text

SEED = ROOT / "tests" / "fixtures" / "nghe-an-2023.txt"


def refused(sh, tmp_path, code: int, *args: str) -> str:
    """Run ``dsday draft ARGS -o out.yaml``; check the code, one line, no traceback, nothing written."""
    before = sorted(os.listdir(tmp_path))
    result = sh("draft", *args, "-o", "out.yaml")
    assert result.code == code, result
    assert result.out == ""
    assert len(result.err.splitlines()) == 1 and result.err.startswith("dsday: "), result.err
    assert "Traceback" not in result.err
    assert sorted(os.listdir(tmp_path)) == before
    return result.err.strip()


def _with_member(docx: bytes, name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr(name, data)
    return out.getvalue()


def test_word_document_with_macros(sh, tmp_path):
    docx_from_text("KẾ HOẠCH\nThử", tmp_path / "plain.docx")
    macro = _with_member((tmp_path / "plain.docx").read_bytes(), "word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    (tmp_path / "plain.docx").unlink()
    (tmp_path / "ke-hoach.docx").write_bytes(macro)
    message = refused(sh, tmp_path, 65, "ke-hoach.docx")
    assert message == (
        "dsday: ke-hoach.docx: contains macros (vbaProject.bin); dsday reads no macro-enabled file: save it as .docx"
    )


def test_word_document_that_unpacks_to_gigabytes(sh, tmp_path):
    docx_from_text("KẾ HOẠCH\nThử", tmp_path / "plain.docx")
    data = bytearray((tmp_path / "plain.docx").read_bytes())
    (tmp_path / "plain.docx").unlink()
    # Forge the central directory: word/document.xml claims 3 GiB once unpacked (a ZIP bomb's header).
    name = b"word/document.xml"
    at = data.find(b"PK\x01\x02" + bytes(16))  # not reliable: search each central entry instead
    at = 0
    while True:
        at = data.find(b"PK\x01\x02", at)
        assert at >= 0
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name:
            struct.pack_into("<I", data, at + 24, 3 * 2**30)
            break
        at += 4
    (tmp_path / "bomb.docx").write_bytes(bytes(data))
    message = refused(sh, tmp_path, 65, "bomb.docx")
    assert message == "dsday: bomb.docx: 3072 MiB once unpacked; more than a plan document holds (the limit is 200 MiB)"


def test_word_document_with_more_text_than_a_plan(sh, tmp_path):
    lines = ["KẾ HOẠCH", "Tuyên truyền " * 200_000]
    docx_from_text("\n".join(lines), tmp_path / "huge.docx")
    assert (tmp_path / "huge.docx").stat().st_size < 200_000  # small on disk, huge in text
    message = refused(sh, tmp_path, 65, "huge.docx")
    chars = sum(len(line.strip()) for line in lines)  # python-docx keeps the trailing space; the count is of raw text
    assert message in {
        f"dsday: huge.docx: {n} characters of text; more than a plan holds (the limit is 2000000)"
        for n in (chars, chars + 1)
    }


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("ke-hoach.docx", b"not a zip at all", "dsday: ke-hoach.docx: not a .docx file (not a ZIP package)"),
        (
            "ke-hoach.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
            "dsday: ke-hoach.docx: an old binary Office file, not .docx; save it as .docx",
        ),
        ("ke-hoach.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\ngarbage", None),
        (
            "ke-hoach.txt",
            "KẾ HOẠCH\nThử nghiệm\n".encode("cp1258", "replace") + b"\xfe\xff",
            "dsday: ke-hoach.txt:3: not UTF-8 text; save it as UTF-8 (Excel: 'CSV UTF-8')",
        ),
        (
            "ke-hoach.txt",
            b"PK\x03\x04 a Word file renamed",
            "dsday: ke-hoach.txt: not a text file (a Word, Excel or PDF file renamed?); give it its own ending",
        ),
        ("ghi-chu.txt", "Một văn bản không phải kế hoạch.\n".encode(), None),
    ],
)
def test_damaged_or_foreign_files(sh, tmp_path, name, content, expected):
    (tmp_path / name).write_bytes(content)
    message = refused(sh, tmp_path, 65, name)
    if expected:
        assert message == expected
    elif name.endswith(".pdf"):
        assert message.startswith("dsday: ke-hoach.pdf: cannot read this PDF: ")
    else:
        assert message.startswith("dsday: ghi-chu.txt: no duties found: no section 'TỔ CHỨC THỰC HIỆN'")


def test_scanned_pdf_without_text(sh, tmp_path):
    pdf_without_text(tmp_path / "scan.pdf")
    message = refused(sh, tmp_path, 65, "scan.pdf")
    assert message == (
        "dsday: scan.pdf: the PDF has no text layer (a scanned image?); give the .docx, or a PDF with text"
    )


def test_annex_table_with_missing_columns(sh, tmp_path):
    (tmp_path / "phu-luc.csv").write_text(
        "STT;Nội dung nhiệm vụ;Thời gian hoàn thành\n1;Tuyên truyền;Tháng 10/2024\n", encoding="utf-8"
    )
    message = refused(sh, tmp_path, 65, "phu-luc.csv")
    assert message == (
        "dsday: phu-luc.csv (phu-luc.csv): the annex table has no column 'Cơ quan chủ trì'; "
        "its columns: STT | Nội dung nhiệm vụ | Thời gian hoàn thành"
    )
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "PL"
    book.active.append(["Nội dung", "Ghi chú"])
    book.active.append(["Tuyên truyền", ""])
    book.save(tmp_path / "phu-luc.xlsx")
    message = refused(sh, tmp_path, 65, "phu-luc.xlsx")
    assert message == (
        "dsday: phu-luc.xlsx (sheet 'PL'): the annex table has no column 'Cơ quan chủ trì'; "
        "its columns: Nội dung | Ghi chú"
    )
    book = Workbook()
    book.active.title = "Số liệu"
    book.active.append(["Huyện", "Dân số"])
    book.active.append(["Đô Lương", 200_000])
    book.save(tmp_path / "so-lieu.xlsx")
    message = refused(sh, tmp_path, 65, "so-lieu.xlsx")
    assert message == (
        "dsday: so-lieu.xlsx (sheet 'Số liệu'): no header row with the columns of an annex table "
        "(STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành)"
    )


def test_usage_and_missing_files(sh, tmp_path):
    assert refused(sh, tmp_path, 66, "khong-co.docx") == "dsday: khong-co.docx: no such file"
    (tmp_path / "ke-hoach.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    assert refused(sh, tmp_path, 2, "ke-hoach.doc") == (
        "dsday: ke-hoach.doc: dsday cannot read '.doc' files; it reads .docx, .pdf, .txt, .md, .markdown, .text, "
        ".xlsx, .csv (save it as .docx)"
    )
    assert refused(sh, tmp_path, 2, str(SEED), "--members", "ubnd-huyen") == (
        "dsday: --members: write AGENCY=FILE, e.g. ubnd-huyen=districts.txt"
    )
    assert refused(sh, tmp_path, 66, str(SEED), "--members", "ubnd-huyen=khong-co.txt") == (
        "dsday: khong-co.txt: no such file"
    )
    (tmp_path / "names.txt").write_text("Xã A\n", encoding="utf-8")
    assert refused(sh, tmp_path, 2, str(SEED), "--members", "bo quoc phong=names.txt").startswith(
        "dsday: unknown agency 'bo quoc phong'"
    )


def test_output_that_cannot_be_written(sh, tmp_path):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked").chmod(0o500)
    try:
        result = sh("draft", str(SEED), "-o", "locked/plan.yaml")
        if os.geteuid() != 0:  # root writes anywhere
            assert result.code == 73
            assert result.err == "dsday: locked/plan.yaml: cannot write: Permission denied\n"
    finally:
        (tmp_path / "locked").chmod(0o700)
    result = sh("draft", str(SEED), "-o", "no/such/dir/plan.yaml")
    assert result.code == 0  # the directory is made, as for every --output


HOSTILE_NAMES = [
    "Sở: {a}, [b] #c",
    "yes",
    "2023-10-10",
    "&anchor *alias !tag",
    "- dash, 'single' and \"double\"",
    "| pipe > fold % percent @ at ` tick",
    "10:30",
    "null",
    "Ban  Quản lý\u00a0dự án \\ gạch",
]


def test_hostile_names_are_quoted_and_read_back_exactly(sh, tmp_path):
    clauses = "\n".join(
        f'{n}. {name}\n\n- Tuyên truyền: "{name}" # không phải chú thích; trước ngày 0{n}/10/2023.\n'
        for n, name in enumerate(HOSTILE_NAMES, 1)
    )
    document = f"KẾ HOẠCH\nThử năm 2023\n\nI. MỤC ĐÍCH\n\n- Thử.\n\nV. TỔ CHỨC THỰC HIỆN\n\n{clauses}"
    (tmp_path / "ke-hoach.txt").write_text(document, encoding="utf-8")
    result = sh("draft", "ke-hoach.txt", "-o", "draft.yaml")
    assert result.code == 0, result
    assert sh("validate", "draft.yaml").code == 0
    plan = load_plan(tmp_path / "draft.yaml")
    names = [" ".join(name.replace("\u00a0", " ").split()) for name in HOSTILE_NAMES]  # spaces as one
    assert [a.name for a in plan.agencies] == names
    data = yaml.safe_load((tmp_path / "draft.yaml").read_text(encoding="utf-8"))  # YAML 1.1 agrees
    assert [a["name"] for a in data["agencies"]] == [a.name for a in plan.agencies]
    assert all(isinstance(i["title"], str) for i in data["responsibilities"])
    assert [i.deadline.date.day for i in plan.responsibilities] == list(range(1, len(HOSTILE_NAMES) + 1))
