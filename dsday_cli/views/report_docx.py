"""The results report as a Word document in the form of Nghị định 30/2020/NĐ-CP (Phụ lục I).

A4; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman. The header
table holds the parent and issuing bodies, the number and symbol on the left, the
national title, motto and place and date on the right; then BÁO CÁO and its summary
line, Kính gửi, the body from ``report_blocks``, and the table of Nơi nhận and the
signature. python-docx is imported only here, when a Word report is made.
"""

import io
from datetime import datetime

from dsday_cli.core.i18n import _, language
from dsday_cli.core.xml_text import xml_text
from dsday_cli.views.report import (
    Chart,
    Heading,
    Paragraph,
    Table,
    annex_blocks,
    number_line,
    recipient_lines,
    report_blocks,
    signing_date,
    summary_line,
)
from dsday_cli.core.report_data import BLANK, Report

FONT = "Times New Roman"
HEAD_COLUMNS_MM = (74, 91)  # issuing body | national title
SIGN_COLUMNS_MM = (75, 90)  # Nơi nhận | signature
# A Times New Roman bold letter at 13 pt is about 1.97 mm wide on average (measured on
# the motto): enough to make the rule under the motto as long as the motto.
BOLD_13PT_MM_PER_CHAR = 1.97
# Word rejects properties out of the schema's order: what may follow w:pBdr in w:pPr,
# and w:tblCellMar in w:tblPr (ECMA-376 part 1, 17.3.1.26 and 17.4.60).
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_AFTER_TBLCELLMAR = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def report_docx(report: Report) -> bytes:
    """The report as the bytes of a .docx file."""
    from docx import Document

    document = Document()
    _page(document)
    _fonts(document)
    writer = _Writer(document)
    writer.form_header(report)
    for block in report_blocks(report):
        writer.block(block)
    writer.signature(report)
    annex = annex_blocks(report)
    if annex:
        writer.page_break()
        for block in annex:
            writer.block(block)
    properties = document.core_properties
    # Plan text and journal notes may hold what XML 1.0 cannot carry (a \v pasted from Word): replaced everywhere.
    properties.title = xml_text(_("REPORT") + ": " + summary_line(report.plan))
    properties.author = properties.last_modified_by = xml_text(report.form.body or report.plan.issuer)
    properties.language = "vi-VN" if language() == "vi" else "en-US"
    # Dated by the day judged, not by the clock: the same data gives the same document.
    properties.created = properties.modified = datetime(report.as_of.year, report.as_of.month, report.as_of.day)
    properties.revision = 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page(document) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    # Page numbers at the top centre, from the second page on.
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = 1  # centre
    run = paragraph.add_run()
    run.font.size = Pt(13)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = "2"
        run._r.append(element)


