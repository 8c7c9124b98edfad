"""Words of one character class, split by byte translation instead of a regex scan.

``pattern.findall(text.casefold())``, for a one-character class such as ``\\w`` or
``[^\\W\\d_]``, scans every character in Python's regex engine. :func:`folded_words`
gives the same words faster: each distinct non-ASCII character of the folded text
that the class does not match becomes a space, then a byte table turns every ASCII
character outside the class into a space too, and :meth:`str.split` cuts the rest.
Used by cleaning (letters) and dedup (word characters) on their hot paths.

Example
-------
>>> import re, string
>>> letters = re.compile(r"[^\\W\\d_]")
>>> table = bytes.maketrans(bytes(c for c in range(128) if not chr(c).isalpha()), b" " * sum(not chr(c).isalpha() for c in range(128)))
>>> folded_words("Çay — 2 İçki!", pattern=letters, table=table) == re.findall(r"[^\\W\\d_]+", "Çay — 2 İçki!".casefold())
True
"""

from __future__ import annotations

import re
from functools import lru_cache

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def folded_words(text: str, *, pattern: re.Pattern[str], table: bytes) -> list[str]:
    """The runs of the class's characters in ``text.casefold()``, as ``re.findall`` of the class repeated gives them.

    Parameters
    ----------
    text:
        Any text.
    pattern:
        The class, as a pattern whose ``fullmatch`` of one character says whether the
        character is in it (``\\w``, ``\\w+``, ``[^\\W\\d_]+``).
    table:
        A ``bytes.translate`` table mapping every ASCII byte outside the class to a space
        and leaving the others, and every byte from 128 up, as they are.

    Examples
    --------
    >>> word = re.compile(r"\\w")
    >>> table = bytes.maketrans(bytes(c for c in range(128) if not (chr(c).isalnum() or c == 95)), b" " * 65)
    >>> folded_words("Straße – café’s", pattern=word, table=table)
    ['strasse', 'café', 's']
    """
    folded = text.casefold()
    if not folded.isascii():
        for char in set(_NON_ASCII.findall(folded)):
            if not _matches(pattern, char):
                folded = folded.replace(char, " ")
    return folded.encode("utf-8", "surrogatepass").translate(table).decode("utf-8", "surrogatepass").split()


@lru_cache(maxsize=8192)
def _matches(pattern: re.Pattern[str], char: str) -> bool:
    """Whether ``pattern`` matches the one character ``char``."""
    return pattern.fullmatch(char) is not None
