"""The fast paths of actor matching and co-occurrence give exactly what the plain per-sentence steps give.

``find_mentions`` scans and picks once per distinct sentence text (and once per
context for texts whose titles or surnames depend on the article), and
``build_cooccurrence`` counts pairs with numpy over factorised keys. Each is checked
here against a plain reference: a loop over sentences and a loop over windows.
"""

from __future__ import annotations

import math
import time
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediawork import actors
from mediawork.actors import actor_dictionary, find_mentions, mentions_frame
from mediawork.cooccurrence import WINDOWS, build_cooccurrence

ENTRIES = [
    {"name": "Donald Trump", "type": "person", "aliases": ["Trump"], "titles": ["President Trump", "the president"]},
    {"name": "Vladimir Putin", "type": "person", "aliases": ["Putin"], "titles": ["the Kremlin leader", "the president"]},
    {"name": "Marco Rubio", "type": "person", "titles": ["the secretary"]},
    {"name": "Ursula von der Leyen", "type": "person"},
    {"name": "Kremlin", "type": "organisation"},
    {"name": "Black Sea", "type": "place", "patterns": [r"Black\s+Sea\s+coast"]},
]
D = actor_dictionary(ENTRIES)

# sentence texts the generated articles are built from: repeated across articles, as syndicated copies are
PIECES = [
    "Trump phoned Putin.",
    "The president hung up.",
    "Rubio flew home.",
    "Marco Rubio landed in Riyadh.",
    "Von der Leyen answered.",
    "Ursula von der Leyen wrote back.",
    "The Kremlin leader waited; the secretary did not.",
    "Ships left the Black Sea coast.",
    "Nobody else spoke.",
    "PUTIN’S aide and Trump's envoy met.",
    "the president said Rubio agreed",
]


def _plain_find_mentions(sentences: pd.DataFrame, dictionary: actors.ActorDictionary, *, resolve_partial: bool = True) -> pd.DataFrame:
    """The reference: every sentence scanned on its own by a fresh matcher, every article resolved left to right."""
    frame = actors.ordered_sentences(sentences)
    matcher = actors._Matcher(dictionary.actors)  # no memories of earlier calls
    rows = []
    for article_id, part in frame.groupby("article_id", sort=True):
        found = [(sid, text, matcher.candidates_per_text([text])[0]) for sid, text in zip(part["sentence_id"], part["text"])]
        named = {a for _, _, cands in found for _, _, a in actors._pick(cands, actors._only_form)}
        seen: set[int] = set()

        def resolve(entries):
            form = actors._only_form(entries)
            if form is not None or not resolve_partial:
                return form
            eligible = {e.actor for e in entries if (e.kind == "title" and e.actor in named) or (e.kind == "partial" and e.actor in seen)}
            return eligible.pop() if len(eligible) == 1 else None

        for sid, text, cands in found:
            for s, e, a in actors._pick(cands, resolve, seen=seen):
                actor = dictionary.actors[a]
                rows.append((article_id, sid, actor.name, actor.type, text[s:e], s, e, "dictionary"))
    return mentions_frame(rows)


_articles = st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=6), min_size=1, max_size=6)


