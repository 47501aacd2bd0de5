"""The overview of one period as simple HTML for printing (Qt's QTextDocument renders it).

Qt-free: ``overview_html(plan, page)`` returns the text; the GUI prints it to a QPrinter
(paper or PDF). Times New Roman, the issuer's name and the period in the heading (SPEC §7).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from html import escape

from dkdesk.catalogue.model import Plan
from dkdesk.indicators.engine import CHUA_DAT, DAT, KHONG_AP_DUNG, THIEU, IndicatorResult
from dkdesk.indicators.overview import OverviewPage
from dkdesk.reports.data import last_year_note

STATUS_HTML_COLOUR = {DAT: "#2e7d32", CHUA_DAT: "#c62828", THIEU: "#b45f00", KHONG_AP_DUNG: "#616161"}


@dataclass(frozen=True)
class LastYear:
    """The same period last year beside an overview: this plan's own period, else the one of the
    plan this plan follows (over today's units; ``note`` says which units carry whose figures)."""

    title: str  # "Cùng kỳ năm 2024"
    results: dict[str, IndicatorResult]
    note: str = ""

    def result(self, code: str) -> IndicatorResult | None:
        return self.results.get(code)


def last_year(page: OverviewPage, plan: Plan) -> LastYear | None:
    if page.previous is not None:
        return LastYear(f"Cùng kỳ {plan.period(page.previous.period).name.lower()}",
                        {r.code: r for r in page.previous.indicators})
    yoy = page.year_over_year
    if yoy is None:
        return None
    return LastYear(f"Cùng kỳ {yoy.previous_period_name.lower()}", dict(yoy.results), last_year_note(yoy))


def _fraction(r: IndicatorResult) -> str:
    return r.fraction_display


def overview_html(plan: Plan, page: OverviewPage, today: date | None = None, breaks: Iterable[int] = ()) -> str:
    """The overview as HTML for Qt's rich text; ``breaks`` are row numbers (1, 2, ...) that begin
    a new table on a new page, its header repeated (the printout's way to keep rows whole)."""
    period = plan.period(page.period)
    last = last_year(page, plan)
    head = ["STT", "Chỉ tiêu", "Mục tiêu", "Kết quả", "Tử số / Mẫu số", "Đánh giá", "Đơn vị chủ trì"]
    if last is not None:
        head.append(last.title)
    rows = []
    for i, r in enumerate(page.overview.indicators, start=1):
        missing = ""
        if r.missing_units:
            names = ", ".join(plan.unit(u).name for u in r.missing_units)
            missing = f"<br><i>Thiếu số liệu: {escape(names)}</i>"
        cells = [f"<td align='center'>{i}</td>", f"<td width='40%'>{escape(r.name)}{missing}</td>",
                 f"<td align='center' style='white-space: nowrap'>{escape(r.target_display)}</td>",
                 f"<td align='right' style='white-space: nowrap'><b>{escape(r.value_display or '—')}</b></td>",
                 f"<td align='right'>{_fraction(r)}</td>",
                 f"<td align='center' style='color:{STATUS_HTML_COLOUR[r.status]}'><b>{r.status_label}</b></td>",
                 f"<td width='15%'>{escape(r.responsible)}</td>"]
        if last is not None:
            prev = last.result(r.code)
            cells.append(f"<td align='right' width='9%' style='white-space: nowrap'>{escape(prev.value_display or prev.status_label) if prev else '—'}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    c = page.completeness
    missing_units = ", ".join(plan.unit(u).name for u in c.missing)
    late = " (đã quá hạn)" if c.deadline_passed and c.missing else ""
    when = today or date.today()
    return f"""<html><body style="font-family: 'Times New Roman'; font-size: 10pt;">
<p align="center"><b>{escape(plan.info.issuer)}</b></p>
<h3 align="center">KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU — {escape(period.name.upper())}</h3>
<p align="center"><i>{escape(plan.info.title)}</i></p>
{_tables(head, rows, breaks)}
<p>Đơn vị đã báo cáo: <b>{len(c.reported)}/{c.total}</b>. Hạn nộp: {c.deadline:%d/%m/%Y}{late}.
{f'<br>Chưa báo cáo: {escape(missing_units)}.' if c.missing else ''}{_closed(plan, page)}</p>
<p><i>Số liệu tổng hợp ngày {when:%d/%m/%Y}. Kết quả lấy 2 chữ số thập phân, không làm tròn lên.{
    f' {escape(last.note)}' if last and last.note else ''}</i></p>
</body></html>"""


def _closed(plan: Plan, page: OverviewPage) -> str:
    closed = page.completeness.closed
    if not closed:
        return ""
    names = "; ".join(f"{plan.unit(u).name} ({plan.closed_note(u, page.period)})" for u in closed)
    return f"<br>Không phải báo cáo kỳ này: {escape(names)}."


def _tables(head: list[str], rows: list[str], breaks: Iterable[int]) -> str:
    """The rows as one table, or several (each after a page break) split before ``breaks``."""
    header = "<thead><tr style=\"background-color:#dce6f1\">" + "".join(f"<th>{escape(h)}</th>" for h in head) + \
        "</tr></thead>"
    wanted = set(breaks)
    starts = sorted({0, *(b - 1 for b in wanted if 1 < b <= len(rows))})
    out = []
    for n, (a, b) in enumerate(zip(starts, starts[1:] + [len(rows)])):
        new_page = n > 0 or 1 in wanted  # 1: the first row would be cut below the heading
        style = "border-collapse: collapse;" + (" page-break-before: always;" if new_page else "")
        out.append(f'<table border="1" cellspacing="0" cellpadding="4" width="100%" style="{style}">'
                   f'{header}<tbody>{"".join(rows[a:b])}</tbody></table>')
    return "\n".join(out)
