"""The news rules: what articles in the trade press's style state, and nothing they do not.

The articles are written for these tests in the style of 2017 trade-press reports (lists with
semicolons and "and", counts in words and percentages, officials quoted, abbreviations, a
misspelling, honours); they are not copies of published articles.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from stp_tracker.config.loading import load_scales
from stp_tracker.extract.counts import combine, counts
from stp_tracker.extract.mentions import Gazetteer
from stp_tracker.extract.news import extract_article
from stp_tracker.extract.reading import read_sentence
from stp_tracker.extract.text import sentences, units
from stp_tracker.parse.article import Article
from stp_tracker.resolve.resolver import Resolver

REPO = Path(__file__).resolve().parent.parent
SCALE = load_scales(REPO / "config" / "scales.toml")["stp-2017"]
OUT, ADV, PROG, WORST = "Outstanding", "Advanced", "Making progress", "Needs most improvement"

LEAGUE_TABLE = """Five areas top NHS England's first STP league table

By a staff reporter

NHS England has graded all 44 sustainability and transformation partnerships for the first
time, sorting them into four bands on its new progress dashboard.

Five STPs were rated outstanding: Dorset; Durham, Darlington, Tees, Hambleton, Richmondshire
and Whitby; Frimley Health; Bedfordshire, Luton and Milton Keynes; and South Yorkshire and
Bassetlaw.

Twenty were classed as advanced and 14 as making progress, while a further five were judged
to need most improvement.

At the bottom of the table are Northamptonshire, Staffordshire and Stoke on Trent, Humber,
Coast and Vale, Sussex and East Surrey and Bristol, North Somerset and South Gloucestershire,
which were all put in category four.

Among the STPs rated as making progress were Devon, Lincolnshre, the Black Country, NW London
and Somerset.

"Northumberland, Tyne and Wear has made outstanding progress on urgent care," said one
regional director, who asked not to be named.

Dorset County Hospital was rated outstanding by the Care Quality Commission last year.
Cornwall and the Isles of Scilly has advanced plans to merge its clinical commissioning groups.
Derbyshire is making progress on its deficit. Neither Gloucestershire nor Kent and Medway was
rated outstanding. Herefordshire and Worcestershire could be rated advanced next year.
"""

LEAGUE_RATINGS = {
    **dict.fromkeys(
        ["E54000041", "E54000045", "E54000034", "E54000024", "E54000009"], OUT
    ),
    **dict.fromkeys(
        ["E54000020", "E54000010", "E54000006", "E54000033", "E54000039"], WORST
    ),
    **dict.fromkeys(
        ["E54000037", "E54000013", "E54000016", "E54000027", "E54000038"], PROG
    ),
}  # fmt: skip

LEADERSHIP = """Who leads the STPs? A year of churn

Leadership of the partnerships has been far from stable since the footprints were drawn up.

Devon's STP leader, Alex Morgan, is leaving at the end of the month.

Staffordshire, placed in the bottom category, has had two changes of STP lead and has yet to
appoint an independent chair.

Humber, Coast and Vale's lead was first appointed on an interim basis.

Lincolnshire, North Central London, Hertfordshire and West Essex, Somerset and South West
London have all changed their STP leader since 2016.

Bristol, North Somerset and South Gloucestershire has appointed an independent chair.
Sir Robert Example CBE has been named chair of South Yorkshire and Bassetlaw.
Professor Jane Doe OBE will take over as STP lead for Surrey Heartlands in September.
The chair of Kent and Medway remains vacant.
Greater Manchester's lead, Sam Smith, stepped down last week.

