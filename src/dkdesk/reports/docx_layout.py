"""Nghị định 30/2020/NĐ-CP page and block layout for python-docx documents.

A4; margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 14 (body) with the
East-Asian font name set too (so Word does not substitute); borderless two-column header
table; "Nơi nhận" and signature blocks side by side at the end.
"""
from __future__ import annotations

from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_SIZE = 14
CONTENT_WIDTH_MM = 210 - 30 - 15


def setup_page(doc: DocumentType) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = section.footer_distance = Mm(10)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_SIZE)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    pf = style.paragraph_format
    pf.space_before, pf.space_after = Pt(0), Pt(6)
    pf.line_spacing = 1.1
    _page_number_header(doc)


def _field(paragraph: Paragraph, instruction: str, size: float = 12) -> None:
    """A Word field (PAGE...) as the usual begin / instruction / separate / result / end runs."""
    def run_with(el) -> None:  # noqa: ANN001
        run = paragraph.add_run()
        run.font.size = Pt(size)
        run._r.append(el)

    for kind in ("begin", "instr", "separate", "result", "end"):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
        elif kind == "result":
            el = OxmlElement("w:t")
            el.text = "1"
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run_with(el)


def _page_number_header(doc: DocumentType) -> None:
    """Nghị định 30: page numbers centred in the top margin, 13 pt, none on the first page."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(p, "PAGE", size=13)


TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
               "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
               "tblLook", "tblCaption", "tblDescription")


def put_tblpr(table: Table, element) -> None:  # noqa: ANN001
    """Put a child into w:tblPr at its schema position (Word refuses misordered ones),
    replacing one of the same kind."""
    tbl_pr = table._tbl.tblPr
    name = element.tag.split("}")[1]
    old = tbl_pr.find(qn(f"w:{name}"))
    if old is not None:
        tbl_pr.remove(old)
    rank = TBLPR_ORDER.index(name)
    for i, child in enumerate(list(tbl_pr)):
        child_name = child.tag.split("}")[1]
        if child_name in TBLPR_ORDER and TBLPR_ORDER.index(child_name) > rank:
            tbl_pr.insert(i, element)
            return
    tbl_pr.append(element)


def split_line(text: str, width: int) -> list[str]:
    """Break a heading at the last space that keeps the first line within ``width`` characters."""
    lines: list[str] = []
    while len(text) > width and " " in text[:width + 1]:
        cut = text.rfind(" ", 0, width + 1)
        lines.append(text[:cut])
        text = text[cut + 1:]
    return lines + [text]


def zero_cell_margins(table: Table) -> None:
    mar = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    put_tblpr(table, mar)


def _set_borders(table: Table, **attrs: str) -> None:
    """Every outer and inner border of the table with the same ``w:`` attributes."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        for name, value in attrs.items():
            el.set(qn(f"w:{name}"), value)
        borders.append(el)
    put_tblpr(table, borders)


def no_borders(table: Table) -> None:
    _set_borders(table, val="nil")


def grid_borders(table: Table) -> None:
    _set_borders(table, val="single", sz="4", color="000000")


def set_widths(table: Table, widths_mm: list[float]) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm):
            cell.width = Mm(w)
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_mm):
        col.set(qn("w:w"), str(_twips(w)))
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(_twips(sum(widths_mm))))
    width.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    put_tblpr(table, width)
    put_tblpr(table, layout)


def _twips(mm: float) -> int:
    return int(round(mm / 25.4 * 1440))


def cell_line(cell: _Cell, text: str, *, size: float = 13, bold: bool = False, italic: bool = False,
              underline: bool = False, align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
              first: bool = False, space_after: float = 0) -> Paragraph:
    """Add a line of text to a table cell (the first call reuses the cell's empty paragraph)."""
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.line_spacing = 1.0
    p.paragraph_format.first_line_indent = Cm(0)
    if text:
        run = p.add_run(text)
        run.font.size, run.bold, run.italic, run.underline = Pt(size), bold, italic, underline
    return p


def header_block(doc: DocumentType, superior: str, office: str, number: str, motto_date: str,
                 summary: str = "") -> None:
    """The borderless two-column header of Nghị định 30 (issuer | national motto)."""
    t = doc.add_table(rows=1, cols=2)
    no_borders(t)
    set_widths(t, [80, 97])  # wider than the text block, centred on it, as usual
    zero_cell_margins(t)
    left, right = t.rows[0].cells
    cell_line(left, superior, size=12, first=True)
    for line in split_line(office, 28):
        cell_line(left, line, size=12, bold=True)
    cell_line(left, "", size=6)
    cell_line(left, number, size=13, space_after=0)
    if summary:
        cell_line(left, summary, size=12)
    cell_line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, first=True)
    cell_line(right, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True, underline=True)
    cell_line(right, "", size=6)
    cell_line(right, motto_date, size=14, italic=True)


def paragraph(doc: DocumentType, text: str = "", *, bold: bool = False, italic: bool = False,
              indent: bool = True, align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
              size: float = BODY_SIZE, space_after: float = 6) -> Paragraph:
    p = doc.add_paragraph()
    p.alignment = align
    p.paragraph_format.first_line_indent = Cm(1.27) if indent else Cm(0)
    p.paragraph_format.space_after = Pt(space_after)
    if text:
        run = p.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return p


def heading(doc: DocumentType, text: str, level: int = 1) -> Paragraph:
    """Section headings as bold body text (not Word's Heading styles: NĐ 30 wants plain TNR)."""
    p = paragraph(doc, text, bold=True, italic=level > 1, space_after=6)
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.space_before = Pt(6 if level == 1 else 0)
    return p


def closing_block(doc: DocumentType, recipients: list[str], title: str, signer_note: str = "") -> None:
    """"Nơi nhận:" (left, 12/11 pt) and the signature block (right) in a borderless table."""
    t = doc.add_table(rows=1, cols=2)
    no_borders(t)
    set_widths(t, [85, CONTENT_WIDTH_MM - 85])
    left, right = t.rows[0].cells
    p = cell_line(left, "", align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    run = p.add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    for r in recipients:
        cell_line(left, r, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    cell_line(right, title, size=14, bold=True, first=True)
    if signer_note:
        cell_line(right, signer_note, size=13, italic=True)
    for _ in range(4):
        cell_line(right, "", size=14)
    cell_line(right, "……………………………", size=14)
