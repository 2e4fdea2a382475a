"""Loading and validating config folders: sources, scales, tracker settings and the bundle."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from stp_tracker.config import (
    FORMATS,
    Config,
    Kinds,
    Scale,
    SourceConfig,
    TrackerConfig,
    parse_duration,
)
from stp_tracker.config.loading import load_config, load_scales, load_tracker
from stp_tracker.config.sources import bundled_sources, load_sources, source_from_table
from stp_tracker.errors import ConfigError
from stp_tracker.service.bootstrap import BUNDLED

SCALES = """
[scale.stp-2017]
labels = ["Needs most improvement", "Making progress", "Advanced", "Outstanding"]

[scale.stp-2017.synonyms]
"Green" = "Outstanding"
"Red" = "Needs most improvement"

[scale.yes-no]
labels = ["No", "Yes"]
"""

FULL_SOURCE = """
[[source]]
name = "dashboard"
title = "STP progress dashboard"
url = "https://example.org/dashboard.csv"
format = "csv"
every = "6h"
entity = "stp"
creates = false
complete = true
effective = "2017-07-21"
scale = "stp-2017"
encoding = "utf-8-sig"
delimiter = ","
header_row = 2
publisher = "NHS England"
licence = "OGL-3.0"
max_change = 0.5
max_bytes = 1000000
max_failures = 5
enabled = true

[source.columns]
"STP code" = "org.code"
"STP name" = "org.name"
"Overall rating" = "rating.overall"
"Lead" = "leader.stp_lead"
"Beds" = "metric.beds"
"Notes" = "note"

[[source]]
name = "long-one"
url = "long.json"
format = "json"
records = "data.items"
layout = "long"
entity = "icb"
cron = "0 6 * * 1"
effective_column = "date"

[source.columns]
"code" = "org.code"
"attribute" = "attribute"
"value" = "value"
"""

# A minimal valid source, to which each invalid case adds or changes one thing.
BASE = """
[[source]]
name = "s"
format = "csv"
{extra}
[source.columns]
"Code" = "org.code"
{columns}
"""


def write_folder(
    tmp_path: Path,
    sources: str | None = None,
    *,
    tracker: str | None = None,
    scales: str | None = SCALES,
) -> Path:
    """A config folder in tmp_path with the given files (None: file absent)."""
    folder = tmp_path / "config"
    folder.mkdir(exist_ok=True)
    for name, body in (
        ("sources.toml", sources),
        ("tracker.toml", tracker),
        ("scales.toml", scales),
    ):
        if body is not None:
            (folder / name).write_text(body, encoding="utf-8")
    return folder


def source_text(extra: str = "", columns: str = "") -> str:
    """BASE with extra keys in the source table and extra column mappings."""
    return BASE.format(extra=extra, columns=columns)


def test_full_valid_sources(tmp_path: Path) -> None:
    """Every documented key of a source is read into SourceConfig."""
    folder = write_folder(tmp_path, FULL_SOURCE)
    config = load_config(folder, environ={})
    assert isinstance(config, Config)
    assert config.folder == folder
    path = folder / "sources.toml"
    assert config.source("dashboard") == SourceConfig(
        name="dashboard",
        format="csv",
        url="https://example.org/dashboard.csv",
        title="STP progress dashboard",
        every="6h",
        entity="stp",
        creates=False,
        complete=True,
        effective="2017-07-21",
        scale="stp-2017",
        header_row=2,
        encoding="utf-8-sig",
        delimiter=",",
        columns={
            "STP code": "org.code",
            "STP name": "org.name",
            "Overall rating": "rating.overall",
            "Lead": "leader.stp_lead",
            "Beds": "metric.beds",
            "Notes": "note",
        },
        publisher="NHS England",
        licence="OGL-3.0",
        max_change=0.5,
        max_bytes=1_000_000,
        max_failures=5,
        enabled=True,
        origin=f"{path} [[source]] #1",
    )
    long_one = config.source("long-one")
    assert (long_one.layout, long_one.entity, long_one.cron, long_one.every) == (
        "long",
        "icb",
        "0 6 * * 1",
        None,
    )
    assert (long_one.records, long_one.effective_column) == ("data.items", "date")
    assert long_one.origin == f"{path} [[source]] #2"


def test_every_seconds_and_column_for(tmp_path: Path) -> None:
    """every = '6h' is 21600 seconds; column_for finds the column mapped to a target."""
    config = load_config(write_folder(tmp_path, FULL_SOURCE), environ={})
    dashboard = config.source("dashboard")
    assert dashboard.every_seconds == 21600
    assert config.source("long-one").every_seconds is None
    assert dashboard.column_for("org.code") == "STP code"
    assert dashboard.column_for("rating.overall") == "Overall rating"
    assert dashboard.column_for("reported_on") is None


def test_source_defaults(tmp_path: Path) -> None:
    """Unset keys take their defaults: wide, stp, enabled, 25% max change, 50 MiB, 3 failures."""
    path = write_folder(tmp_path, source_text()) / "sources.toml"
    source = load_sources(path)["s"]
    assert source == SourceConfig(
        name="s", format="csv", columns={"Code": "org.code"}, origin=f"{path} [[source]] #1"
    )
    assert (source.layout, source.entity, source.enabled, source.max_change) == (
        "wide",
        "stp",
        True,
        0.25,
    )
    assert (source.max_bytes, source.max_failures) == (50 * 1024 * 1024, 3)


def test_config_merges_bundled_sources(tmp_path: Path) -> None:
    """The loaded config holds the bundled reference source and the folder's sources."""
    config = load_config(write_folder(tmp_path, FULL_SOURCE), environ={})
    assert sorted(config.sources) == [
        "dashboard", "long-one", "ons-icb-2022-boundaries", "ons-stp-2017-boundaries",
        "reference-2017",
    ]  # fmt: skip
    assert sorted(config.scales) == ["stp-2017", "yes-no"]
    assert config.scales["yes-no"] == Scale("yes-no", ("No", "Yes"), {})


