"""Dictionary loading and matching: every edge case of find_mentions as a small table."""

from __future__ import annotations

import pandas as pd
import pytest

from mediawork.actors import (
    MENTION_COLUMNS,
    actor_dictionary,
    empty_mentions,
    find_mentions,
    load_actors,
    mentions_frame,
    ordered_sentences,
    trailing_parts,
)
from mediawork.errors import DataError, InputError

from .conftest import REPO

ENTRIES = [
    {"name": "Donald Trump", "type": "person", "aliases": ["Trump"], "titles": ["President Trump", "the president"]},
    {"name": "Vladimir Putin", "type": "person", "aliases": ["Putin"], "titles": ["the Kremlin leader", "the president"]},
    {"name": "Volodymyr Zelenskyy", "type": "person", "aliases": ["Zelenskyy", "Zelensky"]},
    {"name": "Recep Tayyip Erdoğan", "type": "person", "aliases": ["Erdoğan", "Erdogan"]},
    {"name": "Marco Rubio", "type": "person"},
    {"name": "Ursula von der Leyen", "type": "person"},
    {"name": "Kremlin", "type": "organisation"},
    {"name": "Black Sea", "type": "place", "patterns": [r"Black\s+Sea\s+coast"]},
]
D = actor_dictionary(ENTRIES)


def _sentences(*texts: str, article: str = "a") -> pd.DataFrame:
    return pd.DataFrame({"article_id": [article] * len(texts), "sentence_id": range(len(texts)), "text": list(texts)})


def _found(*texts: str, resolve_partial: bool = True) -> list[tuple[int, str, str]]:
    m = find_mentions(_sentences(*texts), D, resolve_partial=resolve_partial)
    return list(zip(m["sentence_id"], m["actor"], m["surface"]))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trump’s envoy left.", [(0, "Donald Trump", "Trump")]),
        ("Trump's envoy left.", [(0, "Donald Trump", "Trump")]),
        ("Critics of Putinism gathered.", []),
        ("Vladimir Putin spoke.", [(0, "Vladimir Putin", "Vladimir Putin")]),
        ("Erdoğan hosted them; Erdogan smiled.", [(0, "Recep Tayyip Erdoğan", "Erdoğan"), (0, "Recep Tayyip Erdoğan", "Erdogan")]),
        ("Zelenskyy met Zelensky's team.", [(0, "Volodymyr Zelenskyy", "Zelenskyy"), (0, "Volodymyr Zelenskyy", "Zelensky")]),
        ("President Trump called.", [(0, "Donald Trump", "President Trump")]),
        ("A trump card was played.", []),
        ("PUTIN WARNS WEST", [(0, "Vladimir Putin", "PUTIN")]),
        ("A pro-Putin rally.", [(0, "Vladimir Putin", "Putin")]),
        ("Ships left the Black Sea coast.", [(0, "Black Sea", "Black Sea coast")]),
        ("The Black\nSea froze.", [(0, "Black Sea", "Black\nSea")]),
    ],
)
def test_matching_rules(text, expected):
    assert _found(text) == expected


def test_offsets_point_at_the_surface_and_columns_are_the_contract():
    s = _sentences("Yesterday, Vladimir Putin’s aide and Erdoğan spoke.", "Then the Kremlin leader left.")
    m = find_mentions(s, D)
    assert tuple(m.columns) == MENTION_COLUMNS
    for row in m.itertuples():
        assert s.loc[row.sentence_id, "text"][row.start : row.end] == row.surface
    assert set(m["origin"]) == {"dictionary"}
    assert m["start"].dtype == "int64"


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        # a surname alone counts only after the full name appeared in the article
        (("Rubio arrived.", "Marco Rubio spoke.", "Rubio left."), [(1, "Marco Rubio", "Marco Rubio"), (2, "Marco Rubio", "Rubio")]),
        (("Ursula von der Leyen spoke.", "Von der Leyen left."), [(0, "Ursula von der Leyen", "Ursula von der Leyen"), (1, "Ursula von der Leyen", "Von der Leyen")]),
        # a bare title resolves when exactly one of its actors is named in the article
        (("Trump spoke.", "The president left."), [(0, "Donald Trump", "Trump"), (1, "Donald Trump", "The president")]),
        (("Trump called Putin.", "The president left."), [(0, "Donald Trump", "Trump"), (0, "Vladimir Putin", "Putin")]),
        (("The president left.",), []),
        # an unresolved title gives way to what it covers
        (("The Kremlin leader spoke.",), [(0, "Kremlin", "Kremlin")]),
        (("Putin flew.", "The Kremlin leader spoke."), [(0, "Vladimir Putin", "Putin"), (1, "Vladimir Putin", "The Kremlin leader")]),
    ],
)
def test_context_resolution(texts, expected):
    assert _found(*texts) == expected


