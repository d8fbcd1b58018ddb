"""Relation rules: surface patterns over the words between two actors of one sentence.

Each rule names the types it joins, the order in the text, a pattern on the text between the
two mentions (and, for some, before the first or after the second), and the relation it
states. Nothing comes from co-occurrence alone: a pair with no matching rule gets only a
CO_MENTIONED count. Rules are data; `RULES` is the table, `find_relations` applies it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

ORG, PER, POL, PLACE = "Organization", "Person", "Policy", "Place"

_TITLE = (r"(?:(?:vice|deputy|executive|senior|chief|general|managing|acting|former|founding|"
          r"assistant|regional|political|non-executive|independent|co-)[\s-]*)*"
          r"(?:president|vice[- ]president|ceo|cfo|coo|cto|chief executive(?: officer)?|"
          r"chief \w+ officer|chair(?:man|woman|person)?|(?:managing )?director(?: general)?|"
          r"general manager|manager|head|founder|co-founder|minister|secretary(?: general)?|"
          r"party secretary|governor|mayor|administrator|commissioner|ambassador|spokes(?:person|"
          r"man|woman)|member|leader|premier|chancellor|principal|partner|treasurer|adviser|"
          r"advisor|professor|researcher|scientist|official|officer|analyst|engineer|executive|"
          r"owner|board member|trustee|undersecretary|under secretary|commander|colonel|captain|"
          r"lieutenant|envoy|representative|delegate|lawmaker|legislator|deputy|boss|architect)")
# one title or several ("founder, chairman and chief executive officer"; "a senior adviser in the
# region and vice president")
_TITLES = (rf"(?P<title>(?:(?!(?:and|or|but|is|was|has|have|had|been|the|a|an|who|will|would)\b)[\w-]+\s+){{0,4}}?"
           rf"{_TITLE}"
           rf"(?:(?:\s+(?!of\b)[\w-]+){{0,4}}?(?:\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+)(?:[\w-]+\s+){{0,3}}?{_TITLE})*)")
_THE = r"(?:the |a |an |its |their |his |her )?"
_POSS = r"(?:'s|’s|'|’)"
_FUND_VERB = (r"(?:award(?:ed|s|ing)?|grant(?:ed|s)?|provid(?:ed|es|ing)|loan(?:ed|s)?|lent|lend(?:s|ing)?|"
              r"invest(?:ed|s|ing)?|fund(?:ed|s|ing)?|financ(?:ed|es|ing)|committed|allocat(?:ed|es)|"
              r"approv(?:ed|es) (?:a |an )?(?:loan|grant|funding)|backed|support(?:ed|s))")
_PARTNER_NOUN = (r"(?:agreement|deal|partnership|joint venture|memorandum(?: of understanding)?|mou|"
                 r"contract|alliance|collaboration|cooperation|offtake|accord|pact|arrangement|"
                 r"framework|tie-up|venture)")
_ISSUE_VERB = (r"(?:issu(?:ed|es|ing)|announc(?:ed|es|ing)|enact(?:ed|s)|adopt(?:ed|s)|publish(?:ed|es)|"
               r"releas(?:ed|es)|introduc(?:ed|es)|launch(?:ed|es)|administer(?:s|ed)?|unveil(?:ed|s)|"
               r"pass(?:ed|es)|approv(?:ed|es)|implement(?:ed|s)|impos(?:ed|es)|establish(?:ed|es)|"
               r"set up|sign(?:ed|s) into law|put forward|formulat(?:ed|es)|rolled out|manag(?:es|ed)|"
               r"run(?:s)?|oversee(?:s)?|oversaw)")
_AFFECT_VERB = (r"(?:fund(?:s|ed|ing)?|target(?:s|ed|ing)?|restrict(?:s|ed|ing)?|affect(?:s|ed|ing)?|"
                r"direct(?:s|ed)|order(?:s|ed)|instruct(?:s|ed)|task(?:s|ed)|oblige(?:s|d)|call(?:s|ed) on|"
                r"appl(?:y|ies|ied) to|requir(?:es|ed|ing)|mandat(?:es|ed)|ban(?:s|ned)?|limit(?:s|ed)?|"
                r"cover(?:s|ed)?|support(?:s|ed|ing)?|benefit(?:s|ed)?|award(?:s|ed)|allocat(?:es|ed)|"
                r"provid(?:es|ed)|grant(?:s|ed)|sanction(?:s|ed)?|prohibit(?:s|ed)|curb(?:s|ed)?|"
                r"regulat(?:es|ed)|assign(?:s|ed)|designat(?:es|ed)|list(?:s|ed)|gave|give(?:s)?)")
_SITE = (r"(?:mine|mines|deposit|project|site|plant|refinery|facility|factory|operations?|"
         r"mining area|concession|complex|hub|park|smelter|processing plant|separation plant)")
_LOC_WORDS = ("based", "headquartered", "located", "registered", "incorporated", "situated", "domiciled")
_LOC_VERB = rf"(?:{'|'.join(_LOC_WORDS)})"
_UNIT = (r"(?:subsidiary|subsidiaries|unit|division|arm|wing|affiliate|part|member|branch|department|"
         r"agency|bureau|office|component|subordinate|constituent|member company|business)")
_PLACE_WORD = (r"(?:mine|deposit|project|site|plant|region|area|district|prefecture|county|city|town|"
               r"village|township|province|state|industrial park|park|zone|basin|municipality|port|"
               r"capital|country|island|valley|complex|refinery|facility)")
#: Text trimmed from the start of the words between two mentions: closing brackets and
#: quotes of the first ("Kachin Independence Army (KIA), the armed wing of …").
_LEAD = re.compile(r"^(?:[)”\"\]]|[’'](?!s\b))+|^\s*\([^()]{1,40}\)(?=\s*[^\s(’'])")
#: A parenthesis right after a mention ("Lynas Corporation Limited (“Lynas”) today …").
_PAREN = re.compile(r"^(?:[)”\"\]]|[’'](?!s\b))*\s*(?:\([^()]{0,80}\)\s*)?")


@dataclass(frozen=True)
class Rule:
    """`first` and `second` are the types of the earlier and later mention; `between` must
    match the whole text between them (lowercased); `reverse` makes the later one the head."""

    name: str
    relation: str
    first: tuple[str, ...]
    second: tuple[str, ...]
    between: re.Pattern[str]
    reverse: bool = False
    before: re.Pattern[str] | None = None  # must match the end of the text before `first`
    after: re.Pattern[str] | None = None  # must match the start of the text after `second`
    confidence: float = 0.8
    adjacent: bool = True  # no other actor may stand between the two mentions
    blockers: tuple[str, ...] = ()  # when not adjacent: types that may not stand between
    not_before: re.Pattern[str] | None = None  # must not match the end of the text before `first`
    not_after: re.Pattern[str] | None = None  # must not match the start of the text after `second`
    second_text: re.Pattern[str] | None = None  # must match the later mention's own text
    title: str | None = None  # the title a HOLDS_POSITION rule states when it captures none
    expand: bool = True  # whether what holds for one member of a list holds for the others
    #: words (lower case) of which the text between must hold one, whatever else `between`
    #: asks: a quick test that spares trying a pattern that scans far on most pairs
    needs: tuple[str, ...] = ()
    needs_pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pattern = re.compile("|".join(map(re.escape, self.needs))) if self.needs else None
        object.__setattr__(self, "needs_pattern", pattern)


def _r(p: str) -> re.Pattern[str]:
    return re.compile(p, re.I | re.S)


RULES: tuple[Rule, ...] = (
    # HOLDS_POSITION -----------------------------------------------------------------------------
    Rule("position.person-comma-title-of", "HOLDS_POSITION", (PER,), (ORG,),
         _r(rf"^\s*,?\s*(?:who is |who was |who serves as |and |now |currently )?{_THE}{_TITLES}"
            rf"(?:\s+\w+){{0,2}}?\s+(?:of|at|for|with|in)\s+(?:the\s+)?$"), confidence=0.9),
    Rule("position.person-is-title-of", "HOLDS_POSITION", (PER,), (ORG,),
         _r(rf"^\s*,?\s*(?:is|was|has been|serves as|served as|became|becomes|was named|was appointed|"
            rf"has been appointed|was elected|remains|will become|joined as)\s+(?:as\s+)?{_THE}"
            rf"{_TITLES}\s+(?:of|at|for)\s+(?:the\s+)?$"), confidence=0.9),
    Rule("position.org-title-person", "HOLDS_POSITION", (ORG,), (PER,),
         _r(rf"^\s*{_POSS}?\s*(?:new |former |then[- ])?{_TITLES}\s*,?\s*(?:(?:dr|mr|ms|mrs|prof)\.?\s+)?$"),
         reverse=True,
         confidence=0.85),
    Rule("position.title-of-org-person", "HOLDS_POSITION", (ORG,), (PER,),
         _r(r"^\s*,\s*(?:mr\.?\s+|ms\.?\s+|dr\.?\s+)?$"), reverse=True,
         before=_r(rf"{_TITLES}\s+(?:of|at)\s+(?:the\s+)?$"), confidence=0.8),
    Rule("position.person-comma-org-title", "HOLDS_POSITION", (PER,), (ORG,),
         _r(r"^\s*,\s*(?:the\s+)?$"), after=_r(rf"^\s*{_POSS}?\s*{_TITLES}\b"), confidence=0.8),
    Rule("position.person-title-at-org-paren", "HOLDS_POSITION", (PER,), (ORG,),
         _r(rf"^\s*\(\s*{_TITLES}\s*(?:,|of|at)\s*(?:the\s+)?$")),
    Rule("position.person-leads-org", "HOLDS_POSITION", (PER,), (ORG,),
         _r(r"^\s*,?\s*(?:who )?(?:leads|led|heads|headed|chairs|chaired|founded|co-founded|runs|ran)\s+(?:the\s+)?$"),
         confidence=0.75),
    Rule("position.founded-by", "HOLDS_POSITION", (ORG,), (PER,),
         _r(r"^\s*,?\s*(?:which |that )?(?:was |were |is |had been )?(?:originally |jointly |first )?(?:founded|"
            r"co-founded|established|started|set up|created)\s+(?:in \d{4}\s+)?by\s+$"),
         reverse=True, title="founder", confidence=0.8),
    Rule("position.head-office-paren", "HOLDS_POSITION", (ORG,), (PER,),
         _r(rf"^\s*\(\s*(?:head office|headquarters|hq)\s*:\s*[^,()]{{2,40}},\s*{_TITLES}\s*[,:]\s*$"),
         reverse=True, adjacent=False, confidence=0.8),
    Rule("position.and-title-of", "HOLDS_POSITION", (PER,), (ORG,),
         _r(rf"^\s*,\s*{_TITLES}\s+(?:of|at)\s+[^,;()]{{3,80}}?\s+and\s+(?:the\s+)?"
            rf"(?P<title2>(?:[\w-]+\s+){{0,3}}?{_TITLE}(?:\s+[\w-]+){{0,2}}?)\s+(?:of|at|in)\s+(?:the\s+)?$"),
         adjacent=False, confidence=0.8),
    Rule("position.org-led-by-person", "HOLDS_POSITION", (ORG,), (PER,),
         _r(r"^[\s”\"’']*,?\s*(?:which is |which was |that is )?(?:led|headed|chaired|run) by\s+(?:[\w.]+\s+){0,3}?$"),
         reverse=True, confidence=0.75),
    # PART_OF -------------------------------------------------------------------------------------
    Rule("part-of.subsidiary-of", "PART_OF", (ORG,), (ORG,),
         _r(r"^\s*(?:,[^,;]{0,100},\s*)?,?\s*(?:which is |that is |is |was |became |has become |as |now )?"
            r"(?:a |an |the |one of the )?(?:\w+[- ])?(?:wholly[- ]owned |majority[- ]owned |fully[- ]owned |"
            rf"state[- ]owned |listed )?{_UNIT}\s+(?:of|under|within)\s+(?:the\s+)?$"), adjacent=False,
         blockers=(ORG, PER, POL), confidence=0.9),
    Rule("funds.awarded-object", "FUNDS", (ORG,), (ORG,),
         _r(r"^\s*,?\s*(?:has |have |had |also |recently |today )?(?:awarded|granted|gave|lent|loaned|paid|handed)\s+"
            r"(?:the\s+)?$"),
         after=_r(r"^\s*,?\s*(?:an? |the |its )?(?:[\w$.,%-]+\s+){0,5}?(?:contract|grant|loan|award|funding|"
                  r"investment|agreement|subsidy|equity)"), confidence=0.8),
    Rule("part-of.which-owns", "PART_OF", (ORG,), (ORG,),
         _r(r"^\s*,?\s*(?:which|that|who) (?:also |now |still )?(?:owns|controls|acquired|took over|bought)\s+"
            r"(?:[\w-]+\s+){0,6}?$"), reverse=True, adjacent=False, blockers=(ORG,), confidence=0.75),
    Rule("part-of.hyphen-controlled", "PART_OF", (ORG,), (ORG,),
         _r(r"^\s*-\s*(?:controlled|owned|backed)\s+$"), reverse=True, confidence=0.75),
    Rule("part-of.possessive-unit", "PART_OF", (ORG,), (ORG,),
         _r(rf"^\s*{_POSS}\s*$"), reverse=True,
         second_text=_r(r"^(?:Office|Bureau|Division|Department|Agency|Institute|Laboratory|Administration|"
                        r"Directorate|Unit|Committee|Commission|Council|Centre|Center|Service)\b|"
                        r"\b(?:Co\.?|Ltd\.?|Limited|Inc\.?|LLC|Corp\.?|Company|Subsidiary)$"),
         confidence=0.75, expand=False),
    Rule("funds.share-owned-by", "FUNDS", (ORG,), (ORG,),
         _r(r"^\s*(?:is |was |are )?(?:owned|held) by\s+(?:the\s+)?$"), reverse=True,
         before=_r(r"[\d.]+\s?%\s+(?:stake\s+)?(?:of|in)\s+(?:the\s+)?$"), confidence=0.75),
    Rule("part-of.under-control-of", "PART_OF", (ORG,), (ORG,),
         _r(r"^\s*,?\s*(?:a |an |the )?(?:[\w-]+\s+){0,5}?under the (?:[\w-]+ )?(?:auspices|control|supervision|"
            r"umbrella|administration|ownership|purview|leadership) of\s+(?:the\s+)?$"), confidence=0.75),
    Rule("part-of.after-control-of", "PART_OF", (ORG,), (ORG,),
         _r(r"^\s*,\s*$"), reverse=True,
         before=_r(r"\bunder the (?:[\w-]+ )?(?:auspices|control|supervision|umbrella|administration|ownership|"
                   r"purview) of\s+(?:the\s+)?$"), confidence=0.7),
    Rule("part-of.owned-by", "PART_OF", (ORG,), (ORG,),
         _r(r"^\s*,?\s*(?:which is |that is |is |was |now )?(?:a (?:[\w-]+ ){0,3}?)?(?:wholly |majority |fully )?"
            r"(?:owned|controlled|acquired|run|bought) by\s+(?:the\s+)?$"), confidence=0.75,
         not_before=_r(r"%\s+(?:stake\s+)?(?:of|in)\s+(?:the\s+)?$"),
         not_after=_r(r"^\s*(?:'s|’s)\s+(?:[\w.%-]+\s+){0,3}?(?:creditors|shareholders|investors|owners|founders|"
                      r"employees|customers|lenders|bondholders|subsidiary|unit|division|affiliate|arm)")),
    Rule("part-of.its-parent", "PART_OF", (ORG,), (ORG,),
         _r(r"^.{0,80}?\bits\s+(?:[\w-]+\s+){0,3}?(?:parent(?: company)?|owner|holding company)\s*,?\s*$"),
         confidence=0.85, adjacent=False,
         needs=("its",)),
    Rule("part-of.parent-subsidiary", "PART_OF", (ORG,), (ORG,),
         _r(rf"^\s*{_POSS}?\s*(?:[\w.%-]+\s+){{0,3}}?(?:wholly[- ]owned |majority[- ]owned )?"
            r"(?:subsidiary|unit|division|arm|affiliate)\s*(?:,|called|named|known as)?\s*$"), reverse=True,
         confidence=0.85),
    Rule("part-of.under", "PART_OF", (ORG,), (ORG,),
         _r(r"^\s*,?\s*(?:which (?:is |operates |sits )?|that (?:is )?)?(?:under|within|part of|operating under)"
            r"\s+(?:the\s+)?(?:[\w-]+\s+)?$"),
         confidence=0.7),
    Rule("part-of.merged-into", "PART_OF", (ORG,), (ORG,),
         _r(r"^\s*(?:was |were |have been |has been )?(?:merged|folded|absorbed|integrated) into\s+(?:the\s+)?$"),
         confidence=0.7),
    # LOCATED_IN ---------------------------------------------------------------------------------
    Rule("located.based-in", "LOCATED_IN", (ORG, PLACE), (PLACE,),
         _r(rf"^\s*,?\s*(?:which is |that is |is |was |are |its |a |an |the )?(?:[\w-]+\s+){{0,6}}?{_LOC_VERB}\s+"
            r"(?:in|at|near|on)\s+(?:the\s+)?$"), confidence=0.9,
         # not the owner named inside an appositive: "X, a unit of Y, is based in Z" places X
         not_before=_r(r",\s*(?:a|an|the|its)\s+(?:[\w-]+\s+){0,3}?(?:unit|subsidiary|division|arm|affiliate|"
                       r"branch|member|part|partner|customer|supplier|shareholder)\s+(?:of|to|in)\s+(?:the\s+)?$"),
         needs=_LOC_WORDS),
    Rule("located.based-in-possessive", "LOCATED_IN", (ORG,), (PLACE,),
         _r(rf"^\s*,?\s*(?:which is |that is |is |was |its |a |an |the )?(?:[\w-]+\s+){{0,6}}?{_LOC_VERB}\s+"
            rf"(?:in|at|near)\s+(?:the\s+)?[^,;]{{2,40}}?{_POSS}\s+$"), adjacent=False, blockers=(ORG,),
         confidence=0.8,
         needs=_LOC_WORDS),
    Rule("located.site-in", "LOCATED_IN", (ORG,), (PLACE,),
         _r(rf"^\s*{_POSS}?\s*(?:[\w-]+\s+){{0,4}}?(?:headquarters|head office|hq|{_SITE})\s+"
            r"(?:is |are |was |will be |located |situated )?(?:in|at|near)\s+(?:the\s+)?$"),
         confidence=0.8),
    Rule("located.builds-in", "LOCATED_IN", (ORG,), (PLACE,),
         # the actor is the subject: the verb follows it, with at most one ", … ," clause between
         _r(r"^\s*(?:,[^,;]{0,100},\s*)?(?:(?:will|would|also|now|recently|plans to|planned to|intends to|aims to|"
            r"is set to|is to|are to|has|have|had|is|are|was|were|to|be|been|currently|then|already|"
            r"jointly|further)\s+)*(?:build|builds|building|built|establish|establishes|established|construct|"
            r"constructs|constructed|open|opens|opened|operate|operates|set up|sets up|locate|locates|"
            r"relocat\w+|expand\w*|develop\w*|launch\w*|start\w*)\b[^;]{0,170}?\b(?:in|on|at|near)\s+(?:the\s+)?$"),
         confidence=0.65, adjacent=False,
         not_before=_r(r"\b(?:its|their|the)\s+(?:[\w-]+\s+){0,3}?(?:parent(?: company)?|partner|subsidiary|"
                       r"owner|customer|unit|shareholders?)\s*$")),
    Rule("located.place-based-org", "LOCATED_IN", (PLACE,), (ORG,),
         _r(r"^\s*-?\s*(?:based|headquartered)\s+(?:[\w-]+\s+){0,5}?$"), reverse=True, confidence=0.85),
    Rule("located.place-s-place", "LOCATED_IN", (PLACE,), (PLACE,),
         _r(rf"^\s*(?:{_PLACE_WORD}\s*)?{_POSS}\s+$"), reverse=True, confidence=0.7, expand=False),
    Rule("located.place-s-body", "LOCATED_IN", (PLACE,), (ORG,),
         _r(rf"^\s*{_POSS}\s+(?:(?:new|own|national|federal|state|top|main|powerful)\s+)?$"), reverse=True,
         second_text=_r(r"\b(?:Ministry|Department|Agency|Board|Commission|Council|Parliament|Government|Office|"
                        r"Bureau|Administration|Authority|Court|Senate|Congress|Army|Party|Exchange|University|"
                        r"Institute|Survey|Service|Committee|Cabinet|Regulator)\b"), confidence=0.7, expand=False),
    Rule("located.head-office-paren", "LOCATED_IN", (ORG,), (PLACE,),
         _r(r"^\s*\(\s*(?:head office|headquarters|hq|head-office|registered office)\s*:\s*$"), confidence=0.85),
    Rule("located.appositive-site-in", "LOCATED_IN", (PLACE,), (PLACE,),
         _r(rf"^\s*(?:(?:rare earths? )?{_SITE}\s*)?,\s*(?:the|a|an) (?:[\w-]+,?\s+){{0,8}}?{_PLACE_WORD}"
            r"\s+(?:of scale\s+)?(?:in|within)\s+(?:the\s+)?$"), confidence=0.7),
    Rule("located.place-in-place", "LOCATED_IN", (PLACE,), (PLACE,),
         _r(rf"^\s*(?:(?:rare[- ]earths? )?(?:[\w-]+\s+){{0,2}}?{_PLACE_WORD})?\s*,?\s*"
            rf"(?:(?:a|an|the) (?:[\w-]+ ){{0,3}}?{_PLACE_WORD} )?"
            r"(?:which is |located |situated |lies |is )?(?:in|within|of|at)\s+(?:the\s+)?"
            r"(?:(?:north|south|east|west|northern|southern|eastern|western|central|north-?\w+|south-?\w+)\s+)?$"),
         confidence=0.75),
    Rule("located.place-comma-place", "LOCATED_IN", (PLACE,), (PLACE,),  # "Hordal district, Vestland"
         _r(rf"^\s*(?:{_PLACE_WORD}\s*)?,\s*$"), confidence=0.7),
    Rule("located.appositive-place-s", "LOCATED_IN", (ORG,), (PLACE,),
         _r(r"^\s*,\s*(?:a |an |the )?$"),
         after=_r(rf"^\s*{_POSS}\s+(?:[\w-]+\s+){{0,6}}?(?:producer|company|firm|miner|maker|manufacturer|"
                  r"group|enterprise|conglomerate|refiner|supplier|processor|developer|operator|"
                  r"agency|ministry|regulator|exchange|university|champion|giant)\b"),
         confidence=0.75),
    Rule("located.org-in-place", "LOCATED_IN", (ORG,), (PLACE,),
         _r(r"^\s*(?:,\s*)?(?:in|of|at)\s+(?:the\s+)?$"), confidence=0.6),
    Rule("located.comma-country-s-place", "LOCATED_IN", (PLACE,), (PLACE,),
         _r(rf"^\s*,\s*(?:(?:north|south|east|west|central)(?:ern|east|west)?\s+)?[A-Z][\w .-]{{1,30}}?{_POSS}\s+$"),
         adjacent=False, blockers=(ORG, PER, POL), confidence=0.65),
    # OPERATES -----------------------------------------------------------------------------------
    Rule("operates.verb", "OPERATES", (ORG,), (PLACE,),
         _r(r"^\s*,?\s*(?:which |that |also |currently |now )?(?:operates|operated|owns|owned|runs|ran|"
            r"manages|managed|develops|developed|is developing|controls|controlled|acquired|acquires|"
            r"holds|mines|mined|explores|explored|is exploring|took over|will operate|will develop|"
            r"has developed|has operated|operating|developing|owning|undertaking|is undertaking|"
            r"is involved in|involved in|runs|works)\s+"
            r"(?:[\w-]+\s+){0,3}?(?:the\s+|its\s+|a\s+)?$"), confidence=0.85),
    Rule("operates.org-s-site", "OPERATES", (ORG,), (PLACE,),
         _r(rf"^\s*{_POSS}\s*(?:[\w-]+\s+){{0,2}}?$"), after=_r(rf"^\s*(?:rare earths? |[\w-]+ )?{_SITE}\b"),
         confidence=0.8, expand=False),
    Rule("operates.its-site", "OPERATES", (ORG,), (PLACE,),
         _r(r"^[^;]{0,120}?\b(?:its|their)\s+(?:[\w-]+\s+){0,2}?$"),
         after=_r(rf"^\s*(?:rare earths? |[\w-]+ )?{_SITE}\b"), confidence=0.75),
    Rule("operates.owner-of", "OPERATES", (ORG,), (PLACE,),
         _r(r"^\s*,\s*(?:the |its |a |an )?(?:[\w-]+\s+){0,2}?(?:owners?|operators?|developers?|owner and operator)"
            r"\s+of\s+(?:the\s+)?$"), confidence=0.8),
    Rule("operates.its-named-site", "OPERATES", (ORG,), (PLACE,),
         _r(r"^[^;]{0,120}?\b(?:its|their)\s+(?:[\w-]+\s+){0,2}?$"),
         second_text=_r(rf"\b(?:{_SITE}|Project|Mine|Deposit|Plant|Refinery|Complex|Facility)$"),
         confidence=0.75),
    Rule("operates.its-site-in", "OPERATES", (ORG,), (PLACE,),
         _r(rf"^[^;]{{0,160}}?\b(?:its|their)\s+(?:[\w-]+\s+){{0,3}}?(?:{_SITE}|licen[cs]e|permit|concession|"
            r"rights?|stake|interest)\s+(?:in|at|near|for|over|to)\s+(?:the\s+)?$"), adjacent=False,
         blockers=(ORG, PLACE), confidence=0.7),
    Rule("operates.which-org-operates", "OPERATES", (PLACE,), (ORG,),
         _r(rf"^\s*(?:(?:rare earths? )?{_SITE})?\s*,\s*(?:which|that)\s+(?:the\s+)?$"), reverse=True,
         after=_r(r"^\s*(?:also |now |currently |still |has |had )?(?:operates|operated|owns|owned|runs|ran|"
                  r"develops|developed|controls|controlled|mines|mined|acquired|bought)\b"), confidence=0.8),
    Rule("operates.site-of-org", "OPERATES", (PLACE,), (ORG,),
         _r(rf"^\s*(?:rare earths? )?{_SITE}?\s*(?:(?:in|at|near) [^,;]{{2,40}}?\s*)?,?\s*(?:which is |is |was |are |"
            r"were |has been )?(?:owned|operated|run|developed|controlled|managed|held|mined) (?:jointly )?by\s+"
            r"(?:the\s+)?$"), reverse=True, adjacent=False, blockers=(ORG,), confidence=0.85),
    # FUNDS --------------------------------------------------------------------------------------
    Rule("funds.verb-to", "FUNDS", (ORG,), (ORG,),
         _r(rf"^\s*,?\s*(?:has |have |had |will |would |also |recently |on \w+ \d+,? )?{_FUND_VERB}\b[^;]{{0,140}}?"
            r"\b(?:to|in|into|for|with)\s+(?:the\s+)?$"), confidence=0.85),
    Rule("funds.verb-direct", "FUNDS", (ORG,), (ORG,),
         _r(r"^\s*,?\s*(?:has |have |will |also )?(?:funds|funded|finances|financed|backs|backed|"
            r"invested in|invests in|acquired a stake in|took a stake in|holds a stake in|"
            r"bought a stake in|supports|supported)\s+(?:the\s+)?$"), confidence=0.8),
    Rule("funds.received-from", "FUNDS", (ORG,), (ORG,),
         _r(r"^[^;]{0,160}?\b(?:received|receives|secured|secures|won|wins|obtained|obtains|got|"
            r"awarded|granted|raised|raises|drew)\b[^;]{0,160}?\bfrom\s+(?:the\s+)?$"),
         reverse=True, confidence=0.8, adjacent=False,
         needs=("from",)),
    Rule("funds.funded-by", "FUNDS", (ORG,), (ORG,),
         _r(r"^[^;]{0,120}?\b(?:funded|financed|backed|sponsored|supported|underwritten)\s+"
            r"(?:in part |partly |jointly )?by\s+(?:the\s+)?$"), reverse=True, confidence=0.75, adjacent=False,
         needs=("by",)),
    Rule("funds.jointly-owned", "FUNDS", (ORG,), (ORG,),
         _r(r"^[^;]{0,80}?\b(?:jointly|partly|partially|part-|[\d.]+\s?%\s+(?:of [\w\s]{0,30})?)\s*owned\s+by\s+"
            r"(?:the\s+)?$"), reverse=True, confidence=0.75),
    Rule("funds.in-which-stake", "FUNDS", (ORG,), (ORG,),
         _r(r"^\s*,\s*in which\s+(?:the\s+)?$"), reverse=True,
         after=_r(r"^\s*(?:has |had |now )?(?:acquired|took|holds|bought|owns|has|took up) (?:a |an )?"
                  r"(?:[\d.]+\s?% |\w+ )?(?:stake|interest|shareholding|equity)"), confidence=0.8),
    Rule("funds.received-orgs", "FUNDS", (ORG,), (ORG,),
         _r(r"^[^;]{0,100}?\b(?:received|secured|obtained|won)\s+(?:a |an |the )?$"), reverse=True,
         after=_r(rf"^\s*{_POSS}\s+(?:[\w-]+\s+){{0,4}}?(?:loan|grant|funding|support|investment|financing|"
                  r"equity|letter of support|backing)"), confidence=0.75),
    Rule("funds.selected-for-support", "FUNDS", (ORG,), (ORG,),
         _r(r"^\s*(?:was|were|has been|have been|is) (?:selected|chosen|backed|supported) by\s+(?:the\s+)?$"),
         reverse=True, after=_r(r"^[^.;]{0,60}?\bfor (?:support|funding|financing|investment|a grant|a loan)"),
         confidence=0.75),
    Rule("funds.stake", "FUNDS", (ORG,), (ORG,),
         _r(r"^[^;]{0,60}?\b(?:stake|equity|shareholding|interest|investment|loan|grant|"
            r"funding|financing)\s+(?:in|to|for)\s+(?:the\s+)?$"), confidence=0.7),
    # PARTNERS_WITH ------------------------------------------------------------------------------
    Rule("partners.agreement-with", "PARTNERS_WITH", (ORG,), (ORG,),
         _r(rf"^[^;]{{0,140}}?\b{_PARTNER_NOUN}s?\b[^;]{{0,60}}?\bwith\s+(?:the\s+)?$"), confidence=0.8,
         adjacent=False, blockers=(ORG, PER),
         needs=("with",)),
    Rule("partners.verb-with", "PARTNERS_WITH", (ORG,), (ORG,),
         _r(r"^\s*,?\s*(?:has |have |will |also )?(?:partnered|partners|teamed up|teams up|"
            r"collaborat\w+|cooperat\w+|works|worked|working|joined forces|allied|signed)\s+with\s+(?:the\s+)?$"),
         confidence=0.8),
    Rule("partners.supply", "PARTNERS_WITH", (ORG,), (ORG,),
         _r(r"^\s*,?\s*(?:will |has agreed to |agreed to |is to |would )?(?:supply|supplies|"
            r"supplied|sell|sells|sold|deliver|delivers|provide|provides)\s+(?:[\w-]+\s+){0,6}?(?:to\s+)?(?:the\s+)?$"),
         confidence=0.7),
    Rule("partners.and-signed", "PARTNERS_WITH", (ORG,), (ORG,),
         _r(r"^\s*(?:,\s*)?and\s+(?:the\s+)?(?:[\w-]+\s+)?$"),
         after=_r(r"^\s*(?:have |had |has |will |would |today |jointly |on \w+ \d+,? )*"
                  r"(?:(?:signed|agreed|formed|entered|"
                  rf"inked|established|announced|launched|struck|reached|set up)\b[^.;]{{0,80}}?\b{_PARTNER_NOUN}|"
                  r"(?:agreed to|will|plan to|are to) (?:join hands|cooperate|collaborate|partner|work together|"
                  r"jointly)|(?:teamed up|partnered|joined forces|signed))"),
         confidence=0.8),
    Rule("partners.between", "PARTNERS_WITH", (ORG,), (ORG,),
         _r(r"^\s*(?:,\s*)?and\s+(?:the\s+)?$"),
         before=_r(rf"\b{_PARTNER_NOUN}s?\s+(?:[\w-]+\s+){{0,3}}?(?:between|by|of|involving)\s+(?:the\s+)?$"),
         confidence=0.8),
    # ISSUED -------------------------------------------------------------------------------------
    Rule("issued.verb", "ISSUED", (ORG,), (POL,),
         _r(rf"^\s*,?\s*(?:has |have |had |will |jointly |also |recently |on \w+ \d+,? |today )*{_ISSUE_VERB}\b"
            r"(?:[^.;]{0,60}?)\s*(?:the\s+|its\s+|a\s+|an\s+)?$"), confidence=0.85),
    Rule("issued.by", "ISSUED", (POL,), (ORG,),
         _r(rf"^\s*,?\s*(?:\([^)]*\)\s*,?\s*)?(?:which was |that was |was |were |is |are |has been |"
            rf"jointly |first |recently )*(?:{_ISSUE_VERB}|signed|drafted|written|proposed|led|"
            r"adopted|issued)\s+(?:jointly )?by\s+(?:the\s+)?$"), reverse=True, confidence=0.85),
    Rule("issued.org-s-policy", "ISSUED", (ORG,), (POL,),
         _r(rf"^\s*{_POSS}\s*(?:new |latest |recent |own |first )?$"), confidence=0.7, expand=False),
    Rule("issued.policy-of-org", "ISSUED", (POL,), (ORG,),
         _r(r"^\s*(?:of|from)\s+(?:the\s+)?$"), reverse=True, confidence=0.6),
    # AFFECTS ------------------------------------------------------------------------------------
    Rule("affects.verb", "AFFECTS", (POL,), (ORG, PLACE),
         _r(rf"^\s*,?\s*(?:\([^)]*\)\s*,?\s*)?(?:which |that |also |will |would |directly |specifically |"
            rf"has |have |could |may )*{_AFFECT_VERB}\b[^.;]{{0,80}}?$"), confidence=0.75),
    Rule("affects.under", "AFFECTS", (ORG, PLACE), (POL,),
         _r(r"^[^;]{0,160}?\b(?:under|pursuant to|in line with|in accordance with|awarded|granted|"
            r"received|won|secured|selected for|eligible for|benefit\w* from|approved for|"
            r"funded by|financed by|supported by|backed by|with funding from|thanks to|"
            r"subject to|targeted by|affected by|restricted by|covered by|governed by|"
            r"sanctioned under|listed (?:under|in)|from)\s+(?:the\s+|its\s+)?$"),
         reverse=True, confidence=0.7, adjacent=False, blockers=(ORG, POL)),
    Rule("affects.on", "AFFECTS", (POL,), (ORG, PLACE),
         _r(r"^\s*(?:[\w-]+\s+){0,3}?(?:on|against|targeting|for|to|covering)\s+(?:the\s+)?$"),
         confidence=0.55),
    # VISITED ------------------------------------------------------------------------------------
    Rule("visited.verb", "VISITED", (PER, ORG), (ORG, PLACE),
         _r(r"^[^;]{0,80}?\b(?:visited|visits|visiting|toured|tours|inspected|inspects|travell?ed to|"
            r"arrived (?:in|at)|came to|went to|met (?:with )?[^.;]{0,40}? (?:at|in)|held talks (?:at|in)|"
            r"paid a visit to|made a visit to|a visit to|trip to|delegation to)\s+(?:the\s+)?$"),
         confidence=0.85,
         needs=("visit", "tour", "inspect", "travel", "arrived", "came to", "went to", "met", "held talks",
                "trip to", "delegation to")),
    Rule("visited.held-at", "VISITED", (PER, ORG), (ORG, PLACE),
         _r(r"^[^;]{0,200}?\b(?:held at|hosted (?:by|at)|delivered at|took place at|at the invitation of)"
            r"\s+(?:the\s+)?$"),
         confidence=0.6, adjacent=False,
         needs=("held at", "hosted", "delivered at", "took place at", "invitation of")),
)


#: Rules whose finding carries over to the other members of a list.
_EXPANDABLE = frozenset(r.name for r in RULES if r.expand)


@dataclass
class Found:
    """A relation a rule found between two mentions of one sentence."""

    head: int  # mention index
    tail: int
    relation: str
    rule: str
    confidence: float
    title: str | None = None


def find_relations(text: str, mentions: list[tuple[int, int, str]],
                   rules: Iterable[Rule] = RULES, window: int = 260) -> list[Found]:
    """Relations stated in one sentence.

    `mentions` are (start, end, type) character spans in `text`, in order. Pairs further apart
    than `window` characters are not tried.

    >>> s = "Amanda Lacaze, chief executive of Lynas Rare Earths, said the plant is in Kalgoorlie."
    >>> [(f.relation, f.title) for f in find_relations(s, [(0, 13, "Person"), (34, 51, "Organization")])]
    [('HOLDS_POSITION', 'chief executive')]
    """
    out: list[Found] = []
    seen: set[tuple[int, int, str]] = set()
    rules = rules if isinstance(rules, tuple) else tuple(rules)
    by_types = _by_types(rules)
    n = len(mentions)
    group = coordination(text, mentions)
    for i in range(n):
        s1, e1, t1 = mentions[i]
        for j in range(i + 1, n):
            s2, e2, t2 = mentions[j]
            if s2 - e1 > window:
                break
            far = j > i + 1
            candidates = by_types.get((t1, t2, "far") if far else (t1, t2))
            if not candidates:
                continue
            between = _LEAD.sub("", text[e1:s2])
            after = None  # made when a rule's `between` fits: most pairs fit none
            middle = {t for _, _, t in mentions[i + 1:j]} if far else None
            low = None
            for rule in candidates:  # (those for far pairs all skip other mentions)
                if far and rule.blockers and not middle.isdisjoint(rule.blockers):
                    continue
                if rule.needs_pattern is not None:
                    if low is None:
                        low = between.lower()
                    if rule.needs_pattern.search(low) is None:
                        continue
                m = rule.between.match(between)
                if m is None:
                    continue
                if after is None:
                    after = _PAREN.sub("", text[e2:e2 + 160])
                if rule.before is not None and not rule.before.search(text[max(0, s1 - 120):s1]):
                    continue
                if rule.after is not None and not rule.after.match(after):
                    continue
                if rule.not_before is not None and rule.not_before.search(text[max(0, s1 - 120):s1]):
                    continue
                if rule.not_after is not None and rule.not_after.match(after):
                    continue
                if rule.second_text is not None and not rule.second_text.search(text[s2:e2]):
                    continue
                head, tail = (j, i) if rule.reverse else (i, j)
                key = (head, tail, rule.relation)
                if key in seen:
                    break
                seen.add(key)
                title = m.groupdict().get("title2") or m.groupdict().get("title")
                if title is None and rule.after is not None:
                    am = rule.after.match(after)
                    title = am.groupdict().get("title") if am else None
                if title is None and rule.before is not None:
                    bm = rule.before.search(text[max(0, s1 - 120):s1])
                    title = bm.groupdict().get("title") if bm else None
                out.append(Found(head, tail, rule.relation, rule.name, rule.confidence,
                                 _clean_title(title) if title else rule.title))
                break
    # "funded by X and Y", "in Western Australia and Malaysia": what holds for one member of a
    # coordinated list holds for the others
    expandable = _EXPANDABLE if rules is RULES else {r.name for r in rules if r.expand}
    members: dict[int, list[int]] | None = None  # the mentions of each group, in order
    for f in list(out):
        if group[f.head] == group[f.tail] or f.rule not in expandable:
            continue
        first, second = min(f.head, f.tail), max(f.head, f.tail)
        relative = _RELATIVE.match(text[mentions[first][1]:mentions[second][0]])
        if members is None:
            members = {}
            for k, g in enumerate(group):
                members.setdefault(g, []).append(k)
        heads = [h for h in members[group[f.head]] if h == f.head or not (relative and f.head == first)]
        tails = [t for t in members[group[f.tail]] if t == f.tail or (
            not (relative and f.tail == first) and not (f.relation == "LOCATED_IN" and mentions[f.head][2] == "Place"))]
        for h in heads:
            for t in tails:
                if (h, t) != (f.head, f.tail) and (h, t, f.relation) not in seen \
                        and mentions[h][2] == mentions[f.head][2] and mentions[t][2] == mentions[f.tail][2]:
                    seen.add((h, t, f.relation))
                    out.append(Found(h, t, f.relation, f.rule + "+list", f.confidence * 0.9, f.title))
    return out


#: A relative clause attaches to the nearest member of a list only ("A and B, which is owned by C").
_RELATIVE = re.compile(r"^[)”\"’'\]]*\s*,\s*(?:which|who|that|whose)\b", re.I)
_BY_TYPES: dict[int, tuple[tuple[Rule, ...], dict[tuple[str, str], list[Rule]]]] = {}


def _by_types(rules: tuple[Rule, ...]) -> dict[tuple[str, str], list[Rule]]:
    """The rules that may join a mention of one type to a later one of another, in order
    (cached by the identity of the rule table: hashing compiled patterns is slow)."""
    cached = _BY_TYPES.get(id(rules))
    if cached is None or cached[0] is not rules:
        index: dict[tuple, list[Rule]] = {}
        for rule in rules:
            for t1 in rule.first:
                for t2 in rule.second:
                    index.setdefault((t1, t2), []).append(rule)
                    if not rule.adjacent:  # the rules that may skip over other mentions
                        index.setdefault((t1, t2, "far"), []).append(rule)
        cached = _BY_TYPES[id(rules)] = (rules, index)
    return cached[1]


_COORD = re.compile(r"^\s*(?:,\s*(?:and|or|&)?|and|or|&|-|–|/)\s*(?:the\s+)?$", re.I)


def coordination(text: str, mentions: list[tuple[int, int, str]]) -> list[int]:
    """Group ids of mentions: mentions of one type joined by "and", "&", "/", a hyphen, or by
    commas in a list that ends with "and" ("A, B and C") share a group; others stand alone."""
    group = list(range(len(mentions)))
    k = 0
    while k < len(mentions) - 1:
        j = k
        commas_only = True
        while j + 1 < len(mentions) and mentions[j + 1][2] == mentions[k][2] \
                and _COORD.match(text[mentions[j][1]:mentions[j + 1][0]]):
            between = text[mentions[j][1]:mentions[j + 1][0]].strip().lower()
            commas_only = commas_only and between == ","
            j += 1
        if j > k and not commas_only:
            for m in range(k, j + 1):
                group[m] = k
        k = j + 1
    return group


def _clean_title(title: str) -> str:
    """"a senior regional political adviser and vice president" -> "vice president": a long
    first conjunct is a different role; "CEO and Managing Director" stays whole."""
    title = " ".join(title.split()).strip(" ,")
    title = re.sub(r"^(?:the|a|an|its|their|his|her)\s+", "", title, flags=re.I)
    parts = re.split(r"\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+", title)
    if len(parts) > 1 and len(parts[0].split()) >= 3 and not _COMPANY_TITLE.search(parts[0]):
        title = re.sub(r"^(?:the|a|an)\s+", "", parts[-1], flags=re.I)
    return title


#: Titles held in the organization named after them; a long first part without one is a
#: different role ("a senior regional political adviser and vice president of …").
_COMPANY_TITLE = re.compile(r"\b(?:chief|ceo|cfo|coo|officer|director|chair\w*|president|founder|head|managing|"
                            r"minister|secretary|governor|commissioner)\b", re.I)
