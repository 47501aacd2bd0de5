"""Both report files convert to PDF with a real LibreOffice (headless), and read right."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from reports_seed import MADE_ON, seed

pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")]


def to_pdf(src: Path, outdir: Path, profile: Path) -> Path:
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=180)
    pdf = outdir / (src.stem + ".pdf")
    assert pdf.exists() and pdf.stat().st_size > 5000
    return pdf


def pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        return ""
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_both_files_convert_to_pdf(desk, tmp_path: Path) -> None:
    from dkdesk.reports.output import make_reports

    seed(desk)
    files = make_reports(desk, "2024-H1", tmp_path / "tong-hop.xlsx", tmp_path / "bao-cao.docx", made_on=MADE_ON)
    profile = tmp_path / "lo-profile"
    xlsx_text = pdf_text(to_pdf(files.xlsx, tmp_path / "pdf", profile))
    docx_text = pdf_text(to_pdf(files.docx, tmp_path / "pdf", profile))
    if xlsx_text:
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in xlsx_text
        assert "TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU" in xlsx_text
        assert "Trang 1 /" in xlsx_text
    if docx_text:
        assert "BÁO CÁO" in docx_text and "TRƯỞNG PHÒNG" in docx_text
        assert "66,66%" in docx_text
