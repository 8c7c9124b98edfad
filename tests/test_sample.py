"""Specification of ``mediawork.sample``: the seeded generator of raw dumps, and the hand-written corpus."""

from __future__ import annotations

import csv
import json
import re
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from mediawork.errors import ParameterError
from mediawork.sample import FORMATS, generate_sample

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
SITES = {"hindustantimes.com", "reuters.com", "londonledger.co.uk", "lakesidetribune.com",
         "frontlinebrief.com", "brusselsdispatch.eu"}
DATE_LINE = re.compile(
    r"^(Published |Last updated: )?("
    r"[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2} [AP]M IST"          # Mar 18, 2025 12:40 PM IST
    r"|[A-Z][a-z]+ \d{1,2}, \d{4} \d{1,2}:\d{2} [AP]M GMT"            # March 18, 2025 4:31 PM GMT
    r"|\d{1,2} [A-Z][a-z]+ \d{4} \d{2}:\d{2} (GMT|BST)"               # 18 March 2025 14:05 GMT
    r"|\d{1,2}:\d{2} [ap]\.m\. E[SD]T [A-Z][a-z]{2} \d{1,2}, \d{4}"  # 5:14 p.m. EST Mar 1, 2025
    r"|\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2} CES?T"                 # 18 Mar 2025 21:40 CET
    r"|[A-Z][a-z]+ \d{1,2}, \d{4} \d{1,2}:\d{2} [ap]m CES?T"          # March 6, 2025 4:02 pm CET
    r")$"
)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("sample")
    return out, generate_sample(400, out, seed=3, bad=True)


def _count_articles(paths: list[Path]) -> Counter:
    counts: Counter = Counter()
    for p in paths:
        if "bad" in p.parts:
            continue
        if p.suffix == ".jsonl":
            counts["jsonl"] += sum(1 for line in p.read_text(encoding="utf-8").splitlines() if line.strip())
        elif p.suffix == ".csv":
            with p.open(encoding="utf-8", newline="") as fh:
                counts["csv"] += sum(1 for _ in csv.DictReader(fh))
        else:
            counts[p.suffix.lstrip(".")] += 1
    return counts


def _blocks(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n\n")


# --- determinism and counts ---------------------------------------------------


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    a = generate_sample(120, tmp_path / "a", seed=5, bad=True)
    b = generate_sample(120, tmp_path / "b", seed=5, bad=True)
    assert [p.relative_to(tmp_path / "a") for p in a] == [p.relative_to(tmp_path / "b") for p in b]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b))


def test_other_seed_gives_other_articles(tmp_path: Path) -> None:
    a = generate_sample(30, tmp_path / "a", seed=1, formats=("txt",))
    b = generate_sample(30, tmp_path / "b", seed=2, formats=("txt",))
    assert {p.read_bytes() for p in a} != {p.read_bytes() for p in b}


@pytest.mark.parametrize("n", [0, 1, 7, 60, 1001])
def test_n_counts_articles_across_formats(tmp_path: Path, n: int) -> None:
    paths = generate_sample(n, tmp_path, seed=0)
    assert sum(_count_articles(paths).values()) == n
    assert paths == sorted(paths)


def test_every_format_is_present(small: tuple[Path, list[Path]]) -> None:
    assert set(_count_articles(small[1])) == set(FORMATS)


@pytest.mark.parametrize("formats", [("txt",), ("jsonl",), ("csv", "html"), ("html", "txt", "jsonl")])
def test_only_requested_formats_are_written(tmp_path: Path, formats: tuple[str, ...]) -> None:
    paths = generate_sample(40, tmp_path, seed=0, formats=formats)
    counts = _count_articles(paths)
    assert set(counts) <= set(formats) and sum(counts.values()) == 40


def test_records_are_split_into_files_of_at_most_500(tmp_path: Path) -> None:
    paths = generate_sample(1100, tmp_path, seed=0, formats=("jsonl",))
    sizes = [len(p.read_text(encoding="utf-8").splitlines()) for p in paths]
    assert sizes == [500, 500, 100]


def test_pages_are_spread_over_sub_folders(tmp_path: Path) -> None:
    paths = generate_sample(25, tmp_path, seed=0, formats=("txt",), per_folder=10)
    assert sorted(Counter(p.parent.name for p in paths).values()) == [5, 10, 10]


# --- content ------------------------------------------------------------------


