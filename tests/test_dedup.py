"""Duplicate marking: exact copies, syndicated near copies, and what counts as first."""

from __future__ import annotations

import pandas as pd
import pytest

from mediawork.dedup import compute_signatures, jaccard, mark_duplicates, normalize_body, shingles
from mediawork import dedup, schema, store
from mediawork.errors import DataError, ParameterError

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
    with pytest.raises(ParameterError, match="threshold must be in"):
        mark_duplicates(_frame([("a", "1.txt", None, STORY)]), threshold=0)


# --------------------------------------------------------------------------- stored signatures

SHORT = "Polls closed at eight."
CORPUS = [
    ("a", "1.txt", "2025-03-11T10:00Z", STORY),
    ("b", "2.txt", "2025-03-11T12:00Z", STORY.rsplit(" Ukrainian officials", 1)[0]),
    ("c", "3.txt", "2025-03-12", OTHER),
    ("d", "4.txt", None, STORY.upper()),
    ("e", "5.txt", "2025-03-09", OTHER + " Shipping firms declined to comment."),
    ("f", "6.txt", "2025-03-10", ""),
    ("g", "7.txt", "2025-03-10", "   ...  "),
    ("h", "8.txt", "2025-03-13", SHORT),
    ("i", "9.txt", "2025-03-08", SHORT.lower()),
]
#: ``duplicate_of`` of CORPUS: copies point at the earliest dated member; both empty bodies are one group.
GROUPS = {"a": None, "b": "a", "c": "e", "d": "a", "e": None, "f": None, "g": "f", "h": "i", "i": None}


@pytest.mark.parametrize(
    "old",
    [
        [],  # nothing stored: a first run
        ["a", "c", "f", "h"],  # the new articles include earlier-dated ones that become "first"
        ["b", "d", "e", "g", "i"],
        [r[0] for r in CORPUS],  # everything stored
    ],
)
def test_stored_signatures_give_the_result_of_a_fresh_run(old):
    everything = _frame(CORPUS)
    stored = compute_signatures(everything[everything["article_id"].isin(old)])
    fresh = mark_duplicates(everything)
    assert mark_duplicates(everything, signatures=stored).tolist() == fresh.tolist()
    assert dict(zip(everything["article_id"], fresh)) == GROUPS


@pytest.mark.parametrize(("stored", "computed"), [([], 9), (["a", "b", "c"], 6), ([r[0] for r in CORPUS], 0)])
def test_only_bodies_without_a_stored_signature_are_hashed(monkeypatch, stored, computed):
    everything = _frame(CORPUS)
    cache = compute_signatures(everything[everything["article_id"].isin(stored)])
    calls = []
    real = dedup._new_signature
    monkeypatch.setattr(dedup, "_new_signature", lambda text, perms: calls.append(text) or real(text, perms))
    sigs = compute_signatures(everything, cached=cache)
    assert len(calls) == computed
    assert sigs["article_id"].tolist() == everything["article_id"].tolist()


@pytest.mark.parametrize(
    ("change", "reused"),
    [
        (lambda c: c, True),
        (lambda c: c.assign(text_sha256="0" * 64), False),  # the text changed since
        (lambda c: c.assign(method="words3-perm64-seed9-affine32-v0"), False),  # computed another way
    ],
)
def test_a_stored_signature_is_reused_only_for_the_same_text_and_method(monkeypatch, change, reused):
    df = _frame([("a", "1.txt", None, STORY)])
    cache = change(compute_signatures(df))
    calls = []
    monkeypatch.setattr(dedup, "_new_signature", lambda text, perms: calls.append(text) or ("x", None))
    compute_signatures(df, cached=cache)
    assert (calls == []) is reused


@pytest.mark.parametrize(("text", "has_minhash"), [(STORY, True), (SHORT, True), ("", False), (" -- ", False)])
def test_signature_table_columns_and_empty_bodies(text, has_minhash):
    sig = compute_signatures(pd.DataFrame({"article_id": ["a"], "text": [text]}))
    assert list(sig.columns) == schema.SIGNATURES.names
    row = sig.iloc[0]
    assert row["method"] == dedup.SIGNATURE_METHOD
    assert len(row["digest"]) == 64
    assert (row["minhash"] is not None) is has_minhash
    if has_minhash:
        assert len(row["minhash"]) == 4 * dedup.NUM_PERM


def test_signatures_survive_a_parquet_round_trip(tmp_path):
    df = _frame(CORPUS)
    store.write_table(compute_signatures(df), schema.SIGNATURES, tmp_path)
    back = store.read_table(schema.SIGNATURES, tmp_path)
    assert mark_duplicates(df, signatures=back).tolist() == mark_duplicates(df).tolist()


def test_input_frame_is_not_modified():
    df = _frame(CORPUS)
    before = df.copy()
    compute_signatures(df)
    mark_duplicates(df, signatures=compute_signatures(df.iloc[:3]))
    pd.testing.assert_frame_equal(df, before)


