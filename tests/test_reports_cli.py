"""`dkdesk report`: files written, Vietnamese refusals, no half-written file on failure."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from reports_seed import seed


def run(db: Path, *args: str) -> int:
    from dkdesk.cli.main import main

    return main(["--db", str(db), *args])


def test_report_writes_both_files(desk, db_path: Path, tmp_path: Path, capsys) -> None:
    seed(desk)
    xlsx, docx_path = tmp_path / "tong-hop.xlsx", tmp_path / "bao-cao.docx"
    assert run(db_path, "report", "--period", "2024-H1", "-o", str(xlsx), "--docx", str(docx_path)) == 0
    assert "Tổng hợp chỉ tiêu" in openpyxl.load_workbook(xlsx).sheetnames
    assert docx_path.stat().st_size > 10_000
    assert f"Đã ghi {xlsx}" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".dkdesk-")) == []


@pytest.mark.parametrize("args, message", [
    (["--period", "2099-H1", "-o", "{tmp}/a.xlsx"], 'Không có kỳ báo cáo "2099-H1"'),
    (["--period", "2024-H1", "-o", "{tmp}/khong-co/a.xlsx"], "không tồn tại"),
    (["--period", "2024-H1", "-o", "{tmp}/a.csv"], "phải có đuôi .xlsx"),
    (["--period", "2024-H1", "-o", "{tmp}/a.xlsx", "--docx", "{tmp}/a.doc"], "phải có đuôi .docx"),
])
def test_refusals_exit_1_in_vietnamese(desk, db_path: Path, tmp_path: Path, capsys, args, message) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert run(db_path, "report", *args) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "a.xlsx").exists()


def test_failure_leaves_no_half_file(desk, db_path: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    from dkdesk.reports import workbook

    out = tmp_path / "tong-hop.xlsx"
    out.write_bytes(b"the previous report")

    def broken(data, path: Path) -> None:
        path.write_bytes(b"half")
        raise OSError("đĩa đầy")

    monkeypatch.setattr(workbook, "write_workbook", broken)
    assert run(db_path, "report", "--period", "2024-H1", "-o", str(out)) == 1
    assert "đĩa đầy" in capsys.readouterr().err
    assert out.read_bytes() == b"the previous report"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx"] == ["tong-hop.xlsx"]