def _frame(articles: list[list[str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": [f"a{i}" for i, texts in enumerate(articles) for _ in texts],
            "sentence_id": [j for texts in articles for j in range(len(texts))],
            "text": [t for texts in articles for t in texts],
        }
    )


@settings(max_examples=150, deadline=None, derandomize=True)
@given(_articles, st.booleans())
def test_find_mentions_equals_the_plain_per_sentence_matching(articles, resolve_partial):
    s = _frame(articles)
    pd.testing.assert_frame_equal(
        find_mentions(s, D, resolve_partial=resolve_partial), _plain_find_mentions(s, D, resolve_partial=resolve_partial), check_exact=True
    )


@pytest.mark.parametrize("copies", [1, 3, 40])
def test_each_distinct_text_is_scanned_once_across_calls(monkeypatch, copies):
    scanned: list[str] = []
    original = actors._Matcher.candidates_per_text

    def counting(self, texts):
        scanned.extend(texts)
        return original(self, texts)

    monkeypatch.setattr(actors._Matcher, "candidates_per_text", counting)
    d = actor_dictionary(ENTRIES)  # a fresh matcher remembers no texts yet
    first = find_mentions(_frame([PIECES[:4]] * copies), d)
    again = find_mentions(_frame([PIECES[2:6]] * copies), d)  # two texts seen in the first call
    assert sorted(scanned) == sorted(PIECES[:6])
    # per copy: Trump and Putin; not the president (both named); not Rubio (before his full name); Marco Rubio
    assert first["surface"].tolist() == ["Trump", "Putin", "Marco Rubio"] * copies
    assert again["surface"].tolist() == ["Marco Rubio", "Ursula von der Leyen"] * copies  # the short forms come first


def test_the_memory_of_texts_is_bounded_and_not_pickled(monkeypatch):
    import pickle

    monkeypatch.setattr(actors, "_CACHED_TEXTS", 3)
    d = actor_dictionary(ENTRIES)
    expected = [find_mentions(_frame([[p]]), d) for p in PIECES]
    assert len(d._matcher._texts) <= 3
    find_mentions(_frame([PIECES]), d)  # more new texts in one call than the memory holds
    assert len(d._matcher._texts) <= 3
    copy = pickle.loads(pickle.dumps(d))
    assert copy._matcher._texts == {}
    for p, mentions in zip(PIECES, expected):
        pd.testing.assert_frame_equal(find_mentions(_frame([[p]]), copy), mentions, check_exact=True)


# --------------------------------------------------------------------------- co-occurrence


def _plain_cooccurrence(mentions: pd.DataFrame, sentences: pd.DataFrame | None, window: str, min_count: int) -> dict[tuple[str, str], tuple[int, int, float, float, float]]:
    """The reference: sets of actors per window, pairs counted in a loop."""
    paragraph = {}
    if sentences is not None:
        for a, sid, p in zip(sentences["article_id"], sentences["sentence_id"], sentences.get("paragraph_id", sentences["sentence_id"])):
            paragraph.setdefault((a, sid), p)

    def key(a, sid):
        return {"sentence": (a, sid), "paragraph": (a, paragraph.get((a, sid))), "article": (a,)}[window]

    actors_in: dict[tuple, set[str]] = {}
    for a, sid, actor in zip(mentions["article_id"], mentions["sentence_id"], mentions["actor"]):
        actors_in.setdefault(key(a, sid), set()).add(actor)
    windows = set(actors_in)
    if sentences is not None:  # N: every window of the sentences frame (each row's own paragraph)
        own = sentences["paragraph_id"] if window == "paragraph" else sentences["sentence_id"]
        windows |= {key(a, sid) if window != "paragraph" else (a, p) for a, sid, p in zip(sentences["article_id"], sentences["sentence_id"], own)}
    n = len(windows)
    n_of: dict[str, int] = {}
    together: dict[tuple[str, str], list[tuple]] = {}
    for w, names in actors_in.items():
        for name in names:
            n_of[name] = n_of.get(name, 0) + 1
        for pair in combinations(sorted(names), 2):
            together.setdefault(pair, []).append(w)
    out = {}
    for (a, b), ws in together.items():
        n_ab = len(ws)
        if n_ab < min_count:
            continue
        pmi = math.log2(n_ab * n / (n_of[a] * n_of[b]))
        npmi = 1.0 if n_ab == n else pmi / -math.log2(n_ab / n)
        out[(a, b)] = (n_ab, len({w[0] for w in ws}), pmi, npmi, n_ab / (n_of[a] + n_of[b] - n_ab))
    return out


_sentence_rows = st.lists(st.tuples(st.sampled_from(["a", "b", "c", "é"]), st.integers(0, 5), st.integers(0, 2)), min_size=1, max_size=25)
_mention_rows = st.lists(st.tuples(st.integers(0, 24), st.sampled_from(["Putin", "Trump", "Zelensky", "Ärzte", "NATO", "kremlin"])), max_size=40)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_sentence_rows, _mention_rows, st.sampled_from(WINDOWS), st.integers(1, 3), st.booleans())
def test_build_cooccurrence_equals_the_plain_window_loop(sentence_rows, mention_rows, window, min_count, with_sentences):
    sentences = pd.DataFrame(sentence_rows, columns=["article_id", "sentence_id", "paragraph_id"])
    picked = [(sentence_rows[i % len(sentence_rows)], actor) for i, actor in mention_rows]
    mentions = pd.DataFrame({"article_id": [r[0] for r, _ in picked], "sentence_id": [r[1] for r, _ in picked], "actor": [a for _, a in picked]})
    given_sentences = sentences if with_sentences or window == "paragraph" else None
    got = build_cooccurrence(mentions, sentences=given_sentences, window=window, min_count=min_count)
    expected = _plain_cooccurrence(mentions, given_sentences, window, min_count)
    assert sorted(zip(got["actor_a"], got["actor_b"])) == sorted(expected)
    for row in got.itertuples():
        n_ab, n_articles, pmi, npmi, jaccard = expected[(row.actor_a, row.actor_b)]
        assert (row.sentences, row.articles) == (n_ab, n_articles)
        assert (row.pmi, row.npmi, row.jaccard) == pytest.approx((pmi, npmi, jaccard), rel=1e-12, abs=1e-12)
    order = list(zip(-got["sentences"], got["actor_a"], got["actor_b"]))
    assert order == sorted(order)


def test_cooccurrence_of_many_windows_is_fast():
    rng = np.random.default_rng(0)
    n = 60_000
    articles = rng.integers(0, 3_000, n)
    mentions = pd.DataFrame(
        {"article_id": [f"art{a:05d}" for a in articles], "sentence_id": rng.integers(0, 30, n), "actor": [f"Actor {k}" for k in rng.integers(0, 60, n)]}
    )
    sentences = pd.DataFrame({"article_id": [f"art{a:05d}" for a in range(3_000) for _ in range(30)], "sentence_id": list(range(30)) * 3_000})
    sentences["paragraph_id"] = sentences["sentence_id"] // 4
    start = time.process_time()
    frames = [build_cooccurrence(mentions, sentences=sentences, window=w, min_count=1) for w in WINDOWS]
    elapsed = time.process_time() - start
    assert all(len(f) > 0 for f in frames)
    assert frames[2]["sentences"].max() <= 3_000
    assert elapsed < 5.0, f"three co-occurrence windows over {n:,} mentions took {elapsed:.1f} s of CPU; expected well under a second"