"Good leadership matters, and Dorset shows why," said an NHS England spokesman.
The plans were written under leaders appointed in 2016.
"""

LEADERSHIP_EVENTS = {
    ("E54000037", "leader.stp_lead", "leaving (Alex Morgan)"),
    ("E54000010", "leader.stp_lead", "changed twice"),
    ("E54000010", "leader.chair", "not appointed"),
    ("E54000006", "leader.stp_lead", "interim"),
    *(
        (code, "leader.stp_lead", "changed")
        for code in ("E54000013", "E54000028", "E54000025", "E54000038", "E54000031")
    ),
    ("E54000039", "leader.chair", "appointed"),
    ("E54000009", "leader.chair", "named (Sir Robert Example CBE)"),
    ("E54000035", "leader.stp_lead", "appointed (Professor Jane Doe OBE)"),
    ("E54000032", "leader.chair", "vacant"),
    ("E54000007", "leader.stp_lead", "stepped down (Sam Smith)"),
}


@pytest.fixture
def resolver(db: Database) -> Resolver:
    """The resolver over the bundled registry's STPs."""
    return Resolver.from_db(db, "stp")


def read(text: str, resolver: Resolver, config, **keys):  # type: ignore[no-untyped-def]
    """An article's extraction as the trade-press source reads it."""
    source = config.source("press")
    return extract_article(
        Article(text), source, origin="a.txt", resolver=resolver, scale=SCALE,
        as_of=keys.get("as_of", "2017-07-21"),
    )  # fmt: skip


def rated(extracted) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """org code -> band of the rating facts an extraction states."""
    release = extracted.releases[0] if extracted.releases else None
    if release is None:
        return {}
    return {s.org_code: s.value for s in release.statements if s.attribute == "rating.overall"}


def test_a_league_table_article_states_exactly_its_ratings(resolver, config) -> None:
    """Every (organisation, band) pair of the article, through lists, a misspelling and an
    abbreviation, and not one from a quote, an adjective, a trust, a negation or a maybe."""
    extracted = read(LEAGUE_TABLE, resolver, config)
    assert rated(extracted) == LEAGUE_RATINGS
    (release,) = extracted.releases
    dorset = next(s for s in release.statements if s.org_code == "E54000041")
    assert dorset.note.startswith("Five STPs were rated outstanding: Dorset;")
    assert dorset.publisher == "Trade Paper" and release.effective == "2017-07-21"


def test_a_league_table_article_counts_its_bands(resolver, config) -> None:
    """Counts in words and figures become one reported_counts row, keeping the words."""
    (release,) = read(LEAGUE_TABLE, resolver, config).releases
    (row,) = release.reported_counts
    assert {k: row[k] for k in ("outstanding", "advanced", "making_progress")} == {
        "outstanding": 5, "advanced": 20, "making_progress": 14,
    }  # fmt: skip
    assert row["needs_most_improvement"] == 5
    assert row["publisher"] == "Trade Paper" and "'Twenty were classed as advanced'" in row["note"]


def test_a_leadership_article_reports_its_events(resolver, config) -> None:
    """Leaving, changed (and how often), interim, not appointed, vacant, stepped down and
    named appointments, each for the right organisation and role, and none from a quote."""
    (release,) = read(LEADERSHIP, resolver, config).releases
    assert {(e.org_code, e.attribute, e.what) for e in release.events} == LEADERSHIP_EVENTS
    assert all(e.note and e.reported_on == "2017-07-21" for e in release.events)


