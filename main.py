"""Cueline launcher: `python main.py [FILE]` opens the editor, `python main.py convert …` runs the CLI."""

import sys

from editor.entry import main

if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # a bundled app starts Align to Audio's speech-model process
    sys.exit(main())
