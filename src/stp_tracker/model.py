"""The plain data that passes between stages: statements a release makes, and events."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, NamedTuple


class Statement(NamedTuple):
    """What a release says one organisation's attribute was, normalised for comparison."""

    org_code: str
    attribute: str
    value: str
    value_key: str
    value_num: float | None = None
    publisher: str | None = None
    note: str | None = None


class RowStatements(Sequence[Statement]):
    """A release's statements read through its rows by organisation, without a copy: a large
    release states hundreds of thousands of values, and most rows are the previous release's."""

    __slots__ = ("rows", "size")

    def __init__(self, rows: Mapping[str, tuple[Statement, ...]]) -> None:
        self.rows = rows
        self.size = sum(map(len, rows.values()))

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[Statement]:
        return chain.from_iterable(self.rows.values())

    def __getitem__(self, index: Any) -> Any:
        return tuple(self)[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"RowStatements({len(self.rows)} organisations, {self.size} statements)"


@dataclass(frozen=True)
class Event:
    """A reported happening that is evidence, not a value ("leaving", "interim")."""

    org_code: str
    attribute: str
    what: str
    reported_on: str | None
    publisher: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Release:
    """Everything one source said as at one effective date.

    `complete` releases list every organisation the source covers, so an organisation or
    attribute they leave out has ended; other releases say nothing about what they omit.
    `organisations` are rows the release creates; `aliases` are (name, code) pairs matched by
    fuzzy matching, recorded (origin 'fuzzy') only if the release is applied.
    `reported_counts` are `reported_counts` rows (a publisher's band counts) the release
    states; a release that `adds` (an article) adds to what its source stated on its date
    instead of replacing it.
    """

    source: str
    effective: str
    complete: bool
    statements: Sequence[Statement]
    events: tuple[Event, ...] = ()
    fetch_id: int | None = None
    organisations: tuple[dict[str, str | None], ...] = field(default=())
    aliases: tuple[tuple[str, str], ...] = ()
    # What the parser knew cheaply, so an unchanged row costs next to nothing: the statements
    # grouped by organisation (a row read before gives the identical tuple). Optional.
    by_org: dict[str, tuple[Statement, ...]] | None = field(default=None, compare=False, repr=False)
    reported_counts: tuple[dict[str, object], ...] = ()
    adds: bool = False
    # What a source that keeps the registry current (format "ods") adds to it or proposes.
    registry: RegistryUpdate | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class RegistryUpdate:
    """Changes to the identities (`organisations`, `aliases`, `lineage`) one release makes:
    rows it adds, organisations it created before whose rows it updates, and the changes
    that would contradict the registry, proposed for a person to review instead."""

    source: str
    organisations: tuple[dict[str, Any], ...] = ()  # new `organisations` rows
    updates: tuple[dict[str, Any], ...] = ()  # {"code": ..., column: value} of its own rows
    aliases: tuple[dict[str, Any], ...] = ()  # new `aliases` rows (with interval, evidence)
    lineage: tuple[dict[str, Any], ...] = ()  # new `lineage` rows
    proposals: tuple[dict[str, Any], ...] = ()  # `proposals` rows: kind, org_code, summary...

    @property
    def changes_registry(self) -> bool:
        """Whether applying it changes the identities (proposals only wait for review)."""
        return bool(self.organisations or self.updates or self.aliases or self.lineage)