def test_a_named_appointment_is_also_a_leader_fact(resolver, config) -> None:
    """A named appointment states the leader, honours kept as written and keyed without."""
    (release,) = read(LEADERSHIP, resolver, config).releases
    leaders = {(s.org_code, s.attribute): s for s in release.statements}
    chair = leaders["E54000009", "leader.chair"]
    assert (chair.value, chair.value_key) == ("Sir Robert Example CBE", "robert example")
    assert leaders["E54000035", "leader.stp_lead"].value == "Professor Jane Doe OBE"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Dorset and Frimley Health were both rated outstanding.", {"E54000041": OUT,
                                                                    "E54000034": OUT}),
        ("Outstanding: Dorset, Somerset.", {"E54000041": OUT, "E54000038": OUT}),
        ("Those rated as needing most improvement include Northamptonshire.", {"E54000020": WORST}),
        ("Somerset was given a rating of 'advanced'.", {"E54000038": ADV}),
        ("Devon (category 3) and Dorset (category 1) were listed.", {"E54000037": PROG,
                                                                     "E54000041": OUT}),
        ("NHS England rated Coventry and Warwickshire as advanced.", {"E54000018": ADV}),
        ("Surrey Heartlands, which was judged to be advanced, thanked its staff.",
         {"E54000035": ADV}),
        ("Kent and Medway was coloured red on the map.", {"E54000032": WORST}),
        ("The top category went to BOB.", {"E54000044": OUT}),
        ("The 14 making progress are: Devon and Somerset.", {"E54000037": PROG,
                                                            "E54000038": PROG}),
        ("The five outstanding STPs are Dorset and Frimley.", {"E54000041": OUT,
                                                              "E54000034": OUT}),
        ("Lincolnshire was one of 14 STPs to be rated making progress.", {"E54000013": PROG}),
        ("Shropshire, Telford and Wrekin; Mid and South Essex – both rated advanced.",
         {"E54000011": ADV, "E54000026": ADV}),
        ("Five STPs - Dorset, Somerset and Devon among them - were rated outstanding.",
         {"E54000041": OUT, "E54000038": OUT, "E54000037": OUT}),
        ("Dorset was rated outstanding, while Devon and Somerset were making progress.",
         {"E54000041": OUT, "E54000037": PROG, "E54000038": PROG}),
        ("The Black Country was among those making progress.", {"E54000016": PROG}),
        ("Of the 14 rated as making progress, two have changed their leader: Devon and "
         "Somerset.", {"E54000037": PROG, "E54000038": PROG}),
        ("The Cornwall STP was rated as making progress.", {"E54000036": PROG}),
        ("Five were placed in category four: Bristol, North Somerset and South Gloucestershire "
         "(BNSSG); Northamptonshire.", {"E54000039": WORST, "E54000020": WORST}),
        ("Frimley Health, which covers part of Surrey, was one of the five rated outstanding.",
         {"E54000034": OUT}),
        ("Dorset, which borders Devon, was rated outstanding.", {"E54000041": OUT}),
        ("Neighbouring Surrey Heartlands was rated advanced.", {"E54000035": ADV}),
        ("Take Staffordshire, which came in the bottom category.", {"E54000010": WORST}),
        ("Five were rated outstanding last Friday, including Dorset and Frimley Health.",
         {"E54000041": OUT, "E54000034": OUT}),
        ("Five were judged to be 'in need of most improvement': Northamptonshire.",
         {"E54000020": WORST}),
        ("Surrey Heartlands, for example, is in category two.", {"E54000035": ADV}),
        ("The Sussex STP was judged as needing most improvement, alongside Northamptonshire.",
         {"E54000033": WORST, "E54000020": WORST}),
        ("Of the 14 making progress, Devon is the largest; Dorset, by contrast, was outstanding.",
         {"E54000037": PROG}),
        ("Category 1 (outstanding): Dorset, Frimley Health\nCategory 4 (needs most "
         "improvement): Northamptonshire", {"E54000041": OUT, "E54000034": OUT,
                                            "E54000020": WORST}),
        ("Devon: making progress. Dorset: outstanding.", {"E54000037": PROG, "E54000041": OUT}),
        ("The Frimley Health and Care system, rated outstanding, is to become an ACS.",
         {"E54000034": OUT}),
        ("Outstanding\nDorset\nFrimley Health\nNeeds most improvement\nNorthamptonshire\n"
         "Staffordshire", {"E54000041": OUT, "E54000034": OUT, "E54000020": WORST,
                           "E54000010": WORST}),
        ("1. Dorset (outstanding)\n2. Devon (making progress)\n3. Staffordshire (needs most "
         "improvement)", {"E54000041": OUT, "E54000037": PROG, "E54000010": WORST}),
        ("Five were rated outstanding:\n\nDorset\n\nFrimley Health\n\nFive were rated as "
         "needing most improvement:\n\nNorthamptonshire", {"E54000041": OUT, "E54000034": OUT,
                                                          "E54000020": WORST}),
        ("Outstanding – Dorset, Frimley Health\nNeeds most improvement – Northamptonshire",
         {"E54000041": OUT, "E54000034": OUT, "E54000020": WORST}),
        ("Outstanding:\nDorset\nFrimley Health\nDevon was disappointed.",
         {"E54000041": OUT, "E54000034": OUT}),
    ],
)  # fmt: skip
def test_sentences_that_state_ratings(resolver, config, sentence, expected) -> None:
    """Each sentence states exactly these ratings."""
    assert rated(read(sentence, resolver, config)) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        '"Dorset is outstanding in every way," said its chief executive.',
        "Devon has advanced plans for a single commissioner.",
        "Somerset is making progress on waiting times.",
        "Staffordshire is in the red again this year.",
        "Dorset County Hospital was rated outstanding by inspectors.",
        "Royal Devon and Exeter was rated outstanding.",
        "Unlike Dorset, outstanding.",
        "Neither Devon nor Somerset was rated outstanding.",
        "Devon hopes to be rated advanced next year.",
        "Was Dorset really outstanding?",
        "Dorset, rated outstanding last year, is now advanced.",
        "The most advanced partnership, Dorset, was praised.",
        "North Somerset council says the rating is unfair.",
        "Outstanding leadership in Greater Manchester was praised by ministers.",
        "The outstanding partnerships include Dorset, the minister said.",
        "Among the STPs that were not rated outstanding were Devon and Somerset.",
        "Somerset and Devon were rated making progress and advanced respectively.",
        "Somerset was rated advanced in its leadership domain.",
        "Frimley Health was rated outstanding for leadership and finance.",
        "The leadership of Somerset was rated advanced.",
        "Devon, which was rated advanced in 2016, has a new plan.",
        "Devon and Somerset were shaded yellow or orange on the map.",
        "Devon was rated between advanced and making progress.",
        "Surrey Heartlands narrowly missed out on being rated outstanding.",
        "The five outstanding STPs do not include Devon.",
        "Of the five rated outstanding, none is in London, where NCL and SWL are based.",
        "Somerset Partnership was rated outstanding by the CQC.",
        "Dorset Outstanding\nDevon Making progress\nStaffordshire Needs most improvement",
    ],
)
def test_sentences_that_state_no_rating(resolver, config, sentence) -> None:
    """An organisation mentioned without a band stated for it yields no rating."""
    assert rated(read(sentence, resolver, config)) == {}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Devon's STP, rated as making progress, is losing its leader Alex Morgan.",
         {("E54000037", "leader.stp_lead", "leaving (Alex Morgan)")}),
        ("In Bristol, North Somerset and South Gloucestershire an independent chair and a "
         "single chief officer have been appointed.",
         {("E54000039", "leader.chair", "appointed"),
          ("E54000039", "leader.chief_officer", "appointed")}),
        ("Somerset has a new STP leader.", {("E54000038", "leader.stp_lead", "changed")}),
        ("Somerset's STP lead has changed three times.",
         {("E54000038", "leader.stp_lead", "changed 3 times")}),
        ("Dorset is on its third STP leader.", {("E54000041", "leader.stp_lead", "changed twice")}),
        ("Staffordshire has still not appointed an independent chair.",
         {("E54000010", "leader.chair", "not appointed")}),
        ("Kent and Medway has no chair.", {("E54000032", "leader.chair", "vacant")}),
        ("Dr Amanda Example, the interim lead of Dorset, said she was delighted.",
         {("E54000041", "leader.stp_lead", "interim (Dr Amanda Example)")}),
        ("Seven have changed their STP lead. They are Devon and Somerset.",
         {("E54000037", "leader.stp_lead", "changed"),
          ("E54000038", "leader.stp_lead", "changed")}),
        ("In Staffordshire, efforts to appoint an independent chair failed.",
         {("E54000010", "leader.chair", "not appointed")}),
        ("Staffordshire's independent chair has not yet been appointed.",
         {("E54000010", "leader.chair", "not appointed")}),
        ("BNSSG has brought in a single chief officer.",
         {("E54000039", "leader.chief_officer", "appointed")}),
        ("Devon: STP leader Alex Morgan leaving.",
         {("E54000037", "leader.stp_lead", "leaving (Alex Morgan)")}),
        ("Somerset's STP lead changed in May.", {("E54000038", "leader.stp_lead", "changed")}),
        ("The chair of Devon, Jo Example, who took up the role in April, spoke.",
         {("E54000037", "leader.chair", "appointed (Jo Example)")}),
        ("Devon has gone its own way. The STP has appointed an independent chair.",
         {("E54000037", "leader.chair", "appointed")}),
        ("The STP lead in Humber, Coast and Vale was appointed on an interim basis.",
         {("E54000006", "leader.stp_lead", "interim")}),
        ("The five needing most improvement are Staffordshire, which failed to appoint an "
         "independent chair; and Humber, Coast and Vale, whose lead is an interim.",
         {("E54000010", "leader.chair", "not appointed"),
          ("E54000006", "leader.stp_lead", "interim")}),
    ],
)  # fmt: skip
def test_sentences_that_report_events(resolver, config, sentence, expected) -> None:
    """Each sentence reports exactly these events."""
    releases = read(sentence, resolver, config).releases
    assert {(e.org_code, e.attribute, e.what) for r in releases for e in r.events} == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Dorset has appointed a new digital lead.",
        "The council leader of Devon, Cllr Jo Bloggs, has resigned.",
        "The chair of Dorset County Hospital is leaving.",
        '"I am stepping down as Devon\'s STP lead," she told the board.',
        "Somerset's plans were praised by its leader.",
        "Will Devon appoint a chair?",
        "Devon was named as one of the best performers.",
        "Somerset has had the same STP lead since first appointed.",
    ],
)
def test_sentences_that_report_no_event(resolver, config, sentence) -> None:
    """An organisation and a leadership word without a reported happening yield no event."""
    releases = read(sentence, resolver, config).releases
    assert [e for r in releases for e in r.events] == []


