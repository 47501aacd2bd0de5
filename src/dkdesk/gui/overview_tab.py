"""Tổng quan tab: every indicator of a period, its value, who is missing, at a glance.

A period selector (the window's working period, ``ctx.period``: choosing here changes it for
every tab, and this tab follows a choice made elsewhere); the indicator table (``OverviewModel`` with a status badge and a progress
bar); the completeness panel (units reported x / N, who is missing, the deadline); a bar chart
of result against target; double-click a row for each unit's contribution. Redraws when the
data bus says the period's data changed. Export to Excel, print / save as PDF, report dialog.
The computation is a few milliseconds (benchmarks/bench_overview.py), so it runs on the GUI
thread.
"""
from __future__ import annotations

import importlib
from datetime import date
from pathlib import Path

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QMargins, QMarginsF, QModelIndex, QSizeF, Qt
from PySide6.QtGui import QColor, QKeySequence, QPainter, QShortcut, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dkdesk.gui.context import GuiContext
from dkdesk.gui.messages import show_error
from dkdesk.gui.ops import query
from dkdesk.gui.overview_model import (
    COL_NAME,
    COL_PREVIOUS,
    COL_PROGRESS,
    COL_RESPONSIBLE,
    COL_STATUS,
    OverviewModel,
    ProgressDelegate,
    StatusBadgeDelegate,
)
from dkdesk.gui.sizing import ColumnFitter
from dkdesk.indicators.overview import OverviewPage, overview_page


