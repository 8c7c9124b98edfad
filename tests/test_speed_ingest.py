"""The fast paths of ingest's per-article work give the results of the slow ones.

Each speed-up (ftfy skipped where it cannot change a line, cheap tests before the caption
regexes, cached per-line answers, numpy MinHash with a banded LSH index, boilerplate
learned from stored dump summaries) is checked against the straightforward computation.
"""

from __future__ import annotations

import random
from pathlib import Path

import ftfy
import numpy as np
import pandas as pd
import pytest
from ftfy.badness import BADNESS_RE
from hypothesis import given, settings
from hypothesis import strategies as st

from mediawork import boilerplate, bylines, cleaning, dates, dedup, readers
from mediawork.cleaning import dump_line_keys, learn_boilerplate, learn_from_keys
from mediawork.errors import InputError
from mediawork.sample import generate_sample

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample_dumps(tmp_path_factory) -> list[tuple[str, str]]:
    """(source, text) of the plain-text dumps of a small generated corpus."""
    raw = tmp_path_factory.mktemp("raw")
    generate_sample(240, raw, seed=3)
    units = [u for u in readers.iter_units([raw], root=raw) if u.kind == "dump"]
    return [(cleaning.dump_source(u.text) or "", u.text) for u in units]


@pytest.fixture(scope="module")
def sample_bodies(sample_dumps) -> pd.DataFrame:
    """Articles of the generated corpus with their cleaned bodies (many syndicated copies)."""
    rows = []
    for i, (_, text) in enumerate(sample_dumps):
        try:
            art = cleaning.clean_dump(text)
        except InputError:
            continue
        rows.append({"article_id": f"a{i:04d}", "source_file": f"{i:04d}.txt", "published": art.published,
                     "text": "\n\n".join(art.paragraphs)})
    # trimmed copies (one paragraph or one sentence dropped) put pairs on both sides of the threshold
    rng = random.Random(7)
    for row in list(rows[:80]):
        paragraphs = row["text"].split("\n\n")
        if len(paragraphs) > 2:
            del paragraphs[rng.randrange(len(paragraphs))]
        else:
            paragraphs = [p.split(". ", 1)[-1] for p in paragraphs]
        rows.append({**row, "article_id": "t" + row["article_id"], "source_file": "t" + row["source_file"], "text": "\n\n".join(paragraphs)})
    return pd.DataFrame(rows)


# --- ftfy only where it may change a line ---------------------------------------------------------

_FIX_CASES = [
    "Plain ASCII text.\nTwo lines.\n",
    "Typography stays — “quoted” ’s … • · © and café.",
    "Zelenskyyâ€™s visit",  # UTF-8 read as cp1252
    "A clean line.\nZelenskyyâ€™s visit\nAnother clean line.",  # mojibake on a later line only
    "x\nÃ bc",  # ftfy's start-of-segment pattern, on the second line
    "C1 control\x85here",
    "escape \x1b[31mred\x1b[0m",
    "byte order mark \ufeff inside",
    "not NFC: e\u0301",
    "",
    "\n\n\n",
    "ends with a break\n",
]


@pytest.mark.parametrize("text", _FIX_CASES)
def test_mojibake_repair_equals_ftfy_on_the_whole_text(text):
    assert readers._fix_mojibake(text) == ftfy.fix_text(text, readers._FIXER)


_ALPHABET = list("ab AB.,\n") + ["—", "“", "”", "’", "é", "Ã", "â€", "™", "Â ", "\x85", "\x1b", "e\u0301", "ž", "°"]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=60).map("".join))
def test_mojibake_repair_equals_ftfy_on_generated_text(text):
    assert readers._fix_mojibake(text) == ftfy.fix_text(text, readers._FIXER)


def test_the_badness_trigger_exists_and_avoids_ordinary_typography():
    trigger = readers._BADNESS_TRIGGER
    assert trigger is not None
    assert not any(trigger.search(c) for c in "—–’‘“”…•·\u00a0©")
    assert not any(trigger.search(chr(c)) for c in range(128))


