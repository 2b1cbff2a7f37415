"""Text helpers shared by search and storage."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Return `text` lower-cased and without accents ("José Ñúñez" -> "jose nunez")."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def name_words(*names: str) -> list[str]:
    """Return the folded words of the given names, hyphenated parts counted as words too."""
    words: list[str] = []
    for name in names:
        for word in fold(name).replace("-", " ").replace("'", " ").split():
            if word not in words:
                words.append(word)
    return words
