"""analyze._arrow builds the Arrow tables of worker results column by column: exactly what from_pandas gives;
analyze._joined puts kept and new rows in article order: the rows the writer would sort them into.

Compared with ``_arrow_slow`` (``pa.Table.from_pandas`` with the table's schema) on frames
made by hand, random frames, and the real frames of scored sentences and mentions.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediawork import analyze as analyze_mod
from mediawork import sentiment, store
from mediawork.actors import actor_dictionary, find_mentions
from mediawork.schema import MENTIONS, SENTENCES, TERMS

from .conftest import SHARED


def _sentences(**columns) -> pd.DataFrame:
    n = len(columns.get("text", ["a"]))
    base = {
        "article_id": pd.array(["a"] * n, dtype="string"),
        "paragraph_id": np.zeros(n, dtype=np.int64),
        "sentence_id": np.arange(n, dtype=np.int64),
        "text": pd.array(["A good plan."] * n, dtype="string"),
        **{k: np.full(n, 0.5) for k in ("neg", "neu", "pos", "compound")},
    }
    base.update(columns)
    return pd.DataFrame(base)


def _same_table(frame: pd.DataFrame, table) -> pa.Table:
    got = analyze_mod._arrow(frame, table)
    expected = analyze_mod._arrow_slow(frame, table)
    assert got.schema.equals(expected.schema, check_metadata=True)
    assert got.equals(expected)
    return got


@pytest.mark.parametrize(
    "columns",
    [
        {},
        {"text": pd.array(["x", None, ""], dtype="string")},  # a missing text stays missing
        {"text": pd.Series(["x", None, "é"], dtype="str").array},  # pandas 3's default string dtype (NaN as missing)
        {"text": pd.array(["x", None], dtype=pd.StringDtype("python"))},  # strings stored in Python objects
        {"text": pd.array(["x", "y"], dtype="string"), "neg": np.array([np.nan, -0.0])},  # NaN is null, -0.0 kept
        {"text": pd.array([], dtype="string")},
        {"text": np.array(["x", "y"], dtype=object)},  # object column: the definition
        {"text": pd.array(["x", "y"], dtype="string"), "sentence_id": pd.array([1, None], dtype="Int64")},  # nullable: the definition
        {"text": pd.array(["x", "y"], dtype="string"), "paragraph_id": np.array([1.0, 2.0])},  # float for an int field: the definition
        {"text": pd.array(["x", "y"], dtype="string"), "sentence_id": np.array([3, 4], dtype=np.uint8)},
    ],
)
def test_hand_made_frames_give_the_from_pandas_table(columns):
    frame = _sentences(**columns)
    before = frame.copy()
    got = _same_table(frame, SENTENCES)
    assert got.num_rows == len(frame)
    pd.testing.assert_frame_equal(frame, before)  # the input frame is not modified


def test_an_out_of_range_number_raises_as_from_pandas_does():
    frame = _sentences(text=pd.array(["x"], dtype="string"), sentence_id=np.array([2**40], dtype=np.int64))
    with pytest.raises(pa.ArrowInvalid):
        analyze_mod._arrow_slow(frame, SENTENCES)
    with pytest.raises(pa.ArrowInvalid):
        analyze_mod._arrow(frame, SENTENCES)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.one_of(st.none(), st.text(max_size=6)), st.integers(0, 2**31 - 1),
                          st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.just(-0.0))), max_size=20))
def test_random_frames_give_the_from_pandas_table(rows):
    frame = _sentences(
        text=pd.array([r[0] for r in rows], dtype="string"),
        sentence_id=np.array([r[1] for r in rows], dtype=np.int64),
        compound=np.array([r[2] for r in rows], dtype=np.float64),
    )
    _same_table(frame, SENTENCES)


def test_real_scored_sentences_and_mentions_give_the_from_pandas_tables():
    path = SHARED / "data" / "gum_news" / "gum_news.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not found: the real-text check needs ../shared/data/gum_news beside the repository")
    docs = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    rows = [(doc["doc_id"], i // 3, i, text) for doc in docs for i, text in enumerate(doc["sentences"])]
    split = pd.DataFrame(rows, columns=["article_id", "paragraph_id", "sentence_id", "text"]).astype({"article_id": "string", "text": "string"})
    scored = sentiment.score_sentences(split)
    names = sorted({" ".join(a["name"].split()) for d in docs for a in d.get("actors") or [] if isinstance(a.get("name"), str) and a["name"].strip()})
    mentions = find_mentions(split, actor_dictionary([{"name": n, "type": "other"} for n in names]))
    assert len(scored) > 200 and len(mentions) > 100
    _same_table(scored, SENTENCES)
    _same_table(mentions, MENTIONS)


# --------------------------------------------------------------------------- kept and new rows in article order


def _terms(rows: list[tuple[str | None, str, int]]) -> pa.Table:
    """Terms rows (article, term, count) with n = 1, as the stored and the new parts hold them."""
    columns = {"article_id": [r[0] for r in rows], "n": [1] * len(rows), "term": [r[1] for r in rows], "count": [r[2] for r in rows]}
    return pa.table({name: columns[name] for name in TERMS.names}).cast(TERMS.arrow_schema)


def _in_order(joined: pa.Table) -> bool:
    """Whether the writer finds the rows in order (it does not look at one row or none)."""
    return joined.num_rows <= 1 or store._in_order(joined, ["article_id", "n", "term", "count"])


def _same_as_the_writer_sorts(kept_rows, new_rows) -> pa.Table:
    """_joined's table is written as the kept rows followed by the new ones would be: the same sorted rows."""
    kept, new = _terms(kept_rows), _terms(new_rows)
    joined = analyze_mod._joined(kept, new, TERMS)
    glued = analyze_mod._concat_arrow([kept, new], TERMS) if kept.num_rows else new
    assert store.to_arrow(joined, TERMS, sort_all=True).equals(store.to_arrow(glued, TERMS, sort_all=True))
    return joined