def test_config_without_sources_file(tmp_path: Path) -> None:
    """A folder without sources.toml still has the bundled sources and default tracker."""
    config = load_config(write_folder(tmp_path), environ={})
    assert list(config.sources) == [*BUNDLED]
    assert config.tracker == TrackerConfig(origin=str(tmp_path / "config" / "tracker.toml"))


def test_config_falls_back_to_bundled_scales(tmp_path: Path) -> None:
    """Without scales.toml the bundled scales are used."""
    config = load_config(write_folder(tmp_path, scales=None), environ={})
    scale = config.scales["stp-2017"]
    assert scale.labels == ("Needs most improvement", "Making progress", "Advanced", "Outstanding")
    assert scale.synonyms["Green"] == "Outstanding"


def test_missing_folder(tmp_path: Path) -> None:
    """A config folder that does not exist is a ConfigError naming it."""
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "nope", environ={})
    assert str(info.value) == f"config folder {tmp_path / 'nope'} does not exist"


def test_unknown_source_lists_known(tmp_path: Path) -> None:
    """Asking for an unconfigured source names the folder and the sources that exist."""
    folder = write_folder(tmp_path, source_text())
    config = load_config(folder, environ={})
    with pytest.raises(ConfigError) as info:
        config.source("missing")
    assert (
        str(info.value) == f"unknown source 'missing' (configured in {folder}: "
        "ons-icb-2022-boundaries, ons-stp-2017-boundaries, reference-2017, s)"
    )


def test_core_formats() -> None:
    """The five original formats stay accepted (others may be added)."""
    assert {"csv", "xlsx", "html-table", "json", "article"} <= set(FORMATS)


