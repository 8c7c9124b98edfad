"""Duplicate marking: exact copies, syndicated near copies, and what counts as first."""

from __future__ import annotations

import numpy as np
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
    monkeypatch.setattr(dedup, "_new_signature", lambda text, perms, **kw: calls.append(text) or real(text, perms, **kw))
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
    monkeypatch.setattr(dedup, "_new_signature", lambda text, perms, **kw: calls.append(text) or ("x", None))
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


# --------------------------------------------------------------------------- the bulk LSH index

def _item_by_item_candidates(matrix, *, threshold: float, first_query: int, floor: float) -> dict[int, list[int]]:
    """The candidates of each querying row as a per-item index of band bytes finds them (the reference)."""
    bands, rows = dedup._bands_cached(threshold, matrix.shape[1])
    tables = [{} for _ in range(bands)]
    out = {}
    for item, mh in enumerate(matrix):
        found = set()
        for band, table in enumerate(tables):
            bucket = table.setdefault(mh[band * rows : (band + 1) * rows].tobytes(), [])
            if item >= first_query:
                found.update(bucket)
            bucket.append(item)
        if item >= first_query:
            out[item] = sorted(c for c in found if (matrix[c] == mh).mean() >= floor)
    return out


def _planted_matrix(seed: int, n: int = 300, num_perm: int = 128) -> np.ndarray:
    """Random MinHash rows, some copying whole bands, some agreeing on most values, some exact copies."""
    rng = np.random.default_rng(seed)
    matrix = rng.integers(0, 2**32, size=(n, num_perm), dtype=np.uint64).astype(np.uint32)
    for row in range(1, n):
        source = int(rng.integers(0, row))
        kind = row % 5
        if kind == 0:  # an exact copy
            matrix[row] = matrix[source]
        elif kind == 1:  # shares one band's values only (a low-agreement candidate)
            band = int(rng.integers(0, 25))
            matrix[row, band * 5 : band * 5 + 5] = matrix[source, band * 5 : band * 5 + 5]
        elif kind == 2:  # agrees on a random share of the values around the floor
            agree = rng.random(num_perm) < rng.uniform(0.3, 0.9)
            matrix[row, agree] = matrix[source, agree]
        elif kind == 3:  # shares band 0 and agrees on exactly 57 or 58 values: just below or at 58/128
            agree = np.concatenate([np.arange(5), 5 + rng.choice(num_perm - 5, size=int(rng.integers(52, 54)), replace=False)])
            matrix[row, agree] = matrix[source, agree]
    return matrix


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("first_query", [0, 150, 299, 300])
@pytest.mark.parametrize("budget", [1, 1 << 21])
@pytest.mark.parametrize("colliding_keys", [False, True])
@pytest.mark.parametrize("floor", [0.45, 58 / 128])
def test_bulk_index_finds_the_candidates_of_an_item_by_item_index(monkeypatch, seed, first_query, budget, colliding_keys, floor):
    monkeypatch.setattr(dedup, "_PAIR_BUDGET", budget)  # tiny budgets: many chunks, some of one query
    monkeypatch.setattr(dedup, "_AGREE_BLOCK", 5)
    if colliding_keys:  # keys shared by unequal bands must not make candidates
        real = dedup._band_keys
        monkeypatch.setattr(dedup, "_band_keys", lambda matrix, ranges: real(matrix, ranges) % np.uint64(3))
    matrix = _planted_matrix(seed)
    expected = _item_by_item_candidates(matrix, threshold=0.5, first_query=first_query, floor=floor)
    index = dedup._BandIndex(matrix, threshold=0.5, first_query=first_query)
    got = {}
    for lo, hi, queries, candidates in index.candidate_chunks(floor=floor):
        assert ((queries >= lo) & (queries < hi)).all()
        for q in range(lo, hi):
            got[q] = candidates[queries == q].tolist()
    assert got == expected
    assert sum(map(len, expected.values())) > (20 if first_query < 299 else -1)


