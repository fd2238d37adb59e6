"""Counts in proper English ("1 cue", "2 cues") through Qt's plural-aware translate().

Strings with a count are written once, Qt-style: `ntr("window", "%n cue(s)", n)`. Qt puts
the number in for %n; the plural form comes from the installed translators. For English,
the language the strings are written in, SourceLanguagePlurals is that translator: "(s)" is
dropped for one and becomes "s" otherwise ("%n cue(s)" → "1 cue", "2 cues"). A real
translation installed later is asked first, as Qt asks the newest translator first.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QTranslator

_MARK = re.compile(r"\((s|es)\)")


def english_plural(text: str, n: int) -> str:
    """Return `text` with its "(s)" marks resolved for `n` (the number itself is Qt's %n)."""
    return _MARK.sub("" if abs(n) == 1 else r"\1", text)


class SourceLanguagePlurals(QTranslator):
    """Resolves the plural marks of the untranslated (English) strings."""

    def translate(self, context, source_text, disambiguation=None, n=-1):
        if n < 0 or not source_text or "(" not in source_text:
            return None  # null = not translated here: Qt asks the next translator, or keeps the source
        return english_plural(source_text, n)

    def isEmpty(self) -> bool:
        return False


_installed: SourceLanguagePlurals | None = None


def install() -> None:
    """Install the English plural translator into the running application (once)."""
    global _installed
    app = QCoreApplication.instance()
    if app is None or (_installed is not None and _installed.parent() is app):
        return
    _installed = SourceLanguagePlurals(app)
    QCoreApplication.installTranslator(_installed)


def ntr(context: str, text: str, n: int) -> str:
    """Return `text` translated for the count `n`, with %n replaced by it."""
    install()
    return QCoreApplication.translate(context, text, None, n)