@pytest.mark.parametrize(
    ("articles", "cached", "match"),
    [
        (pd.DataFrame({"article_id": ["a"]}), None, r"needs columns \['text'\]"),
        (pd.DataFrame({"article_id": ["a"], "text": ["x"]}), pd.DataFrame({"article_id": ["a"], "digest": ["d"]}), "cached signatures lack columns"),
    ],
)
def test_bad_inputs_are_refused_with_a_clear_message(articles, cached, match):
    with pytest.raises(DataError, match=match):
        compute_signatures(articles, cached=cached)


@pytest.mark.parametrize("num_perm", [64, 128, 256])
def test_other_permutation_counts_give_the_same_groups(num_perm):
    df = _frame(CORPUS)
    sigs = compute_signatures(df, num_perm=num_perm)
    assert set(sigs["minhash"].dropna().map(len)) == {4 * num_perm}
    assert dict(zip(df["article_id"], mark_duplicates(df, num_perm=num_perm, signatures=sigs))) == GROUPS
    # Signatures stored for another permutation count are not reused: they would not fit the index.
    assert mark_duplicates(df, num_perm=num_perm, signatures=compute_signatures(df, num_perm=32)).tolist() == list(GROUPS.values())


def _corpus(n: int = 40) -> pd.DataFrame:
    """Stories with syndicated copies (a sentence trimmed) and exact copies, over ten days."""
    rows = []
    for i in range(n):
        story = i % 13
        body = " ".join(f"Story {story} sentence {k} says envoys met in city {story * 7 + k} and talked for {k + 2} hours." for k in range(12))
        if i % 3 == 1:
            body = body.rsplit(" Story", 1)[0]  # a copy with its last sentence trimmed
        rows.append({"article_id": f"{(i * 7919) % 1000:03d}x{i}", "source_file": f"{i}.txt",
                     "published": pd.Timestamp("2025-03-01", tz="UTC") + pd.Timedelta(hours=(i * 37) % 240) if i % 11 else pd.NaT,
                     "text": body})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("split", ["later", "earlier", "mixed", "removed"])
def test_earlier_results_reused_give_the_results_of_a_fresh_run(split):
    everything = _corpus()
    dated = everything.sort_values("published", na_position="last")
    if split == "later":  # a nightly refresh: the new articles are published after the rest
        old, new = dated.iloc[:30], dated.iloc[30:]
    elif split == "earlier":  # a backfill: the new articles come first
        old, new = dated.iloc[10:], dated.iloc[:10]
    elif split == "mixed":
        old, new = everything.iloc[::2], everything.iloc[1::2]
    else:  # some earlier articles are gone
        old, new = everything, everything.iloc[:0]
    before = old.assign(duplicate_of=mark_duplicates(old))
    now = pd.concat([old, new]) if split != "removed" else everything.iloc[5:]
    stands = dedup.reusable_results(before, now, unchanged=set(before["article_id"]) & set(now["article_id"]))
    fresh = mark_duplicates(now)
    assert mark_duplicates(now, previous=stands).tolist() == fresh.tolist()
    assert fresh.notna().sum() > 5  # the corpus really has copies
    if split == "later":
        assert len(stands) == 30  # every earlier result stands
    if split == "earlier":
        assert stands == {}


def test_reused_results_skip_the_candidate_checks(monkeypatch):
    everything = _corpus().sort_values("published", na_position="last")
    old = everything.iloc[:35]
    before = old.assign(duplicate_of=mark_duplicates(old))
    stands = dedup.reusable_results(before, everything, unchanged=set(old["article_id"]))
    checked = []
    real = dedup._similar
    monkeypatch.setattr(dedup, "_similar", lambda a, b, t: checked.append(1) or real(a, b, t))
    mark_duplicates(everything, previous=stands)
    with_reuse = len(checked)
    checked.clear()
    mark_duplicates(everything)
    assert with_reuse < len(checked) / 3


def test_texts_loaded_on_demand_give_the_same_marks_and_only_band_sharers_are_loaded():
    everything = _corpus()
    lonely = pd.DataFrame({"article_id": ["zz-alone"], "source_file": ["z.txt"], "published": [pd.Timestamp("2025-03-05", tz="UTC")],
                           "text": ["A report on grain prices at the port of Odesa with nothing in common with the rest."]})
    everything = pd.concat([everything, lonely], ignore_index=True)
    sigs = compute_signatures(everything)
    asked: list[list[str]] = []
    texts = dict(zip(everything["article_id"], everything["text"]))

    def text_of(ids):
        asked.append(list(ids))
        return {a: texts[a] for a in ids}

    lean = everything.drop(columns=["text"])
    assert mark_duplicates(lean, signatures=sigs, text_of=text_of).tolist() == mark_duplicates(everything).tolist()
    assert len(asked) == 1 and "zz-alone" not in asked[0] and 0 < len(asked[0]) < len(everything)
    with pytest.raises(DataError, match="text_of to load the texts"):
        mark_duplicates(lean, signatures=sigs)
    with pytest.raises(DataError, match="no stored signature"):
        mark_duplicates(lean, signatures=sigs.iloc[1:], text_of=text_of)
