"""Every compound operation through the GUI controller's QUndoStack: one undo step each,
undo and redo give back identical documents, and the views hear about every change."""

from __future__ import annotations

import pytest
from test_operations import OPERATIONS, make_doc

from editor.core.errors import ValidationError
from editor.qt.controller import Controller


@pytest.fixture
def controller(qapp):
    return Controller(make_doc())


def test_all_operations_in_a_row_are_one_undo_step_each(controller):
    heard = []
    controller.changed.connect(heard.append)
    snapshots = [controller.document.snapshot()]
    refused: list[str] = []
    for name, build in OPERATIONS.items():
        try:
            edit = build(controller.document)
        except ValidationError:  # an operation may no longer apply after the previous ones
            refused.append(name)
            continue
        before = len(heard)
        controller.apply(edit, name)
        assert len(heard) == before + 1
        snapshots.append(controller.document.snapshot())
    stack = controller.undo_stack
    assert stack.count() == len(snapshots) - 1 == len(OPERATIONS) - len(refused)
    assert len(refused) <= 5, refused
    for expected in reversed(snapshots[:-1]):
        stack.undo()
        assert controller.document.snapshot() == expected
    for expected in snapshots[1:]:
        stack.redo()
        assert controller.document.snapshot() == expected


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_each_operation_undoes_and_redoes_through_the_stack(controller, name):
    doc = controller.document
    before = doc.snapshot()
    controller.apply(OPERATIONS[name](doc), name)
    after = doc.snapshot()
    assert after != before
    controller.undo_stack.undo()
    assert controller.document.snapshot() == before
    controller.undo_stack.redo()
    assert controller.document.snapshot() == after
