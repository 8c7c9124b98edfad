"""A dictionary that computes a missing value on first lookup, for per-token caches on hot paths.

Once a key has been seen, ``memo[key]`` (and ``map(memo.__getitem__, keys)``, or
``operator.itemgetter(*keys)(memo)``) runs at dictionary speed, with no Python call; a
new key costs one call of the function. With a ``limit`` the memo empties itself when
full, so a long run keeps a bounded number of entries.

Example
-------
>>> lengths = Memo(len, limit=2)
>>> [lengths[w] for w in ("vote", "poll", "vote", "ballot")]
[4, 4, 4, 6]
>>> len(lengths) <= 2
True
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any


class Memo(dict):
    """key -> ``function(key)``, computed on the first lookup of the key and remembered.

    Parameters
    ----------
    function:
        A pure function of one key.
    limit:
        Most entries kept: the memo is emptied before it would hold more. ``None``: no bound.

    Examples
    --------
    >>> upper = Memo(str.upper)
    >>> upper["kyiv"], dict(upper)
    ('KYIV', {'kyiv': 'KYIV'})
    """

    def __init__(self, function: Callable[[Any], Any], *, limit: int | None = None) -> None:
        super().__init__()
        self.function = function
        self.limit = limit

    def __missing__(self, key: Hashable) -> Any:
        value = self.function(key)
        if self.limit is not None and len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
