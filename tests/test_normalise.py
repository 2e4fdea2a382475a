"""Normalisation keys: bands, people, numbers, free text and organisation names."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stp_tracker.config import Scale
from stp_tracker.config.loading import load_scales
from stp_tracker.extract.normalise import (
    _folded,
    band,
    fold,
    number,
    org_name,
    person,
    text,
    value_for,
)

NMI, PROGRESS, ADVANCED, OUTSTANDING = (
    "Needs most improvement",
    "Making progress",
    "Advanced",
    "Outstanding",
)
RANK = {NMI: 1.0, PROGRESS: 2.0, ADVANCED: 3.0, OUTSTANDING: 4.0}


@pytest.fixture(scope="module")
def scale() -> Scale:
    """The bundled stp-2017 scale."""
    path = Path(str(resources.files("stp_tracker") / "data" / "scales.toml"))
    return load_scales(path)["stp-2017"]


@pytest.mark.parametrize(
    ("raw", "label"),
    [
        (OUTSTANDING, OUTSTANDING),
        ("outstanding", OUTSTANDING),
        ("  OUTSTANDING ", OUTSTANDING),
        ("Green", OUTSTANDING),
        ("green", OUTSTANDING),
        ("1", OUTSTANDING),
        (" 1 ", OUTSTANDING),
        ("Category 1", OUTSTANDING),
        ("category-1", OUTSTANDING),
        ("Advanced", ADVANCED),
        ("Yellow", ADVANCED),
        ("2", ADVANCED),
        ("CATEGORY 2", ADVANCED),
        ("Making progress", PROGRESS),
        ("making-progress", PROGRESS),
        ("Orange", PROGRESS),
        ("3", PROGRESS),
        ("Progressing", PROGRESS),
        ("Needs most improvement", NMI),
        ("needs-most-improvement", NMI),
        ("Needs  Most   Improvement", NMI),
        ("needs_most_improvement", NMI),
        ("Red", NMI),
        ("4", NMI),
        ("Category 4", NMI),
        ("Needs improvement", NMI),
        ("Most improvement needed", NMI),
    ],
)
def test_band_synonyms(scale: Scale, raw: str, label: str) -> None:
    """Every way the 2017 scale was written maps to one canonical band, key and rank."""
    assert band(raw, scale) == (label, label, RANK[label])


def test_band_rank_order(scale: Scale) -> None:
    """Rank 1 is the worst band (Needs most improvement), 4 the best (Outstanding)."""
    assert scale.labels == (NMI, PROGRESS, ADVANCED, OUTSTANDING)
    assert [scale.rank(label) for label in scale.labels] == [1, 2, 3, 4]


def test_category_numbers_run_opposite_to_rank(scale: Scale) -> None:
    """Dashboard category 1 is the best band, so its rank is the highest."""
    assert [band(str(n), scale)[2] for n in (1, 2, 3, 4)] == [4.0, 3.0, 2.0, 1.0]


@pytest.mark.parametrize("raw", ["Purple", "", "5", "Category 5", "Outstanding!!! maybe"])
def test_band_unknown_word(scale: Scale, raw: str) -> None:
    """A word that is no band raises ValueError naming the scale and listing its bands."""
    with pytest.raises(ValueError) as info:
        band(raw, scale)
    assert str(info.value) == (
        f"{raw!r} is not a band of scale stp-2017 "
        "(Needs most improvement, Making progress, Advanced, Outstanding)"
    )


def test_band_small_scale() -> None:
    """band() works for any scale, ranking by label position."""
    small = Scale(name="yn", labels=("No", "Yes"), synonyms={"Y": "Yes", "N": "No"})
    assert band("y", small) == ("Yes", "Yes", 2.0)
    assert band("NO", small) == ("No", "No", 1.0)


@pytest.mark.parametrize(
    ("raw", "display", "key"),
    [
        ("Dr Amanda Doyle", "Dr Amanda Doyle", "amanda doyle"),
        ("Amanda Doyle OBE", "Amanda Doyle OBE", "amanda doyle"),
        ("amanda  doyle", "amanda doyle", "amanda doyle"),
        ("  Dr. Amanda Doyle, OBE ", "Dr. Amanda Doyle, OBE", "amanda doyle"),
        ("Sir Andrew Cash", "Sir Andrew Cash", "andrew cash"),
        ("Andrew Cash", "Andrew Cash", "andrew cash"),
        ("Sir Andrew Cash OBE", "Sir Andrew Cash OBE", "andrew cash"),
        ("Professor Sir Andrew Morris CBE", "Professor Sir Andrew Morris CBE", "andrew morris"),
        ("Prof Andrew Morris FRCP FMedSci", "Prof Andrew Morris FRCP FMedSci", "andrew morris"),
        ("Dame Jackie Daniel DBE", "Dame Jackie Daniel DBE", "jackie daniel"),
        ("Cllr Jane Smith", "Cllr Jane Smith", "jane smith"),
        ("Siobhan O'Neill", "Siobhan O'Neill", "siobhan oneill"),
        ("Siobhan O’Neill", "Siobhan O’Neill", "siobhan oneill"),
        ("José Álvarez", "José Álvarez", "jose alvarez"),
        ("Mary Smith-Jones", "Mary Smith-Jones", "mary smith jones"),
    ],
)
def test_person(raw: str, display: str, key: str) -> None:
    """A name keeps its written form (spacing collapsed) and keys without titles or honours."""
    assert person(raw) == (display, key, None)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Dr Amanda Doyle", "Amanda Doyle OBE"),
        ("Amanda Doyle OBE", "amanda  doyle"),
        ("Sir Andrew Cash", "Andrew Cash"),
        ("Professor Sir Andrew Morris CBE", "Andrew Morris"),
    ],
)
def test_person_same_key(a: str, b: str) -> None:
    """Titles, honours, case and spacing do not make a different person."""
    assert person(a)[1] == person(b)[1]


def test_person_different_people() -> None:
    """Different names keep different keys."""
    assert person("Andrew Cash")[1] != person("Andrew Morris")[1]


@pytest.mark.parametrize("raw", ["Dr", "Dr.", "Sir", "Professor Sir", "OBE", "Sir OBE", "", "  "])
def test_person_title_only(raw: str) -> None:
    """A name that is only titles or honours (or nothing) raises ValueError."""
    with pytest.raises(ValueError, match="is not a person's name"):
        person(raw)


@pytest.mark.parametrize(
    ("raw", "display", "key", "value"),
    [
        ("1,234", "1,234", "1234", 1234.0),
        ("1234.0", "1234.0", "1234", 1234.0),
        ("1234", "1234", "1234", 1234.0),
        (" 1 234 ", "1 234", "1234", 1234.0),
        ("12.5%", "12.5%", "12.5", 12.5),
        ("12.50", "12.50", "12.5", 12.5),
        ("(3)", "(3)", "-3", -3.0),
        ("(1,234.5)", "(1,234.5)", "-1234.5", -1234.5),
        ("-3", "-3", "-3", -3.0),
        ("£1,000", "£1,000", "1000", 1000.0),
        ("0", "0", "0", 0.0),
        ("1e3", "1e3", "1000", 1000.0),
    ],
)
def test_number(raw: str, display: str, key: str, value: float) -> None:
    """Numbers key by value whatever their commas, currency, percent or bracket negatives."""
    assert number(raw) == (display, key, value)


def test_number_same_key() -> None:
    """'1,234' and '1234.0' are one number."""
    assert number("1,234")[1] == number("1234.0")[1]


@pytest.mark.parametrize("raw", ["abc", "", "n/a", "-", "1.2.3", "twelve", "(3"])
def test_number_rejects_non_numbers(raw: str) -> None:
    """Text that is no number raises ValueError quoting it."""
    with pytest.raises(ValueError) as info:
        number(raw)
    assert str(info.value) == f"{raw!r} is not a number"


@pytest.mark.parametrize("raw", ["nan", "NaN", "inf", "-Infinity"])
def test_number_rejects_nan_and_infinity(raw: str) -> None:
    """'NaN' and 'inf' (a spreadsheet's missing or error cell) are not metric values."""
    with pytest.raises(ValueError, match="is not a number"):
        number(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Hello,   World! ", ("Hello, World!", "hello world", None)),
        ("A&E", ("A&E", "a e", None)),
        ("", ("", "", None)),
    ],
)
def test_text(raw: str, expected: tuple) -> None:
    """Free text displays with spacing collapsed and keys without case or punctuation."""
    assert text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Café  Ünïcode", "cafe unicode"),
        ("  West-Yorkshire & Harrogate ", "west yorkshire harrogate"),
        ("E54000005", "e54000005"),
        ("...", ""),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    """fold() lowercases, strips accents, turns punctuation to spaces and collapses spaces."""
    assert fold(raw) == folded


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Together We’re Better", "Together We're Better"),
        ("Bath–Swindon", "Bath-Swindon"),
        ("Bath—Swindon", "Bath Swindon"),
    ],
)
def test_fold_unicode_punctuation(a: str, b: str) -> None:
    """Typographic apostrophes and dashes fold the same as their ASCII forms."""
    assert fold(a) == fold(b)


