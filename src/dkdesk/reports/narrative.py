"""The draft narrative report (.docx) of one period, for the specialist to finish in Word.

Follows the plan's structure (I. tình hình; II. kết quả 1-5 (+ kinh phí); III. đánh giá chung;
IV. đề xuất, kiến nghị) and the Nghị định 30 layout (see ``docx_layout``). Every figure is
written in Vietnamese (1.234; 66,66%); a figure nobody reported is said plainly ("chưa có số
liệu"), with the units that have not given it; the units' own words are quoted with their name.
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Pt

from dkdesk.catalogue.model import FieldDef
from dkdesk.core.desk import STATUS_DRAFT, STATUS_EMPTY
from dkdesk.core.numbers import format_int
from dkdesk.indicators.engine import CHUA_DAT, DAT, KHONG_AP_DUNG, IndicatorResult
from dkdesk.reports import docx_layout as lay
from dkdesk.reports.data import ReportData, exists_in, last_year_note, unit_changes, vn_date_line

NO_DATA = "chưa có số liệu"
SECTION_ITEMS = [  # (plan section code, indicator section, heading)
    ("tuyen_truyen", "II.1", "1. Công tác thông tin, tuyên truyền, phổ biến, giáo dục pháp luật về phòng, "
                             "chống mại dâm"),
    ("long_ghep", "II.2", "2. Lồng ghép phòng, chống mại dâm với các chương trình phát triển kinh tế - xã hội"),
    ("kiem_tra", "II.3", "3. Công tác kiểm tra, xử lý vi phạm; điều tra, truy tố, xét xử"),
    ("ho_tro", "II.4", "4. Hỗ trợ xã hội, can thiệp giảm tác hại, hỗ trợ hòa nhập cộng đồng"),
    ("tap_huan", "II.5", "5. Tập huấn, bồi dưỡng nâng cao năng lực cán bộ"),
    ("kinh_phi", "", "6. Kinh phí thực hiện"),
]
SITUATION_FIELDS = ["cskd_phuong", "nld_cskd_tong", "ph_nguy_co_cao", "ca_xlhc_vu", "ca_xlhc_doi_tuong",
                    "ca_duong_day", "ca_vu_khoi_to", "ca_bi_can_khoi_to", "ca_mua_ban_nguoi"]
RECIPIENTS = ["- UBND quận (để báo cáo);", "- Sở Lao động - TB&XH thành phố (để báo cáo);",
              "- Các thành viên Ban Chỉ đạo quận;", "- Lưu: VT, LĐTBXH."]


def percent_text(r: IndicatorResult) -> str:
    return r.value_display  # "66,66%": truncated, decimal comma


def target_text(r: IndicatorResult) -> str:
    t = r.target
    unit = "" if r.is_count else "%"
    return f"≥ {format_int(int(t))}{unit}" if float(t).is_integer() else f"≥ {str(t).replace('.', ',')}{unit}"


def indicator_sentence(data: ReportData, r: IndicatorResult) -> str:
    """One sentence on an indicator, in the words of a Vietnamese report, with the previous
    period's result after it when that period has figures."""
    text = _indicator_sentence(data, r)
    others = []  # said together in one bracket: "(6 tháng đầu năm 2025: 50,00%; cùng kỳ năm trước, ...)"
    if data.previous is not None:
        prev = next((x for x in data.previous.indicators if x.code == r.code), None)
        if prev is not None and prev.value is not None:
            others.append(f"{data.previous.period.name.lower()}: {percent_text(prev)}")
    yoy = data.year_over_year if data.last_year is None else None
    last = yoy.result(r.code) if yoy is not None else None
    if yoy is not None and last is not None and last.value is not None:
        others.append(f"cùng kỳ năm trước, {yoy.previous_period_name.lower()}: {percent_text(last)}")
    if others and text.endswith(")."):  # "(chưa có số liệu của: ...)" already: no second bracket
        text = text[:-1] + f"; {'; '.join(others)}."
    elif others:
        text = text[:-1] + f" ({'; '.join(others)})."
    return text