@pytest.mark.parametrize(
    ("sentence", "column", "value"),
    [
        ("Twelve of the 44 were classed as advanced.", "advanced", 12),
        ("A dozen STPs were judged outstanding.", "outstanding", 12),
        ("A quarter were rated as making progress.", "making_progress", 11),
        ("Just over a third were placed in the making progress band.", "making_progress", 15),
        ("Nearly half were rated advanced.", "advanced", 21),
        ("40% were rated advanced.", "advanced", 18),
        ("45 per cent were rated advanced.", "advanced", 20),
        ("One in five STPs was rated as needing most improvement.", "needs_most_improvement", 9),
        ("Two of the five STPs rated outstanding are in the north.", "outstanding", 5),
        ("Outstanding (5): Dorset; Frimley.", "outstanding", 5),
        ("The remaining 14 were rated as making progress.", "making_progress", 14),
        ("Twenty partnerships are advanced, fourteen making progress.", "advanced", 20),
        ("The others were split between advanced (20) and making progress.", "advanced", 20),
        ("Dorset was one of only five in England to be rated outstanding.", "outstanding", 5),
        ("The dashboard rated 20 STPs as advanced.", "advanced", 20),
        ("Almost half (20) were judged advanced.", "advanced", 20),
        ("Five (11%) were rated outstanding, 20 (45%) advanced.", "advanced", 20),
    ],
)
def test_counts_in_words_figures_and_shares(db, resolver, sentence, column, value) -> None:
    """A count, figure or share before a stated band is that band's count out of 44."""
    gazetteer = Gazetteer.build(resolver, "2017-07-21")
    (parsed,) = sentences(sentence)
    reading = read_sentence(parsed, gazetteer, resolver, SCALE, "2017-07-21", look_closer=True)
    found = combine(counts(reading, 44), 44)
    assert found is not None and found.values[column] == value


