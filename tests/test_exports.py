"""News-database exports: layout detection, splitting into documents, field mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from mediawork.exports import detect_export, parse_export

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"


def _read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("   1 of 2 DOCUMENTS\n\nThe Daily\n\nMarch 18, 2025 Tuesday\n", "lexis"),
        ("Talks resume\n\nThe Daily\nMarch 18, 2025\n\nBody\n\nEnvoys met.\n\nEnd of Document\n", "nexis_uni"),
        ("HD Talks resume\nLP\nEnvoys met.\nAN Document DAILY00020250318\n", "factiva"),
        ("HD\nTalks resume\nLP\nEnvoys met.\nDocument DAILY00020250318\n", "factiva"),
        ("daily.example\n\nTalks resume\n\nEnvoys met on Tuesday.\n", None),
        ("The envoy read 1 of 3 documents aloud.\n", None),
    ],
)
def test_detect_export(text: str, expected: str | None) -> None:
    assert detect_export(text) == expected


@pytest.mark.parametrize(
    ("file", "kind", "announced", "titles"),
    [
        (
            "nexis_classic.txt",
            "lexis",
            3,
            [
                "Kyiv signs on to month-long truce plan after Jeddah meeting",
                "Putin backs the idea of a pause but lists conditions",
                "Leaders agree to halt strikes on power plants for 30 days",
            ],
        ),
        (
            "nexis_uni.txt",
            "nexis_uni",
            2,
            ["Delegations gather in Riyadh for talks on the Black Sea", "White House announces deal on safe navigation"],
        ),
        (
            "factiva.txt",
            "factiva",
            2,
            ["Envoy says a full truce could follow within weeks", "Moscow says sanctions must be eased before shipping deal starts"],
        ),
    ],
)
def test_fixture_exports_split_into_titled_documents(file: str, kind: str, announced: int, titles: list[str]) -> None:
    export = parse_export(_read(file))
    assert export.kind == kind
    assert export.announced == announced
    assert [d.fields["title"] for d in export.documents] == titles


@pytest.mark.parametrize(
    ("file", "index", "expected"),
    [
        ("nexis_classic.txt", 0, {"source": "The Northern Ledger", "published": "March 12, 2025", "authors": "Marta Kovalenko and Peter Lindqvist", "dateline": "JEDDAH, Saudi Arabia", "language": "en"}),
        ("nexis_classic.txt", 1, {"source": "Baltic Evening Wire", "published": "March 14, 2025", "authors": "Ilse Marquardt"}),
        ("nexis_uni.txt", 0, {"source": "Lakeside Courier", "published": "March 24, 2025 6:30 PM GMT", "authors": "Anna Sorensen", "dateline": "RIYADH"}),
        ("nexis_uni.txt", 1, {"source": "Prairie Morning Journal", "published": "March 26, 2025", "authors": "Joel Whitaker", "language": "en"}),
        ("factiva.txt", 0, {"source": "Coastal Gazette", "published": "16 March 2025 14:05", "authors": "Clara Mendes", "language": "en"}),
        ("factiva.txt", 1, {"source": "Danube Daily Report", "published": "26 March 2025", "authors": "Rafael Ortiz"}),
    ],
)
def test_fields_are_mapped_to_ours(file: str, index: int, expected: dict[str, str]) -> None:
    fields = parse_export(_read(file)).documents[index].fields
    assert {k: fields.get(k) for k in expected} == expected


@pytest.mark.parametrize("file", ["nexis_classic.txt", "nexis_uni.txt", "factiva.txt"])
def test_text_has_joined_paragraphs_and_no_field_or_copyright_lines(file: str) -> None:
    for doc in parse_export(_read(file)).documents:
        text = doc.fields["text"]
        paragraphs = text.split("\n\n")
        assert len(paragraphs) >= 2
        assert all("\n" not in p and p == p.strip() for p in paragraphs)
        for marker in ("LOAD-DATE", "Load-Date", "LENGTH:", "Length:", "SECTION", "Copyright", "(c) 2025", "WC ", "Document ", "ukrn :", "Body"):
            assert marker not in text, (marker, text)


def test_first_nexis_uni_document_drops_the_cover_page() -> None:
    first = parse_export(_read("nexis_uni.txt")).documents[0]
    assert "Job Number" not in first.raw and "Search Terms" not in first.raw
    assert first.raw.startswith("Delegations gather in Riyadh")


def test_factiva_keeps_a_capitalised_body_line_that_looks_like_a_code() -> None:
    text = parse_export(_read("factiva.txt")).documents[0].fields["text"]
    assert text.endswith("IN RE: many readers asked about the envoy's schedule.")


@pytest.mark.parametrize(
    ("text", "announced", "found"),
    [
        # Lexis: the count comes from "N of M DOCUMENTS".
        ("1 of 3 DOCUMENTS\n\nDaily\n\nMarch 1, 2025\n\nHEADLINE: A\n\nBODY:\n\nOne.\n\n"
         "2 of 3 DOCUMENTS\n\nDaily\n\nMarch 2, 2025\n\nHEADLINE: B\n\nBODY:\n\nTwo.\n", 3, 2),
        # Nexis Uni with a "3 documents" cover line.
        ("3 documents\n\nA\n\nDaily\nMarch 1, 2025\n\nBody\n\nOne.\n\nEnd of Document\n", 3, 1),
        # Factiva without a summary announces nothing.
        ("HD A\nLP\nOne.\nAN Document DAILY00020250301\n", None, 1),
    ],
)
def test_announced_count_is_read(text: str, announced: int | None, found: int) -> None:
    export = parse_export(text)
    assert (export.announced, len(export.documents)) == (announced, found)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("The Kyiv-\nbased team said\nit would wait.", "The Kyiv-based team said it would wait."),
        ("A pause -\nthe envoy said -\nwas close.", "A pause - the envoy said - was close."),
        ("  Indented   lines\n   are joined.", "Indented lines are joined."),
    ],
)
def test_hard_wrapped_lines_are_joined(body: str, expected: str) -> None:
    text = f"1 of 1 DOCUMENTS\n\nDaily\n\nMarch 1, 2025 Saturday\n\nHEADLINE: T\n\nBODY:\n\n{body}\n\nLOAD-DATE: March 2, 2025\n"
    assert parse_export(text).documents[0].fields["text"] == expected


def test_lexis_document_without_body_has_no_text() -> None:
    export = parse_export("1 of 1 DOCUMENTS\n\nDaily\n\nMarch 1, 2025\n\nHEADLINE: Only a title\n\nLOAD-DATE: March 2, 2025\n")
    assert "text" not in export.documents[0].fields
    assert export.documents[0].fields["title"] == "Only a title"


def test_parse_export_refuses_plain_text() -> None:
    with pytest.raises(ValueError, match="detect_export"):
        parse_export("Just one article about the talks.\n")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("1 of 2 DoCuMeNtS\n\nThe Daily\n", "lexis"),
        ("Some story.\n\n  end of document  \n", "nexis_uni"),
        ("A story about a documentary.\n", None),
        ("No marker here at all.\n", None),
    ],
)
def test_detect_export_in_any_case(text, kind):
    assert detect_export(text) == kind
