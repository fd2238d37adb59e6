"""Cueline launcher: `python main.py [FILE]` opens the editor, `python main.py convert …` runs the CLI."""

import sys

from editor.entry import main

if __name__ == "__main__":
    sys.exit(main())