def _fonts(document) -> None:
    """Times New Roman for every script (Vietnamese is Latin, but Word also consults eastAsia and cs)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    defaults = document.styles.element.find(qn("w:docDefaults"))
    properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for name in list(fonts.attrib):
        del fonts.attrib[name]  # theme fonts would win over the named ones
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT)
    lang = properties.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "vi-VN" if language() == "vi" else "en-US")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    if spacing is not None:  # the template's 10 pt after and 1.15 lines: ours are set per paragraph
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
    for name in ("Normal", "Table Grid", "Header"):
        style = document.styles[name]
        style.font.name = FONT
        element = style.element.get_or_add_rPr().get_or_add_rFonts()
        for script in ("eastAsia", "cs"):
            element.set(qn(f"w:{script}"), FONT)
    document.styles["Normal"].font.size = Pt(14)


class _Writer:
    """Adds the report's parts to a document, with the decree's type sizes and spacing."""

    def __init__(self, document):
        from docx.shared import Mm, Pt

        self.document, self.Mm, self.Pt = document, Mm, Pt
        self.last = None  # the last paragraph of the body, kept with a table or chart that follows it

    def paragraph(
        self,
        container,
        runs,
        size: float = 14,
        align: str = "justify",
        indent: bool = True,
        before: float = 0,
        after: float = 6,
        keep: bool = False,
    ):
        """A paragraph of (text, style) runs; style is '', 'b', 'i' or 'bi'."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        paragraph = container.add_paragraph()
        paragraph.alignment = {
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[align]
        layout = paragraph.paragraph_format
        layout.first_line_indent = self.Mm(10) if indent else None
        layout.space_before, layout.space_after = self.Pt(before), self.Pt(after)
        layout.line_spacing = 1.0
        layout.keep_with_next = keep
        if container is self.document:
            self.last = paragraph
        for text, style in runs:
            run = paragraph.add_run(xml_text(text))
            run.font.size = self.Pt(size)
            run.bold = "b" in style or None
            run.italic = "i" in style or None
        return paragraph

    def rule(self, container, width_mm: float, column_mm: float) -> None:
        """A short solid line under the text above: an empty paragraph with a top border, ``width_mm`` long."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        paragraph = self.paragraph(container, [], size=2, align="center", indent=False, before=3, after=0)
        side = max((column_mm - width_mm) / 2, 0)
        paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = self.Mm(side)
        borders = OxmlElement("w:pBdr")
        top = OxmlElement("w:top")
        for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
            top.set(qn(f"w:{key}"), value)
        borders.append(top)
        properties = paragraph._p.get_or_add_pPr()
        properties.insert_element_before(borders, *_AFTER_PBDR)
        run = paragraph.add_run()
        run.font.size = self.Pt(2)

    def table(self, rows: int, widths_mm: tuple[float, ...], style: str | None = None, margins_mm: float | None = None):
        """A table of fixed column widths (Word reads the cells', LibreOffice the grid's)."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        table = self.document.add_table(rows=rows, cols=len(widths_mm))
        if style:
            table.style = self.document.styles[style]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths_mm):
            column.width = self.Mm(width)
            for cell in column.cells:
                cell.width = self.Mm(width)
        if margins_mm is not None:
            properties = table._tbl.tblPr
            margins = OxmlElement("w:tblCellMar")
            for side in ("left", "right"):
                element = OxmlElement(f"w:{side}")
                element.set(qn("w:w"), str(round(margins_mm * 1440 / 25.4)))
                element.set(qn("w:type"), "dxa")
                margins.append(element)
            properties.insert_element_before(margins, *_AFTER_TBLCELLMAR)
        return table

    @staticmethod
    def _first(cell):
        """The cell with its empty first paragraph removed, ready for ours."""
        for paragraph in list(cell.paragraphs):
            paragraph._p.getparent().remove(paragraph._p)
        return cell

    def form_header(self, report: Report) -> None:
        """Parent and issuing body, number; national title and motto, place and date; BÁO CÁO; Kính gửi."""
        form = report.form
        left_mm, right_mm = HEAD_COLUMNS_MM
        table = self.table(2, HEAD_COLUMNS_MM, margins_mm=0)
        left, right = self._first(table.cell(0, 0)), self._first(table.cell(0, 1))
        if form.parent_body:
            self.paragraph(left, [(form.parent_body.upper(), "")], size=12, align="center", indent=False, after=0)
        self.paragraph(left, [((form.body or BLANK).upper(), "b")], size=12, align="center", indent=False, after=0)
        self.rule(left, 25, left_mm)
        motto = _("Independence - Freedom - Happiness")
        self.paragraph(
            right, [(_("SOCIALIST REPUBLIC OF VIETNAM"), "b")], size=12, align="center", indent=False, after=0
        )
        self.paragraph(right, [(motto, "b")], size=13, align="center", indent=False, after=0)
        self.rule(right, len(motto) * BOLD_13PT_MM_PER_CHAR, right_mm)
        number, place = self._first(table.cell(1, 0)), self._first(table.cell(1, 1))
        self.paragraph(number, [(number_line(form), "")], size=13, align="center", indent=False, before=6, after=0)
        self.paragraph(place, [(signing_date(form), "i")], size=13, align="center", indent=False, before=6, after=0)
        body = self.document
        self.paragraph(body, [(_("REPORT"), "b")], align="center", indent=False, before=18, after=0, keep=True)
        self.paragraph(body, [(summary_line(report.plan), "b")], align="center", indent=False, after=6, keep=True)
        self.paragraph(
            body,
            [(_("To: {recipient}").format(recipient=form.recipient), "")],
            align="center",
            indent=False,
            before=6,
            after=12,
        )

    def block(self, block) -> None:
        """One block of the report's body."""
        body = self.document
        if isinstance(block, Heading):
            text = block.text.upper() if block.level == 1 else block.text
            self.paragraph(body, [(f"{block.number}. {text}", "b")], before=6, keep=True)
        elif isinstance(block, Paragraph):
            runs = list(block.runs)
            if block.kind == "item" and not runs[0][0].startswith("- "):
                runs.insert(0, ("- ", ""))
            if block.kind == "lead":
                self.paragraph(body, runs, before=3, after=3, keep=True)
            elif block.kind == "title":
                self.paragraph(body, runs, align="center", indent=False, after=3, keep=True)
            else:
                self.paragraph(body, runs, keep=runs[-1][0].rstrip().endswith(":"))
        elif isinstance(block, Table):
            self.last.paragraph_format.keep_with_next = True
            self.data_table(block)
        elif isinstance(block, Chart):
            from dsday_cli.views.report_chart import progress_png

            picture = self.paragraph(body, [], align="center", indent=False, after=0, keep=True)
            picture.add_run().add_picture(io.BytesIO(progress_png(block.weeks)), width=self.Mm(160))
            self.paragraph(body, [(block.caption, "i")], size=12, align="center", indent=False, after=8)

    def page_break(self) -> None:
        """What follows starts a new page (the annex)."""
        from docx.enum.text import WD_BREAK

        self.paragraph(self.document, [], size=6, indent=False, after=0).add_run().add_break(WD_BREAK.PAGE)

    def data_table(self, block: Table) -> None:
        """A bordered table, its header repeated on each page.

        A row is never split and the header keeps with the first row; the rows may break
        between pages (LibreOffice keeps a table whose rows all keep-with-next with whatever
        follows it, a chart included), so a table starts right after its heading when its
        first rows fit there rather than leaving the page half empty.
        """
        from docx.oxml import OxmlElement

        rows = [block.headers, *block.rows, *([block.total] if block.total else [])]
        table = self.table(len(rows), block.widths, style="Table Grid")
        align = {"l": "left", "c": "center", "r": "right"}
        for index, (row, values) in enumerate(zip(table.rows, rows)):
            header, total = index == 0, block.total is not None and index == len(rows) - 1
            properties = row._tr.get_or_add_trPr()
            properties.append(OxmlElement("w:cantSplit"))
            if header:
                properties.append(OxmlElement("w:tblHeader"))
            for cell, value, column in zip(row.cells, values, block.align):
                cell = self._first(cell)
                self.paragraph(
                    cell,
                    [(value, "b" if header or total else "")],
                    size=12,
                    align="center" if header else align[column],
                    indent=False,
                    before=1,
                    after=1,
                    keep=header,
                )
                if header:
                    cell.vertical_alignment = 1  # centre
        # A table is followed by a little space before the next paragraph.
        self.paragraph(self.document, [], size=6, indent=False, after=0)

    def signature(self, report: Report) -> None:
        """Nơi nhận on the left; the signer's title, room to sign and the name on the right."""
        form = report.form
        self.paragraph(self.document, [], indent=False, after=6)
        table = self.table(1, SIGN_COLUMNS_MM, margins_mm=0)
        left, right = self._first(table.cell(0, 0)), self._first(table.cell(0, 1))
        self.paragraph(left, [(_("Recipients:"), "bi")], size=12, align="left", indent=False, after=0)
        for line in recipient_lines(form):
            self.paragraph(left, [(line, "")], size=11, align="left", indent=False, after=0)
        for line in form.signer_title or [BLANK]:
            self.paragraph(right, [(line.upper(), "b")], size=14, align="center", indent=False, after=0)
        for _blank in range(4):  # room for the signature and the seal
            self.paragraph(right, [("", "")], size=14, align="center", indent=False, after=0)
        self.paragraph(right, [(form.signer or BLANK * 6, "b")], size=14, align="center", indent=False, after=0)
        from docx.oxml import OxmlElement

        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
