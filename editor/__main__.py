"""`python -m editor` runs the same entry point as main.py."""

import sys

from editor.entry import main

if __name__ == "__main__":  # Align to Audio's speech-model process imports this module again
    sys.exit(main())
