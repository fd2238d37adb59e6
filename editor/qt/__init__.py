"""The thin PySide6 layer: shows the core document and turns user actions into core edits."""