def test_txt_dumps_have_the_seed_block_shape(small: tuple[Path, list[Path]]) -> None:
    txts = [p for p in small[1] if p.suffix == ".txt" and "bad" not in p.parts]
    assert len(txts) > 100
    for p in txts:
        blocks = _blocks(p)
        assert blocks[0] in SITES, p
        assert any(DATE_LINE.match(b) for b in blocks), f"no date line in {p.name}"
        assert sum(1 for b in blocks if len(b) > 150 and b.count(". ") >= 1) >= 5, p


def test_every_outlet_style_is_used(small: tuple[Path, list[Path]]) -> None:
    sites = {_blocks(p)[0] for p in small[1] if p.suffix == ".txt" and "bad" not in p.parts}
    assert sites == SITES


def test_boilerplate_recurs_within_a_site(small: tuple[Path, list[Path]]) -> None:
    by_site: dict[str, list[set[str]]] = {}
    for p in small[1]:
        if p.suffix == ".txt" and "bad" not in p.parts:
            blocks = _blocks(p)
            by_site.setdefault(blocks[0], []).append(set(blocks))
    for site, pages in by_site.items():
        if len(pages) >= 3:
            assert len(set.intersection(*pages)) >= 3, site


def test_articles_average_about_600_words_with_varied_vocabulary(small: tuple[Path, list[Path]]) -> None:
    jsonl = [p for p in small[1] if p.suffix == ".jsonl" and "bad" not in p.parts]
    bodies = [json.loads(line)["body"] for p in jsonl for line in p.read_text(encoding="utf-8").splitlines()]
    words = [len(b.split()) for b in bodies]
    assert 450 <= sum(words) / len(words) <= 750
    vocabulary = {w.lower().strip(".,;:\u201c\u201d") for b in bodies for w in b.split()}
    assert len(vocabulary) > 900


def _payloads(paths: list[Path]) -> list[str]:
    """One string per generated article: a page's text, a JSON line, or a CSV row joined by tabs."""
    out = []
    for p in paths:
        if "bad" in p.parts:
            continue
        if p.suffix == ".jsonl":
            out += [line for line in p.read_text(encoding="utf-8").splitlines() if line]
        elif p.suffix == ".csv":
            with p.open(encoding="utf-8", newline="") as fh:
                out += ["\t".join(row.values()) for row in csv.DictReader(fh)]
        else:
            out.append(p.read_text(encoding="utf-8"))
    return out


def test_near_and_exact_duplicates_are_present(small: tuple[Path, list[Path]]) -> None:
    payloads = _payloads(small[1])
    copies = sum(c - 1 for c in Counter(payloads).values())
    assert 1 <= copies <= len(payloads) * 0.03, "exact duplicates should be about 1 per cent"
    owners: dict[str, set[int]] = {}
    for k, text in enumerate(dict.fromkeys(payloads)):
        for block in re.split(r"\n\n|\\n\\n|<p>", text):
            if len(block) > 200:
                owners.setdefault(block, set()).add(k)
    shared = {frozenset(ks) for ks in owners.values() if len(ks) > 1}
    assert 2 <= len(shared) <= len(payloads) * 0.08, "near duplicates should be a few per cent"


def test_html_pages_carry_meta_tags_and_article_paragraphs(small: tuple[Path, list[Path]]) -> None:
    page = next(p for p in small[1] if p.suffix == ".html").read_text(encoding="utf-8")
    for needle in ('property="og:title"', 'property="article:published_time"', 'name="author"',
                   'property="og:site_name"', 'name="keywords"', "<article>", "<nav>", "<footer>"):
        assert needle in page
    assert page.count("<p>") >= 8


def test_bad_inputs_are_written_apart_and_are_unusable(small: tuple[Path, list[Path]]) -> None:
    bad = {p.name: p.read_bytes() for p in small[1] if "bad" in p.parts}
    assert bad["empty_dump.txt"] == b""
    assert b"\x00" in bad["scan_attachment.txt"]
    with pytest.raises(json.JSONDecodeError):
        json.loads(bad["export_truncated.jsonl"])


