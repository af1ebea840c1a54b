"""`python -m bptui.cli`: the `bptui` command."""

import sys

from . import main

sys.exit(main())
