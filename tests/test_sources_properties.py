"""Property-based tests of the pure parsers: dates, front matter, JSONL lines, CSV facts, sniffing,
and every reader on arbitrary bytes (only InputError or Problem may come out)."""
from __future__ import annotations

import csv
import email.utils
import io
import json
import re
from datetime import UTC, date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rekg.graph.errors import InputError
from rekg.graph.schema import RELATION_TYPES
from rekg.loaders.sources.formats.facts import FACT_COLUMNS, Fact, parse_facts
from rekg.loaders.sources.formats.jsonl import parse_jsonl_line
from rekg.loaders.sources.inputs import (
    Problem,
    SourceDocument,
    decode,
    normalize_date,
    parse_front_matter,
    read_data,
    sniff,
)

DATE_FORM = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
dates = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))


# -- dates ----------------------------------------------------------------------------------
@given(st.text(max_size=60))
def test_normalize_date_gives_a_valid_iso_prefix_or_none(text: str):
    out = normalize_date(text)
    if out is not None:
        assert DATE_FORM.fullmatch(out)
        parts = [int(p) for p in out.split("-")]
        date(*(parts + [1] * (3 - len(parts))))  # a real calendar date
        assert normalize_date(out) == out  # idempotent


@given(dates, st.sampled_from(["%Y-%m-%d", "%Y/%m/%d", "%d %B %Y", "%B %d, %Y", "%A, %d %b %Y", "%b %d %Y",
                               "%Y-%m-%dT%H:%M:%SZ", "D:%Y%m%d%H%M%S", "%Y%m%d"]))
def test_normalize_date_reads_the_common_forms(d: date, form: str):
    assert normalize_date(d.strftime(form)) == d.isoformat()


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)))
def test_normalize_date_reads_rfc822(dt: datetime):
    text = email.utils.format_datetime(dt.replace(tzinfo=UTC))
    assert normalize_date(text) == dt.date().isoformat()
    assert normalize_date(dt) == normalize_date(dt.timetuple()) == dt.date().isoformat()


@given(dates)
def test_normalize_date_keeps_month_and_year_precision(d: date):
    assert normalize_date(d.strftime("%B %Y")) == d.strftime("%Y-%m")
    assert normalize_date(d.strftime("%Y")) == d.strftime("%Y")


# -- front matter ---------------------------------------------------------------------------
keys = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
values = st.text(st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp"]), max_size=40).map(str.strip).filter(
    lambda v: not (len(v) >= 2 and v[0] == v[-1] and v[0] in "'\""))
bodies = st.text(max_size=200)


@given(st.dictionaries(keys, values, max_size=6), bodies)
def test_front_matter_round_trip(meta: dict[str, str], body: str):
    text = "---\n" + "".join(f"{k}: {v}\n" for k, v in meta.items()) + "---\n" + body
    assert parse_front_matter(text) == (meta, body)


@given(bodies)
def test_text_without_front_matter_is_unchanged(body: str):
    if not body.startswith("---"):
        assert parse_front_matter(body) == ({}, body)


@given(st.text(max_size=300))
def test_front_matter_never_fails(text: str):
    meta, body = parse_front_matter(text)
    assert text.endswith(body) and all(k == k.lower() for k in meta)


# -- JSONL lines ----------------------------------------------------------------------------
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                           max_leaves=8)


@given(st.text(max_size=200))
def test_jsonl_line_parser_only_raises_input_error(line: str):
    try:
        out = parse_jsonl_line(line, "f.jsonl:7")
    except InputError as exc:
        assert str(exc).startswith("f.jsonl:7: ")
    else:
        assert out is None or isinstance(out, SourceDocument)


@given(st.dictionaries(st.sampled_from(["text", "title", "url", "date", "publisher", "x"]), json_values))
def test_jsonl_any_object(record: dict):
    try:
        doc = parse_jsonl_line(json.dumps(record), "f:1")
    except InputError as exc:
        assert "text" in str(exc)
    else:
        assert doc is not None and doc.text == record["text"].strip()


@given(st.text(min_size=1).filter(str.strip), st.one_of(st.none(), st.text()), dates)
def test_jsonl_round_trip(text: str, title: str | None, d: date):
    record = {"text": text, "title": title, "url": "https://x.org/a", "date": d.isoformat()}
    doc = parse_jsonl_line(json.dumps(record), "f:1")
    assert (doc.text, doc.source, doc.published) == (text.strip(), "https://x.org/a", d.isoformat())
    assert doc.title == ((title or "").strip() or None)


# -- CSV facts ------------------------------------------------------------------------------
names = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9.&'’ -]{0,30}", fullmatch=True).map(lambda s: " ".join(s.split()))
allowed = st.sampled_from([(r.name, h, t) for r in RELATION_TYPES.values() for h in r.heads for t in r.tails])


@st.composite
def facts(draw) -> Fact:
    relation, head_type, tail_type = draw(allowed)
    d = draw(st.one_of(st.none(), dates))
    return Fact(draw(names), head_type, relation, draw(names), tail_type, draw(names),
                d.isoformat() if d else None)


@given(st.lists(facts(), max_size=8), st.permutations(FACT_COLUMNS))
def test_facts_round_trip_in_any_column_order(rows: list[Fact], columns: list[str]):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(columns)
    for f in rows:
        w.writerow([getattr(f, c) or "" for c in columns])
    parsed, problems = parse_facts(buf.getvalue(), "f.csv")
    assert problems == [] and parsed == rows


@given(st.text(max_size=300))
def test_facts_parser_only_raises_input_error(text: str):
    try:
        parsed, problems = parse_facts("head,head_type,relation,tail,tail_type,source,date\n" + text, "f.csv")
    except InputError as exc:
        assert str(exc).startswith("f.csv")
    else:
        assert all(isinstance(p, Problem) and p.message.startswith("f.csv:") for p in problems)
        assert all(f.relation in RELATION_TYPES for f in parsed)


# -- bytes in any reader --------------------------------------------------------------------
@given(st.binary(max_size=400))
def test_sniff_and_decode_never_crash(data: bytes):
    assert sniff(data) in ("pdf", "feed", "html", "jsonl", "facts", "text")
    try:
        assert isinstance(decode(data, "x"), str)
    except InputError:
        pass


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(st.binary(max_size=600), st.text(max_size=600).map(str.encode)),
       st.sampled_from([None, "text", "html", "feed", "pdf", "jsonl", "facts"]))
def test_every_reader_fails_only_with_input_error(data: bytes, kind: str | None):
    try:
        items = list(read_data(data, "x", kind))
    except InputError as exc:
        assert str(exc).startswith("x")
    else:
        assert all(type(i).__name__ in ("SourceDocument", "Problem", "CuratedFacts") for i in items)


@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=1, max_size=300), st.integers(min_value=0))
def test_damaged_pdfs_fail_with_input_error(junk: bytes, where: int):
    from .test_sources import pdf_bytes

    good = bytearray(pdf_bytes(["MP Materials operates Mountain Pass."]))
    at = where % len(good)
    damaged = bytes(good[:at]) + junk + bytes(good[at + len(junk):])
    try:
        list(read_data(damaged, "r.pdf", "pdf"))
    except InputError as exc:
        assert str(exc).startswith("r.pdf: ")