def test_resolution_off_keeps_only_explicit_forms():
    assert _found("Marco Rubio spoke.", "Rubio left.", "Trump: the president said no.", resolve_partial=False) == [
        (0, "Marco Rubio", "Marco Rubio"),
        (2, "Donald Trump", "Trump"),
    ]


def test_partials_do_not_cross_articles():
    s = pd.concat([_sentences("Marco Rubio spoke.", article="a"), _sentences("Rubio left.", article="b")])
    m = find_mentions(s, D)
    assert m["article_id"].tolist() == ["a"]


def test_input_frame_is_not_modified():
    s = _sentences("Trump spoke.")
    before = s.copy()
    find_mentions(s, D)
    pd.testing.assert_frame_equal(s, before)


def test_missing_column_is_a_clear_error():
    with pytest.raises(DataError, match=r"lacks column\(s\) \['article_id', 'sentence_id'\]; found columns \['text'\]"):
        find_mentions(pd.DataFrame({"text": ["x"]}), D)


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([{"name": "X", "type": "persn"}], r"field 'type' is 'persn'; expected one of"),
        ([{"name": "X", "type": "organization"}], "British spelling"),
        ([{"type": "person"}], "field 'name'"),
        ([{"name": "X", "type": "person", "aliases": "Y", "nick": 1}], "unknown field"),
        ([{"name": "X", "type": "person", "patterns": ["(unclosed"]}], "not a valid regular expression"),
        ([{"name": "X", "type": "person", "aliases": [3]}], "expected non-empty texts"),
        ([{"name": "A", "type": "place", "aliases": ["Z"]}, {"name": "B", "type": "place", "aliases": ["Z"]}], "already a name or alias of 'A'"),
        ([{"name": "A", "type": "place"}, {"name": "A", "type": "place"}], "declared twice"),
        ({"name": "A"}, "expected a list of actors"),
    ],
)
def test_invalid_dictionary_entries_are_explained(entries, message):
    with pytest.raises(InputError, match=message):
        actor_dictionary(entries, source="test.yml")


def test_load_actors_reports_file_problems(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_actors(tmp_path / "missing.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("- name: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        load_actors(bad)


def test_shipped_dictionary_loads_and_matches_the_story():
    d = load_actors(REPO / "data" / "actors.yml")
    assert {"Donald Trump", "Vladimir Putin", "Volodymyr Zelenskyy", "Kremlin", "Jeddah"} <= set(d.names)
    s = _sentences("Secretary of State Marco Rubio met Andriy Yermak in Jeddah.", "Kremlin spokesman Dmitry Peskov said Zelensky’s offer was noted.")
    m = find_mentions(s, d)
    assert m["actor"].tolist() == ["Marco Rubio", "Andriy Yermak", "Jeddah", "Kremlin", "Dmitry Peskov", "Volodymyr Zelenskyy"]


# ----------------------------------------------------------------------------- shared helpers (used by discovery too)


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Marco Rubio", ["Rubio"]),
        ("Recep Tayyip Erdoğan", ["Tayyip Erdoğan", "Erdoğan"]),
        ("Ursula von der Leyen", ["von der Leyen", "Leyen"]),
        ("J. Smith", ["Smith"]),
        ("John F. Kennedy", ["Kennedy"]),
        ("Madonna", []),
    ],
)
def test_trailing_parts(name, parts):
    assert trailing_parts(name) == parts


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (["not", "a", "frame"], "found a list"),
        (pd.DataFrame({"text": ["x"]}), r"lacks column\(s\) \['article_id', 'sentence_id'\]; found columns \['text'\]"),
        (pd.DataFrame({"article_id": ["a"], "sentence_id": ["first"], "text": ["x"]}), "not whole numbers, e.g. 'first'"),
        (pd.DataFrame({"article_id": ["a"], "sentence_id": [1.5], "text": ["x"]}), "not whole numbers"),
    ],
)
def test_ordered_sentences_rejects_bad_frames_with_clear_errors(frame, message):
    with pytest.raises(DataError, match=message):
        ordered_sentences(frame)