def _indicator_sentence(data: ReportData, r: IndicatorResult) -> str:
    name = r.name[0].lower() + r.name[1:]
    head = f"Chỉ tiêu {r.code} ({name}; kế hoạch {target_text(r)})"
    missing = ", ".join(data.plan.unit(u).short_name for u in r.missing_units)
    if r.value is None and r.status == KHONG_AP_DUNG:
        return f"{head}: không phát sinh trong kỳ (mẫu số bằng 0)."
    if r.value is None:
        return f"{head}: {NO_DATA}" + (f" (chưa có số liệu của: {missing})." if missing else ".")
    if r.is_count:
        reached = {DAT: ", đạt chỉ tiêu kế hoạch.", CHUA_DAT: ", chưa đạt chỉ tiêu kế hoạch."}.get(
            r.status, f"; chưa đủ số liệu để đánh giá (chưa có số liệu của: {missing}).")
        return f"{head}: đạt {percent_text(r)}{reached}"
    figures = f"{format_int(int(r.numerator or 0))}/{format_int(int(r.denominator or 0))}"
    if r.status == DAT:
        return f"{head}: {figures}, đạt {percent_text(r)}, đạt chỉ tiêu kế hoạch."
    if r.status == CHUA_DAT:
        return f"{head}: {figures}, đạt {percent_text(r)}, chưa đạt chỉ tiêu kế hoạch."
    return (f"{head}: tính trên các đơn vị đã báo cáo là {figures}, đạt {percent_text(r)}; "
            f"chưa đủ số liệu để đánh giá (chưa có số liệu của: {missing}).")


def field_phrase(data: ReportData, f: FieldDef) -> str:
    """"160 buổi" / "5/6 đơn vị trả lời Có" / "chưa có số liệu", plus the units still missing."""
    total, missing = data.total(f.code)
    if total is None:
        return NO_DATA
    if f.type == "bool":
        answered = sum(1 for u in data.units if isinstance(u.values.get(f.code), bool))
        text = f"có {format_int(total)}/{format_int(answered)} đơn vị đã báo cáo trả lời Có"
    else:
        text = f"{format_int(total)} {f.measure}".strip()
    if missing:
        text += f" (chưa có số liệu của: {', '.join(u.short_name for u in missing)})"
    return text


def _reported_fields(data: ReportData, section: str) -> list[FieldDef]:
    """The int/bool fields of a section that are on at least one unit's form."""
    on_forms = {c for u in data.units for c in data.plan.form(u.unit.form).fields}
    return [f for f in data.plan.fields if f.section == section and f.type != "text" and f.code in on_forms]


def section_items(data: ReportData, section: str) -> list[str]:
    """Dash items "- Label: 160 buổi; trong đó: ..." for a section's figures."""
    fields = _reported_fields(data, section)
    children: dict[str, list[FieldDef]] = {}
    for f in fields:
        if f.part_of and any(p.code == f.part_of for p in fields):
            children.setdefault(f.part_of, []).append(f)
    items = []
    for f in fields:
        if f.part_of and any(p.code == f.part_of for p in fields):
            continue
        text = f"- {f.label}: {field_phrase(data, f)}"
        for c in children.get(f.code, []):
            label = c.label.removeprefix("Trong đó: ").removeprefix("Trong đó ")
            text += f"; trong đó, {label[0].lower() + label[1:]}: {field_phrase(data, c)}"
        items.append(text + ".")
    return items


