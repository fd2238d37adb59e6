"""Test entry point: the real editor, driven through the test control channel.

    python -m tests.support.controlled_app CONTROL_FOLDER [editor arguments ...]

Runs `editor.qt.app.main` with the editor arguments and attaches a TestingChannel polling
CONTROL_FOLDER to its window (see tests/support/testing_channel.py). Used by
benchmarks/soak_kill.py and tests/test_kill_recovery.py; nothing shipped imports it.
"""

from __future__ import annotations

import sys

from tests.support.testing_channel import TestingChannel


def main(argv: list[str]) -> int:
    if not argv:
        usage = "usage: python -m tests.support.controlled_app CONTROL_FOLDER [editor arguments]"
        print(usage, file=sys.stderr)
        return 2
    from editor.qt import app

    folder, rest = argv[0], argv[1:]
    channels: list[TestingChannel] = []
    return app.main(rest, on_window=lambda window: channels.append(TestingChannel(window, folder)))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
