"""Per-machine settings (the user's name, this machine's role), a small JSON file in the data folder."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

ROLE_CONSOLIDATOR = "consolidator"  # the district office that consolidates
ROLE_UNIT = "unit"  # one unit's workstation


@dataclass
class Settings:
    user_name: str = ""
    role: str = ""  # "" until the first-run dialog has been answered
    unit: str = ""  # the unit of a unit workstation
    backups_keep: int = 20
    last_period: str = ""
    send_folder: str = ""  # a unit workstation: where "Gửi báo cáo" last wrote the unit's report
    report_folder: str = ""  # where "Lập báo cáo" last wrote its files
    window_size: str = ""  # "" opens the main window maximised; "1200x700": the size the person left it at

    @property
    def first_run(self) -> bool:
        return not self.role

    @property
    def station_unit(self) -> str:
        """The unit whose workstation this machine is ("" on the consolidating office's machine)."""
        return self.unit if self.role == ROLE_UNIT else ""


def settings_path() -> Path:
    override = os.environ.get("DKDESK_SETTINGS")
    if override:
        return Path(override)
    from dkdesk import paths

    return paths.data_dir() / "settings.json"


def load_settings(path: Path | None = None) -> Settings:
    path = path or settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    known = {f.name for f in fields(Settings)}
    try:
        return Settings(**{k: v for k, v in data.items() if k in known})
    except TypeError:
        return Settings()


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write atomically (temp file then replace), so a power cut never leaves half a file."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
