"""Readers: files → units. Formats, encodings, rejections, archives with limits, order."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediawork.errors import InputError
from mediawork.readers import FIELD_ALIASES, decode_bytes, iter_units, map_fields
from mediawork.units import RECORD_FIELDS, Unit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

BODY = "Envoys met in Riyadh on Monday to discuss shipping in the Black Sea."


def _units(root: Path, *paths: Path, **options) -> list[Unit]:
    return list(iter_units(list(paths) or [root], root=root, **options))


def _one(tmp_path: Path, name: str, data: bytes | str, **options) -> list[Unit]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return _units(tmp_path, path, **options)


def _kinds(units: list[Unit]) -> list[tuple[str, str]]:
    return [(u.source_file, u.kind) for u in units]


def _zip(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- the fixtures: one per format -------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("dump.txt", [("dump.txt", "dump")]),
        ("page.html", [("page.html", "record")]),
        ("articles.json", [("articles.json", "container"), ("articles.json#1", "record"), ("articles.json#2", "record")]),
        (
            "articles.jsonl",
            [("articles.jsonl", "container"), ("articles.jsonl#1", "record"), ("articles.jsonl#3", "record"),
             ("articles.jsonl#4", "rejected"), ("articles.jsonl#5", "rejected")],
        ),
        ("articles.csv", [("articles.csv", "container"), ("articles.csv#1", "record"), ("articles.csv#2", "record")]),
        ("nexis_classic.txt", [("nexis_classic.txt", "container")] + [(f"nexis_classic.txt#{i}", "record") for i in (1, 2, 3)]),
        ("nexis_uni.txt", [("nexis_uni.txt", "container"), ("nexis_uni.txt#1", "record"), ("nexis_uni.txt#2", "record")]),
        ("factiva.txt", [("factiva.txt", "container"), ("factiva.txt#1", "record"), ("factiva.txt#2", "record")]),
    ],
)
def test_each_fixture_format_gives_the_expected_units(file: str, expected: list[tuple[str, str]]) -> None:
    units = _units(FIXTURES, FIXTURES / file)
    assert _kinds(units) == expected
    assert all(u.note is None for u in units)  # notes are kept for things worth recording


@pytest.mark.parametrize(
    ("unit_name", "expected"),
    [
        ("articles.json#1", {"title": "Rubio says the ball is now in Moscow's court", "source": "Meridian Times",
                             "published": "2025-03-12T06:15:00Z", "authors": "Lena Hoffmann",
                             "url": "https://meridian.example/world/2025/03/12/rubio-ball-moscow"}),
        ("articles.jsonl#1", {"title": "Zelensky and Trump hold an hour-long call", "source": "eastbridge.example",
                              "authors": "Olena Marchuk", "tags": ["Ukraine", "United States"]}),
        ("articles.jsonl#3", {"title": "Black Sea talks continue into a second day", "published": "2025-03-25",
                              "tags": ["Ukraine", "Russia", "shipping"]}),
        ("articles.csv#1", {"title": "Europe weighs a peacekeeping force", "published": "2025-03-15", "authors": "Hanna Weiss",
                            "text": "Several European governments discussed sending troops to Ukraine once a truce holds.\n\n"
                                    "Russia said it would not accept such a force."}),
        ("page.html", {"title": "Ukraine accepts truce proposal after talks in Jeddah", "source": "Riverside Observer",
                       "authors": "Nora Castellanos", "language": "en", "tags": ["Ukraine", "Russia", "Diplomacy"],
                       "url": "https://riverside-observer.example/world/ukraine-truce-jeddah",
                       "summary": "Kyiv agrees to a 30-day pause in fighting if Moscow does the same."}),
        ("nexis_classic.txt#3", {"title": "Leaders agree to halt strikes on power plants for 30 days", "source": "Harbour City Post",
                                 "dateline": "WASHINGTON", "published": "March 19, 2025"}),
    ],
)
def test_record_fields(unit_name: str, expected: dict) -> None:
    units = {u.source_file: u for u in _units(FIXTURES)}
    fields = units[unit_name].fields
    assert {k: fields.get(k) for k in expected} == expected
    assert set(fields) <= set(RECORD_FIELDS)


def test_html_text_has_paragraphs_without_title_or_navigation() -> None:
    (unit,) = _units(FIXTURES, FIXTURES / "page.html")
    paragraphs = unit.fields["text"].split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("Ukraine said on Tuesday evening")
    assert "Subscribe" not in unit.fields["text"] and "property of" not in unit.fields["text"]
    assert unit.fields["published"].startswith("2025-03-11")


def test_dump_unit_carries_the_decoded_text() -> None:
    (unit,) = _units(FIXTURES, FIXTURES / "dump.txt")
    data = (FIXTURES / "dump.txt").read_bytes()
    assert unit.text == data.decode("utf-8")
    assert (unit.sha256, unit.n_bytes) == (_sha(data), len(data))


def test_real_seed_dump_is_one_dump_unit() -> None:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"../shared/seeds not found at {seeds}: the real-dump check needs the shared development folder")
    units = _units(seeds)
    assert units and all(u.kind == "dump" for u in units)
    assert all("\r" not in u.text for u in units)


# --- decode_bytes --------------------------------------------------------------------------------

TEXT = "Zelenskyy’s “cease-fire” plan — café in Genève\nsecond line"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TEXT.encode("utf-8"), TEXT),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), TEXT),
        (TEXT.encode("utf-16"), TEXT),
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), TEXT),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), TEXT),
        (TEXT.encode("utf-16-le"), TEXT),
        (TEXT.encode("utf-16-be"), TEXT),
        (TEXT.encode("cp1252"), TEXT),
        ("Ça a été très réussi à Genève, dit-il.".encode("latin-1"), "Ça a été très réussi à Genève, dit-il."),
        ("Zelenskyy’s".encode("utf-8").decode("cp1252").encode("utf-8"), "Zelenskyy’s"),
        ("Kremlin’s ‘root causes’ – “talks".encode("utf-8").decode("cp1252").encode("utf-8"), "Kremlin’s ‘root causes’ – “talks"),
        (b"one\r\ntwo\rthree\n", "one\ntwo\nthree\n"),
        ("Kyi\u0308v cafe\u0301".encode("utf-8"), "Kyïv café"),
        ("Переговоры в Эр-Рияде продолжаются, сообщили в Киеве.".encode("cp1251"),
         "Переговоры в Эр-Рияде продолжаются, сообщили в Киеве."),
        (b"", ""),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "cp1252", "latin1",
         "mojibake", "mojibake-quotes", "line-ends", "nfc", "cp1251", "empty"],
)
def test_decode_bytes(data: bytes, expected: str) -> None:
    assert decode_bytes(data) == expected


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary file"),
        (bytes(range(256)) * 4, "binary file"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08" * 20 + b"text", "binary file"),
        (b"\x81\x8d\x8f\x90\x9d" * 5, "undecodable text"),
    ],
)
def test_decode_bytes_refuses(data: bytes, match: str) -> None:
    with pytest.raises(InputError, match=match):
        decode_bytes(data)


# --- map_fields ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"publishDate": "2025-03-18"}, {"published": "2025-03-18"}),
        ({"publish_date": "2025-03-18"}, {"published": "2025-03-18"}),
        ({"Publish Date": "2025-03-18"}, {"published": "2025-03-18"}),
        ({"HEADLINE": "T", "Article-Text": "B"}, {"title": "T", "text": "B"}),
        ({"hed": "T", "dek": "D", "story": "B"}, {"title": "T", "summary": "D", "text": "B"}),
        ({"source": {"id": None, "name": "Daily"}}, {"source": "Daily"}),
        ({"syndicated_from": "Wire"}, {"outlet": "Wire"}),
        ({"permalink": "https://x.example/a"}, {"url": "https://x.example/a"}),
        ({"byline": "By A and B"}, {"authors": "By A and B"}),
        ({"authors": [{"name": "A"}, {"name": "B"}]}, {"authors": ["A", "B"]}),
        ({"keywords": "Ukraine; Russia, talks"}, {"tags": ["Ukraine", "Russia", "talks"]}),
        ({"categories": ["Ukraine", "World"]}, {"tags": ["Ukraine", "World"]}),
        ({"lang": "en", "dateline": "KYIV"}, {"language": "en", "dateline": "KYIV"}),
        ({"text": "", "body": "B"}, {"text": "B"}),
        ({"body": "B", "text": "A"}, {"text": "A"}),
        ({"content": ["P1", "P2"]}, {"text": "P1\n\nP2"}),
        ({"timestamp": 1742299200}, {"published": "2025-03-18T12:00:00+00:00"}),
        ({"timestamp": 1742299200000}, {"published": "2025-03-18T12:00:00+00:00"}),
        ({"unrelated": "x", "views": 12}, {}),
    ],
)
def test_map_fields(record: dict, expected: dict) -> None:
    assert map_fields(record) == expected


def test_map_fields_does_not_change_its_input() -> None:
    record = {"Headline": " T ", "keywords": "a, b", "source": {"name": "Daily"}}
    copy = json.loads(json.dumps(record))
    map_fields(record)
    assert record == copy


def test_field_alias_table_covers_exactly_the_record_fields() -> None:
    assert set(FIELD_ALIASES) == set(RECORD_FIELDS)


# --- JSON, JSONL, CSV details ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (json.dumps({"title": "T", "body": BODY}), [("a.json", "record")]),
        (json.dumps([{"body": BODY}, {"body": BODY + " Again."}]), [("a.json", "container"), ("a.json#1", "record"), ("a.json#2", "record")]),
        (json.dumps({"response": {"docs": [{"body": BODY}]}}), [("a.json", "container"), ("a.json#1", "record")]),
        (json.dumps([{"body": BODY}, "stray"]), [("a.json", "container"), ("a.json#1", "record"), ("a.json#2", "rejected")]),
        (json.dumps({"body": BODY}) + "\n" + json.dumps({"body": BODY + "!"}) + "\n", [("a.json", "container"), ("a.json#1", "record"), ("a.json#2", "record")]),
    ],
    ids=["single-record", "array", "nested-list", "non-object-item", "jsonl-named-json"],
)
def test_json_shapes(tmp_path: Path, data: str, expected: list) -> None:
    assert _kinds(_one(tmp_path, "a.json", data)) == expected


def test_truncated_json_array_is_rejected_with_position_and_keeps_whole_records(tmp_path: Path) -> None:
    data = json.dumps([{"body": BODY}, {"body": BODY + " Two."}, {"body": BODY + " Three."}])[:-30]
    units = _one(tmp_path, "cut.json", data)
    assert _kinds(units) == [("cut.json", "rejected"), ("cut.json#1", "record"), ("cut.json#2", "record")]
    assert "invalid JSON at line 1 column" in units[0].reason
    assert "kept the 2 complete records" in units[0].reason


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ('{"title": "T", "body": "Envoys', "invalid JSON at line 1 column"),
        ('{"title": "T",\n "body": }', "invalid JSON at line 2 column"),
        ("[]", "holds no records"),
        ('"just a string"', "holds a JSON string; expected an object or an array"),
        ('{"articles": []}', "JSON object's 'articles' list is empty"),
        ('{"title": "No body", "views": 3}', "JSON object holds no article"),
    ],
)
def test_unusable_json_is_rejected(tmp_path: Path, data: str, match: str) -> None:
    (unit,) = _one(tmp_path, "bad.json", data)
    assert unit.kind == "rejected"
    assert match in unit.reason


def test_jsonl_record_unit_is_identified_by_its_line(tmp_path: Path) -> None:
    line = json.dumps({"headline": "T", "body": BODY})
    units = _one(tmp_path, "a.jsonl", "\n\n" + line + "\n")
    assert _kinds(units) == [("a.jsonl", "container"), ("a.jsonl#3", "record")]
    assert (units[1].sha256, units[1].n_bytes) == (_sha(line.encode()), len(line.encode()))


@pytest.mark.parametrize(
    ("line", "match"),
    [
        ('{"body": "cut', "line 1 is not valid JSON"),
        ("[1, 2]", "line 1 holds a JSON array; expected an object"),
        ('{"headline": "T"}', "record has no text field; looked for text, body, content"),
        ('{"body": "   "}', "record's text field 'body' is empty"),
        ('{"body": {"p": 1}}', "record's text is a JSON object; expected a string"),
    ],
)
def test_jsonl_bad_lines_are_rejected_and_good_lines_kept(tmp_path: Path, line: str, match: str) -> None:
    good = json.dumps({"body": BODY})
    units = _one(tmp_path, "a.ndjson", f"{line}\n{good}\n{good}\n")
    by_name = {u.source_file: u for u in units}
    assert by_name["a.ndjson#1"].kind == "rejected" and match in by_name["a.ndjson#1"].reason
    assert by_name["a.ndjson#2"].kind == by_name["a.ndjson#3"].kind == "record"


def test_mojibake_hidden_in_json_escapes_is_repaired(tmp_path: Path) -> None:
    broken = "Zelenskyy’s offer".encode("utf-8").decode("cp1252")
    (unit,) = _one(tmp_path, "a.json", json.dumps({"title": broken, "body": BODY}))
    assert unit.fields["title"] == "Zelenskyy’s offer"


@pytest.mark.parametrize(
    ("name", "data", "titles"),
    [
        ("a.csv", "Headline;Body\nT1;One text.\nT2;Two text.\n", ["T1", "T2"]),
        ("a.tsv", "title\tbody\nT1\tOne, with a comma.\n", ["T1"]),
        ("a.csv", 'title,body\nT1,"Line one\n\nline two, quoted"\n', ["T1"]),
        ("a.csv", "title|story\nT1|One.\n\nT3|Three.\n", ["T1", "T3"]),
    ],
    ids=["semicolon", "tsv", "multiline-quoted", "pipe-blank-row"],
)
def test_csv_variants(tmp_path: Path, name: str, data: str, titles: list[str]) -> None:
    units = _one(tmp_path, name, data)
    assert units[0].kind == "container"
    assert [u.fields["title"] for u in units[1:]] == titles


def test_csv_row_numbers_and_encoding(tmp_path: Path) -> None:
    data = "title,body\nCafé talks,“Quoted” text.\n,\nSecond,Text two.\n".encode("cp1252")
    units = _one(tmp_path, "a.csv", data)
    assert _kinds(units)[1:] == [("a.csv#1", "record"), ("a.csv#3", "record")]
    assert units[1].fields == {"title": "Café talks", "text": "“Quoted” text."}


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ("title,date\nT,2025-03-18\n", "CSV header has no text column; looked for text, body"),
        ("title,body\n", "CSV file has a header but no data rows"),
    ],
)
def test_unusable_csv_is_rejected(tmp_path: Path, data: str, match: str) -> None:
    (unit,) = _one(tmp_path, "a.csv", data)
    assert unit.kind == "rejected" and match in unit.reason


def test_csv_row_with_too_many_values_is_rejected(tmp_path: Path) -> None:
    units = _one(tmp_path, "a.csv", "title,body\nT,B,extra,more\nT2,Fine.\n")
    assert units[1].kind == "rejected" and "row 1 has 4 values but the header has 2 columns" in units[1].reason
    assert units[2].kind == "record"


# --- exports through iter_units -------------------------------------------------------------------


def test_export_count_mismatch_is_noted_on_the_container(tmp_path: Path) -> None:
    text = (FIXTURES / "nexis_classic.txt").read_text(encoding="utf-8")
    text = text[: text.index("3 of 3 DOCUMENTS")]
    units = _one(tmp_path, "nexis.txt", text)
    assert units[0].kind == "container"
    assert units[0].note == "export announces 3 documents, found 2"
    assert [u.source_file for u in units[1:]] == ["nexis.txt#1", "nexis.txt#2"]


def test_export_document_without_body_is_rejected(tmp_path: Path) -> None:
    text = "1 of 1 DOCUMENTS\n\nDaily\n\nMarch 1, 2025\n\nHEADLINE: Only a title\n\nLOAD-DATE: March 2, 2025\n"
    units = _one(tmp_path, "lexis.txt", text)
    assert units[1].kind == "rejected" and "has no body text" in units[1].reason


def test_html_page_saved_as_txt_is_read_as_html(tmp_path: Path) -> None:
    (unit,) = _one(tmp_path, "page.txt", (FIXTURES / "page.html").read_bytes())
    assert unit.kind == "record" and unit.fields["source"] == "Riverside Observer"


# --- rejections ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "match"),
    [
        ("empty.txt", b"", "empty file (0 bytes)"),
        ("blank.txt", b" \n\t\r\n ", "file holds only whitespace"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary file"),
        ("odd.txt", b"\x81\x8d\x8f\x90\x9d" * 5, "undecodable text"),
        ("report.pdf", b"%PDF-1.7 ...", "unsupported file type '.pdf'; supported: .csv, .gz"),
        ("notes.docx", b"PK\x03\x04", "unsupported file type '.docx'"),
        ("photo.png", b"\x89PNG", "unsupported file type '.png'"),
        ("page.html", b"<html><body><nav>Home</nav></body></html>", "no article text found in HTML page"),
        ("broken.zip", b"PK\x03\x04 this is not really an archive", "corrupt zip archive"),
        ("broken.jsonl.gz", b"\x1f\x8b\x08\x00 damaged", "corrupt gzip data"),
        ("cut.json", b'[{"body": "Envoys', "invalid JSON at line 1 column"),
    ],
)
def test_rejections(tmp_path: Path, name: str, data: bytes, match: str) -> None:
    (unit,) = _one(tmp_path, name, data)
    assert unit.kind == "rejected"
    assert match in unit.reason
    assert unit.source_file == name


def test_symlink_pointing_outside_root_is_rejected(tmp_path: Path) -> None:
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    raw.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("private notes\n")
    (raw / "inside.txt").write_text(BODY)
    (raw / "link.txt").symlink_to(outside / "secret.txt")
    (raw / "link_dir").symlink_to(outside)
    (raw / "good_link.txt").symlink_to(raw / "inside.txt")
    units = {u.source_file: u for u in _units(raw)}
    assert units["link.txt"].kind == "rejected"
    assert units["link.txt"].reason.startswith(f"link points outside the raw folder: {outside / 'secret.txt'}")
    assert units["link_dir"].kind == "rejected" and "outside the raw folder" in units["link_dir"].reason
    assert units["good_link.txt"].kind == "dump"


def test_unreadable_file_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(BODY)
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    (unit,) = _units(tmp_path)
    assert unit.kind == "rejected" and "permission denied" in unit.reason


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file_is_rejected_by_mode(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(BODY)
    path.chmod(0)
    try:
        (unit,) = _units(tmp_path)
    finally:
        path.chmod(0o644)
    assert unit.kind == "rejected" and "permission denied" in unit.reason


def test_missing_path_is_rejected(tmp_path: Path) -> None:
    (unit,) = _units(tmp_path, tmp_path / "gone.txt")
    assert unit.kind == "rejected" and unit.reason.startswith("file not found")


# --- archives ---------------------------------------------------------------------------------------


def test_zip_members_and_their_records(tmp_path: Path) -> None:
    lines = "\n".join(json.dumps({"body": f"{BODY} {i}"}) for i in range(3))
    data = _zip({"dir/b.txt": BODY.encode(), "dir/a.jsonl": lines.encode(), "a.csv": f"title,body\nT,{BODY}\n".encode(),
                 "dir/": b"", ".DS_Store": b"\x00\x01", "__MACOSX/dir/._b.txt": b"\x00"})
    units = _one(tmp_path, "archive.zip", data)
    assert _kinds(units) == [
        ("archive.zip", "container"),
        ("archive.zip!a.csv", "container"),
        ("archive.zip!a.csv#1", "record"),
        ("archive.zip!dir/a.jsonl", "container"),
        ("archive.zip!dir/a.jsonl#1", "record"),
        ("archive.zip!dir/a.jsonl#2", "record"),
        ("archive.zip!dir/a.jsonl#3", "record"),
        ("archive.zip!dir/b.txt", "dump"),
    ]
    assert units[-1].sha256 == _sha(BODY.encode())


def test_gz_is_read_as_its_inner_name(tmp_path: Path) -> None:
    lines = "\n".join(json.dumps({"body": f"{BODY} {i}"}) for i in range(3))
    data = gzip.compress(lines.encode(), mtime=0)
    units = _one(tmp_path, "x.jsonl.gz", data)
    assert _kinds(units) == [("x.jsonl.gz", "container"), ("x.jsonl.gz#1", "record"), ("x.jsonl.gz#2", "record"), ("x.jsonl.gz#3", "record")]
    assert units[0].sha256 == _sha(data)


def test_zip_bomb_member_is_rejected_without_expanding(tmp_path: Path) -> None:
    data = _zip({"bomb.txt": b"0" * 5_000_000, "ok.txt": BODY.encode()})
    assert len(data) < 50_000
    units = {u.source_file: u for u in _one(tmp_path, "bomb.zip", data, max_member_bytes=100_000)}
    assert units["bomb.zip!bomb.txt"].kind == "rejected"
    assert "expands beyond 100000 bytes" in units["bomb.zip!bomb.txt"].reason
    assert units["bomb.zip!ok.txt"].kind == "dump"


def test_zip_member_with_a_lying_size_header_is_not_trusted(tmp_path: Path) -> None:
    data = bytearray(_zip({"bomb.txt": b"0" * 5_000_000}))
    at = data.rfind(b"PK\x01\x02")
    data[at + 24 : at + 28] = (100).to_bytes(4, "little")  # central directory: "uncompressed size 100"
    units = _one(tmp_path, "liar.zip", bytes(data), max_member_bytes=1_000)
    assert units[1].kind == "rejected"
    assert units[1].n_bytes == 0


def test_gz_bomb_is_rejected(tmp_path: Path) -> None:
    data = gzip.compress(b"0" * 5_000_000, mtime=0)
    (unit,) = _one(tmp_path, "bomb.txt.gz", data, max_member_bytes=100_000)
    assert unit.kind == "rejected" and "expands beyond 100000 bytes" in unit.reason


def test_zip_members_together_beyond_the_total_cap_are_rejected(tmp_path: Path) -> None:
    data = _zip({f"{i}.txt": (f"{BODY} {i} " * 2000).encode() for i in range(3)})
    size = len((f"{BODY} 0 " * 2000).encode())
    units = _one(tmp_path, "many.zip", data, max_total_bytes=2 * size + 10)
    assert [u.kind for u in units] == ["container", "dump", "dump", "rejected"]
    assert "archive members together expand beyond" in units[-1].reason


@pytest.mark.parametrize("member", ["../escape.txt", "dir/../../escape.txt", "/etc/escape.txt", "C:/escape.txt", "..\\escape.txt"])
def test_member_path_leaving_the_archive_is_rejected(tmp_path: Path, member: str) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo(member), BODY)
    units = _one(tmp_path, "evil.zip", buffer.getvalue())
    assert units[0].kind == "container"
    assert units[1].kind == "rejected" and units[1].reason.startswith("path leaves the archive folder")
    assert not (tmp_path.parent / "escape.txt").exists()


def test_nested_archive_one_level_is_read_and_deeper_is_rejected(tmp_path: Path) -> None:
    inner = _zip({"c.txt": BODY.encode(), "deeper.zip": _zip({"d.txt": BODY.encode()})})
    units = _one(tmp_path, "outer.zip", _zip({"inner.zip": inner}))
    assert _kinds(units) == [
        ("outer.zip", "container"),
        ("outer.zip!inner.zip", "container"),
        ("outer.zip!inner.zip!c.txt", "dump"),
        ("outer.zip!inner.zip!deeper.zip", "rejected"),
    ]
    assert "nested more than one level" in units[-1].reason


def test_corrupt_member_is_rejected(tmp_path: Path) -> None:
    data = bytearray(_zip({"a.txt": (BODY * 50).encode()}))
    start = data.find(b"a.txt") + len("a.txt") + 10
    data[start : start + 20] = b"\xff" * 20
    units = _one(tmp_path, "damaged.zip", bytes(data))
    assert units[0].kind == "container"
    assert units[1].kind == "rejected" and "corrupt archive member" in units[1].reason


# --- walking, order, known files ----------------------------------------------------------------------


def _tree(root: Path) -> None:
    (root / "b").mkdir(parents=True)
    (root / "a.txt").write_text(BODY)
    (root / "b" / "c.jsonl").write_text(json.dumps({"body": BODY}) + "\n")
    (root / "b" / "a.txt").write_text(BODY + " Later.")
    (root / ".gitkeep").write_text("")
    (root / "b" / ".hidden.txt").write_text(BODY)
    (root / ".ipynb_checkpoints").mkdir()
    (root / ".ipynb_checkpoints" / "x.txt").write_text(BODY)
    (root / "README.md").write_text("# Raw folder\n")
    (root / "README.txt").write_text("Raw folder\n")


def test_walk_is_sorted_deterministic_and_skips_hidden_and_readme(tmp_path: Path) -> None:
    _tree(tmp_path)
    first = _kinds(_units(tmp_path))
    assert first == [("a.txt", "dump"), ("b/a.txt", "dump"), ("b/c.jsonl", "container"), ("b/c.jsonl#1", "record")]
    assert _kinds(_units(tmp_path, tmp_path / "b", tmp_path / "a.txt", tmp_path / "b")) == first


def test_source_file_outside_root_is_the_file_name(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.txt").write_text(BODY)
    (unit,) = _units(tmp_path / "raw", elsewhere / "x.txt")
    assert unit.source_file == "x.txt"


def test_known_file_with_same_sha_is_unchanged_and_not_parsed(tmp_path: Path) -> None:
    _tree(tmp_path)
    data = (tmp_path / "b" / "c.jsonl").read_bytes()
    units = _units(tmp_path, known={"b/c.jsonl": _sha(data), "a.txt": "0" * 64})
    assert _kinds(units) == [("a.txt", "dump"), ("b/a.txt", "dump"), ("b/c.jsonl", "unchanged")]
    assert (units[-1].sha256, units[-1].n_bytes) == (_sha(data), len(data))


def test_every_unit_has_sha_and_size(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "raw")
    units = _units(tmp_path / "raw")
    assert all(len(u.sha256) == 64 and u.n_bytes > 0 for u in units)
    tops = {u.source_file: u for u in units if "#" not in u.source_file}
    for path in (tmp_path / "raw").iterdir():
        assert tops[path.name].sha256 == _sha(path.read_bytes())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), ext=st.sampled_from([".txt", ".json", ".jsonl", ".csv", ".html", ".zip", ".gz", "", ".pdf"]))
def test_no_exception_escapes_on_arbitrary_bytes(tmp_path: Path, data: bytes, ext: str) -> None:
    path = tmp_path / f"input{ext}"
    path.write_bytes(data)
    units = _units(tmp_path, path)
    assert units and units[0].source_file == path.name
    assert all(u.kind != "rejected" or u.reason for u in units)


def test_gz_member_of_a_zip_gives_records_named_through_both(tmp_path: Path) -> None:
    lines = "\n".join(json.dumps({"body": f"{BODY} {i}"}) for i in range(2)).encode()
    units = _one(tmp_path, "a.zip", _zip({"day/x.jsonl.gz": gzip.compress(lines, mtime=0)}))
    assert _kinds(units) == [("a.zip", "container"), ("a.zip!day/x.jsonl.gz", "container"),
                             ("a.zip!day/x.jsonl.gz#1", "record"), ("a.zip!day/x.jsonl.gz#2", "record")]


def test_encrypted_and_symlink_members_are_rejected(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("link.txt")
    link.external_attr = 0o120777 << 16
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(link, "/etc/passwd")
        archive.writestr("locked.txt", BODY)
    data = bytearray(buffer.getvalue())
    at = data.rfind(b"PK\x01\x02")  # central directory entry of locked.txt: set the "encrypted" flag
    data[at + 8] |= 0x1
    units = {u.source_file: u for u in _one(tmp_path, "a.zip", bytes(data))}
    assert "symbolic link" in units["a.zip!link.txt"].reason
    assert "encrypted" in units["a.zip!locked.txt"].reason


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_named_pipe_is_rejected_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (unit,) = _units(tmp_path)
    assert unit.kind == "rejected" and "not a regular file" in unit.reason


def test_reading_file_by_file_equals_iter_units_on_the_sample_corpus():
    from mediawork.readers import input_files, read_input

    raw = Path(__file__).resolve().parents[1] / "data" / "raw"
    whole = list(iter_units([raw], root=raw))
    files = input_files([raw], root=raw)
    assert [name for name, _ in files] == sorted({u.source_file.split("!")[0].split("#")[0] for u in whole})
    assert [u for name, path in files for u in read_input(name, path, root=raw)] == whole
    assert all(u.modified_ns == (raw / u.source_file).stat().st_mtime_ns for u in whole if "!" not in u.source_file and "#" not in u.source_file)


@pytest.mark.parametrize(
    "text",
    [
        "Plain ASCII line\nand another\n",
        "Café talks in Zürich\nnothing odd here\n",
        "A line with mojibake: itâ€™s broken\nClean line with é\nAnother clean line\n",
        "Not NFC: Cafe\u0301\nZürich\n",
        "Last line without break: SÃ£o Paulo",
    ],
)
def test_fix_mojibake_is_ftfy_line_by_line(text):
    import ftfy

    from mediawork import readers

    assert readers._fix_mojibake(text) == ftfy.fix_text(text, readers._FIXER)


def _badness_alphabet() -> list[str]:
    from mediawork import readers

    trigger = [chr(c) for c in range(0x2100) if readers._BADNESS_TRIGGER.match(chr(c))]
    return trigger[::7] + list("abcXYZ .,’“”—ВГРСØÙ€™") + ["Ã ", "Â ", "â€™", "Ã©", "œ1", "вЂ", "ГўВЂВ"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_badness_alphabet()), max_size=25).map("".join))
def test_badness_searched_near_triggers_only_is_the_whole_search(segment):
    from ftfy.badness import BADNESS_RE

    from mediawork import readers

    assert readers._looks_bad(segment) == (BADNESS_RE.search(segment) is not None)


@pytest.mark.parametrize(("segment", "bad"), [("itâ€™s\n", True), ("Ã is here\n", True), ("9Ã is here\n", False), ("Zürich café\n", False), ("", False)])
def test_badness_near_triggers_examples(segment, bad):
    from mediawork import readers

    assert readers._looks_bad(segment) is bad


def test_folders_outside_root_keep_their_inner_paths_and_clashing_names_get_full_paths(tmp_path: Path) -> None:
    """Two outside files with one name are two inputs: none is lost under the other's name."""
    src, other = tmp_path / "src", tmp_path / "other" / "src"
    for folder in (src / "a", src / "b", other):
        folder.mkdir(parents=True)
        (folder / "one.txt").write_text(BODY)
    names = [unit.source_file for unit in _units(tmp_path / "raw", src)]
    assert names == ["src/a/one.txt", "src/b/one.txt"]
    names = [unit.source_file for unit in _units(tmp_path / "raw", src / "a" / "one.txt", src / "b" / "one.txt", other)]
    assert names == sorted([(src / "a" / "one.txt").as_posix(), (src / "b" / "one.txt").as_posix(), "src/one.txt"])


