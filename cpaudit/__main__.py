"""``python -m cpaudit`` is the ``cpaudit`` command."""

import sys

from cpaudit.cli import main

sys.exit(main())
