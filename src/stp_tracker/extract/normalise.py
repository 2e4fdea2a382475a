"""Normalisation: the comparison keys that make formatting differences not count as change.

"Needs most improvement", "needs-most-improvement" and "Red" are one band; "Dr Amanda Doyle" and
"Amanda Doyle OBE" are one person; "1,234" and "1234.0" are one number. Each function returns a
(display value, comparison key, number) triple or raises ValueError with a reason for the user.
"""

from __future__ import annotations

import math
import re
import unicodedata

from ..config import Scale

_TITLES = {
    "dr",
    "sir",
    "dame",
    "professor",
    "prof",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "cllr",
    "councillor",
    "lord",
    "lady",
    "baroness",
    "baron",
    "rt",
    "hon",
    "the",
    "revd",
    "rev",
}
_HONOURS = {
    "cbe",
    "obe",
    "mbe",
    "kbe",
    "dbe",
    "frcp",
    "frcs",
    "frcgp",
    "frcpsych",
    "fmedsci",
    "phd",
    "md",
    "kt",
    "dl",
    "jp",
    "qc",
    "kc",
    "bm",
    "mb",
    "chb",
    "bs",
    "frcpch",
    "frcog",
    "frca",
    "rn",
    "mba",
    "mrcgp",
    "cb",
    "bch",
}
_NAME_SUFFIXES = (
    "sustainability and transformation partnership",
    "sustainability and transformation plan",
    "integrated care board",
    "integrated care system",
    "health and social care partnership",
    "health and care partnership",
    "health and care",
    "partnership",
    "footprint",
    "stp",
    "ics",
    "icb",
)
_METRIC_NOISE = re.compile(r"[,£$%\s]")


def fold(text: str) -> str:
    """Lower case, accents folded, apostrophes dropped, other punctuation to spaces."""
    if text.isascii() and (text.isalnum() or _plain_words(text)):  # E54000041, "Location 7"
        return text.lower()  # nothing to fold but case
    return _folded(text)


def _plain_words(text: str) -> bool:
    """Whether an ASCII text is words of letters and digits one space apart (so folding it
    only lowers its case), judged by string methods in C."""
    return text.replace(" ", "").isalnum() and "  " not in text and text[0] != " " != text[-1]


def _folded(text: str) -> str:
    """`fold` of any text."""
    if not text.isascii():
        text = re.sub(r"[\u2019\u2018\u02bc]", "", text)
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
    text = text.replace("'", "")
    text = re.sub(r"[^a-z0-9]+", " ", text.lower())
    return " ".join(text.split())


def band(raw: str, scale: Scale) -> tuple[str, str, float]:
    """The canonical band of `scale` that `raw` names, its key, and its rank (1 = worst)."""
    word = fold(raw)
    for label in scale.labels:
        if fold(label) == word:
            return label, label, float(scale.rank(label))
    for synonym, label in scale.synonyms.items():
        if fold(synonym) == word:
            return label, label, float(scale.rank(label))
    bands = ", ".join(scale.labels)
    raise ValueError(f"{raw!r} is not a band of scale {scale.name} ({bands})")


def person(raw: str) -> tuple[str, str, None]:
    """A person's name as written, and a key without titles, honours, case or punctuation."""
    words = fold(raw).split()
    while words and words[0] in _TITLES:
        words.pop(0)
    while words and words[-1] in _HONOURS:
        words.pop()
    if not words:
        raise ValueError(f"{raw!r} is not a person's name")
    return " ".join(raw.split()), " ".join(words), None


def number(raw: str) -> tuple[str, str, float]:
    """A metric's value: numbers compare as numbers whatever their formatting."""
    text = _METRIC_NOISE.sub("", raw)
    if text.startswith("(") and text.endswith(")"):
        text = "-" + text[1:-1]
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{raw!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{raw!r} is not a number (a missing or error cell?)")
    key = repr(int(value)) if value.is_integer() else repr(value)
    return " ".join(raw.split()), key, value


def text(raw: str) -> tuple[str, str, None]:
    """Free text: compared without case, punctuation or spacing differences."""
    return " ".join(raw.split()), fold(raw), None


def value_for(attribute: str, raw: str, scale: Scale | None) -> tuple[str, str, float | None]:
    """Normalise `raw` as the kind of value `attribute` holds."""
    if attribute.startswith("rating.") and scale is not None:
        return band(raw, scale)
    if attribute.startswith("leader."):
        return person(raw)
    if attribute.startswith("metric."):
        return number(raw)
    return text(raw)


def org_name(name: str) -> str:
    """An organisation name reduced for matching: no case, '&', 'the', or STP/ICB suffixes."""
    words = fold(name.replace("&", " and ")).split()
    words = [w for w in words if w != "the"]
    if words and words[0] == "nhs":
        words = words[1:]
    reduced = " ".join(words)
    changed = True
    while changed:
        changed = False
        for suffix in _NAME_SUFFIXES:
            if reduced.endswith(" " + suffix):
                reduced, changed = reduced[: -len(suffix) - 1], True
    return reduced