_NO_TRIGGER = [chr(c) for c in range(32, 0x2200) if not readers._BADNESS_TRIGGER.search(chr(c))]


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_NO_TRIGGER), min_size=1, max_size=12).map("".join))
def test_text_without_trigger_characters_never_looks_like_mojibake(text):
    assert BADNESS_RE.search(text) is None


def test_decoded_files_of_the_shared_folder_equal_ftfy_on_the_whole_text():
    shared = REPO.parent / "shared"
    if not shared.is_dir():
        pytest.skip("../shared is absent: no real-world texts to compare ftfy's output on")
    files = sorted(p for p in shared.rglob("*") if p.is_file() and p.stat().st_size < 2_000_000)[:300]
    checked = 0
    for path in files:
        try:
            text = readers._decode(path.read_bytes())
        except InputError:
            continue
        assert readers._fix_mojibake(text) == ftfy.fix_text(text, readers._FIXER), path.name
        checked += 1
    assert checked > 0


# --- cheap tests before regexes, cached per-line answers ---------------------------------------------


def _caption_by_regex_alone(text: str) -> bool:
    stripped = text.strip()
    return boilerplate.word_count(boilerplate.normalize_line(text)) <= 80 and any(p.search(stripped) for _, p in boilerplate._CREDITS)


@pytest.mark.parametrize(
    "block",
    [
        "Envoys pictured in Jeddah. (AP Photo/Jane Doe)",
        "Photo: Jane Doe/Reuters",
        "Delegates arrive in Riyadh. REUTERS/Stringer Purchase Licensing Rights",
        "The summit hall on Monday. Getty Images",
        "File photo of the palace",
        "(Tribune staff photo)",
        "Talks ran for eight hours. (Bloomberg)",
        "Credit by Jane Doe",
        "Talks resumed on Monday, officials said.",
        "A sentence with a slash 24/7 in it.",
        "(An aside in brackets)",
    ],
)
def test_caption_rule_equals_its_regexes_alone(block):
    key = boilerplate.normalize_line(block)
    assert boilerplate._is_caption(block, key) == _caption_by_regex_alone(block)


def test_caption_rule_equals_its_regexes_alone_on_a_generated_corpus(sample_dumps):
    blocks = {b for _, text in sample_dumps for b in cleaning._split_blocks(text)}
    assert blocks
    for block in sorted(blocks):
        assert boilerplate._is_caption(block, boilerplate.normalize_line(block)) == _caption_by_regex_alone(block), block


@pytest.mark.parametrize(
    ("block", "expected"),
    [("Write to Jane Doe at jane@example.com", "rule:contact"), ("Contact the desk by phone", None), ("jane.doe", None)],
)
def test_contact_rule_needs_an_at_sign_only_for_its_email_branch(block, expected):
    assert boilerplate.match_rule(block) == expected


def test_cached_author_lists_are_fresh_copies():
    first = bylines.parse_authors("By Jane Doe and John Roe")
    first.append("Intruder")
    assert bylines.parse_authors("By Jane Doe and John Roe") == ["Jane Doe", "John Roe"]


@pytest.mark.parametrize(
    ("line", "is_date"),
    [("Updated 3:05 PM EST, Tue March 18, 2025", True), ("On March 18, 2025 the talks resumed in Riyadh.", False), (None, False)],
)
def test_date_answers_are_the_same_when_asked_twice(line, is_date):
    assert dates.looks_like_date(line) is is_date
    assert dates.looks_like_date(line) is is_date


def test_parse_published_survives_unhashable_and_odd_values():
    assert dates.parse_published(["2025-03-18"]) == (None, None)
    assert dates.parse_published("2025-03-18")[0] == pd.Timestamp("2025-03-18", tz="UTC")


# --- MinHash in numpy, banded LSH ------------------------------------------------------------------