def test_generation_is_fast(tmp_path: Path) -> None:
    start = time.perf_counter()
    generate_sample(200, tmp_path, seed=9)
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize(
    ("n", "options", "message"),
    [
        (-1, {}, "n must be"),
        (2.5, {}, "n must be"),
        (10, {"formats": ("pdf",)}, "formats must be"),
        (10, {"formats": ()}, "formats must be"),
        (10, {"formats": "txt"}, "formats must be"),
        (10, {"per_folder": 0}, "per_folder"),
    ],
)
def test_bad_options_raise_parameter_error(tmp_path: Path, n: object, options: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        generate_sample(n, tmp_path, **options)  # type: ignore[arg-type]


def test_empty_date_span_raises_parameter_error(tmp_path: Path) -> None:
    from datetime import date

    with pytest.raises(ParameterError, match="date span is empty"):
        generate_sample(5, tmp_path, start=date(2025, 4, 1), end=date(2025, 3, 1))


# --- the hand-written corpus in data/raw ---------------------------------------


def _raw_articles() -> Counter:
    counts: Counter = Counter()
    for p in RAW.iterdir():
        if p.suffix == ".zip":
            with zipfile.ZipFile(p) as z:
                counts["zip"] += len([n for n in z.namelist() if n.endswith(".txt")])
        elif p.name == "nexis_export.txt":
            counts["nexis"] += len(re.findall(r"^\s+\d+ of \d+ DOCUMENTS$", p.read_text(encoding="utf-8"), re.M))
        elif p.suffix in (".txt", ".html"):
            counts[p.suffix] += 1
        elif p.suffix in (".jsonl", ".csv"):
            counts[p.suffix] += len(_raw_records(p))
    return counts


def _raw_records(p: Path) -> list[dict]:
    if p.suffix == ".jsonl":
        return [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    with p.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_raw_corpus_has_40_to_50_articles_in_every_format() -> None:
    counts = _raw_articles()
    assert 40 <= sum(counts.values()) <= 50
    assert counts[".txt"] >= 25 and counts[".html"] == 2 and counts["nexis"] == 3 and counts["zip"] >= 2
    assert 6 <= counts[".jsonl"] <= 8 and 5 <= counts[".csv"] <= 6


def test_raw_corpus_stays_small() -> None:
    assert sum(p.stat().st_size for p in RAW.iterdir()) < 1_000_000


@pytest.mark.parametrize("key", ["headline", "body", "publish_date", "site", "url", "byline", "tags"])
def test_raw_jsonl_records_have_the_export_keys(key: str) -> None:
    records = _raw_records(next(RAW.glob("*.jsonl")))
    assert all(r.get(key) for r in records)


def test_raw_txt_dumps_start_with_a_site_and_hold_roughly_250_to_700_body_words() -> None:
    for p in RAW.glob("*.txt"):
        if p.name == "nexis_export.txt":
            continue
        text = p.read_bytes().decode("utf-8" if b"\r\n" not in p.read_bytes() else "cp1252").replace("\r\n", "\n")
        blocks = text.split("\n\n")
        assert blocks[0] in SITES, p.name
        body = [b for b in blocks if len(b.split()) >= 15]  # paragraphs, plus a few long boilerplate lines
        assert 240 <= sum(len(b.split()) for b in body) <= 850, p.name


def test_raw_corpus_has_an_exact_duplicate_file() -> None:
    sizes = Counter(p.read_bytes() for p in RAW.glob("*.txt"))
    assert max(sizes.values()) == 2


def test_raw_zip_is_deterministic() -> None:
    with zipfile.ZipFile(next(RAW.glob("*.zip"))) as z:
        infos = z.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(2025, 4, 26, 9, 0, 0)}


def test_raw_text_is_not_copied_from_shared() -> None:
    shared = Path(__file__).resolve().parents[1].parent / "shared"
    if not shared.is_dir():
        pytest.skip("../shared is absent, so the corpus cannot be compared with it")
    runs = set()
    for f in [*shared.glob("seeds/*.txt"), *shared.glob("data/**/*.txt"), *shared.glob("data/**/*.jsonl")]:
        for line in f.read_text(encoding="utf-8", errors="replace").splitlines():
            for piece in line.split("\t"):
                piece = " ".join(piece.split())
                if len(piece) >= 70:
                    runs.add(piece[:70])
    for p in RAW.iterdir():
        if p.suffix == ".zip":
            continue
        for line in p.read_text(encoding="utf-8", errors="replace").splitlines():
            norm = " ".join(line.split())
            assert not any(norm[i:i + 70] in runs for i in range(0, max(1, len(norm) - 69), 10)), p.name
