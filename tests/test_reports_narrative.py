"""The draft narrative report: open the .docx and read it as the specialist would."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.shared import Mm

from reports_seed import MADE_ON, seed


@pytest.fixture
def report(desk, tmp_path: Path):
    from dkdesk.reports.output import make_reports

    seed(desk)
    out = tmp_path / "bao-cao-thuc-hien_2024-H1.docx"
    make_reports(desk, "2024-H1", None, out, made_on=MADE_ON)
    return docx.Document(str(out))


def body_text(d) -> str:
    return "\n".join(p.text for p in d.paragraphs)


def test_page_layout_nghi_dinh_30(report) -> None:
    s = report.sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(1) and abs(s.page_height - Mm(297)) < Mm(1)
    mm = {k: round(getattr(s, f"{k}_margin").mm) for k in ("top", "bottom", "left", "right")}
    assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25
    assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20
    normal = report.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt in (13, 14)


def test_header_block_and_title(report) -> None:
    header = report.tables[0]
    left, right = (c.text for c in header.rows[0].cells)
    assert "UBND QUẬN DƯƠNG KINH" in left and "PHÒNG LAO ĐỘNG - THƯƠNG BINH" in left
    assert "/BC-LĐTBXH" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    motto = next(p for p in header.rows[0].cells[1].paragraphs if p.text == "Độc lập - Tự do - Hạnh phúc")
    assert all(r.underline and r.bold for r in motto.runs)
    date = next(p for p in header.rows[0].cells[1].paragraphs if p.text.startswith("Dương Kinh, ngày"))
    assert date.text == "Dương Kinh, ngày 20 tháng 6 năm 2024" and all(r.italic for r in date.runs)
    tbl_borders = header._tbl.tblPr.xml
    assert 'w:val="nil"' in tbl_borders  # borderless
    texts = [p.text for p in report.paragraphs]
    i = texts.index("BÁO CÁO")
    assert texts[i + 1] == ("Kết quả thực hiện Kế hoạch phòng, chống mại dâm 6 tháng đầu năm 2024 "
                            "trên địa bàn quận Dương Kinh")


def test_sections_in_plan_order(report) -> None:
    texts = [p.text for p in report.paragraphs]
    order = ["I. TÌNH HÌNH TỆ NẠN MẠI DÂM TRÊN ĐỊA BÀN", "II. KẾT QUẢ THỰC HIỆN",
             "1. Công tác thông tin, tuyên truyền, phổ biến, giáo dục pháp luật về phòng, chống mại dâm",
             "2. Lồng ghép phòng, chống mại dâm với các chương trình phát triển kinh tế - xã hội",
             "3. Công tác kiểm tra, xử lý vi phạm; điều tra, truy tố, xét xử",
             "4. Hỗ trợ xã hội, can thiệp giảm tác hại, hỗ trợ hòa nhập cộng đồng",
             "5. Tập huấn, bồi dưỡng nâng cao năng lực cán bộ",
             "III. ĐÁNH GIÁ CHUNG", "IV. ĐỀ XUẤT, KIẾN NGHỊ"]
    positions = [texts.index(t) for t in order]
    assert positions == sorted(positions)


def test_figures_written_in_vietnamese(report) -> None:
    text = body_text(report)
    assert "2/3, đạt 66,66%, chưa đạt chỉ tiêu kế hoạch" in text  # CT06, truncated, decimal comma
    assert "1.234 lượt" in text  # grouping with a dot
    assert "đạt 64,00%" in text and "chưa có số liệu của: P. Tân Thành" in text
    assert "chưa có số liệu" in text  # fields nobody reported are said plainly
    assert "16/20 cơ quan, đơn vị" in text


def test_indicator_table(report) -> None:
    table = report.tables[1]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["STT", "Chỉ tiêu", "Kế hoạch", "Kết quả", "Đánh giá"]
    assert len(rows) == 10
    ct06 = rows[6]
    assert ct06[2:] == ["≥ 100%", "66,66%", "Chưa đạt"]
    assert rows[2][4] == "Thiếu số liệu"


def test_units_not_reported_difficulties_and_closing(report) -> None:
    text = body_text(report)
    assert "còn 4 đơn vị chưa gửi báo cáo" in text
    for name in ("Phòng Lao động - Thương binh và Xã hội quận", "Phòng Tài chính - Kế hoạch quận",
                 "Hội Cựu chiến binh quận", "UBND phường Tân Thành"):
        assert name in text.split("chưa gửi báo cáo")[1].split("\n")[0]
    assert '- Phòng Tư pháp quận: =HYPERLINK("http://x.invalid","bấm")' in text
    assert "- Phòng Tư pháp quận: +84 912 345 678" in text
    closing = report.tables[-1]
    left, right = (c.text for c in closing.rows[0].cells)
    assert left.startswith("Nơi nhận:") and "Lưu: VT" in left
    assert right.startswith("TRƯỞNG PHÒNG")


def test_table_properties_in_schema_order(report) -> None:
    """Word reports a file as damaged when w:tblPr children are out of the schema's order."""
    from dkdesk.reports.docx_layout import TBLPR_ORDER

    for table in report.tables:
        names = [child.tag.split("}")[1] for child in table._tbl.tblPr]
        ranks = [TBLPR_ORDER.index(n) for n in names]
        assert ranks == sorted(ranks), names


def test_page_numbers_top_centre_not_on_first_page(report) -> None:
    section = report.sections[0]
    assert section.different_first_page_header_footer
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml and 'w:fldCharType="begin"' in header_xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_annual_report_recalls_the_first_half(desk, tmp_path: Path) -> None:
    from tests.conftest import fill_unit
    from dkdesk.reports.output import make_reports

    seed(desk)
    fill_unit(desk, "CA", "2024-Y", {"tin_bao_tiep_nhan": 4, "tin_bao_xu_ly_kip_thoi": 4})
    out = tmp_path / "nam.docx"
    make_reports(desk, "2024-Y", None, out, made_on=MADE_ON)
    text = body_text(docx.Document(str(out)))
    assert "Kết quả thực hiện Kế hoạch phòng, chống mại dâm năm 2024 trên địa bàn quận Dương Kinh" in text
    assert "4/4, đạt 100,00%, đạt chỉ tiêu kế hoạch (6 tháng đầu năm 2024: 66,66%)." in text
