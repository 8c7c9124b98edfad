"""Measure actor discovery against GUM's annotated Wikinews articles.

Usage::

    .venv/bin/python benchmarks/eval_discovery.py ../shared/data [--errors 20] [--split test]

DATA_DIR is the shared data folder (holding ``gum_news/``) or the ``gum_news`` folder
itself (holding ``gum_news.jsonl``, see its SOURCE.md). Each document's sentences
become a sentences frame (``paragraph_id`` from its blocks) and go through
:func:`mediawork.discovery.discovered_mentions` with ``min_count=1`` and no dictionary.

The matching rule
-----------------
* **Gold**: every ``proper_name_mentions`` item that has a ``name_text`` (the bare name
  inside the annotated noun phrase: ``Barack Obama`` in ``US President Barack
  Obama's``); its span is that name's position inside the mention. GUM's
  ``organization`` is our ``organisation``. Identical spans of the same type count once.
* **Predicted**: discovered mentions typed ``person``, ``organisation`` or ``place``
  (``other`` is not an actor claim and is not scored).
* **Match** (lenient): a prediction and a gold name of the *same type* in the same
  sentence whose character spans overlap; pairs are made one-to-one, largest overlap
  first. **Strict**: the spans are identical.
* Precision = matched / predicted, recall = matched / gold, per type and over all
  three (micro average). A line "untyped" scores span detection with types ignored.
* GUM marks a mention as a proper name by its head word, so ``actor Jason Beghe`` or
  ``Facebook creator Mark Zuckerberg`` (head: a common noun) are not gold names although
  they contain one. Predictions inside such a mention of the same type still count as
  false alarms; the report says how many of them there are, so the cost is visible.

Names are found by general cues only; nothing in mediawork was built from these texts.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from mediawork.discovery import discovered_mentions

TYPES = ("person", "organisation", "place")


def resolve_data_dir(path: Path) -> Path:
    """The folder holding ``gum_news.jsonl``: ``path`` itself or its ``gum_news`` subfolder."""
    for candidate in (path, path / "gum_news"):
        if (candidate / "gum_news.jsonl").is_file():
            return candidate
    sys.exit(
        f"gum_news.jsonl not found in {path} or {path / 'gum_news'}: "
        "expected the shared data folder (../shared/data) or its gum_news folder (see gum_news/SOURCE.md)"
    )


def _name_span(m: dict) -> tuple[int, int] | None:
    offset = m["text"].find(m["name_text"]) if m["name_text"] else -1
    return None if offset < 0 else (m["start_char"] + offset, m["start_char"] + offset + len(m["name_text"]))


def load(data_dir: Path, split: str | None = None, *, unscored: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(sentences frame, gold frame) from ``gum_news.jsonl`` under ``data_dir`` (see :func:`resolve_data_dir`).

    With ``unscored=True`` the second frame holds instead the names inside mentions
    GUM does not flag as proper names (head word a common noun: ``actor Jason Beghe``).
    """
    path = resolve_data_dir(data_dir) / "gum_news.jsonl"
    sentences, gold = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        if split and doc["split"] != split:
            continue
        para_of = {i: p for p, block in enumerate(doc["paragraphs"]) for i in block["sentences"]}
        for i, text in enumerate(doc["sentences"]):
            sentences.append((doc["doc_id"], para_of.get(i, -1), i, text))
        chosen = [m for m in doc["entities"] if not m["proper_name"]] if unscored else doc["proper_name_mentions"]
        for m in chosen:
            span = _name_span(m)
            if span is None:
                continue
            kind = "organisation" if m["type"] == "organization" else m["type"]
            gold.append((doc["doc_id"], m["sent_index"], *span, kind, m["name_text"]))
    s = pd.DataFrame(sentences, columns=["article_id", "paragraph_id", "sentence_id", "text"])
    g = pd.DataFrame(gold, columns=["article_id", "sentence_id", "start", "end", "type", "text"]).drop_duplicates(
        ["article_id", "sentence_id", "start", "end", "type"]
    )
    return s, g.reset_index(drop=True)