@pytest.mark.parametrize("given", ["absolute", "dot", "relative", "dotted"])
def test_input_files_names_and_spells_paths_as_path_objects_would(tmp_path: Path, monkeypatch, given: str) -> None:
    from mediawork.readers import input_files

    raw = tmp_path / "raw"
    for rel in ("a.txt", "README.md", ".hidden", "sub/b.txt", "sub/README.md", "sub/deeper/c.csv"):
        (raw / rel).parent.mkdir(parents=True, exist_ok=True)
        (raw / rel).write_text("x")
    (raw / "linked").symlink_to(raw / "sub", target_is_directory=True)  # a link to a folder inside: followed once
    monkeypatch.chdir(tmp_path)
    folder = {"absolute": raw, "dot": Path("."), "relative": Path("raw"), "dotted": Path("raw/sub/..")}[given]
    if given == "dot":
        monkeypatch.chdir(raw)
    root = folder
    files = input_files([folder], root=root)
    assert [name for name, _ in files] == ["a.txt", "sub/README.md", "sub/b.txt", "sub/deeper/c.csv"]
    # each path is spelled as the folder given, joined with Path's "/", would spell it
    assert [str(p) for _, p in files] == [str(folder / n) for n, _ in files]
    assert input_files([folder], root=root, strings=True) == [(n, str(p)) for n, p in files]
    assert all(os.path.samefile(p, raw / n) for n, p in files)