@pytest.mark.parametrize(
    ("change", "same_key"),
    [
        (lambda m: m, True),  # identical rows: identical keys
        (lambda m: m ^ np.uint32(1), False),  # one bit of every value
        (lambda m: m[:, ::-1], False),  # the same values in another order
    ],
)
def test_band_keys_are_equal_exactly_for_equal_bands(change, same_key):
    ranges = [(0, 5), (5, 10), (10, 15)]
    matrix = np.arange(2 * 15, dtype=np.uint32).reshape(2, 15) * np.uint32(2654435761)
    keys, other = dedup._band_keys(matrix, ranges), dedup._band_keys(np.ascontiguousarray(change(matrix)), ranges)
    assert keys.shape == (2, 3) and keys.dtype == np.uint64
    assert bool((keys == other).all()) is same_key
    assert len(set(keys.ravel().tolist())) == 6  # different bands and rows: different keys
    same_rows = np.tile(matrix[:1, :5], (1, 3))  # the same values in every band still give each band its own key
    assert len(set(dedup._band_keys(same_rows, ranges).ravel().tolist())) == 3


def test_minhashes_of_the_wrong_size_are_refused_with_a_clear_message():
    df = _frame(CORPUS)
    sigs = compute_signatures(df)
    sigs["minhash"] = [None if mh is None else mh[:64] for mh in sigs["minhash"]]
    with pytest.raises(DataError, match=r"MinHash signatures of \[64\] bytes found, expected 512"):
        mark_duplicates(df.drop(columns=["text"]), signatures=sigs, text_of=lambda ids: {})


# --------------------------------------------------------------------------- randomised corpora: the same marks on every path

_SYLLABLES = ["ka", "lo", "mi", "ren", "tas", "vo", "del", "nor", "pu", "sil", "ter", "ga", "bre", "yon"]
_VOCAB = [a + b for a in _SYLLABLES for b in _SYLLABLES]


def _random_corpus(seed: int, n: int = 90) -> tuple[pd.DataFrame, list[float]]:
    """Seeded bodies of made-up words with exact copies, near copies on both sides of the
    threshold, empty and wordless texts, undated articles and tied dates; and the exact Jaccard
    of every near copy with its original."""
    rng = np.random.default_rng(seed)
    texts: list[str] = []
    near: list[float] = []
    for i in range(n):
        kind = rng.choice(["new", "new", "exact", "near", "near", "empty"]) if texts else "new"
        if kind == "new":
            text = " ".join(rng.choice(_VOCAB, size=int(rng.integers(3, 90))))
        elif kind == "exact":  # the same words, other case and punctuation
            text = str(rng.choice(texts)).upper().replace(" ", " , ", 3) + "!"
        elif kind == "near":  # a few words replaced: Jaccard just above or just below 0.7
            words = str(rng.choice([t for t in texts if len(t.split()) > 40] or texts)).split()
            for at in rng.choice(len(words), size=min(len(words), int(rng.integers(1, 5))), replace=False):
                words[at] = "zz" + str(rng.choice(_VOCAB))
            text = " ".join(words)
            near.append(max(jaccard(shingles(text), shingles(t)) for t in texts))
        else:
            text = str(rng.choice(["", "  ... ", "—"]))
        texts.append(text)
    days = rng.integers(0, 6, size=n)
    published = [pd.NaT if d == 5 else pd.Timestamp("2025-03-01", tz="UTC") + pd.Timedelta(days=int(d)) for d in days]
    frame = pd.DataFrame({"article_id": [f"r{seed}-{i:03d}" for i in rng.permutation(n)], "source_file": [f"{i % 7}.txt" for i in range(n)],
                          "published": pd.Series(published, dtype="datetime64[ns, UTC]"), "text": texts})
    return frame, near


