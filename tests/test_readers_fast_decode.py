"""The fast paths of :func:`mediawork.readers.decode_bytes` equal its first definition.

That definition: decode (:func:`readers._decode`, control characters counted by regex),
``ftfy.fix_text`` over the whole text, line ends to ``\\n``, NFC. The fast paths: the
characters ftfy may act on are looked for among the text's non-ASCII characters only
(:func:`readers._rare_chars`), control characters are counted in bytes first, lines are
found by ``str.find`` of the trigger characters present, and a text known to be NFC is not
normalised again.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediawork import readers
from mediawork.errors import InputError

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SAMPLE_RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def _outcome(func, *args):
    """A function's result, or the message of the InputError it raised (so both can be compared)."""
    try:
        return func(*args)
    except InputError as exc:
        return f"InputError: {exc}"


def _reference_decode_bytes(data: bytes, monkeypatch: pytest.MonkeyPatch) -> str:
    """decode_bytes as first written: every control counted by regex, ftfy on the whole text, NFC."""
    counting = readers._check_controls
    with monkeypatch.context() as patch:
        patch.setattr(readers, "_check_controls", lambda text, encoded=None: counting(text))
        text = readers._decode(data)
    text = ftfy.fix_text(text, readers._FIXER)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _same_as_reference(data: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _outcome(readers.decode_bytes, data) == _outcome(_reference_decode_bytes, data, monkeypatch)


# --- hand-made edge cases ------------------------------------------------------------------------

_TEXTS = [
    "Plain ASCII.\nTwo lines.\n",
    "Envoys met in Riyadh — “talks resume” on Tuesday…\n",
    "Erdoğan and Macron at the Élysée.\nA second line with ğ and é.\n",
    "ğ",  # a trigger character alone
    "é at the start\nand at the end é",
    "Zelenskyyâ€™s visit\nclean line\nSÃ£o Paulo",  # mojibake on two lines, the last without a break
    "one line with two triggers: Ã© and ğ and â€™ again\n",
    "C1 control\x85here and ğ",
    "escape \x1b[31mred\x1b[0m",
    "byte order mark \ufeff inside",
    "not NFC: Cafe\u0301 and ğ\n",
    "windows\r\nline ends\r\nwith ğ\r\n",
    "old mac\rline ends\r",
    "tab\tand form feed\x0c are plain",
    "astral \U0001f600 and ğ",
    "\n\n\n",
    "a few controls \x01\x02\x03 are fine",
]


def _encodable(encoding: str, text: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize(
    ("text", "encoding"),
    [(t, e) for e in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252") for t in _TEXTS if _encodable(e, t)],
)
def test_decode_bytes_equals_its_first_definition(text, encoding, monkeypatch):
    _same_as_reference(text.encode(encoding), monkeypatch)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"ok " + b"\x01" * 8,  # eight controls: the most the byte count lets through
        b"bad " + b"\x01" * 9 + b" a short text",  # nine in a short text: rejected
        b"x" * 2000 + b"\x02" * 12,  # twelve in 2,012 characters: under 1 %, kept
        b"\x03" * 40 + b"y" * 100,
        "caf\u00e9 ".encode("cp1252") + b"\x04" * 10,  # cp1252 text with controls
        bytes(range(1, 32)) * 3,
        b"\x1b" * 50 + b" escapes are not counted",
    ],
)
def test_control_characters_are_judged_as_before(data, monkeypatch):
    _same_as_reference(data, monkeypatch)


@pytest.mark.parametrize("text", ["a\x01b\x02c", "x" * 100 + "\x05" * 9, "\x06" * 20, "é\x07" * 10, "plain"])
@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_the_byte_count_gate_never_changes_the_answer(text, encoding):
    data = text.encode(encoding)
    assert _outcome(readers._check_controls, text, data) == _outcome(readers._check_controls, text)
    rare = data.translate(None, readers._PLAIN_ASCII)
    assert _outcome(readers._check_controls, text, rare) == _outcome(readers._check_controls, text)


# --- the pieces --------------------------------------------------------------------------------------


def _rare_by_definition(text: str) -> str:
    plain = {chr(b) for b in readers._PLAIN_ASCII}
    return "".join(c for c in text if c not in plain)


@pytest.mark.parametrize(
    "text",
    ["", "plain ASCII\n", "curly ’ quote", "\x00\x1b\x7f controls", "lone \ud800 surrogate", "pair \ud83d\ude00 halves", "astral \U0001f600", "ğé"],
)
def test_rare_chars_are_the_characters_outside_plain_ascii(text):
    assert readers._rare_chars(text) == _rare_by_definition(text)


def test_plain_ascii_holds_no_character_ftfy_or_the_control_check_acts_on():
    plain = readers._PLAIN_ASCII.decode("ascii")
    assert set(plain) == set("\t\n\x0c\r") | {chr(c) for c in range(0x20, 0x7F)}
    assert not readers._FTFY_CHARS.search(plain) and not readers._BAD_CONTROLS.search(plain)
    assert readers._BADNESS_TRIGGER is not None and not readers._BADNESS_TRIGGER.search(plain)


@pytest.mark.parametrize("text", _TEXTS)
def test_repair_equals_ftfy_and_claims_nfc_only_when_true(text):
    fixed, nfc = readers._repaired(text, readers._rare_chars(text))
    assert fixed == ftfy.fix_text(text, readers._FIXER)
    assert not nfc or unicodedata.is_normalized("NFC", fixed)


@pytest.mark.parametrize("value", _TEXTS + ["", "ascii\r\nline", ["list ğ", "Zelenskyyâ€™s"], 12, None])
def test_record_values_are_fixed_as_before(value):
    def first_fix(v):
        if isinstance(v, str) and v.isascii():
            return v.replace("\r\n", "\n").replace("\r", "\n")
        if isinstance(v, str):
            return unicodedata.normalize("NFC", ftfy.fix_text(v, readers._FIXER).replace("\r\n", "\n").replace("\r", "\n"))
        if isinstance(v, list):
            return [first_fix(x) for x in v]
        return v

    assert readers._fix(value) == first_fix(value)


# --- random inputs -----------------------------------------------------------------------------------

_ALPHABET = list("ab AB.,\n\r\t") + [
    "—", "“", "”", "’", "é", "ğ", "Ã", "â€", "™", "Â ", "\x85", "\x1b", "\x01", "e\u0301", "ž", "°", "\ufeff", "\U0001f600", "Ð", "Ñ",
]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=50).map("".join), st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_decode_bytes_equals_its_first_definition_on_generated_text(text, encoding):
    data = text.encode(encoding if _encodable(encoding, text) else "utf-8")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _same_as_reference(data, monkeypatch)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.binary(max_size=80))
def test_decode_bytes_equals_its_first_definition_on_random_bytes(data):
    with pytest.MonkeyPatch.context() as monkeypatch:
        _same_as_reference(data, monkeypatch)


# --- real text -----------------------------------------------------------------------------------------


def _files(folder: Path, limit: int) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".") and p.stat().st_size < 2_000_000)[:limit]


def test_decode_bytes_equals_its_first_definition_on_the_shared_files(monkeypatch):
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: no real-world files to compare the decoding of")
    files = _files(SHARED, 400)
    assert files
    for path in files:
        _same_as_reference(path.read_bytes(), monkeypatch)


def test_decode_bytes_equals_its_first_definition_on_the_sample_corpus(monkeypatch):
    files = [p for p in _files(SAMPLE_RAW, 400) if p.suffix not in (".zip", ".gz")]
    if not files:
        pytest.skip(f"{SAMPLE_RAW} holds no sample files (run `mediawork sample` to make some)")
    for path in files:
        _same_as_reference(path.read_bytes(), monkeypatch)