@pytest.mark.parametrize(
    "sentence",
    [
        "One of the 44 STPs was rated outstanding.",
        "All 44 were rated.",
        "Five trusts were rated outstanding by inspectors.",
        "The categories run from 1 (outstanding) to 4 (needs most improvement).",
        '"Five of us were rated outstanding," the chief executive said proudly.',
        "Dorset was rated outstanding in 2017.",
        "The other 34 footprints are shaded yellow or orange.",
        "The North has two outstanding STPs.",
        "Of the 209 CCGs, 21 were rated outstanding.",
    ],
)
def test_no_count_without_one(db, resolver, sentence) -> None:
    """Numbers that are not a count of organisations in a band yield no count."""
    gazetteer = Gazetteer.build(resolver, "2017-07-21")
    (parsed,) = sentences(sentence)
    reading = read_sentence(parsed, gazetteer, resolver, SCALE, "2017-07-21", look_closer=True)
    assert counts(reading, 44) == []


def test_a_remainder_and_an_impossible_share(resolver, config) -> None:
    """ "The remainder" is the whole less the other bands; a share that would make the bands
    exceed the whole is left empty, and the note says why."""
    text = (
        "Five were rated outstanding and five as needing most improvement. Twenty are rated "
        "advanced and the remainder as making progress."
    )
    (release,) = read(text, resolver, config).releases
    assert release.reported_counts[0]["making_progress"] == 14
    text = (
        "Five were rated outstanding and five as needing most improvement; 45% were rated "
        "advanced and 19 as making progress."
    )
    (row,) = read(text, resolver, config).releases[0].reported_counts
    assert (row["advanced"], row["making_progress"]) == (None, 19)
    assert "advanced" in row["note"] and "left empty" in row["note"]


