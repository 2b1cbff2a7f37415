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


def sentence(text: str) -> str:
    """Capitalise a message and end it with one full stop, unless it already ends a sentence."""
    text = str(text).strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".?!" else f"{text}."