def test_value_for_dispatch(scale: Scale) -> None:
    """value_for picks band/person/number/text by the attribute's prefix."""
    assert value_for("rating.overall", "Green", scale) == (OUTSTANDING, OUTSTANDING, 4.0)
    assert value_for("leader.chair", "Dr Amanda Doyle", scale) == (
        "Dr Amanda Doyle",
        "amanda doyle",
        None,
    )
    assert value_for("metric.beds", "1,234", None) == ("1,234", "1234", 1234.0)
    assert value_for("org.name", "The  Black Country", scale) == (
        "The Black Country",
        "the black country",
        None,
    )


def test_value_for_rating_without_scale_is_text() -> None:
    """A rating with no scale configured is compared as free text."""
    assert value_for("rating.overall", "Green", None) == ("Green", "green", None)


def test_value_for_errors_propagate(scale: Scale) -> None:
    """Bad values for typed attributes raise ValueError."""
    with pytest.raises(ValueError, match="not a band"):
        value_for("rating.overall", "Purple", scale)
    with pytest.raises(ValueError, match="not a person"):
        value_for("leader.chair", "Dr", scale)
    with pytest.raises(ValueError, match="not a number"):
        value_for("metric.beds", "many", scale)


@pytest.mark.parametrize(
    ("name", "reduced"),
    [
        ("Lancashire & South Cumbria", "lancashire and south cumbria"),
        ("Lancashire and South Cumbria", "lancashire and south cumbria"),
        ("The Black Country", "black country"),
        ("Black Country", "black country"),
        ("Cornwall and the Isles of Scilly", "cornwall and isles of scilly"),
        ("Cheshire and Merseyside Health and Care Partnership", "cheshire and merseyside"),
        ("Greater Manchester Health and Social Care Partnership", "greater manchester"),
        ("Nottingham and Nottinghamshire Health and Care", "nottingham and nottinghamshire"),
        ("Devon STP", "devon"),
        ("Devon Sustainability and Transformation Partnership", "devon"),
        ("Devon Sustainability and Transformation Plan", "devon"),
        ("Devon ICS", "devon"),
        ("Devon ICB", "devon"),
        ("NHS Devon ICB", "devon"),
        ("NHS Devon Integrated Care Board", "devon"),
        ("NHS DEVON INTEGRATED CARE BOARD", "devon"),
        ("Frimley Health and Care ICS", "frimley"),
        (
            "West Yorkshire and Harrogate (Health and Care Partnership)",
            "west yorkshire and harrogate",
        ),
        ("Devon Footprint", "devon"),
        ("Frimley Health", "frimley health"),
        ("NHS", ""),
        ("STP", "stp"),
    ],
)
def test_org_name(name: str, reduced: str) -> None:
    """Organisation names lose case, '&', 'the', a leading NHS and STP/ICB suffixes."""
    assert org_name(name) == reduced


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Lancashire & South Cumbria", "Lancashire and South Cumbria"),
        ("The Black Country", "Black Country"),
        ("Cheshire and Merseyside Health and Care Partnership", "Cheshire and Merseyside"),
        ("Kent and Medway STP", "Kent and Medway"),
        ("NHS Kent and Medway Integrated Care Board", "Kent and Medway ICB"),
        (
            "Durham, Darlington & Tees, Hambleton, Richmondshire & Whitby",
            "Durham, Darlington and Tees, Hambleton, Richmondshire and Whitby",
        ),
    ],
)
def test_org_name_same(a: str, b: str) -> None:
    """Formatting variants of one organisation's name reduce to the same key."""
    assert org_name(a) == org_name(b)


@settings(max_examples=3000)
@given(
    st.one_of(
        st.text(st.sampled_from("aZ0 "), max_size=8),  # plain words, or nearly
        st.text(st.sampled_from("aZ09 -'é\u2019\t_."), max_size=12),
    )
)
def test_a_plain_text_folds_as_any_text_does(text: str) -> None:
    """fold's shortcut for plain ASCII words (lower case only) gives what folding in full
    gives, whatever the text."""
    assert fold(text) == _folded(text)
