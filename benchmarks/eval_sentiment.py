"""Validate mediawork's VADER scores against human ratings (Hutto & Gilbert, ICWSM 2014).

Usage::

    .venv/bin/python benchmarks/eval_sentiment.py DATA_DIR [--lexicon auto|nltk_data|vaderSentiment]

DATA_DIR holds ``vader_groundtruth/`` (e.g. ``../shared/data``): four tab-separated
files of ``id``, mean human rating (-4..+4) and text, CRLF line ends, no header.
For each set the script prints Pearson's r between the human means and

- ``article``: each snippet taken as one article, split into sentences with
  ``mediawork.text`` and scored with :func:`mediawork.sentiment.article_sentiment`
  (mean sentence compound), i.e. what mediawork reports per article;
- ``whole``: VADER's compound of the whole snippet at once (what the paper scored);

and, for the NYT set, whose ids are ``article_sentence``, the same per NYT article
(mean of its snippets' human means against its mean sentence compound).
The paper's r for VADER: NYT 0.492, tweets 0.881, movie 0.451, Amazon 0.565.
Nothing is downloaded; the files are read in place, never copied.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from mediawork import sentiment, text
from mediawork.errors import MediaworkError

SETS = (
    ("nyt", "nytEditorialSnippets_GroundTruth.txt", 0.492),
    ("tweets", "tweets_GroundTruth.txt", 0.881),
    ("movie", "movieReviewSnippets_GroundTruth.txt", 0.451),
    ("amazon", "amazonReviewSnippets_GroundTruth.txt", 0.565),
)


def read_groundtruth(path: Path) -> pd.DataFrame:
    """One snippet per row: ``article_id`` (the file's id), ``human`` (mean rating) and ``text``."""
    rows = []
    for number, line in enumerate(path.read_bytes().decode("utf-8").split("\r\n"), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            raise MediaworkError(f"{path}, line {number}: found {len(fields)} tab-separated fields; expected id, rating, text.")
        rows.append((fields[0], float(fields[1]), fields[2]))
    return pd.DataFrame(rows, columns=["article_id", "human", "text"]).astype({"article_id": "string", "text": "string"})


def evaluate(snippets: pd.DataFrame, analyzer: sentiment.Analyzer) -> dict[str, float]:
    """Pearson r of the article-level and whole-snippet scores with the human means."""
    sentences = text.sentences_frame(snippets[["article_id", "text"]])
    scored = sentiment.score_sentences(sentences, analyzer=analyzer)
    per_article = sentiment.article_sentiment(scored, articles=snippets[["article_id"]], analyzer=analyzer)
    joined = snippets.merge(per_article[["article_id", "compound_mean", "n_sentences"]], on="article_id")
    joined["whole"] = [analyzer.polarity_scores(t)["compound"] for t in joined["text"]]
    result = {
        "n": len(joined),
        "sentences_per_snippet": joined["n_sentences"].mean(),
        "article": joined["human"].corr(joined["compound_mean"]),
        "whole": joined["human"].corr(joined["whole"]),
    }
    if joined["article_id"].str.contains("_").all():
        doc = joined["article_id"].str.split("_").str[0]
        scored_doc = scored.assign(doc=scored["article_id"].str.split("_").str[0])
        by_doc = pd.DataFrame(
            {
                "human": joined.groupby(doc)["human"].mean(),
                "compound": scored_doc.groupby("doc")["compound"].mean(),
            }
        )
        result["per_source_article"] = by_doc["human"].corr(by_doc["compound"])
        result["n_source_articles"] = len(by_doc)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path, help="folder holding vader_groundtruth/ (e.g. ../shared/data)")
    parser.add_argument("--lexicon", default="auto", choices=["auto", "nltk_data", "vaderSentiment"])
    args = parser.parse_args(argv)
    folder = args.data_dir / "vader_groundtruth"
    if not folder.is_dir():
        print(f"error: {folder} not found; expected DATA_DIR to hold vader_groundtruth/ (e.g. ../shared/data).", file=sys.stderr)
        return 2
    try:
        analyzer = sentiment.load_analyzer(lexicon=args.lexicon)
        print(f"lexicon: {sentiment.lexicon_source(analyzer)}; sentences: {text.resources().get('sentences', '?')}")
        print(f"{'set':8} {'n':>6} {'sent/snip':>9} {'r article':>10} {'r whole':>8} {'paper':>6} {'seconds':>8}")
        for name, file, paper in SETS:
            path = folder / file
            if not path.is_file():
                print(f"{name:8} missing: {path}")
                continue
            start = time.perf_counter()
            r = evaluate(read_groundtruth(path), analyzer)
            print(
                f"{name:8} {r['n']:>6} {r['sentences_per_snippet']:>9.2f} {r['article']:>10.3f} {r['whole']:>8.3f} "
                f"{paper:>6.3f} {time.perf_counter() - start:>8.1f}"
            )
            if "per_source_article" in r:
                print(f"{'':8} per source document (id before '_', {r['n_source_articles']} documents): r = {r['per_source_article']:.3f}")
    except MediaworkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
