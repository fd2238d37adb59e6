"""`python -m editor` runs the same entry point as main.py."""

import sys

from editor.entry import main

sys.exit(main())