def match(pred: pd.DataFrame, gold: pd.DataFrame, *, typed: bool = True, strict: bool = False) -> tuple[int, list[int], list[int]]:
    """(matched pairs, unmatched prediction rows, unmatched gold rows)."""
    pairs = []
    g_by = {}
    for gi, g in gold.iterrows():
        g_by.setdefault((g["article_id"], g["sentence_id"]), []).append((gi, g))
    for pi, p in pred.iterrows():
        for gi, g in g_by.get((p["article_id"], p["sentence_id"]), []):
            if typed and p["actor_type"] != g["type"]:
                continue
            overlap = min(p["end"], g["end"]) - max(p["start"], g["start"])
            if strict and (p["start"], p["end"]) != (g["start"], g["end"]):
                continue
            if overlap > 0:
                pairs.append((-overlap, pi, gi))
    used_p, used_g = set(), set()
    for _, pi, gi in sorted(pairs):
        if pi not in used_p and gi not in used_g:
            used_p.add(pi)
            used_g.add(gi)
    return len(used_p), [i for i in pred.index if i not in used_p], [i for i in gold.index if i not in used_g]


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _describe(frame: pd.DataFrame, article: str, sentence: int, start: int, end: int, *, label: str, kind: str) -> str:
    """What ``frame`` has overlapping the span: ``text[type]`` items, or ``-``."""
    hits = frame[(frame["article_id"] == article) & (frame["sentence_id"] == sentence) & (frame["start"] < end) & (frame["end"] > start)]
    return "; ".join(f"{getattr(r, label)}[{getattr(r, kind)}]" for r in hits.itertuples()) or "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path, help="the shared data folder (holding gum_news/) or the gum_news folder itself")
    parser.add_argument("--split", choices=("train", "dev", "test"), help="score one GUM split only")
    parser.add_argument("--errors", type=int, default=0, help="print this many misses and false alarms per type, with what overlaps them")
    args = parser.parse_args(argv)
    sentences, gold = load(args.data_dir, args.split)
    _, unscored = load(args.data_dir, args.split, unscored=True)
    t0 = time.perf_counter()
    found = discovered_mentions(sentences, min_count=1)
    elapsed = time.perf_counter() - t0
    pred = found[found["actor_type"].isin(TYPES)].reset_index(drop=True)
    texts = {(r.article_id, r.sentence_id): r.text for r in sentences.itertuples()}
    print(f"{sentences['article_id'].nunique()} documents, {len(sentences)} sentences; discovery took {elapsed:.2f} s")
    print(f"gold names {len(gold)}, predicted {len(pred)} (plus {int((found['actor_type'] == 'other').sum())} typed 'other', not scored)")
    print(f"{'type':<14}{'gold':>6}{'pred':>6}{'P':>8}{'R':>8}{'F1':>8}{'strict F1':>11}{'unflagged':>11}")
    totals = Counter()
    for kind in TYPES:
        p, g = pred[pred["actor_type"] == kind], gold[gold["type"] == kind]
        tp, fp_rows, fn_rows = match(p, g)
        stp, _, _ = match(p, g, strict=True)
        # false alarms that are names inside a same-type mention GUM does not flag as a proper name
        inside, _, _ = match(p.loc[fp_rows], unscored[unscored["type"] == kind])
        totals.update(tp=tp, stp=stp, pred=len(p), gold=len(g), inside=inside)
        P, R, F = prf(tp, len(p), len(g))
        print(f"{kind:<14}{len(g):>6}{len(p):>6}{P:>8.3f}{R:>8.3f}{F:>8.3f}{prf(stp, len(p), len(g))[2]:>11.3f}{inside:>11}")
        if args.errors:
            print(f"   missed ({len(fn_rows)}), with the predictions overlapping them:")
            for r in g.loc[fn_rows[: args.errors]].itertuples():
                context = texts[(r.article_id, r.sentence_id)][max(0, r.start - 30) : r.end + 20]
                print(f"     {r.text!r} <- {_describe(found, r.article_id, r.sentence_id, r.start, r.end, label='actor', kind='actor_type')} | {context!r}")
            print(f"   false ({len(fp_rows)}), with the gold names overlapping them:")
            for r in p.loc[fp_rows[: args.errors]].itertuples():
                context = texts[(r.article_id, r.sentence_id)][max(0, r.start - 30) : r.end + 20]
                print(f"     {r.surface!r} as {r.actor!r} <- {_describe(gold, r.article_id, r.sentence_id, r.start, r.end, label='text', kind='type')} | {context!r}")
    P, R, F = prf(totals["tp"], totals["pred"], totals["gold"])
    print(f"{'overall':<14}{totals['gold']:>6}{totals['pred']:>6}{P:>8.3f}{R:>8.3f}{F:>8.3f}{prf(totals['stp'], totals['pred'], totals['gold'])[2]:>11.3f}{totals['inside']:>11}")
    tp, _, _ = match(pred, gold, typed=False)
    P, R, F = prf(tp, len(pred), len(gold))
    print(f"{'untyped':<14}{len(gold):>6}{len(pred):>6}{P:>8.3f}{R:>8.3f}{F:>8.3f}")
    print("unflagged: false alarms that are names inside a same-type GUM mention not flagged as a proper name ('actor Jason Beghe')")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