INVALID_SOURCES = [
    pytest.param(
        source_text().replace('format = "csv"', 'format = "pdf"'),
        f"source 's': format = 'pdf'; expected one of {', '.join(FORMATS)}",
        id="unknown-format",
    ),
    pytest.param(
        source_text().replace('format = "csv"\n', ""),
        f"source 's': format = None; expected one of {', '.join(FORMATS)}",
        id="missing-format",
    ),
    pytest.param(
        source_text("header_row = 0"),
        "source 's': header_row = 0 means the file has no header, so columns are named by "
        "position (\"1\" is the first column); 'Code' is not a position",
        id="headerless-names-columns-by-position",
    ),
    pytest.param(
        source_text("header_row = -1"),
        "source 's': header_row = -1; give the header's row number (1 is the first row), or 0 "
        "for a file without a header",
        id="negative-header-row",
    ),
    *(
        pytest.param(
            source_text(f"{limit} = {value}"),
            f"source 's': {limit} must be a positive whole number, not {value}",
            id=f"{limit}-{value}",
        )
        for limit in ("max_rows", "max_cells", "max_decompressed_bytes")
        for value in (0, -5)
    ),
    pytest.param(
        source_text('colour = "blue"'),
        "source 's': unknown key 'colour'",
        id="unknown-key",
    ),
    pytest.param(
        source_text('origin = "x"'),
        "source 's': unknown key 'origin'",
        id="origin-is-not-configurable",
    ),
    pytest.param(
        source_text('every = "6 hours"'),
        "source 's': every = '6 hours' is not a duration like '30m', '6h' or '1d'",
        id="bad-duration",
    ),
    pytest.param(
        source_text('every = "0h"'),
        "source 's': every = '0h' is not a duration like '30m', '6h' or '1d'",
        id="zero-duration",
    ),
    pytest.param(
        source_text("every = 6"),
        "source 's': every must be str, not 6",
        id="duration-not-text",
    ),
    pytest.param(
        source_text('every = "6h"\ncron = "0 6 * * *"'),
        "source 's': give every or cron, not both",
        id="every-and-cron",
    ),
    pytest.param(
        source_text('effective = "2017-07-21"\neffective_column = "Period"'),
        "source 's': give effective or effective_column, not both",
        id="effective-and-effective-column",
    ),
    pytest.param(
        source_text('effective = "last summer"'),
        "source 's': effective: 'last summer' is not a date "
        "(expected YYYY-MM-DD, DD/MM/YYYY or '21 July 2017')",
        id="bad-effective",
    ),
    pytest.param(
        source_text(columns='"Colour" = "rating"'),
        "source 's': columns.'Colour' = 'rating' is not an attribute (org.code, org.name, "
        "rating.<x>, metric.<x>, leader.<x>, publisher, note, kind, reported_on)",
        id="column-unknown-attribute",
    ),
    pytest.param(
        source_text(columns='"Colour" = "rating.Overall"'),
        "source 's': columns.'Colour' = 'rating.Overall' is not an attribute (org.code, "
        "org.name, rating.<x>, metric.<x>, leader.<x>, publisher, note, kind, reported_on)",
        id="column-attribute-upper-case",
    ),
    pytest.param(
        source_text(columns='"Beds" = 3'),
        "source 's': columns.'Beds' = 3 is not an attribute (org.code, org.name, "
        "rating.<x>, metric.<x>, leader.<x>, publisher, note, kind, reported_on)",
        id="column-not-text",
    ),
    pytest.param(
        source_text().replace('"Code" = "org.code"', '"Rating" = "rating.overall"'),
        "source 's': columns must map one column to org.code or org.name",
        id="no-org-column",
    ),
    pytest.param(
        source_text('layout = "long"', columns='"Value" = "value"'),
        "source 's': a long layout maps one column to attribute and one to value",
        id="long-without-attribute",
    ),
    pytest.param(
        source_text('layout = "long"', columns='"Attribute" = "attribute"'),
        "source 's': a long layout maps one column to attribute and one to value",
        id="long-without-value",
    ),
    pytest.param(
        source_text('layout = "tall"'),
        "source 's': layout = 'tall'; expected wide or long",
        id="unknown-layout",
    ),
    pytest.param(
        source_text('entity = "ICB"'),
        "source 's': entity = 'ICB'; expected an organisation kind such as stp, icb or any",
        id="entity-not-a-kind",
    ),
    pytest.param(
        source_text('entity = "nhs trust"'),
        "source 's': entity = 'nhs trust'; expected an organisation kind such as stp, icb or any",
        id="entity-with-space",
    ),
    pytest.param(
        source_text("creates = true").replace('"Code" = "org.code"', '"Name" = "org.name"'),
        "source 's': a source that creates organisations must map org.code",
        id="creates-without-code",
    ),
    pytest.param(
        source_text("max_change = 1.5"),
        "source 's': max_change must be between 0 and 1, not 1.5",
        id="max-change-too-big",
    ),
    pytest.param(
        source_text("max_change = 0"),
        "source 's': max_change must be between 0 and 1, not 0",
        id="max-change-zero",
    ),
    pytest.param(
        source_text('complete = "yes"'),
        "source 's': complete must be bool, not 'yes'",
        id="complete-not-bool",
    ),
    pytest.param(
        source_text('header_row = "2"'),
        "source 's': header_row must be int, not '2'",
        id="header-row-not-int",
    ),
    pytest.param(
        source_text("sheet = 1.5"),
        "source 's': sheet must be str or int, not 1.5",
        id="sheet-wrong-type",
    ),
    pytest.param(
        source_text('skip_rows = "Total"'),
        "source 's': skip_rows must be a list of patterns (regular expressions)",
        id="skip-rows-not-a-list",
    ),
    pytest.param(
        source_text('skip_rows = ["E92(("]'),
        "source 's': skip_rows: 'E92((' is not a regular expression (missing ), unterminated "
        "subpattern at position 4)",
        id="skip-rows-bad-pattern",
    ),
]


