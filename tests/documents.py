"""Build the documents the draft tests read: Word files with python-docx, PDFs with a text layer by hand."""

import re
import textwrap
from pathlib import Path


def docx_from_text(text: str, path: Path, tables: list[list[list[str]]] = ()) -> Path:
    """A Word document with one paragraph a line (``**bold**`` as bold runs), then ``tables``."""
    import docx

    document = docx.Document()
    for line in text.splitlines():
        paragraph = document.add_paragraph()
        for index, piece in enumerate(re.split(r"\*\*", line)):
            if piece:
                paragraph.add_run(piece).bold = index % 2 == 1
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    document.save(path)
    return path


def pdf_from_text(text: str, path: Path, width: int = 90, lines_per_page: int = 50, numbered: bool = False) -> Path:
    """A PDF whose text layer is ``text`` wrapped at ``width`` characters, as a word processor lays it out.

    The font is a Type0 font with an identity ToUnicode map (what Word and LibreOffice
    write for Vietnamese), so a PDF reader extracts the text; no blank lines survive.
    Lines break after hyphens too ("QĐ-" / "TTg"); ``numbered`` ends each page with "- n -".
    """
    lines = [wrapped for line in text.splitlines() for wrapped in (textwrap.wrap(line, width) or [""])]
    pages = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)]
    if numbered:
        pages = [[*page, f"- {number} -"] for number, page in enumerate(pages, 1)]
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /U def "
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange "
        b"1 beginbfrange <0000> <FFFF> <0000> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    to_unicode = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    cid_font = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Arial "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 >>"
    )
    font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Arial /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid_font, to_unicode)
    )
    pages_id = len(objects) + 2 * len(pages) + 1
    kids = []
    for page in pages:
        ops = [b"BT /F1 10 Tf 40 800 Td 14 TL"]
        ops += [b"<" + line.encode("utf-16-be").hex().encode() + b"> Tj T*" for line in page if line]
        ops.append(b"ET")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (pages_id, font, content)
            )
        )
    assert (
        add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
        == pages_id
    )
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    path.write_bytes(bytes(out))
    return path


def pdf_without_text(path: Path) -> Path:
    """A one-page PDF that draws a rectangle and holds no text, like a scan."""
    stream = b"0.5 g 50 50 400 600 re f"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(out))
    return path
