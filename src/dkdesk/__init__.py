"""dkdesk: the district's plan against prostitution, collected, checked and consolidated."""
from __future__ import annotations

__version__ = "0.1.0"
APP_NAME = "dkdesk"
APP_TITLE = "dkdesk - Theo dõi Kế hoạch phòng, chống mại dâm"