@pytest.mark.parametrize(("sources", "message"), INVALID_SOURCES)
def test_invalid_source(tmp_path: Path, sources: str, message: str) -> None:
    """Each mistake in a source is a ConfigError naming the file, the source and the key."""
    folder = write_folder(tmp_path, sources)
    path = folder / "sources.toml"
    with pytest.raises(ConfigError) as info:
        load_config(folder, environ={})
    assert str(info.value) == f"{path} [[source]] #1: {message}"


def test_source_without_name(tmp_path: Path) -> None:
    """A [[source]] with no name is a ConfigError naming the file and table."""
    folder = write_folder(tmp_path, source_text().replace('name = "s"\n', ""))
    with pytest.raises(ConfigError) as info:
        load_config(folder, environ={})
    path = folder / "sources.toml"
    assert str(info.value) == f"{path} [[source]] #1: every [[source]] needs a name"


def test_error_names_the_right_table(tmp_path: Path) -> None:
    """The error for the second [[source]] says #2 and its name."""
    second = source_text('format = "pdf"').replace('name = "s"', 'name = "t"')
    second = second.replace('format = "csv"\n', "")
    folder = write_folder(tmp_path, source_text() + second)
    with pytest.raises(ConfigError) as info:
        load_config(folder, environ={})
    assert str(info.value).startswith(f"{folder / 'sources.toml'} [[source]] #2: source 't': ")
    assert "format = 'pdf'" in str(info.value)


def test_duplicate_source_names(tmp_path: Path) -> None:
    """Two sources with one name is a ConfigError naming the file and the name."""
    folder = write_folder(tmp_path, source_text() + source_text())
    with pytest.raises(ConfigError) as info:
        load_config(folder, environ={})
    assert str(info.value) == f"{folder / 'sources.toml'}: source name 's' is used twice"


def test_unknown_scale(tmp_path: Path) -> None:
    """A source naming an undefined scale is a ConfigError naming the source and scales file."""
    folder = write_folder(tmp_path, source_text('scale = "stars"'))
    with pytest.raises(ConfigError) as info:
        load_config(folder, environ={})
    assert str(info.value) == (
        f"{folder / 'sources.toml'} [[source]] #1: scale 'stars' is not defined in "
        f"{folder / 'scales.toml'}"
    )


def test_toml_syntax_error(tmp_path: Path) -> None:
    """Broken TOML is a ConfigError naming the file and the line."""
    folder = write_folder(tmp_path, source_text() + "\n[[source\n")
    with pytest.raises(ConfigError) as info:
        load_config(folder, environ={})
    message = str(info.value)
    assert message.startswith(f"{folder / 'sources.toml'}: ")
    assert "(at line 10, column 9)" in message


def test_single_bracket_source_table(tmp_path: Path) -> None:
    """Writing [source] instead of [[source]] is a ConfigError naming the file, not a crash."""
    folder = write_folder(tmp_path, '[source]\nname = "s"\nformat = "csv"\n')
    with pytest.raises(ConfigError, match=r"sources\.toml"):
        load_config(folder, environ={})


def test_misspelt_source_table(tmp_path: Path) -> None:
    """A [[sources]] typo is reported rather than silently configuring no sources."""
    folder = write_folder(tmp_path, source_text().replace("[[source]]", "[[sources]]"))
    with pytest.raises(ConfigError, match="sources"):
        load_config(folder, environ={})


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("15m", 900),
        ("30m", 1800),
        ("6h", 21600),
        (" 6 h ", 21600),
        ("1d", 86400),
        ("2w", 1_209_600),
    ],
)
def test_parse_duration(text: str, seconds: int) -> None:
    """Durations are a whole number and a unit s/m/h/d/w."""
    assert parse_duration(text, "f.toml", "every") == seconds


