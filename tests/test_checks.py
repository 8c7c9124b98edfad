"""Tests of mediawork.checks: one column check with one message shape for every module."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from mediawork.checks import require_columns
from mediawork.errors import DataError, MediaworkError


@pytest.mark.parametrize(
    ("frame", "columns"),
    [
        (pd.DataFrame({"article_id": ["a"], "text": ["Rain fell."]}), ["article_id", "text"]),
        (pd.DataFrame({"article_id": ["a"], "text": ["Rain fell."], "extra": [1]}), ["text"]),
        (pd.DataFrame({"article_id": pd.Series([], dtype="string")}), ["article_id"]),
        (pd.DataFrame({"x": [1]}), []),
        (pd.DataFrame({"x": [1]}), ()),
    ],
)
def test_a_frame_with_the_columns_passes(frame, columns):
    assert require_columns(frame, columns, what="the frame") is None


@pytest.mark.parametrize(
    ("frame", "columns", "found"),
    [
        ([1, 2], ["article_id"], "found a list"),
        (None, ["text"], "found a NoneType"),
        ({"text": ["x"]}, ["text"], "found a dict"),
        (pd.Series(["x"], name="text"), ["text"], "found a Series"),
        ("text", ["text"], "found a str"),
    ],
)
def test_something_else_than_a_frame_names_its_type_and_the_columns_expected(frame, columns, found):
    with pytest.raises(DataError) as info:
        require_columns(frame, columns, what="the sentences frame")
    message = str(info.value)
    assert message.startswith("the sentences frame: ")
    assert found in message
    assert f"expected a pandas DataFrame with columns {columns}" in message


@pytest.mark.parametrize(
    ("present", "columns", "missing"),
    [
        (["article_id"], ["article_id", "text"], ["text"]),
        (["text"], ["article_id", "sentence_id", "text"], ["article_id", "sentence_id"]),
        ([], ["actor"], ["actor"]),
        (["b", "a"], ["c", "a", "d"], ["c", "d"]),
    ],
)
def test_missing_columns_are_named_with_the_columns_found_and_expected(present, columns, missing):
    frame = pd.DataFrame({c: [1] for c in present})
    with pytest.raises(DataError) as info:
        require_columns(frame, columns, what="the mentions frame")
    message = str(info.value)
    assert message.startswith(f"the mentions frame lacks column(s) {missing}; ")
    assert f"found columns {present}" in message
    assert f"expected at least {columns}" in message


@pytest.mark.parametrize(
    ("frame", "hint"),
    [
        (pd.DataFrame({"x": [1]}), "build it with mediawork.text.sentences_frame"),
        ([1], "read it with mediawork.store.read_articles"),
    ],
)
def test_the_hint_ends_the_message(frame, hint):
    with pytest.raises(DataError, match=re.escape(f"; {hint}") + "$"):
        require_columns(frame, ["text"], what="the frame", hint=hint)


@pytest.mark.parametrize("hint", [None, ""])
def test_without_a_hint_the_message_ends_with_the_columns_expected(hint):
    with pytest.raises(DataError, match=re.escape("expected at least ['text']") + "$"):
        require_columns(pd.DataFrame({"x": [1]}), ["text"], what="the frame", hint=hint)


def test_the_error_is_a_mediawork_error_and_the_frame_is_not_modified():
    frame = pd.DataFrame({"article_id": ["a", "b"], "text": ["One.", "Two."]})
    before = frame.copy()
    with pytest.raises(MediaworkError):
        require_columns(frame, ("article_id", "published"), what="the articles frame")
    pd.testing.assert_frame_equal(frame, before)