def test_ordered_sentences_sorts_a_copy_and_fills_missing_text():
    s = pd.DataFrame({"article_id": ["b", "a", "a"], "sentence_id": ["0", 1, 0], "text": ["z", None, "x"], "extra": [1, 2, 3]})
    before = s.copy()
    out = ordered_sentences(s)
    pd.testing.assert_frame_equal(s, before)
    assert list(out.columns) == ["article_id", "sentence_id", "text"]
    assert out.values.tolist() == [["a", 0, "x"], ["a", 1, ""], ["b", 0, "z"]]
    assert str(out["sentence_id"].dtype) == "int64"


def test_mentions_frame_has_the_contract_dtypes_and_order():
    rows = [("b", 0, "X", "person", "X", 0, 1, "discovered"), ("a", 2, "Y", "place", "Y", 4, 5, "dictionary"), ("a", 0, "Z", "other", "Z", 3, 4, "dictionary")]
    m = mentions_frame(rows)
    assert tuple(m.columns) == MENTION_COLUMNS
    assert m[["article_id", "sentence_id"]].values.tolist() == [["a", 0], ["a", 2], ["b", 0]]
    assert [str(m[c].dtype) for c in ("start", "end", "sentence_id")] == ["int64"] * 3
    assert empty_mentions().empty and tuple(empty_mentions().columns) == MENTION_COLUMNS


def test_docstring_examples_run():
    import doctest

    import mediawork.actors as module

    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


# ----------------------------------------------------------------------------- texts repeated across and within articles


def _articles(**texts: tuple[str, ...]) -> pd.DataFrame:
    return pd.concat([_sentences(*t, article=a) for a, t in texts.items()], ignore_index=True)


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        # one text, three articles, three resolutions of "The president"
        (
            dict(a=("Trump spoke.", "The president left."), b=("Putin spoke.", "The president left."), c=("Trump met Putin.", "The president left.")),
            [("a", 0, "Trump"), ("a", 1, "The president"), ("b", 0, "Putin"), ("b", 1, "The president"), ("c", 0, "Trump"), ("c", 0, "Putin")],
        ),
        # one text twice in an article: the surname counts only after the full name
        (dict(a=("Rubio left.", "Marco Rubio spoke.", "Rubio left.")), [("a", 1, "Marco Rubio"), ("a", 2, "Rubio")]),
        # the title resolves in the article naming its actor later on, not in the one that never does
        (dict(a=("The president left.", "Then Trump spoke."), b=("The president left.",)), [("a", 0, "The president"), ("a", 1, "Trump")]),
    ],
)
def test_repeated_texts_resolve_in_their_own_article(texts, expected):
    m = find_mentions(_articles(**texts), D)
    assert list(zip(m["article_id"], m["sentence_id"], m["surface"])) == expected


def test_rows_sharing_a_sentence_key_come_sorted_by_start():
    s = pd.DataFrame({"article_id": ["a", "a"], "sentence_id": [0, 0], "text": ["Putin and Trump.", "Trump."]})
    m = find_mentions(s, D)
    assert m[["surface", "start"]].values.tolist() == [["Trump", 0], ["Putin", 0], ["Trump", 10]]  # start, end, then actor name


def test_a_pattern_never_spans_two_sentences():
    d = actor_dictionary([{"name": "Black Sea", "type": "place", "patterns": [r"Black\W+Sea"]}])
    m = find_mentions(_sentences("They sailed to the Black.", "Sea ports closed.", "The Black Sea froze."), d)
    assert list(zip(m["sentence_id"], m["surface"])) == [(2, "Black Sea")]