@pytest.mark.parametrize(("threshold", "num_perm"), [(0.5, 128), (0.3, 128), (0.5, 64), (0.8, 256), (0.6, 32)])
def test_band_split_is_datasketchs(threshold, num_perm):
    lsh = pytest.importorskip("datasketch.lsh", reason="datasketch is not installed: nothing to compare the band split with")
    assert dedup.lsh_bands(threshold, num_perm) == lsh._optimal_param(threshold, num_perm, 0.5, 0.5)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Talks resumed in Riyadh on Monday.", "TALKS resumed in Riyadh on Monday!"),
        ("one two three four five six seven eight", "one two three four five six seven nine"),
        ("short text", "short text here"),
        ("", "Anything at all"),
        ("word " * 30, "word " * 31),
    ],
)
def test_hashed_shingles_give_the_sizes_and_jaccard_of_the_word_shingles(a, b):
    sa, sb = dedup.shingles(a), dedup.shingles(b)
    ha, hb = dedup.shingle_hashes(a), dedup.shingle_hashes(b)
    assert (len(ha), len(hb)) == (len(sa), len(sb))
    assert dedup.jaccard(frozenset(ha.tolist()), frozenset(hb.tolist())) == dedup.jaccard(sa, sb)


def test_minhash_estimates_jaccard():
    rng = random.Random(5)
    vocab = [f"w{i}" for i in range(400)]
    base = [rng.choice(vocab) for _ in range(300)]
    perms = dedup._permutations(dedup.NUM_PERM)
    for keep in (300, 240, 150, 60):
        other = base[:keep] + [rng.choice(vocab) for _ in range(300 - keep)]
        a, b = " ".join(base), " ".join(other)
        exact = dedup.jaccard(dedup.shingles(a), dedup.shingles(b))
        ma = dedup._minhash(dedup.shingle_hashes(a), perms)
        mb = dedup._minhash(dedup.shingle_hashes(b), perms)
        assert abs(float((ma == mb).mean()) - exact) < 0.15


def _brute_force_duplicates(articles: pd.DataFrame, threshold: float = dedup.NEAR_THRESHOLD) -> list:
    """``mark_duplicates`` with every earlier article as a candidate (perfect recall), on string shingles."""
    texts = articles["text"].tolist()
    ids = articles["article_id"].tolist()
    order = dedup._order(articles)
    rank = {pos: i for i, pos in enumerate(order)}
    sets = [dedup.shingles(t) for t in texts]
    digests = [dedup.normalize_body(t) for t in texts]
    root, first, indexed, result = {}, {}, [], [None] * len(texts)
    for pos in order:
        if digests[pos] in first:
            root[pos] = root[first[digests[pos]]]
        else:
            first[digests[pos]] = pos
            match = next((c for c in sorted(indexed, key=rank.__getitem__) if dedup.jaccard(sets[pos], sets[c]) >= threshold), None)
            if sets[pos]:
                indexed.append(pos)
            root[pos] = root[match] if match is not None else pos
        if root[pos] != pos:
            result[pos] = ids[root[pos]]
    return result


def test_duplicate_marking_equals_a_check_of_every_pair(sample_bodies):
    marked = dedup.mark_duplicates(sample_bodies).tolist()
    assert sum(m is not None for m in marked) > 40  # syndicated and trimmed copies
    assert marked == _brute_force_duplicates(sample_bodies)


def test_signatures_of_the_former_method_are_recomputed(sample_bodies):
    df = sample_bodies.head(20)
    old = dedup.compute_signatures(df).assign(method="words5-perm128-seed1-affine32-v1")
    fresh = dedup.compute_signatures(df, cached=old)
    assert (fresh["method"] == dedup.SIGNATURE_METHOD).all()
    assert dedup.SIGNATURE_METHOD != "words5-perm128-seed1-affine32-v1"
    assert dedup.mark_duplicates(df, signatures=old).tolist() == dedup.mark_duplicates(df).tolist()


def test_far_apart_set_sizes_are_not_similar_without_intersecting():
    small, large = frozenset(range(10)), frozenset(range(100))
    assert dedup._similar(np.array(sorted(small), dtype=np.uint64), np.array(sorted(large), dtype=np.uint64), 0.7) is False
    assert dedup._similar(np.arange(9, dtype=np.uint64), np.arange(10, dtype=np.uint64), 0.7) is True
    assert dedup._similar(np.arange(0, dtype=np.uint64), np.arange(0, dtype=np.uint64), 0.7) is False


# --- boilerplate learned from stored dump summaries -----------------------------------------------


def _raw_dumps(folder: Path) -> list[tuple[str, str]]:
    units = [u for u in readers.iter_units([folder], root=folder) if u.kind == "dump"]
    return [(cleaning.dump_source(u.text) or "", u.text) for u in units]


