"""Pure-Python document core. Nothing under this package may import PySide6."""
