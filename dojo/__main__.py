"""``python -m dojo VERB``: the command line the Makefile calls."""

import sys

from dojo.cli import main

sys.exit(main())
