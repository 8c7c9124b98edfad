"""Duplicate marking: exact copies, syndicated near copies, and what counts as first."""

from __future__ import annotations

import pandas as pd
import pytest

from mediawork.dedup import jaccard, mark_duplicates, normalize_body, shingles

STORY = (
    "Negotiators from Washington and Kyiv met in Jeddah on Tuesday and agreed to put a thirty-day truce "
    "proposal to Moscow. Officials said the plan covered the whole front line and would start once Russia "
    "accepted it. The Kremlin said it would study the text before answering. European capitals welcomed "
    "the step but warned that verification would be hard. Ukrainian officials said prisoner exchanges "
    "and the return of deported children were also discussed during eight hours of talks."
)
OTHER = (
    "Farm exports through the Black Sea rose sharply in March as insurers cut premiums for ships calling "
    "at Odesa, traders said. Grain prices in Europe fell on the news, while analysts cautioned that any "
    "new strikes on port infrastructure would reverse the gains within days."
)


def _frame(rows):
    return pd.DataFrame(rows, columns=["article_id", "source_file", "published", "text"]).assign(
        published=lambda d: pd.to_datetime(d["published"], utc=True, format="ISO8601")
    )


def test_exact_duplicate_ignores_case_spacing_and_punctuation():
    df = _frame([("a", "1.txt", "2025-03-11", STORY), ("b", "2.txt", "2025-03-12", STORY.upper().replace(".", " !"))])
    assert mark_duplicates(df).tolist() == [None, "a"]


def test_syndicated_copy_with_a_trimmed_sentence_is_a_near_duplicate():
    trimmed = STORY.rsplit(" Ukrainian officials", 1)[0]
    df = _frame([("a", "1.txt", "2025-03-11T10:00Z", STORY), ("b", "2.txt", "2025-03-11T12:00Z", trimmed), ("c", "3.txt", "2025-03-11", OTHER)])
    assert mark_duplicates(df).tolist() == [None, "a", None]


def test_first_is_the_earliest_published_not_the_first_row():
    df = _frame([("late", "1.txt", "2025-03-12", STORY), ("early", "2.txt", "2025-03-11", STORY), ("nodate", "0.txt", None, STORY)])
    assert mark_duplicates(df).tolist() == ["early", None, "early"]


def test_unrelated_articles_are_not_duplicates_and_index_is_kept():
    df = _frame([("a", "1.txt", "2025-03-11", STORY), ("b", "2.txt", "2025-03-11", OTHER)]).set_index(pd.Index([10, 20]))
    out = mark_duplicates(df)
    assert out.tolist() == [None, None]
    assert out.index.tolist() == [10, 20]


def test_result_does_not_depend_on_row_order():
    rows = [("a", "1.txt", "2025-03-11", STORY), ("b", "2.txt", "2025-03-12", STORY + " Extra."), ("c", "3.txt", "2025-03-10", OTHER)]
    forward = dict(zip(["a", "b", "c"], mark_duplicates(_frame(rows))))
    backward = dict(zip(["c", "b", "a"], mark_duplicates(_frame(rows[::-1]))))
    assert forward == backward == {"a": None, "b": "a", "c": None}


@pytest.mark.parametrize(("a", "b", "expected"), [({"x", "y"}, {"y", "z"}, 1 / 3), (set(), set(), 0.0), ({"x"}, {"x"}, 1.0)])
def test_jaccard(a, b, expected):
    assert jaccard(frozenset(a), frozenset(b)) == pytest.approx(expected)


def test_shingles_of_a_short_text_is_the_whole_text():
    assert shingles("Talks resumed.") == frozenset({"talks resumed"})
    assert normalize_body("  Talks,  RESUMED!") == "talks resumed"
    assert len(shingles(" ".join(f"w{i}" for i in range(7)))) == 3


def test_bad_threshold_is_refused():
    with pytest.raises(ValueError, match="threshold must be in"):
        mark_duplicates(_frame([("a", "1.txt", None, STORY)]), threshold=0)