@pytest.mark.parametrize("text", ["0h", "6", "h", "6x", "1.5h", "6H", "-1h", "", "6 hours"])
def test_parse_duration_invalid(text: str) -> None:
    """Anything else is a ConfigError naming where, the key and the value."""
    with pytest.raises(ConfigError) as info:
        parse_duration(text, "f.toml", "every")
    assert str(info.value) == (
        f"f.toml: every = {text!r} is not a duration like '30m', '6h' or '1d'"
    )


def test_source_from_table_effective_published() -> None:
    """effective = 'published' is allowed (the release's publication date)."""
    table = {"name": "p", "format": "html-table", "effective": "published"}
    table["columns"] = {"Name": "org.name"}
    source = source_from_table(table, "origin")
    assert (source.effective, source.format, source.origin) == ("published", "html-table", "origin")


@pytest.mark.parametrize("entity", ["stp", "icb", "any", "ccg", "nhs_trust"])
def test_entity_is_any_organisation_kind(entity: str) -> None:
    """entity may name any organisation kind (lower-case word) or 'any'."""
    table = {"name": "e", "format": "csv", "entity": entity, "columns": {"C": "org.code"}}
    assert source_from_table(table, "here").entity == entity


def test_creates_with_code_column() -> None:
    """A source that creates organisations and maps org.code is valid."""
    table = {"name": "c", "format": "csv", "creates": True, "columns": {"C": "org.code"}}
    assert source_from_table(table, "here").creates is True


def test_source_from_table_name_type() -> None:
    """A non-text name is a ConfigError naming the origin and key."""
    with pytest.raises(ConfigError) as info:
        source_from_table({"name": 5}, "here")
    assert str(info.value) == "here: name must be str, not 5"


@pytest.mark.parametrize(
    ("scales", "message"),
    [
        ('[scale.x]\ntitle = "no labels"\n', "scale.x.labels must be a list of band names"),
        ("[scale.x]\nlabels = []\n", "scale.x.labels must be a list of band names"),
        ('[scale.x]\nlabels = "A"\n', "scale.x.labels must be a list of band names"),
        (
            '[scale.x]\nlabels = ["Bad", "Good"]\n[scale.x.synonyms]\n"Great" = "Best"\n',
            "scale.x.synonyms.'Great' = 'Best' is not one of its labels",
        ),
    ],
)
def test_invalid_scales(tmp_path: Path, scales: str, message: str) -> None:
    """Scale mistakes are ConfigErrors naming the scales file and the key."""
    folder = write_folder(tmp_path, scales=scales)
    with pytest.raises(ConfigError) as info:
        load_config(folder, environ={})
    assert str(info.value) == f"{folder / 'scales.toml'}: {message}"


def test_load_scales(tmp_path: Path) -> None:
    """Scales keep labels worst-first and synonyms as text."""
    path = write_folder(
        tmp_path, scales='[scale.n]\nlabels = ["Low", "High"]\n[scale.n.synonyms]\n1 = "Low"\n'
    )
    assert load_scales(path / "scales.toml") == {
        "n": Scale(name="n", labels=("Low", "High"), synonyms={"1": "Low"})
    }


def test_load_scales_missing_file(tmp_path: Path) -> None:
    """A missing scales file is a ConfigError naming it."""
    with pytest.raises(ConfigError) as info:
        load_scales(tmp_path / "none.toml")
    assert str(info.value) == f"{tmp_path / 'none.toml'}: file not found"


TRACKER = """
[tracker]
db = "data/stp.db"
host = "0.0.0.0"
port = 9001
log_format = "json"
default_every = "12h"
contact = "ops@example.org"
"""


