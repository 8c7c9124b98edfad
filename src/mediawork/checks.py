"""Input checks shared by the analysis modules: is this a DataFrame with these columns?

Every pure analysis function (sentiment, terms, actors, co-occurrence, overview,
profile, figures, plots) checks its input frames first, with the same message
shape: what was found, what was expected, and what to do.

Example
-------
>>> import pandas as pd
>>> require_columns(pd.DataFrame({"text": ["x"]}), ["text"], what="the sentences frame")
>>> require_columns(pd.DataFrame({"x": [1]}), ["text"], what="the sentences frame")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
mediawork.errors.DataError: the sentences frame lacks column(s) ['text']; found columns ['x'], expected at least ['text']
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .errors import DataError

__all__ = ["require_columns"]


def require_columns(frame: object, columns: Sequence[str], *, what: str, hint: str | None = None) -> None:
    """Raise :class:`~mediawork.errors.DataError` unless ``frame`` is a DataFrame with ``columns``.

    Parameters
    ----------
    frame:
        The value to check. Not modified.
    columns:
        The columns it must have (others may be present too).
    what:
        What the frame is, as the start of a sentence: ``"the sentences frame"``,
        ``"the scores passed to plot_top_terms"``.
    hint:
        What to do about it, appended to the message after a semicolon, e.g.
        ``"build it with mediawork.text.sentences_frame"``.

    Raises
    ------
    DataError
        ``frame`` is not a DataFrame (the message names its type), or it lacks some of
        ``columns`` (the message names the missing ones, the columns found and those expected).

    Examples
    --------
    >>> import pandas as pd
    >>> require_columns(pd.DataFrame({"article_id": [], "text": []}), ["article_id"], what="the articles")
    >>> require_columns([1, 2], ["article_id"], what="the articles", hint="read them with mediawork.store")
    Traceback (most recent call last):
    ...
    mediawork.errors.DataError: the articles: found a list; expected a pandas DataFrame with columns ['article_id']; read them with mediawork.store
    """
    expected = list(columns)
    advice = f"; {hint}" if hint else ""
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"{what}: found a {type(frame).__name__}; expected a pandas DataFrame with columns {expected}{advice}")
    missing = [c for c in expected if c not in frame.columns]
    if missing:
        raise DataError(f"{what} lacks column(s) {missing}; found columns {list(frame.columns)}, expected at least {expected}{advice}")
