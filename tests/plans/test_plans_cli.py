"""The command line over several plans: --plan CODE, plans, plan --export/--import, overview --compare, archive."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from dkdesk.catalogue import plan_edit as edit
from dkdesk.catalogue.loader import load_plan_text
from dkdesk.catalogue.plan_dump import dump_plan
from dkdesk.cli.main import main
from tests.conftest import PLAN_PATH, WARDS


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def make_2025_file(tmp_path: Path, plan) -> Path:
    p = edit.next_year(plan)
    p = edit.merge_units(p, WARDS[:3], "P-DUONGKINH", "Ủy ban nhân dân phường Dương Kinh", date(2025, 7, 1),
                         short_name="P. Dương Kinh")
    p = edit.close_unit(p, "CA", date(2025, 3, 1))
    p = edit.set_target(p, "CT07", 5, "count")
    path = tmp_path / "ke-hoach-2025.toml"
    path.write_text(dump_plan(p), encoding="utf-8")
    return path


def test_import_choose_export_and_list_plans(tmp_path, db_path, plan, capsys):
    db = str(db_path)
    the_file = make_2025_file(tmp_path, plan)
    code, out, _ = run(capsys, "--db", db, "plan", "--import", str(the_file))
    assert code == 0 and out.startswith("Đã thêm kế hoạch duong-kinh-2025")
    code, out, _ = run(capsys, "--db", db, "plan", "--import", str(the_file))
    assert code == 0 and "không có gì thay đổi" in out
    code, out, _ = run(capsys, "--db", db, "plans", "--json")
    data = json.loads(out)
    assert data["current"] == "duong-kinh-2025"
    assert [(p["code"], p["previous"]) for p in data["plans"]] == [("duong-kinh-2024", None),
                                                                   ("duong-kinh-2025", "duong-kinh-2024")]
    # plan --json: the newest by default, its SPEC shape with keys added inside the objects only
    code, out, _ = run(capsys, "--db", db, "plan", "--json")
    p25 = json.loads(out)
    assert set(p25) == {"plan", "periods", "units", "indicators"}
    assert p25["plan"]["code"] == "duong-kinh-2025" and p25["plan"]["previous"] == "duong-kinh-2024"
    units = {u["code"]: u for u in p25["units"]}
    assert units["CA"]["active_to"] == "2025-02-28" and units["P-ANHDUNG"]["successor"] == "P-DUONGKINH"
    assert units["P-DUONGKINH"]["active_from"] == "2025-07-01"
    assert {i["code"]: i.get("target_kind", "percent") for i in p25["indicators"]}["CT07"] == "count"
    code, out, _ = run(capsys, "--db", db, "--plan", "duong-kinh-2024", "plan", "--json")
    p24 = json.loads(out)
    assert p24["plan"]["code"] == "duong-kinh-2024" and "previous" not in p24["plan"]
    assert all(set(u) == {"code", "name", "group", "fields"} for u in p24["units"])
    # export gives back the stored text, byte for byte
    target = tmp_path / "ra.toml"
    assert run(capsys, "--db", db, "--plan", "duong-kinh-2024", "plan", "--export", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == PLAN_PATH.read_text(encoding="utf-8")
    code, _, err = run(capsys, "--db", db, "--plan", "khong-co", "plans")
    assert code == 1 and 'Không có kế hoạch mã "khong-co"' in err


def test_a_bad_plan_file_is_refused_naming_the_file_and_place(tmp_path, db_path, plan, capsys):
    bad = tmp_path / "sai.toml"
    bad.write_text(dump_plan(plan).replace('code = "duong-kinh-2024"', 'code = "kh-2025"\nprevious = 12', 1),
                   encoding="utf-8")
    code, _, err = run(capsys, "--db", str(db_path), "plan", "--import", str(bad))
    assert code == 1 and "sai.toml: [plan]" in err and 'khóa "previous" sai kiểu' in err
    assert "Traceback" not in err


def test_overview_compare_adds_last_year_over_the_merged_units(tmp_path, db_path, plan, capsys):
    db = str(db_path)
    for i, w in enumerate(WARDS):
        assert run(capsys, "--db", db, "set", "--unit", w, "--period", "2024-Y", "nld_cskd_tong=100",
                   f"nld_cskd_duoc_tt={10 * (i + 1)}")[0] == 0
    run(capsys, "--db", db, "plan", "--import", str(make_2025_file(tmp_path, plan)))
    run(capsys, "--db", db, "set", "--unit", "P-DUONGKINH", "--period", "2025-Y", "nld_cskd_tong=300",
        "nld_cskd_duoc_tt=240")
    code, out, _ = run(capsys, "--db", db, "overview", "--period", "2025-Y", "--json")
    plain = json.loads(out)
    assert all("previous" not in i for i in plain["indicators"])  # no change without --compare
    code, out, _ = run(capsys, "--db", db, "overview", "--period", "2025-Y", "--json", "--compare")
    assert code == 0
    rows = {i["code"]: i for i in json.loads(out)["indicators"]}
    prev = rows["CT02"]["previous"]
    assert (prev["plan"], prev["period"], prev["numerator"], prev["denominator"]) == (
        "duong-kinh-2024", "2024-Y", 210, 600)
    assert prev["units_added"] == {"P-DUONGKINH": ["P-ANHDUNG", "P-DAPHUC", "P-HAITHANH"]}
    assert "gồm số liệu năm trước của" in prev["note"]
    assert {k: v for k, v in rows["CT02"].items() if k != "previous"} == \
        next(i for i in plain["indicators"] if i["code"] == "CT02")
    code, out, _ = run(capsys, "--db", db, "overview", "--period", "2025-Y", "--compare")
    assert "cùng kỳ năm trước (Năm 2024): 35,00%" in out
    code, out, _ = run(capsys, "--db", db, "--plan", "duong-kinh-2024", "overview", "--period", "2024-Y",
                       "--json", "--compare")
    assert all(i["previous"] is None for i in json.loads(out)["indicators"])


def test_archive_holds_the_database_reports_and_original_files(tmp_path, db_path, plan, capsys):
    from dkdesk.core.desk import Desk
    from dkdesk.core.records import ImportFile
    from tests.conftest import fill_unit, values_for

    with Desk.open(db_path, plan_path=PLAN_PATH) as desk:
        fill_unit(desk, "YT", "2024-H1")
        with desk.import_batch() as batch:  # an original file as the import keeps it
            (iid,) = batch.record([ImportFile("Bao cao Y te.xlsx", "/x/Bao cao Y te.xlsx", "ab" * 32, 5, "YT",
                                              "2024-H1", content=b"hello")])
    folder = tmp_path / "luu-tru"
    code, out, err = run(capsys, "--db", str(db_path), "archive", "--plan", "duong-kinh-2024", "-o", str(folder))
    assert code == 0, err
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert names == ["DOC-TOI.txt", "bao-cao/bao-cao-thuc-hien_2024-H1.docx", "bao-cao/bao-cao-thuc-hien_2024-Y.docx",
                     "bao-cao/bao-cao-tong-hop_2024-H1.xlsx", "bao-cao/bao-cao-tong-hop_2024-Y.xlsx",
                     "co-so-du-lieu/dkdesk-duong-kinh-2024.sqlite", "ke-hoach/duong-kinh-2024.toml",
                     f"tep-goc/2024-H1/{iid:05d}_Bao-cao-Y-te.xlsx"]
    assert (folder / f"tep-goc/2024-H1/{iid:05d}_Bao-cao-Y-te.xlsx").read_bytes() == b"hello"
    readme = (folder / "DOC-TOI.txt").read_text(encoding="utf-8")
    for name in names[1:]:
        assert name in readme
    assert "Bao cao Y te.xlsx" in readme and "Phòng Y tế" in readme
    with Desk.open(folder / "co-so-du-lieu/dkdesk-duong-kinh-2024.sqlite", plan="duong-kinh-2024") as copy:
        assert copy.get_values("YT", "2024-H1").values == values_for(copy, "YT")
    assert load_plan_text((folder / "ke-hoach/duong-kinh-2024.toml").read_text(encoding="utf-8")).info.code \
        == "duong-kinh-2024"
    code, _, err = run(capsys, "--db", str(db_path), "archive", "-o", str(folder))
    assert code == 1 and "đã có nội dung" in err


def test_cli_and_core_agree_on_the_year_over_year_of_the_six_wards_merged_into_two(tmp_path, db_path, plan, capsys):
    from dkdesk.core.desk import Desk
    from dkdesk.indicators.compare import year_over_year
    from dkdesk.indicators.overview import overview_page

    p = edit.next_year(plan)
    p = edit.merge_units(p, WARDS[:3], "P-DUONGKINH", "Ủy ban nhân dân phường Dương Kinh", date(2025, 7, 1))
    p = edit.merge_units(p, WARDS[3:], "P-HUNGDAO", "Ủy ban nhân dân phường Hưng Đạo", date(2025, 7, 1))
    p = edit.close_unit(p, "CA", date(2025, 3, 1))
    p = edit.set_target(p, "CT02", 70)
    with Desk.open(db_path) as desk:
        for i, w in enumerate(WARDS):
            desk.set_values(w, "2024-Y", {"nld_cskd_tong": 100 + i, "nld_cskd_duoc_tt": 50 + i,
                                          "tt_so_hinh_thuc": i % 2})
        desk.add_plan(dump_plan(p))
    with Desk.open(db_path) as desk:
        for w, (reached, total) in {"P-DUONGKINH": (250, 300), "P-HUNGDAO": (150, 200)}.items():
            desk.set_values(w, "2025-Y", {"nld_cskd_tong": total, "nld_cskd_duoc_tt": reached, "tt_so_hinh_thuc": 1})
        page = overview_page(desk, "2025-Y")
        core = {r.code: (r.as_json(), year_over_year(desk, "2025-Y").previous_json(r.code))
                for r in page.overview.indicators}
    code, out, _ = run(capsys, "--db", str(db_path), "overview", "--period", "2025-Y", "--json", "--compare")
    cli = {i["code"]: i for i in json.loads(out)["indicators"]}
    for c, (now, prev) in core.items():
        assert cli[c] == {**now, "previous": prev}
    ct02 = cli["CT02"]
    assert ct02["target"] == 70 and ct02["previous"]["numerator"] == sum(50 + i for i in range(6))
    assert ct02["previous"]["units_added"] == {"P-DUONGKINH": WARDS[:3], "P-HUNGDAO": ["P-HOANGHIA", "P-TANTHANH"]}
    assert set(ct02["missing_units"]) == set(WARDS) - {"P-HUNGDAO"}  # the old wards owe their first half