def test_tracker_file(tmp_path: Path) -> None:
    """tracker.toml's [tracker] table sets the service settings."""
    folder = write_folder(tmp_path, tracker=TRACKER)
    config = load_config(folder, environ={})
    assert config.tracker == TrackerConfig(
        db="data/stp.db",
        host="0.0.0.0",
        port=9001,
        log_format="json",
        default_every="12h",
        contact="ops@example.org",
        origin=str(folder / "tracker.toml"),
    )


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"STP_TRACKER_PORT": "9000"}, {"port": 9000, "db": "data/stp.db"}),
        ({"STP_TRACKER_DB": "/tmp/other.db"}, {"port": 9001, "db": "/tmp/other.db"}),
        (
            {"STP_TRACKER_PORT": "8080", "STP_TRACKER_DB": "x.db", "STP_TRACKER_HOST": "::1"},
            {"port": 8080, "db": "x.db", "host": "::1"},
        ),
        ({"STP_TRACKER_LOG_FORMAT": "human"}, {"log_format": "human"}),
        ({"STP_TRACKER_ORIGIN": "ignored", "OTHER": "1"}, {"port": 9001}),
    ],
)
def test_environment_overrides(tmp_path: Path, environ: dict, expected: dict) -> None:
    """STP_TRACKER_* variables override tracker.toml."""
    folder = write_folder(tmp_path, tracker=TRACKER)
    tracker = load_config(folder, environ=environ).tracker
    assert {key: getattr(tracker, key) for key in expected} == expected
    assert tracker.origin == str(folder / "tracker.toml")


def test_environment_without_tracker_file(tmp_path: Path) -> None:
    """Overrides apply on top of the defaults when there is no tracker.toml."""
    tracker = load_tracker(tmp_path / "tracker.toml", {"STP_TRACKER_PORT": "7000"})
    assert (tracker.port, tracker.db, tracker.host, tracker.log_format) == (
        7000,
        "db/stp.db",
        "127.0.0.1",
        "human",
    )


@pytest.mark.parametrize(
    ("tracker", "environ", "message"),
    [
        ('[tracker]\nport = "eighty"\n', {}, "tracker.port must be a whole number from 1 to 65535"),
        ("[tracker]\nport = 80.5\n", {}, "tracker.port must be a whole number from 1 to 65535"),
        ('[tracker]\nlog_format = "xml"\n', {}, "tracker.log_format must be 'human' or 'json'"),
        ("[tracker]\nworkers = 4\n", {}, "[tracker] has unknown key 'workers'"),
        ("[tracker\n", {}, None),
    ],
)
def test_invalid_tracker(tmp_path: Path, tracker: str, environ: dict, message: str | None) -> None:
    """tracker.toml mistakes are ConfigErrors naming tracker.toml and the key."""
    folder = write_folder(tmp_path, tracker=tracker)
    with pytest.raises(ConfigError) as info:
        load_config(folder, environ=environ)
    path = folder / "tracker.toml"
    if message is None:
        assert str(info.value).startswith(f"{path}: ")
        assert "line 1" in str(info.value)
    else:
        assert str(info.value) == f"{path}: {message}"


@pytest.mark.parametrize("port", ["true", "0", "70000", "-1"])
def test_tracker_port_out_of_range(tmp_path: Path, port: str) -> None:
    """A port that is not 1-65535 is a ConfigError naming tracker.port."""
    folder = write_folder(tmp_path, tracker=f"[tracker]\nport = {port}\n")
    with pytest.raises(ConfigError, match=r"tracker\.port"):
        load_config(folder, environ={})


@pytest.mark.parametrize(
    ("variable", "value"), [("STP_TRACKER_PORT", "abc"), ("STP_TRACKER_LOG_FORMAT", "yaml")]
)
def test_bad_variable_is_named(tmp_path: Path, variable: str, value: str) -> None:
    """A bad STP_TRACKER_* value is reported as the variable, not as the file."""
    folder = write_folder(tmp_path)
    with pytest.raises(ConfigError, match=f"^environment variable {variable} must be"):
        load_config(folder, environ={variable: value})


def test_tracker_key_outside_table(tmp_path: Path) -> None:
    """A setting written without the [tracker] header is reported, not silently ignored."""
    folder = write_folder(tmp_path, tracker="port = 9000\n")
    with pytest.raises(ConfigError, match="port"):
        load_config(folder, environ={})


def test_bundled_sources() -> None:
    """The package ships 'reference-2017', whose url is the bundled CSV file, and the two
    boundary sources `init` loads."""
    sources = bundled_sources()
    assert list(sources) == [*BUNDLED]
    reference = sources["reference-2017"]
    url = Path(str(reference.url))
    assert url.is_file()
    assert url.name == "reference-2017.csv"
    assert url.is_absolute()
    assert (reference.format, reference.layout, reference.entity) == ("csv", "long", "stp")
    assert (reference.scale, reference.enabled, reference.complete) == ("stp-2017", False, False)
    assert reference.effective_column == "effective"
    assert reference.column_for("org.code") == "stp17_code"
    assert reference.origin.endswith("reference-source.toml [[source]] #1")
    assert url.read_text(encoding="utf-8").startswith("stp17_code")