@pytest.mark.parametrize("seed", range(6))
def test_random_corpora_give_the_same_marks_with_and_without_previous_results_and_texts(seed):
    everything, near = _random_corpus(seed)
    fresh = mark_duplicates(everything)
    assert fresh.notna().sum() >= 15  # the corpus really has copies
    assert any(0.7 <= j < 0.8 for j in near) and any(0.6 <= j < 0.7 for j in near)  # near copies on both sides
    sigs = compute_signatures(everything)
    assert sigs["minhash"].isna().any()  # articles without MinHash too
    texts = dict(zip(everything["article_id"], everything["text"]))
    lean = everything.drop(columns=["text"])
    assert mark_duplicates(lean, signatures=sigs, text_of=lambda ids: {a: texts[a] for a in ids}).equals(fresh)
    rng = np.random.default_rng(seed)
    dated = everything.iloc[dedup._order(everything)]
    for old in (dated.iloc[: len(dated) // 2], dated.iloc[:-3], everything.sample(frac=0.6, random_state=seed), dated):
        before = old.assign(duplicate_of=mark_duplicates(old))
        unchanged = set(old["article_id"]) - set(rng.choice(old["article_id"].tolist(), size=2).tolist())
        stands = dedup.reusable_results(before, everything, unchanged=unchanged)
        assert mark_duplicates(everything, previous=stands).equals(fresh)
        assert mark_duplicates(lean, signatures=sigs, previous=stands, text_of=lambda ids: {a: texts[a] for a in ids}).equals(fresh)


@pytest.mark.parametrize(("budget", "cache"), [(1, 0), (3, 5), (1 << 21, 1 << 22)])
def test_small_chunks_and_an_overflowing_pair_cache_give_the_same_marks(monkeypatch, budget, cache):
    everything, _ = _random_corpus(7)
    expected = mark_duplicates(everything)
    monkeypatch.setattr(dedup, "_PAIR_BUDGET", budget)
    monkeypatch.setattr(dedup, "_PAIR_CACHE", cache)  # 0: the pairs are found again after the texts are loaded
    texts = dict(zip(everything["article_id"], everything["text"]))
    asked = []
    lean = everything.drop(columns=["text"])
    got = mark_duplicates(lean, signatures=compute_signatures(everything), text_of=lambda ids: asked.append(ids) or {a: texts[a] for a in ids})
    assert got.equals(expected)
    assert mark_duplicates(everything).equals(expected)
    assert len(asked) == 1 and 0 < len(asked[0]) < len(everything)


def test_forget_recent_empties_the_caches_and_leaves_results_alone():
    row = dedup.signature_row("a", "Envoys met in Riyadh on Monday for a second round of talks on the truce.")
    assert dedup._WORD_HASHES and dedup._RECENT_SHINGLES
    dedup.forget_recent()
    assert not dedup._WORD_HASHES and not dedup._RECENT_SHINGLES and dedup._recent_size == 0
    assert dedup.signature_row("a", "Envoys met in Riyadh on Monday for a second round of talks on the truce.") == row


# --- fast paths of the signature step: the same words, hashes and MinHash as the plain definitions --------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Talks resumed in Riyadh on Monday.",
        "“Talks resumed,” the envoy said — after a pause… in Riyadh’s old quarter.",
        "snake_case words_and 2025 numbers, don't split_here",
        "Café talks in Zürich ended; Straße closed.",  # letters outside ASCII: the regex path
        "The \u212aelvin sign and a long \u017f stay words under casefold.",
        "TABS\tand\nnew lines\r\nand\u00a0no-break spaces",
        "«Guillemets» • bullets · dots – dashes ‘quoted’",
    ],
)
def test_words_match_the_regex_definition(text):
    assert dedup._words(text) == dedup._WORD.findall(text.casefold())


@pytest.mark.parametrize("values", [[], [7], [3, 3], [5, 1, 5, 2, 1], [2**64 - 1, 0, 2**63, 2**64 - 1]])
def test_sorted_distinct_is_np_unique(values):
    x = np.array(values, dtype=np.uint64)
    got = dedup._sorted_distinct(x.copy())
    assert got.dtype == np.uint64 and got.tolist() == np.unique(x).tolist()


@pytest.mark.parametrize("text", ["Talks resumed in Riyadh on Monday after a week of delay, officials said.", "one", "a b c d e f"])
def test_minhash_is_the_least_high_half_per_permutation(text):
    hashes = dedup.shingle_hashes(text)
    a, b = dedup._permutations(16)
    x = hashes[:, None] * a[None, :] + b
    x ^= x >> np.uint64(32)
    x *= dedup._MIX2
    expected = (x >> np.uint64(32)).min(axis=0).astype(np.uint32)
    assert dedup._minhash(hashes, (a, b)).tolist() == expected.tolist()


def test_signature_row_remembers_shingles_only_when_asked():
    dedup.forget_recent()
    body = "Envoys met in Riyadh on Monday for a second round of talks on the truce plan."
    kept = dedup.signature_row("a", body, remember=False)
    assert dedup._RECENT_SHINGLES == {}
    remembered = dedup.signature_row("a", body)
    assert kept == remembered and len(dedup._RECENT_SHINGLES) == 1
    dedup.forget_recent()
