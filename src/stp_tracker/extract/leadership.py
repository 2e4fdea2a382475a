"""The words of leadership news: the posts a partnership has, and the patterns that say
what happened to one (appointed, leaving, changed, not appointed, ...), checked in order so the
first kind that matches a stretch of a clause owns it ("failed to appoint" is not appointed).
"""

from __future__ import annotations

import re

from .text import word_set

ROLES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("senior", "responsible", "officer"), "stp_lead"),
    (("single", "chief", "officer"), "chief_officer"),
    (("joint", "accountable", "officer"), "chief_officer"),
    (("accountable", "officer"), "chief_officer"),
    (("chief", "officer"), "chief_officer"),
    (("programme", "director"), "programme_director"),
    (("clinical", "lead"), "clinical_lead"),
    (("independent", "chair"), "chair"),
    (("stp", "leadership"), "stp_lead"),
    (("sro",), "stp_lead"),
    (("chairman",), "chair"),
    (("chairwoman",), "chair"),
    (("chairperson",), "chair"),
    (("chair",), "chair"),
    (("chairs",), "chair"),
    (("leader",), "stp_lead"),
    (("leaders",), "stp_lead"),
    (("lead",), "stp_lead"),
    (("leads",), "stp_lead"),
    (("leadership",), "stp_lead"),
    (("led",), "stp_lead"),
)
# Words that may stand just before a role word: others make it another post ("council
# leader", "trust chair", "digital lead").
ROLE_QUALIFIERS = word_set(
    "stp stps footprint footprints programme partnership partnerships system its their the a an "
    "new interim acting permanent substantive independent joint overall senior single first "
    "second third fourth former previous current board as of and by whose s named appointed "
    "confirmed chosen selected become becomes became replace replaces replaced succeed over"
)
BACKGROUND = "background"
ROLE_WORD = r"(?:lead|leader|leadership|chair|chairman|chairwoman|officer|sro)s?"
GAP = r"(?:[\w'’-]+ ){0,3}?"
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            "not appointed",
            r"\b(?:failed|fails|failing|unable|struggled|struggling|yet) to "
            r"(?:appoint|recruit|find|fill)\b|\b(?:has|have|had|is|are) (?:still )?(?:not|yet to) "
            r"(?:appointed|recruited|found)\b|\b(?:could|did|can) ?not (?:appoint|recruit|find)"
            rf"\b|\bnot (?:been )?able to (?:appoint|recruit|find)\b|\bno {GAP}{ROLE_WORD} "
            r"(?:has|have|had) (?:yet )?been (?:appointed|found|recruited)\b|\b(?:has|have|had|"
            r"is|are|was|were) (?:still )?not (?:yet )?(?:been )?(?:appointed|found|recruited)\b|"
            r"\byet to be (?:appointed|found|recruited)\b|\b(?:efforts?|"
            r"attempts?|bids?|search|hunt|recruitment) (?:for|to (?:appoint|recruit|find)) "
            rf"{GAP}{ROLE_WORD} (?:[\w'’-]+ ){{0,4}}?(?:failed|fails|came to nothing|come to "
            r"nothing|collapsed|(?:was|were|proved) unsuccessful|stalled)\b",
        ),
        (
            "vacant",
            rf"\b(?:has|have|had) no (?:\w+ )?{ROLE_WORD}\b|"
            r"\bvacan(?:t|cy|cies)\b|\bremains? (?:unfilled|empty|open)\b|\bwithout an? "
            rf"{GAP}{ROLE_WORD}\b|\b(?:is|are|was|were) (?:recruiting|advertising|searching|"
            r"looking) for an? (?:new |permanent )?",
        ),
        (
            "leaving",
            r"\b(?:is|are|was|were) (?:leaving|departing|stepping down|standing down|retiring|"
            r"moving on)\b|\b(?:is|are|was|were) (?:to|set to|due to|expected to|about to|"
            r"poised to) (?:leave|step down|stand down|retire|depart|quit|move on)\b|\bwill "
            r"(?:leave|step down|stand down|retire|depart|quit|be leaving|be stepping down)\b|"
            r"\bannounced (?:his|her|their) (?:departure|retirement|resignation|intention to)\b|"
            r"\b(?:plans|intends|plan|intend) to (?:leave|step down|stand down|retire)\b|\bto "
            rf"(?:step|stand) down\b|\b(?:is|are) (?:losing|to lose) (?:its|their) {GAP}"
            rf"{ROLE_WORD}\b|\b(?:leaving|departing|retiring|stepping down|standing down)"
            r"(?= ?[.;,)]|$)",
        ),
        (
            "stepped down",
            rf"\b(?:has|have|had) lost (?:its|their) {GAP}{ROLE_WORD}\b|"
            r"\b(?:stepped|stood) down\b|\b(?:has|have|had) (?:left|quit|resigned|retired|"
            r"departed)\b|\bresigned\b|\bleft (?:the|his|her|their|its) (?:post|role|job|"
            r"position)\b",
        ),
        (
            "changed",
            rf"\b(?:changed|replaced|switched) (?:its|their|the) {GAP}{ROLE_WORD}\b|"
            rf"\b{ROLE_WORD} (?:has|have|had) (?:\w+ )?(?:changed|been replaced|changed hands)"
            rf"\b|\b(?:change|changes|turnover) (?:of|in) {GAP}{ROLE_WORD}\b|\bnew {GAP}"
            rf"{ROLE_WORD} since\b|\b(?:second|third|fourth|fifth|sixth) {GAP}{ROLE_WORD}\b|"
            rf"\b(?:has|have) had (?:two|three|four|five|\d) (?:different )?{GAP}{ROLE_WORD}\b"
            rf"|\bchanged {ROLE_WORD}\b|\b{ROLE_WORD} (?:changes?|changed)\b|\b(?:has|have|had|"
            rf"got|gets) an? new {GAP}{ROLE_WORD}\b",
        ),
        ("interim", r"\binterim\b|\bacting\b|\btemporar(?:y|ily)\b"),
        (  # when a post was filled, as background to something else: no event of its own
            BACKGROUND,
            r"\b(?:since|when|after|before|until) (?:(?:he|she|they|it|was|were|had|been|first|"
            r"originally|initially|being) )*(?:appointed|named)\b|\boriginal appointment\b",
        ),
        (
            "appointed",
            r"\b(?:appointed|appoints|appoint|named|names|confirmed|chosen|selected|hired|"
            r"recruited|installed)\b|\b(?:take|takes|took|taking) over\b|\bbec(?:o|a)mes?\b|"
            r"\b(?:will replace|replaces|replacing|succeeds|succeeded|to replace|to succeed)\b|"
            rf"\bnew {GAP}{ROLE_WORD} person\b|\b(?:brought|brings|bring|bringing) in\b|"
            r"\b(?:now )?(?:share|shares|sharing) an? (?:single |joint )?(?:chief|accountable) "
            r"officer\b|\b(?:took|takes|take|taking) up (?:the|his|her|their|its) (?:role|post|"
            r"position|job)\b",
        ),
    )
)
TIMES = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
ORDINAL = {"second": 1, "third": 2, "fourth": 3, "fifth": 4, "sixth": 5}
