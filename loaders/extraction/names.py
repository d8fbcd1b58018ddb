"""Name normalization shared by extraction, the gazetteer and entity resolution."""
from __future__ import annotations

import re
from functools import lru_cache

_CORP_SUFFIX = re.compile(
    r"(?:,?\s+(?:co\.?,?\s*)?(?:ltd\.?|limited|inc\.?|incorporated|llc|l\.l\.c\.|plc|corp\.?|"
    r"corporation|company|co\.|pty\.? ltd\.?|sdn\.? bhd\.?|bhd\.?|berhad|ag|sa|s\.a\.|gmbh|n\.v\.|"
    r"holdings?))+\s*$", re.I)
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@lru_cache(maxsize=200_000)
def normalize_name(name: str) -> str:
    """A name reduced for matching: no corporate suffix, possessive, 'the', punctuation or case.

    >>> normalize_name("The Lynas USA, LLC")
    'lynas usa'
    """
    n = POSSESSIVE.sub("", name.strip())
    n = _CORP_SUFFIX.sub("", n)
    n = re.sub(r"^the\s+", "", n, flags=re.I)
    n = re.sub(r"[^\w]+", " ", n.casefold()).strip()
    return n
