from __future__ import annotations

import sys

from dkdesk.cli.main import main

sys.exit(main())