def situation(data: ReportData) -> list[str]:
    n_reported = sum(1 for u in data.units if u.reported)
    expected = sum(1 for u in data.units if u.reported or exists_in(data.plan, u.unit.code, data.period.code))
    out = [f"Trong {data.period.name[0].lower() + data.period.name[1:]}, đã có {n_reported}/{expected} "
           "cơ quan, đơn vị và UBND các phường gửi báo cáo kết quả thực hiện Kế hoạch."]
    known, unknown = [], []
    for code in SITUATION_FIELDS:
        if not any(f.code == code for f in data.plan.fields):
            continue
        f = data.plan.field(code)
        total, missing = data.total(code)
        label = f.label[0].lower() + f.label[1:]
        if total is None:
            unknown.append(label)
        else:
            known.append(f"{label}: {format_int(total)} {f.measure}".strip())
    if known:
        out.append("Theo báo cáo của các đơn vị: " + "; ".join(known) + ".")
    if unknown:
        out.append("Chưa có số liệu về: " + "; ".join(unknown) + ".")
    return out


def _quotes(data: ReportData, code: str) -> list[str]:
    return [f"- {u.unit.name}: {str(u.values[code]).strip()}" for u in data.units
            if isinstance(u.values.get(code), str) and str(u.values[code]).strip()]


