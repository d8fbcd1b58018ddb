"""Stable ids from natural keys, so that MERGE and re-runs are idempotent on every store."""
from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """ASCII slug of `text`: lowercase, accents dropped, runs of other characters as '-'.

    >>> slugify("China Northern Rare Earth (Group) High-Tech Co., Ltd.")
    'china-northern-rare-earth-group-high-tech-co-ltd'
    >>> slugify("Sillamäe")
    'sillamae'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub("-", ascii_text.lower()).strip("-")


def entity_id(entity_type: str, name: str) -> str:
    """Id of an entity from its type and canonical name.

    Names with no ASCII letters (e.g. Hanzi) get a short hash so they still have an id.

    >>> entity_id("Organization", "China Northern Rare Earth Group")
    'organization/china-northern-rare-earth-group'
    >>> entity_id("Organization", "北方稀土")
    'organization/u-42b6c93f08'
    """
    slug = slugify(name)
    if not slug:
        slug = "u-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]
    return f"{entity_type.lower()}/{slug}"


def document_id(text: str) -> str:
    """Id of a document: a hash of its cleaned text, so the same text loads once.

    >>> document_id("hello")
    'doc-2cf24dba5fb0a30e26e83b2a'
    """
    return "doc-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