class OverviewTab(QWidget):
    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.page: OverviewPage | None = None
        self.shown_period = ""  # the period of ``page`` (the selector goes back to it after a failed read)
        self._build()
        plan = ctx.desk.plan
        for p in plan.periods:
            self.period_combo.addItem(p.name, p.code)
        self.period_combo.setCurrentIndex(self.period_combo.findData(ctx.period.code))
        self.period_combo.setToolTip("Kỳ đang làm việc, chung cho cả cửa sổ: đổi ở đây thì các thẻ Nhập liệu, "
                                     "Trao đổi Excel cũng đổi theo; lần mở sau chương trình vẫn giữ kỳ này.")
        self.period_combo.currentIndexChanged.connect(self._period_chosen)
        ctx.period.period_changed.connect(self._follow_period)
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        root = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Kỳ báo cáo:"))
        self.period_combo = QComboBox(self)
        self.period_combo.setMinimumWidth(200)
        bar.addWidget(self.period_combo)
        bar.addStretch(1)
        self.excel_button = QPushButton("Xuất Excel…", self)
        self.print_button = QPushButton("In…", self)
        self.pdf_button = QPushButton("Lưu PDF…", self)
        self.report_button = QPushButton("Lập báo cáo…", self)
        for b, slot, tip in ((self.excel_button, self.export_excel, "Lưu bảng tổng quan thành tệp Excel"),
                             (self.print_button, self.print_overview, "In bảng tổng quan"),
                             (self.pdf_button, self.save_pdf, "Lưu bảng tổng quan thành tệp PDF"),
                             (self.report_button, self.make_report, "Lập báo cáo tổng hợp của kỳ")):
            b.setToolTip(tip)
            b.clicked.connect(lambda _c=False, s=slot: s())
            bar.addWidget(b)
        root.addLayout(bar)

        self.model = OverviewModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(COL_STATUS, StatusBadgeDelegate(self.table))
        self.table.setItemDelegateForColumn(COL_PROGRESS, ProgressDelegate(self.table))
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        # every column at its content width, the indicator's name taking the rest (the unit in
        # charge wraps first; the name never below ~26 characters a line: rather a scroll bar
        # than one word a line)
        chars = self.table.fontMetrics().averageCharWidth()
        self.columns = ColumnFitter(self.table, {COL_NAME: 26 * chars, COL_RESPONSIBLE: 15 * chars},
                                    caps={COL_RESPONSIBLE: 26 * chars, COL_PROGRESS: 120}, stretch=COL_NAME,
                                    first=(COL_RESPONSIBLE,), rows_to_contents=False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.doubleClicked.connect(self.show_contributions)
        open_row = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, context=Qt.ShortcutContext.WidgetShortcut)
        open_row.activated.connect(lambda: self.show_contributions(self.table.currentIndex()))
        print_key = QShortcut(QKeySequence.StandardKey.Print, self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        print_key.activated.connect(lambda: self.print_overview())
        self.print_button.setToolTip(f"In bảng tổng quan ({QKeySequence(QKeySequence.StandardKey.Print).toString()})")

        self.chart = QChart()
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(190)

        panel = QGroupBox("Tình hình báo cáo", self)
        side = QVBoxLayout(panel)
        self.reported_label = QLabel(panel)
        self.reported_label.setStyleSheet("font-size: 13pt; font-weight: bold; color: #1f3b5a;")
        self.reported_bar = QProgressBar(panel)
        self.reported_bar.setTextVisible(False)
        self.reported_bar.setMaximumHeight(10)
        self.deadline_label = QLabel(panel)
        self.deadline_label.setWordWrap(True)
        self.missing_title = QLabel("Chưa báo cáo:", panel)
        self.missing_list = QListWidget(panel)
        self.missing_list.setToolTip("Các đơn vị chưa có số liệu nào cho kỳ này")
        self.missing_list.setWordWrap(True)  # a long unit name wraps in the narrow panel
        self.missing_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.closed_label = QLabel(panel)  # units closed (or not yet founded) in the period: not missing
        self.closed_label.setObjectName("closedUnitsLabel")
        self.closed_label.setWordWrap(True)
        self.closed_label.setStyleSheet("color: #606060;")
        for w in (self.reported_label, self.reported_bar, self.deadline_label, self.missing_title):
            side.addWidget(w)
        side.addWidget(self.missing_list, 1)
        side.addWidget(self.closed_label)
        side.addStretch(0)
        self.reported_label.setWordWrap(True)
        panel.setMinimumWidth(230)
        panel.setMaximumWidth(300)

        # the table across the whole width (its names need it at 1024 px); below it the chart
        # and, beside the chart, who has reported
        below = QWidget(self)
        lower = QHBoxLayout(below)
        lower.setContentsMargins(0, 0, 0, 0)
        lower.addWidget(self.chart_view, 1)
        lower.addWidget(panel)
        self.body = QSplitter(Qt.Orientation.Vertical, self)
        self.body.addWidget(self.table)
        self.body.addWidget(below)
        self.body.setStretchFactor(0, 1)
        self.body.setStretchFactor(1, 0)
        self.body.setCollapsible(0, False)
        self.body.setCollapsible(1, False)
        self.body.setSizes([400, 230])
        root.addWidget(self.body, 1)

    # -- data -----------------------------------------------------------------------------
    @property
    def period(self) -> str:
        return str(self.period_combo.currentData())

    def set_period(self, code: str) -> None:
        self.period_combo.setCurrentIndex(self.period_combo.findData(code))

    def _show_in_combo(self, code: str) -> None:
        self.period_combo.blockSignals(True)
        self.period_combo.setCurrentIndex(self.period_combo.findData(code))
        self.period_combo.blockSignals(False)

    def _period_chosen(self, _index: int) -> None:
        """The person chose a period here: it becomes the working period (the entry tab may
        ask about unsaved figures first; "Hủy" puts this box back)."""
        self.ctx.period.choose(self.period, stay=lambda: self._show_in_combo(self.ctx.period.code))

    def _follow_period(self, code: str) -> None:
        """The working period changed (here or elsewhere): show its overview."""
        if code != self.period or code != self.shown_period:
            self._show_in_combo(code)
            self.refresh()

    def _on_changed(self, kind: str, period: str) -> None:
        prev = self.ctx.desk.plan.same_period_last_year(self.period)
        if not period or period == self.period or (prev is not None and period == prev.code):
            self.refresh()

    def refresh(self) -> None:
        """Recompute the selected period's overview on the worker, then redraw everything."""
        period = self.period
        query(self, self.ctx, lambda desk: overview_page(desk, period), title="Tổng quan") \
            .success(lambda page: self._show_page(period, page)) \
            .failure(self._read_failed) \
            .run()

    def _show_page(self, period: str, page: OverviewPage) -> None:
        if period != self.period:
            return  # the person chose another period meanwhile: its own read follows
        self.page, self.shown_period = page, period
        self.model.set_page(self.ctx.desk.plan, page)
        self.table.setColumnHidden(COL_PREVIOUS, not self.model.has_previous)
        self.columns.fit()
        self._fill_completeness()
        self._fill_chart()

    def _read_failed(self, exc: BaseException) -> None:
        """Nothing redrawn; the selector shows the period of the page still on screen."""
        if self.shown_period and self.period != self.shown_period:
            self._show_in_combo(self.shown_period)
            self.ctx.period.set(self.shown_period)  # every tab stays on the period shown here
        show_error(self, "Tổng quan", exc)

    def _fill_completeness(self) -> None:
        assert self.page is not None
        plan, c = self.ctx.desk.plan, self.page.completeness
        self.reported_label.setText(f"{len(c.reported)}/{c.total} đơn vị đã báo cáo")
        self.reported_bar.setRange(0, max(c.total, 1))
        self.reported_bar.setValue(len(c.reported))
        if c.deadline_passed and c.missing:
            self.deadline_label.setText(f"Hạn nộp {c.deadline:%d/%m/%Y} — <b style='color:#c62828'>đã quá hạn</b>")
        elif c.deadline_passed:
            self.deadline_label.setText(f"Hạn nộp {c.deadline:%d/%m/%Y} — đã qua; đủ báo cáo.")
        else:
            days = (c.deadline - (c.today or date.today())).days
            self.deadline_label.setText(f"Hạn nộp {c.deadline:%d/%m/%Y} — còn {days} ngày")
        self.missing_list.clear()
        self.missing_list.addItems([plan.unit(u).name for u in c.missing])
        self.missing_title.setText("Chưa báo cáo:" if c.missing else "Tất cả đơn vị đã báo cáo.")
        self.missing_list.setVisible(bool(c.missing))
        closed = c.closed
        self.closed_label.setText("Không phải báo cáo kỳ này:<br>" + "<br>".join(
            f"• {plan.unit(u).name} — {plan.closed_note(u, self.page.period)}" for u in closed) if closed else "")
        self.closed_label.setVisible(bool(closed))
        self._panel_stretch()

    def _panel_stretch(self) -> None:
        """Without a list of missing units, keep the panel's lines at the top."""
        side = self.missing_list.parentWidget().layout()
        side.setStretch(side.count() - 1, 0 if self.missing_list.isVisibleTo(self) else 1)

    def _fill_chart(self) -> None:
        assert self.page is not None
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        results, targets = QBarSet("Kết quả (%)"), QBarSet("Mục tiêu (%)")
        results.setColor(QColor("#1f77b4"))
        targets.setColor(QColor("#c7c7c7"))
        labels = []  # the table's STT, so that a bar is found in the table at a glance
        top = 100.0
        counts = False
        for number, r in enumerate(self.page.overview.indicators, start=1):
            if r.is_count:  # a number of things: drawn as its share of the target, the target as 100%
                counts = True
                labels.append(f"{number}*")
                value = float(r.value or 0) * 100 / r.target if r.target else 100.0
                target = 100.0
            else:
                labels.append(str(number))
                value, target = float(r.value_truncated or 0), r.target
            results.append(value)
            targets.append(target)
            top = max(top, value, target)
        series = QBarSeries()
        series.append(results)
        series.append(targets)
        self.chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append(labels)
        x.setTitleText("Chỉ tiêu (số thứ tự như trong bảng)")
        y = QValueAxis()
        # at most 4 intervals of a round size: labels stay legible in a short chart
        want = top
        step = next(s for s in (25, 50, 100, 250, 500, 1000, 2500, 5000, 10**4, 10**5, 10**6) if want <= 4 * s)
        intervals = -(-int(want) // step)
        y.setRange(0, step * intervals)
        y.setTickCount(intervals + 1)
        y.setLabelFormat("%.0f%%")
        self.chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        note = " (* chỉ tiêu số lượng: kết quả tính bằng % của mục tiêu)" if counts else ""
        self.chart.setTitle(f"Kết quả so với mục tiêu — {self.ctx.desk.plan.period(self.shown_period).name}{note}")

    # -- actions --------------------------------------------------------------------------
    def show_contributions(self, index: QModelIndex) -> None:
        """Open the dialog with each unit's part in the indicator of ``index``'s row."""
        from dkdesk.gui.contribution_dialog import ContributionDialog
        from dkdesk.indicators.contributions import Contribution, unit_contributions

        if not index.isValid():
            return
        result, period = self.model.result(index.row()), self.shown_period
        plan = self.ctx.desk.plan

        def opened(parts: list[Contribution]) -> None:
            self.contribution_dialog = ContributionDialog(plan, plan.period(period).name.lower(), result, parts, self,
                                                          period)
            self.contribution_dialog.open()

        query(self, self.ctx, lambda desk: unit_contributions(desk, result.code, period),
              title="Đóng góp của các đơn vị").success(opened).run()

    def export_excel(self, path: str | Path | None = None) -> Path | None:
        """Save the overview as an Excel sheet (asks where when ``path`` is None)."""
        from dkdesk.reports.overview_sheet import write_overview_workbook

        if self.page is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Xuất tổng quan ra Excel",
                                                  f"tong-quan-{self.shown_period}.xlsx", "Tệp Excel (*.xlsx)")
            if not path:
                return None
        try:
            return write_overview_workbook(path, self.ctx.desk.plan, self.page)
        except Exception as exc:
            show_error(self, "Xuất Excel", exc)
            return None

    def overview_html(self) -> str:
        from dkdesk.reports.overview_html import overview_html

        assert self.page is not None
        return overview_html(self.ctx.desk.plan, self.page)

    def _document(self, breaks: tuple[int, ...] = ()) -> QTextDocument:
        from dkdesk.reports.overview_html import overview_html

        assert self.page is not None
        doc = QTextDocument(self)
        doc.setHtml(overview_html(self.ctx.desk.plan, self.page, breaks=breaks))
        return doc

    def paged_document(self, size: QSizeF) -> QTextDocument:
        """The overview laid out on pages of ``size``; a row the page break would cut starts
        the next page (a new table with the header repeated)."""
        breaks: tuple[int, ...] = ()
        while True:
            doc = self._document(breaks)
            doc.setPageSize(size)
            cut = split_row(doc)
            if cut is None or cut in breaks:
                return doc
            breaks += (cut,)

    def print_overview(self, printer: QPrinter | None = None) -> bool:
        """Print the overview; without ``printer`` asks with the print dialog (PDF possible there)."""
        if self.page is None:
            return False
        if printer is None:
            printer = _a4_printer()
            dialog = QPrintDialog(printer, self)
            dialog.setWindowTitle("In bảng tổng quan")
            if dialog.exec() != QPrintDialog.DialogCode.Accepted:
                return False
        # lay the text out on the printer's page (else Qt uses a narrow default width)
        self.paged_document(printer.pageLayout().paintRectPoints().size().toSizeF()).print_(printer)
        return True

    def save_pdf(self, path: str | Path | None = None) -> Path | None:
        """Save the overview as a PDF (asks where when ``path`` is None)."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Lưu tổng quan thành PDF",
                                                  f"tong-quan-{self.shown_period}.pdf", "Tệp PDF (*.pdf)")
            if not path:
                return None
        printer = _a4_printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        self.print_overview(printer)
        return Path(path)

    def make_report(self) -> None:
        """Open the report dialog (imported on first use: keeps openpyxl/docx out of start-up)."""
        module = importlib.import_module("dkdesk.gui.report_dialog")
        module.open_report_dialog(self.ctx, self, self.period)


def _a4_printer() -> QPrinter:
    from PySide6.QtGui import QPageLayout, QPageSize

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    printer.setPageMargins(QMarginsF(20, 15, 15, 15), QPageLayout.Unit.Millimeter)
    return printer



def split_row(doc: QTextDocument) -> int | None:
    """The first table row (counted 1, 2, ... over the data rows of every table) that the page
    break cuts in two, once ``doc`` is laid out on its page size; None when no row is cut.
    (Qt's rich text has no ``page-break-inside: avoid``: the printout starts a new table there.)"""
    from PySide6.QtGui import QTextTable

    page = doc.pageSize().height()
    layout = doc.documentLayout()
    layout.documentSize()
    number = 0
    for table in (f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)):
        for r in range(1, table.rows()):  # row 0: the header, repeated on every page
            number += 1
            cells = [table.cellAt(r, c) for c in range(table.columns())]
            top = min(layout.blockBoundingRect(c.firstCursorPosition().block()).top() for c in cells)
            bottom = max(layout.blockBoundingRect(c.lastCursorPosition().block()).bottom() for c in cells)
            if bottom - top < page and int(top // page) != int(bottom // page):
                return number
    return None
