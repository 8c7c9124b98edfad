"""Column names, types and meanings of every processed table: the data dictionary.

Each table is declared once here. Code refers to columns through these
declarations, ``store`` writes Parquet with these Arrow schemas, and
``docs/data-dictionary.md`` is generated from the same text (a test keeps it in sync).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

UTC_TIMESTAMP = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class Column:
    """One column: its name, Arrow type and a sentence for the data dictionary."""

    name: str
    type: pa.DataType
    doc: str


@dataclass(frozen=True)
class Table:
    """One processed table: file name, columns and the sort order rows are written in."""

    name: str
    file: str
    doc: str
    columns: tuple[Column, ...]
    sort_by: tuple[str, ...]
    #: Stored as a folder of part files partitioned by the articles' month of publication (see ``mediawork.store``).
    partitioned: bool = False

    @property
    def names(self) -> list[str]:
        """Column names in order."""
        return [c.name for c in self.columns]

    @property
    def arrow_schema(self) -> pa.Schema:
        """The Arrow schema the table is written with."""
        return pa.schema([pa.field(c.name, c.type) for c in self.columns])


ARTICLES = Table(
    name="articles",
    file="articles.parquet",
    doc="One row per article recovered from the raw inputs, duplicates included (see `duplicate_of`).",
    columns=(
        Column("article_id", pa.string(), "Stable id: 16 hex digits of a SHA-256 over the unit's `source_file` and `sha256`; the same input gives the same id on every run and machine."),
        Column("source_file", pa.string(), "The input unit the article came from, relative to the raw folder (`a.txt`, `dump.zip!b.json`, `export.jsonl#12`)."),
        Column("source", pa.string(), "The site or database the article was taken from, e.g. `hindustantimes.com`."),
        Column("outlet", pa.string(), "The original publisher when the story is syndicated (e.g. `WSJ`), else the same as `source`."),
        Column("url", pa.string(), "The article's address when known, else null."),
        Column("title", pa.string(), "The headline, once, without decorations such as `PREMIUM`."),
        Column("summary", pa.string(), "The dek or standfirst when there is one, else null."),
        Column("authors", pa.list_(pa.string()), "Author names only (no e-mail addresses, titles or desks), in byline order; empty when unknown."),
        Column("dateline", pa.string(), "The dateline stripped from the first paragraph (`WASHINGTON`, `KYIV, Ukraine (AP)`), else null."),
        Column("published", UTC_TIMESTAMP, "Publication time in UTC, null when unknown. A date without a time is taken as midnight UTC."),
        Column("published_offset", pa.string(), "The UTC offset the page gave, as text (`+05:30`, `-04:00`, `+00:00`), null when it gave none."),
        Column("tags", pa.list_(pa.string()), "Topic tags listed by the page, in page order; empty when none."),
        Column("language", pa.string(), "ISO 639-1 code (`en`) from the input's metadata or a stopword test; `und` when undetermined."),
        Column("text", pa.string(), "The clean body: its paragraphs in order, separated by one blank line."),
        Column("n_words", pa.int32(), "Number of words in `text` (whitespace-separated tokens containing a letter or digit)."),
        Column("duplicate_of", pa.string(), "The `article_id` of the first article with the same or nearly the same body (exact or near duplicate), else null. Analyses use rows where it is null."),
    ),
    sort_by=("article_id",),
    partitioned=True,
)

MANIFEST = Table(
    name="manifest",
    file="manifest.parquet",
    doc="One row per input unit: a file, an archive member (`archive.zip!member`) or a record (`file.jsonl#LINE`). Every raw input is accounted for here.",
    columns=(
        Column("source_file", pa.string(), "The unit, relative to the raw folder. Archives and multi-record files have a row of their own besides their members' rows."),
        Column("sha256", pa.string(), "SHA-256 of the unit's bytes."),
        Column("bytes", pa.int64(), "Size of the unit's bytes."),
        Column("status", pa.string(), "`ok` (article kept, or container read), `duplicate` (article kept but marked `duplicate_of`), `rejected` (see `reason`) or `unchanged` (already ingested by an earlier run with the same sha256, or the same size and modification time; not parsed again)."),
        Column("reason", pa.string(), "Why the unit was rejected (always set when `status` is `rejected`); for other rows a note such as a count mismatch, else null. Unchanged rows keep the reason of the run that parsed them."),
        Column("article_id", pa.string(), "The article the unit became, else null (containers, rejected units)."),
        Column("modified", pa.timestamp("ns", tz="UTC"), "For a top-level file: its modification time when it was read (to the nanosecond, UTC), else null. A later ingest takes a file whose size and modification time both match as unchanged without reading it (`mediawork ingest --checksum` reads and hashes every file instead)."),
    ),
    sort_by=("source_file",),
)

REMOVED = Table(
    name="removed",
    file="removed.parquet",
    doc="Every line cleaning removed from a text dump, with the rule that removed it, so nothing is dropped silently.",
    columns=(
        Column("article_id", pa.string(), "The article the line was removed from."),
        Column("line_no", pa.int32(), "1-based position of the line (a blank-line-separated block) in the dump."),
        Column("text", pa.string(), "The removed line as it stood."),
        Column("rule", pa.string(), "Why: a general rule (`rule:advertisement`, `rule:subscribe`, ...), `metadata:<field>` when the line was taken as a field (title, date, byline...), or `learned:<source>` for boilerplate learned from the corpus."),
    ),
    sort_by=("article_id", "line_no"),
    partitioned=True,
)

LEARNED = Table(
    name="learned",
    file="learned_boilerplate.parquet",
    doc="Internal state of ingest: the boilerplate line keys learned per source from the corpus (lines recurring across many articles of one source).",
    columns=(
        Column("source", pa.string(), "The source (site) the boilerplate was learned for."),
        Column("key", pa.string(), "A normalised line (see `cleaning.normalize_line`) removed from that source's dumps as `learned:<source>`."),
    ),
    sort_by=("source", "key"),
)

DUMPS = Table(
    name="dumps",
    file="dumps.parquet",
    doc="Internal state of ingest: which articles came from plain-text web dumps, so a source's boilerplate can be learned again when new dumps arrive.",
    columns=(
        Column("source_file", pa.string(), "The dump unit."),
        Column("article_id", pa.string(), "The article it became."),
        Column("source", pa.string(), "The site the dump names on its first line."),
        Column("codes", pa.list_(pa.uint64()), "What learning boilerplate needs of the dump: its keyed lines in page order as integer codes (`cleaning.key_codes` of `cleaning.dump_line_keys`: a 64-bit id of each line key with three flags), so a source's boilerplate is learned again without re-reading its dumps."),
    ),
    sort_by=("source_file",),
)

SIGNATURES = Table(
    name="signatures",
    file="signatures.parquet",
    doc="Internal state of ingest: each article's duplicate-finding signature (body digest and MinHash), so a run computes signatures only for new or changed bodies.",
    columns=(
        Column("article_id", pa.string(), "The article."),
        Column("text_sha256", pa.string(), "SHA-256 of the article's `text`; a signature is reused only while the text it was computed from is unchanged."),
        Column("method", pa.string(), "How the signature was computed (shingle size, permutations, seed, hash scheme; see `dedup.SIGNATURE_METHOD`); other methods are recomputed."),
        Column("digest", pa.string(), "SHA-256 of the normalised body (`dedup.normalize_body`): equal digests are exact duplicates."),
        Column("minhash", pa.binary(), "MinHash of the body's word shingles, little-endian uint32 values; null when the body has no words."),
    ),
    sort_by=("article_id",),
)

SENTENCES = Table(
    name="sentences",
    file="sentences.parquet",
    doc="One row per sentence of every unique article, with VADER's sentiment scores (written by `mediawork analyze`).",
    columns=(
        Column("article_id", pa.string(), "The article."),
        Column("paragraph_id", pa.int32(), "0-based paragraph index within the article's `text`."),
        Column("sentence_id", pa.int32(), "0-based sentence index within the article (running across paragraphs)."),
        Column("text", pa.string(), "The sentence as split by Punkt."),
        Column("neg", pa.float64(), "VADER's negative proportion (0..1)."),
        Column("neu", pa.float64(), "VADER's neutral proportion (0..1)."),
        Column("pos", pa.float64(), "VADER's positive proportion (0..1)."),
        Column("compound", pa.float64(), "VADER's normalised compound score (-1..+1); >= 0.05 counts as positive, <= -0.05 as negative."),
    ),
    sort_by=("article_id", "sentence_id"),
    partitioned=True,
)

TERMS = Table(
    name="terms",
    file="terms.parquet",
    doc="Term counts per unique article: unigrams, bigrams and trigrams (see `mediawork.terms.count_terms` for the exact definition).",
    columns=(
        Column("article_id", pa.string(), "The article."),
        Column("term", pa.string(), "The case-folded term; n-grams joined by single spaces."),
        Column("n", pa.int8(), "N-gram order, 1 to 3."),
        Column("count", pa.int32(), "Occurrences of the term in the article."),
    ),
    sort_by=("article_id", "n", "term"),
    partitioned=True,
)

MENTIONS = Table(
    name="mentions",
    file="mentions.parquet",
    doc="Actor mentions per sentence of unique articles, from the actor dictionary and, with `--discover`, discovered names.",
    columns=(
        Column("article_id", pa.string(), "The article."),
        Column("sentence_id", pa.int32(), "The sentence (see `sentences.parquet`)."),
        Column("actor", pa.string(), "Canonical actor name."),
        Column("actor_type", pa.string(), "`person`, `organisation`, `place` or `other`."),
        Column("surface", pa.string(), "The mention as written."),
        Column("start", pa.int32(), "Character offset where the mention starts in the sentence text."),
        Column("end", pa.int32(), "Character offset where it ends (exclusive): `text[start:end] == surface`."),
        Column("origin", pa.string(), "`dictionary` or `discovered`."),
    ),
    sort_by=("article_id", "sentence_id", "start", "actor"),
    partitioned=True,
)

COOCCURRENCE = Table(
    name="cooccurrence",
    file="cooccurrence.parquet",
    doc="Pairs of actors appearing together within a window, with association measures.",
    columns=(
        Column("actor_a", pa.string(), "First actor (alphabetically)."),
        Column("actor_b", pa.string(), "Second actor (`actor_a` < `actor_b`)."),
        Column("window", pa.string(), "`sentence`, `paragraph` or `article`."),
        Column("sentences", pa.int32(), "Number of windows (sentences, paragraphs or articles) in which both actors occur."),
        Column("articles", pa.int32(), "Number of articles in which both occur within one window."),
        Column("pmi", pa.float64(), "Pointwise mutual information, log2 p(ab) / (p(a) p(b)), probabilities over windows."),
        Column("npmi", pa.float64(), "PMI normalised by -log2 p(ab): -1 (never together) .. 0 (independent) .. +1 (always together)."),
        Column("jaccard", pa.float64(), "Windows with both / windows with either."),
    ),
    sort_by=("window", "actor_a", "actor_b"),
)

PAIR_COUNTS = Table(
    name="pair_counts",
    file="pair_counts.parquet",
    doc="Internal state of analyze: the additive counts behind `cooccurrence.parquet` for each part of the analysis tables (see `cooccurrence.cooccurrence_counts`), so a run recounts only the parts it rewrites and sums the rest.",
    columns=(
        Column("window", pa.string(), "`sentence`, `paragraph` or `article`."),
        Column("kind", pa.string(), "`windows` (the part's number of windows), `actor` (windows mentioning `actor_a`) or `pair` (windows mentioning both `actor_a` and `actor_b`)."),
        Column("actor_a", pa.string(), "The actor (`actor` rows) or the first of the pair; empty for `windows` rows."),
        Column("actor_b", pa.string(), "The second actor of a pair; empty otherwise."),
        Column("count", pa.int64(), "The number of windows."),
        Column("articles", pa.int64(), "For pairs: the number of articles with at least one such window; 0 otherwise."),
    ),
    sort_by=("window", "kind", "actor_a", "actor_b"),
    partitioned=True,
)

TABLES = {t.name: t for t in (ARTICLES, MANIFEST, REMOVED, SENTENCES, TERMS, MENTIONS, COOCCURRENCE, LEARNED, DUMPS, SIGNATURES, PAIR_COUNTS)}

#: Manifest statuses.
STATUSES = ("ok", "duplicate", "rejected", "unchanged")


def data_dictionary_markdown() -> str:
    """Render every table's columns as Markdown, the text of ``docs/data-dictionary.md``."""
    out = ["# Data dictionary", "", "Tables written to `data/processed/` (Parquet, via pyarrow). Generated from `src/mediawork/schema.py`.", ""]
    for table in TABLES.values():
        layout = (
            f"Stored as a folder, `{table.file}/month=YYYY-MM/part-*.parquet` (`month=unknown` for undated articles), "
            "listed in `_index.json`; within each part rows are sorted by "
            if table.partitioned
            else "Rows are sorted by "
        )
        out += [f"## `{table.file}`", "", table.doc, "", f"{layout}{', '.join(f'`{c}`' for c in table.sort_by)}.", "", "| column | type | meaning |", "|---|---|---|"]
        out += [f"| `{c.name}` | `{c.type}` | {c.doc} |" for c in table.columns]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":  # python -m mediawork.schema > docs/data-dictionary.md
    print(data_dictionary_markdown())