def test_alternative_column_names_for_one_attribute(tmp_path: Path) -> None:
    """Several columns may map to one attribute, in order: each file uses the first it has."""
    columns = '"STP18CD" = "org.code"\n"STP20CD" = "org.code"\n"Name" = "org.name"'
    folder = write_folder(tmp_path, BASE.format(extra="", columns="").replace(
        '"Code" = "org.code"', columns))  # fmt: skip
    source = load_config(folder, environ={}).source("s")
    assert source.alternatives() == {"org.code": ["STP18CD", "STP20CD"], "org.name": ["Name"]}
    assert source.column_for("org.code") == "STP18CD"


def test_skip_rows_match_a_code_or_a_name_whole(tmp_path: Path) -> None:
    """skip_rows patterns match a row's whole code or name, ignoring case."""
    folder = write_folder(tmp_path, source_text(r'skip_rows = ["Y\\d{2}", "all .*"]'))
    source = load_config(folder, environ={}).source("s")
    assert source.skips("Y56", "") == r"Y\d{2}"
    assert source.skips("", "All ICBs") == "all .*"
    assert source.skips("QY56", "Small ICBs") is None


def test_kinds_declare_code_patterns_and_a_config_file_adds_one(tmp_path: Path) -> None:
    """The bundled kinds give STP and ICB code patterns and the aggregates; a kinds.toml in
    the config folder adds a kind (or replaces one) without losing the others."""
    folder = write_folder(tmp_path, source_text())
    (folder / "kinds.toml").write_text('[kind.trust]\ncodes = ["R[A-Z0-9]{2}"]\n')
    kinds = load_config(folder, environ={}).kinds
    assert kinds.fits("stp", "E54000041") and not kinds.fits("stp", "E92000001")
    assert kinds.fits("icb", "QWO") and kinds.fits("icb", "S1Y5D") and not kinds.fits("icb", "Y56")
    assert kinds.fits("trust", "RX1") and not kinds.fits("trust", "QWO")
    assert kinds.fits("location", "anything")  # a kind that declares no patterns
    assert kinds.aggregate("E92000001", "") and kinds.aggregate("", "Grand Total")
    assert not kinds.aggregate("E54000041", "Dorset")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[kinds.stp]\n", "unknown table 'kinds' (expected kind.NAME, aggregate)"),
        ('[kind.stp]\ncodes = "E54"\n', "kind.stp.codes must be a list of patterns"),
        ("[aggregate]\nnames = [1]\n", "aggregate.names must be a list of strings"),
    ],
)
def test_a_bad_kinds_file_is_reported_with_its_key(tmp_path: Path, text: str, message: str) -> None:
    """A mistake in kinds.toml names the file and the key."""
    folder = write_folder(tmp_path, source_text())
    (folder / "kinds.toml").write_text(text)
    with pytest.raises(ConfigError, match=re.escape(message)) as info:
        load_config(folder, environ={})
    assert str(folder / "kinds.toml") in str(info.value)


AGGREGATE_CODES = (r"E92\d{6}", r"K0[2-4]\d{6}", r"[NSW]92\d{6}", r"E12\d{6}", r"E40\d{6}")


@settings(max_examples=2000)
@given(
    st.text(st.sampled_from("EKNSW0924 1e"), max_size=11),
    st.lists(
        st.sampled_from([*AGGREGATE_CODES, r"(?i:x)\d", r"(E)\1", r"(K)\1", r"E9"]), max_size=4
    ),
)
@example("KK", [r"(E)\1", r"(K)\1"])  # alternated, the second pattern's \1 would be (E)
def test_aggregate_codes_match_as_each_pattern_does(code: str, patterns: list[str]) -> None:
    """A code is an aggregate exactly when one of the kinds' aggregate patterns matches it
    whole, ignoring case, however the patterns are compiled together."""
    kinds = Kinds(aggregate_codes=tuple(patterns))
    expected = bool(code) and any(
        re.fullmatch(pattern, code.strip(), re.IGNORECASE) for pattern in patterns
    )
    assert kinds.aggregate(code, "") == expected
