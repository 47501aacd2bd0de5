"""Entry script of the frozen executable: console set-up first, then the usual ``dkdesk`` CLI."""
from __future__ import annotations

import sys

from dkdesk.frozen import prepare

prepare()

from dkdesk.cli.main import main  # noqa: E402 - after the streams exist

sys.exit(main())