def test_learning_from_keys_equals_learning_from_texts_on_the_raw_folder():
    pairs = _raw_dumps(REPO / "data" / "raw")
    if not pairs:
        pytest.skip("data/raw holds no plain-text dumps")
    learned = learn_boilerplate(pairs)
    assert any(learned.values())
    assert learn_from_keys((s, dump_line_keys(t)) for s, t in pairs) == learned


def test_learning_from_keys_equals_learning_from_texts_on_a_generated_corpus(sample_dumps):
    learned = learn_boilerplate(sample_dumps)
    assert sum(map(len, learned.values())) > 10
    assert learn_from_keys((s, dump_line_keys(t)) for s, t in sample_dumps) == learned
    for options in ({"min_articles": 2, "min_share": 0.3}, {"min_articles": 5, "min_share": 0.9}):
        assert learn_from_keys(((s, dump_line_keys(t)) for s, t in sample_dumps), **options) == learn_boilerplate(sample_dumps, **options)


_BLOCKS = [
    "Advertisement",
    "Share this article",
    "Sign up for our morning newsletter",
    "Our newsletter brings the day's diplomacy to your inbox every weekday morning at six.",
    "Envoys met in Riyadh on Monday for a second round of talks on the truce.",
    "Envoys met in Riyadh on Monday for a second round of talks on the truce!",
    "The Tribune is an independent newspaper serving the lake district since 1901.",
    "Copyright 2025 Lakeside Tribune. All rights reserved.",
    "Truce Talks Resume",
    "By Jane Doe",
    "March 18, 2025",
]


@st.composite
def _site_dumps(draw):
    dumps = []
    for _ in range(draw(st.integers(min_value=0, max_value=9))):
        source = draw(st.sampled_from(["example.com", "other.org", ""]))
        blocks = draw(st.lists(st.sampled_from(_BLOCKS), max_size=8))
        head = [source] if source and draw(st.booleans()) else []
        dumps.append((source, "\n\n".join(head + blocks)))
    return dumps


@settings(max_examples=120, deadline=None, derandomize=True)
@given(_site_dumps(), st.integers(min_value=1, max_value=4), st.sampled_from([0.3, 0.5, 1.0]))
def test_learning_from_keys_equals_learning_from_texts_on_generated_inputs(dumps, min_articles, min_share):
    keys = [(s, dump_line_keys(t)) for s, t in dumps]
    assert learn_from_keys(keys, min_articles=min_articles, min_share=min_share) == learn_boilerplate(
        dumps, min_articles=min_articles, min_share=min_share
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("example.com", []),
        ("example.com\n\nShare this article", ["..:share this article"]),
        ("No source line\n\n---\n\nAdvertisement", ["..:no source line", "..:advertisement"]),
        (
            "example.com\n\nAdvertisement\n\nEnvoys met in Riyadh on Monday for a second round of talks.\n\nAdvertisement",
            [".r:advertisement", "p.:envoys met in riyadh on monday for a second round of talks", ".r:advertisement"],
        ),
    ],
)
def test_dump_summaries_list_keyed_blocks_in_page_order(text, expected):
    assert dump_line_keys(text) == expected


def test_a_malformed_summary_is_refused_with_a_clear_message():
    with pytest.raises(InputError, match="is not '<flags>:<key>'"):
        learn_from_keys([("example.com", ["no flags here"])])


_BADGE_PIECES = ["PREMIUM", "LIVE UPDATES", "BREAKING NEWS", "SUBSCRIBER ONLY", "Live", "Opinion", "UPDATED", "PLUS", "news",
                 "Talks resume", " ", " | ", ": ", " — ", "\n", "-", "Live:", "WATCH"]


def _badges_by_regex_alone(text: str) -> str:
    out = boilerplate._BADGE_HEAD.sub("", boilerplate._BADGE_TAIL.sub("", text), count=1).strip()
    return out or text.strip()


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_BADGE_PIECES), min_size=1, max_size=7).map("".join))
def test_badges_are_stripped_as_by_the_regexes_alone(text):
    assert boilerplate.strip_badges.__wrapped__(text) == _badges_by_regex_alone(text)
