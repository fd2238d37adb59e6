"""The README stays true: its commands are the ones CI runs, its tables match the code."""

from __future__ import annotations

import re

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    return re.findall(r"```sh\n(python3 -m venv[^\n]*)\n```", README)


def test_readme_gives_exactly_two_setup_commands_and_ci_runs_the_test_one():
    commands = _commands()
    assert len(commands) == 2
    app, tests = commands
    assert app.endswith("main.py") and "pytest" not in app
    assert "pytest" in tests
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()


def test_readme_shortcut_table_matches_the_actions(qapp):
    from editor.qt.actions import markdown_table, with_readme_table

    assert markdown_table() in README
    assert with_readme_table(README) == README


def test_readme_names_every_cli_command_and_writable_format():
    from editor.cli import build_parser
    from editor.core import formats
    from editor.entry import CLI_COMMANDS

    for command in CLI_COMMANDS:
        assert f"cueline {command}" in README
    for format_id in formats.ids():
        assert formats.get(format_id).name in README
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.choices and "convert" in a.choices)
    for sub in subparsers.choices.values():
        for option in re.findall(r"--[a-z-]+", sub.format_help()):
            assert option in README or option == "--help", option
