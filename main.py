"""Cueline launcher: `python main.py [FILE]` opens the editor, `python main.py convert …` runs the CLI."""

import sys

from editor.entry import main

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        # A bundled app starts Align to Audio's speech-model process through this executable.
        # Only a frozen one needs it; importing multiprocessing costs ~7 ms of every launch.
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