def indicator_table(doc: DocumentType, data: ReportData) -> None:
    """The indicators as a table; with "Cùng kỳ năm trước" when the plan follows a stored one."""
    yoy = data.year_over_year if data.last_year is None else None
    headers = ["STT", "Chỉ tiêu", "Kế hoạch", "Kết quả", "Đánh giá"] + (["Cùng kỳ năm trước"] if yoy else [])
    t = doc.add_table(rows=1, cols=len(headers))
    lay.grid_borders(t)
    for cell, h in zip(t.rows[0].cells, headers):
        lay.cell_line(cell, h, size=12, bold=True, first=True)
    for i, r in enumerate(data.indicators, start=1):
        cells = t.add_row().cells
        lay.cell_line(cells[0], str(i), size=12, first=True)
        lay.cell_line(cells[1], r.name, size=12, first=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        lay.cell_line(cells[2], target_text(r), size=12, first=True)
        lay.cell_line(cells[3], percent_text(r) or NO_DATA, size=12, first=True)
        lay.cell_line(cells[4], r.status_label, size=12, first=True, bold=r.status == DAT)
        if yoy is not None:
            last = yoy.result(r.code)
            lay.cell_line(cells[5], (last.value_display if last else "") or "—", size=12, first=True)
    lay.set_widths(t, [12, 67, 20, 22, 21, 23] if yoy else [13, 84, 21, 23, 24])  # 165 mm: the text width
    for row in t.rows:  # do not split a row across pages; repeat the header row on each page
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    t.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def build_narrative(data: ReportData) -> DocumentType:
    doc = Document()
    lay.setup_page(doc)
    plan, period = data.plan, data.period
    period_name = period.name if period.kind == "H1" else period.name[0].lower() + period.name[1:]
    lay.header_block(doc, plan.info.issuer.replace("ỦY BAN NHÂN DÂN", "UBND"), data.consolidator_name,
                     "Số:       /BC-LĐTBXH", vn_date_line(plan.info.place, data.made_on))
    lay.paragraph(doc, "", space_after=6)
    lay.paragraph(doc, "BÁO CÁO", bold=True, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    lay.paragraph(doc, f"Kết quả thực hiện Kế hoạch phòng, chống mại dâm {period_name} trên địa bàn "
                       f"{plan.info.district}", bold=True, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER,
                  space_after=18)
    lay.paragraph(doc, f"Thực hiện Kế hoạch số {plan.info.number} của Ủy ban nhân dân {plan.info.district} "
                       f"về triển khai, thực hiện công tác phòng, chống mại dâm năm {plan.info.year}; trên cơ sở "
                       f"báo cáo của các cơ quan, đơn vị và UBND các phường, Phòng Lao động - Thương binh và "
                       f"Xã hội quận báo cáo kết quả thực hiện {period_name.lower()} như sau:")
    lay.heading(doc, "I. TÌNH HÌNH TỆ NẠN MẠI DÂM TRÊN ĐỊA BÀN")
    for text in situation(data):
        lay.paragraph(doc, text)
    lay.heading(doc, "II. KẾT QUẢ THỰC HIỆN")
    for section, ind_section, title in SECTION_ITEMS:
        items = section_items(data, section)
        inds = [r for r, ind in zip(data.indicators, plan.indicators) if ind.section == ind_section and ind_section]
        if not items and not inds:
            continue
        lay.heading(doc, title, level=2)
        for text in items:
            lay.paragraph(doc, text)
        for r in inds:
            lay.paragraph(doc, "- " + indicator_sentence(data, r))
    lay.heading(doc, "III. ĐÁNH GIÁ CHUNG")
    lay.heading(doc, "1. Kết quả thực hiện các chỉ tiêu", level=2)
    n_dat = sum(1 for r in data.indicators if r.status == DAT)
    lay.paragraph(doc, f"Có {n_dat}/{len(data.indicators)} chỉ tiêu đạt kế hoạch; kết quả cụ thể như sau "
                       "(tỷ lệ lấy 2 chữ số thập phân, không làm tròn lên):")
    indicator_table(doc, data)
    yoy = data.year_over_year if data.last_year is None else None
    if yoy is not None and any(r.value is not None for r in yoy.results.values()):
        lay.paragraph(doc, "", space_after=0)
        lay.paragraph(doc, last_year_note(yoy), italic=True)  # which units carry whose figures
    else:
        lay.paragraph(doc, "", space_after=0)
    lay.heading(doc, "2. Tình hình báo cáo của các đơn vị", level=2)
    changes = unit_changes(plan, period.code)
    if changes:
        lay.paragraph(doc, "Trong kỳ có đơn vị thay đổi: " + "; ".join(changes) + ".")
    not_sent = [u.unit.name for u in data.units if (u.status.status == STATUS_EMPTY or not u.values)
                and exists_in(plan, u.unit.code, period.code)]
    drafts = [u.unit.name for u in data.units if u.status.status == STATUS_DRAFT and u.values]
    if not_sent:
        lay.paragraph(doc, f"Đến ngày {data.made_on:%d/%m/%Y}, còn {len(not_sent)} đơn vị chưa gửi báo cáo: "
                           + ", ".join(not_sent) + ".")
    else:
        lay.paragraph(doc, "Tất cả các cơ quan, đơn vị và UBND các phường đã gửi báo cáo.")
    if drafts:
        lay.paragraph(doc, "Số liệu của các đơn vị sau đang được cập nhật, chưa hoàn chỉnh: " + ", ".join(drafts) + ".")
    highlights = _quotes(data, "ket_qua_noi_bat")
    if highlights:
        lay.heading(doc, "3. Kết quả nổi bật", level=2)
        for text in highlights:
            lay.paragraph(doc, text)
    lay.heading(doc, f"{4 if highlights else 3}. Khó khăn, vướng mắc", level=2)
    for text in _quotes(data, "kho_khan") or ["Các đơn vị chưa phản ánh khó khăn, vướng mắc."]:
        lay.paragraph(doc, text)
    lay.heading(doc, "IV. ĐỀ XUẤT, KIẾN NGHỊ")
    for text in _quotes(data, "kien_nghi") or ["Các đơn vị chưa có đề xuất, kiến nghị."]:
        lay.paragraph(doc, text)
    lay.paragraph(doc, f"Trên đây là báo cáo kết quả thực hiện Kế hoạch phòng, chống mại dâm {period_name.lower()} "
                       f"trên địa bàn {plan.info.district} của Phòng Lao động - Thương binh và Xã hội quận./.",
                  space_after=12)
    lay.closing_block(doc, RECIPIENTS, "TRƯỞNG PHÒNG")
    doc.core_properties.title = f"Báo cáo kết quả thực hiện Kế hoạch phòng, chống mại dâm {period_name}"
    doc.core_properties.author = "dkdesk"
    for p in doc.paragraphs:  # make sure no run falls back to a theme font
        for run in p.runs:
            if run.font.size is None:
                run.font.size = Pt(lay.BODY_SIZE)
    return doc


def write_narrative(data: ReportData, path: Path) -> None:
    build_narrative(data).save(str(path))
