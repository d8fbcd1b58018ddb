"""Text cleaning: undo mojibake, repair punctuation lost to a wrong code page, drop control
characters, tidy whitespace. Cleaning runs before anything is matched, so entity names never
carry damaged punctuation (`Chinaโs` becomes `China's`)."""
from __future__ import annotations

import re
import unicodedata

import ftfy
import ftfy.badness

# UTF-8 punctuation (E2 80 xx) read as Thai code page 874 leaves a lone THAI CHARACTER SARA E
# (U+0E42) where the quote, apostrophe or dash was, the continuation bytes being lost. The
# context tells which it was.
_SARA_E = "\u0e42"
_THAI = "\u0e01-\u0e5b"
# Two-byte sequences (C2 xx, C3 xx) survive whole: re-read them as cp874 -> UTF-8.
_THAI_RUN = re.compile(f"[{_THAI}]{{2,}}")
_KNOWN = {"\u0e42\u0e02": "\u2122"}  # "โข": E2 84 A2 (trade mark) with 84 lost

_W = r"[^\W\u0e00-\u0e7f]"  # a word character that is not Thai
_APOSTROPHE = re.compile(rf"(?<=[A-Za-z]){_SARA_E}(?=(?:s|t|re|ll|ve|d|m)\b)")
_DIGIT_DASH = re.compile(rf"(?<=\d){_SARA_E}(?=\d)")
_OPEN_QUOTE = re.compile(rf"(?:^|(?<=[\s(\[])){_SARA_E}(?={_W})", re.M)
_CLOSE_QUOTE = re.compile(rf"(?<=[^\W\u0e00-\u0e7f]|[.,!?;:]){_SARA_E}(?=[\s.,;:!?)\]]|$)", re.M)
_WORD_DASH = re.compile(rf"(?<={_W}){_SARA_E}(?={_W})")
_SPACED_DASH = re.compile(rf"(?<=\s){_SARA_E}(?=\s)")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\ufeff]")
#: Runs of spaces to make one plain space (a lone plain space is left alone: most of them)
_SPACES = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000][ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]*|"
                     r" [ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
#: What mojibake leaves behind (UTF-8 read as Latin-1 or cp1252: "Ã©", "â€™", "Â ") and HTML
#: entities: only such text goes to ftfy, which takes long to find nothing in clean text.
_MAYBE_BROKEN = re.compile(r"[\u00c2\u00c3\u00c5\u00e2\u00d0\u00d1\u00f0\u0152\u0153\u20ac\u2122\u00ef\u00bb"
                           r"\u0080-\u009f]|&#?\w+;")
_ENTITY = re.compile(r"&#?\w+;")
_BLANK_LINES = re.compile(r"\n{3,}")
_TIGHT_PAREN = re.compile(r"\((?<=[a-z]\()(?=[A-Z][A-Za-z]*\))")  # "Energy(DAE)" -> "Energy (DAE)"


def _in_latin_context(text: str, start: int, end: int) -> bool:
    """A Thai run is mojibake when it sits among Latin text, not among other Thai letters."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not re.match(f"[{_THAI}]", before) and not re.match(f"[{_THAI}]", after)


def repair_thai_mojibake(text: str) -> str:
    """Repair UTF-8 punctuation that was decoded as Thai (cp874) and partly lost.

    >>> repair_thai_mojibake("Chinaโs โlecture teamโ for 2026โ2030, hardeningโnot weakening")
    'China’s “lecture team” for 2026–2030, hardening—not weakening'
    """
    if _SARA_E not in text and not _THAI_RUN.search(text):
        return text

    def whole(m: re.Match[str]) -> str:
        run = m.group(0)
        if not _in_latin_context(m.string, m.start(), m.end()):
            return run
        if run in _KNOWN:
            return _KNOWN[run]
        try:
            return run.encode("cp874").decode("utf-8")
        except UnicodeError:
            return run

    text = _THAI_RUN.sub(whole, text)
    text = _APOSTROPHE.sub("\u2019", text)
    text = _DIGIT_DASH.sub("\u2013", text)
    text = _OPEN_QUOTE.sub("\u201c", text)
    text = _CLOSE_QUOTE.sub("\u201d", text)
    text = _WORD_DASH.sub("\u2014", text)
    text = _SPACED_DASH.sub("\u2013", text)
    return text


def clean_text(text: str) -> str:
    """The text every extractor sees: mojibake fixed, controls dropped, whitespace tidied.

    >>> clean_text("Inner Mongoliaโs\\x07 team  visited\\r\\n\\n\\n\\nBaotou")
    'Inner Mongolia’s team visited\\n\\nBaotou'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _MAYBE_BROKEN.search(text) and (ftfy.badness.is_bad(text) or _ENTITY.search(text)):
        text = ftfy.fix_text(text, uncurl_quotes=False, fix_line_breaks=False)
    text = repair_thai_mojibake(text)
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", text)
    text = _TIGHT_PAREN.sub(" (", text)
    return text.strip()