@pytest.mark.parametrize(
    ("kept_rows", "new_rows", "in_order"),
    [
        ([("a", "x", 1), ("c", "x", 1)], [("b", "x", 2), ("b", "y", 1)], True),  # a new article between kept ones
        ([("b", "x", 1)], [("a", "x", 1), ("c", "y", 1), ("c", "z", 1)], True),  # new articles around a kept one
        ([("a", "x", 1)], [("b", "x", 1)], True),  # already in order: nothing to move
        ([], [("b", "x", 1), ("a", "x", 1)], False),  # nothing kept: the new rows as they are
        ([("a", "x", 1)], [], True),
        ([("a", "x", 1), ("b", "x", 1)], [("b", "y", 1)], True),  # an article on both sides: the writer sorts
        ([("c", "x", 1), ("a", "x", 1)], [("b", "x", 1)], False),  # a side out of order: the writer sorts
        ([("a", "x", 1), (None, "x", 1)], [("b", "x", 1)], False),  # a missing id: the writer sorts
        ([("f", "x", 1), ("é", "x", 1)], [("e", "x", 1), ("z", "x", 1)], True),  # code point order: z before é
    ],
)
def test_kept_and_new_rows_are_put_in_article_order(kept_rows, new_rows, in_order):
    joined = _same_as_the_writer_sorts(kept_rows, new_rows)
    assert _in_order(joined) is in_order


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.sampled_from("abcdefgh"), st.sampled_from(["x", "y", "z"]), st.integers(1, 3)), max_size=25), st.sets(st.sampled_from("abcdefgh")))
def test_kept_and_new_rows_of_random_articles_are_put_in_article_order(rows, new_articles):
    rows = sorted(set(rows))  # each side sorted as stored and as the workers return it
    kept_rows = [r for r in rows if r[0] not in new_articles]
    new_rows = [r for r in rows if r[0] in new_articles]
    joined = _same_as_the_writer_sorts(kept_rows, new_rows)
    assert _in_order(joined) or not kept_rows