def test_an_unknown_name_is_reported_with_its_sentence(resolver, config) -> None:
    """A name in a band's list that matches no organisation is unmatched, the rest applies."""
    extracted = read("Wessex and Solent and Dorset were rated outstanding.", resolver, config)
    assert rated(extracted) == {"E54000041": OUT}
    (unmatched,) = extracted.unmatched
    assert unmatched.name == "Wessex and Solent" and unmatched.row == 1
    assert unmatched.context == "Wessex and Solent and Dorset were rated outstanding."


def test_an_article_stating_nothing_yields_no_release(resolver, config) -> None:
    """An article about something else is read, and yields nothing to apply."""
    extracted = read("Hospital car parking charges rose again this year.", resolver, config)
    assert extracted.releases == [] and extracted.states_nothing


def test_a_list_after_a_colon_or_heading_is_one_sentence() -> None:
    """Bulleted or one-per-line lists under an introducing line read as one sentence."""
    text = "The five rated outstanding were:\n- Dorset\n- Frimley\n\nRed\n\nDevon\nSomerset\n"
    assert units(text) == [
        ("The five rated outstanding were: Dorset; Frimley.", True),
        ("Red: Devon; Somerset.", True),
    ]


def test_a_list_in_the_next_sentence_takes_the_band(resolver, config) -> None:
    """ "Five were rated outstanding. They are ..." rates the names listed."""
    text = "Two STPs were rated outstanding. They are Dorset and Somerset."
    assert rated(read(text, resolver, config)) == {"E54000041": OUT, "E54000038": OUT}
