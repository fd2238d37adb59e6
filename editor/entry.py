"""Chooses the CLI or the GUI, so that CLI runs never import Qt."""

from __future__ import annotations

import sys

CLI_COMMANDS = {"convert", "inspect", "check"}


def main(argv: list[str] | None = None) -> int:
    """Run a CLI subcommand when one is named and return its exit code; else run the GUI and end
    the process with its exit code when the window has closed (app.end_process)."""
    args = sys.argv[1:] if argv is None else argv
    if args and (args[0] in CLI_COMMANDS or args[0] in {"--version", "-V"}):
        from editor import cli

        return cli.main(args)
    from editor.qt import app

    app.end_process(app.main(args))
