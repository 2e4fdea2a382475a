"""Which organisation each row of a release names, on the row's date, or why it names none.

`Identifier.identify` resolves a row's code and name (resolve/resolver.py) among the
organisations of the source's kind that existed on the row's effective date, and keeps what a
run's summary reports: the organisations a creating source made, the names accepted by fuzzy
matching, the rows skipped (an aggregate such as "England, E92000001" or "Total", a code no
organisation of the kind can have, or the source's own `skip_rows`), and the rows that resolved
to nothing or to several organisations, each with its reason and candidates. Creating is
explicit: only a source with `creates = true` makes organisations, only from codes its kind
can have and no organisation has ever had.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import NamedTuple

from ..config import Kinds, SourceConfig
from ..errors import ParseError, ResolveError
from ..resolve.resolver import AFTER_ALL, EVER, Candidate, Resolver, describe


@dataclass(frozen=True)
class Unmatched:
    """A name or code in a source that no rule resolved, with the closest known names."""

    file: str
    row: int
    field: str
    name: str
    candidates: tuple[Candidate, ...]
    reason: str = "matches no organisation"

    def describe(self) -> str:
        """One line for the user, naming the closest candidates."""
        close = ", ".join(f"{c.name} ({c.code}, {c.score:.0f}%)" for c in self.candidates)
        hint = f"; closest: {close}" if close else ""
        return (
            f"{self.file}: row {self.row}: field {self.field!r}: {self.name!r} {self.reason}{hint}"
        )


NAMED_IN_ERROR = 5  # other unresolved names an error names; `unmatched` keeps them all


def unresolved_error(
    unmatched: Sequence[Unmatched], problems: Sequence[ParseError] = (), problem_count: int = 0
) -> ParseError:
    """One error for a file: the first unresolved name with its candidates, the others it
    used (all of them are in `unmatched`), then the rows that could not be read; or, when
    every name resolved, the first such row and how many more."""
    count = max(problem_count, len(problems))
    if not unmatched:
        first = problems[0]
        more = f" (and {count - 1} more row problem{_s(count - 1)})" if count > 1 else ""
        return ParseError(first.reason + more, file=first.file, row=first.row, field=first.field)
    head, rest = unmatched[0], unmatched[1:]
    message = head.describe()
    if rest:
        named = "; ".join(f"{u.name!r} (row {u.row})" for u in rest[:NAMED_IN_ERROR])
        named += "; ..." if len(rest) > NAMED_IN_ERROR else ""
        message += (
            f" (and {len(rest)} more unresolved name{_s(len(rest))}: {named}; "
            "all are kept in the unmatched table)"
        )
    if problems:
        first = problems[0]
        where = ": ".join(
            [*([f"row {first.row}"] if first.row is not None else []),
             *([f"field {first.field!r}"] if first.field else []), first.reason]
        )  # fmt: skip
        message += f"; also {count} row{_s(count)} could not be read, the first: {where}"
    error = ResolveError(message)
    error.unmatched = list(unmatched)  # type: ignore[attr-defined]
    return error


def _s(count: int) -> str:
    return "" if count == 1 else "s"


@dataclass(frozen=True)
class FuzzyMatch:
    """A name no rule resolved that fuzzy matching accepted as one organisation."""

    name: str
    code: str
    org_name: str
    score: float
    file: str
    row: int

    def describe(self) -> str:
        """ "'Lincolnshre' -> Lincolnshire (E54000013), 96% (press.csv row 2)"."""
        return (
            f"{self.name!r} -> {self.org_name} ({self.code}), {self.score:.0f}% "
            f"({self.file} row {self.row})"
        )


@dataclass(frozen=True)
class Skipped:
    """A row that names no single organisation (a country, region or total), left out."""

    file: str
    row: int
    code: str
    name: str
    reason: str

    def describe(self) -> str:
        """ "'England' (E92000001) at press.csv row 5: an aggregate ..."."""
        label = " ".join(f"{self.name!r} ({self.code})".split()) if self.name else self.code
        return f"{label.replace(' ()', '')} at {self.file} row {self.row}: {self.reason}"


@dataclass
class Identities:
    """What identifying a file's rows found besides organisations, for the run's summary."""

    created: dict[str, str] = field(default_factory=dict)  # code -> name
    fuzzy: dict[tuple[str, str], FuzzyMatch] = field(default_factory=dict)  # (name, org) ->
    skipped: list[Skipped] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    used: set[tuple[str, str]] = field(default_factory=set)  # (normalised, org) people's aliases


class Identified(NamedTuple):
    """The organisation a row names, and the code to state as its `org.code` (a recoded
    organisation's). The same code identifies the same way, with nothing to report, on every
    date from `low` until before `high`: a code the row creates an organisation for names it
    on every date from then on, once the run learns it (a file that fails ends its run). An
    empty interval (low == high, as when a name identified it, or fuzzy matching) promises
    nothing. `used` is the people's alias it resolved by, if any."""

    org: str
    code: str | None = None
    low: str = ""
    high: str = ""
    used: tuple[str, str] | None = None


class Identifier:
    """Identify the rows of one file of `source` against `resolver`."""

    def __init__(
        self,
        resolver: Resolver,
        source: SourceConfig,
        kinds: Kinds,
        origin: str,
        columns: tuple[str | None, str | None],
    ) -> None:
        self.resolver, self.source, self.kinds, self.origin = resolver, source, kinds, origin
        self.code_col, self.name_col = columns
        self.found = Identities()

    def identify(self, row: int, code: str, name: str, on: str | None) -> Identified | None:
        """The organisation a row names on `on`, and the code to state as its `org.code` when
        the organisation carried several codes over time; None when the row is skipped or
        unmatched (kept in `found`)."""
        if self.source.skip_rows:
            pattern = self.source.skips(code, name)
            if pattern is not None:
                reason = f"matches the source's skip_rows pattern {pattern!r}"
                self._skip(row, code.strip(), name.strip(), reason)
                return None
        resolver = self.resolver
        if code:
            found = resolver.by_code(code, on)
            if len(found) == 1:
                (org,) = found
                used = self._note_use(code, org, by_code=True) if resolver.people else None
                recoded = resolver.recoded(org, code) if resolver.successive else None
                if on is None:
                    return Identified(org, recoded, used=used)
                return Identified(org, recoded, *resolver.steady(code, on), used)
            if found or not name or self.source.creates:
                return self._unresolved(row, code.strip(), name.strip(), on, found)
        found = resolver.by_name(name, on)
        if len(found) == 1:
            (org,) = found
            used = self._note_use(name, org, by_code=False) if resolver.people else None
            return Identified(org, used=used)  # a learned name may yet change what it names
        return self._unresolved(row, code.strip(), name.strip(), on, found)

    def _unresolved(
        self, row: int, code: str, name: str, on: str | None, found: AbstractSet[str]
    ) -> Identified | None:
        """Skip, create, fuzzy-match or record as unmatched a row no exact rule resolved."""
        if len(found) > 1:
            return self._unmatched(row, code, name, self._ambiguous(found, on))
        if self.kinds.aggregate(code, name):
            self._skip(row, code, name, "an aggregate (a country, region or total), not one "
                       "organisation")  # fmt: skip
            return None
        known = self.resolver.meanings(code, name)
        if known:  # it names organisations, only not one of this kind that existed then
            scope = f" that existed on {on}" if on else ""
            reason = f"names {describe(known, self.resolver.display)}; no {self.source.entity}"
            return self._unmatched(row, code, "" if code else name,
                                   (f"{reason} it names{scope}", ()))  # fmt: skip
        if self.source.creates and code:
            if not self.kinds.fits(self.source.entity, code):
                patterns = ", ".join(self.kinds.codes.get(self.source.entity, ()))
                self._skip(row, code, name, f"not a code an {self.source.entity} can have "
                           f"({patterns}), so not created")  # fmt: skip
                return None
            self.found.created.setdefault(code, name or code)
            return Identified(code, None, EVER, AFTER_ALL)  # the run learns it (see Identified)
        if name and not code:
            match = self.resolver.fuzzy_match(name, on)
            if match is not None:
                written = " ".join(name.split())
                self.found.fuzzy.setdefault(
                    (written, match.code),
                    FuzzyMatch(written, match.code, match.name, match.score, self.origin, row),
                )
                self.found.used.add((self._normalised(written), match.code))
                return Identified(match.code)
        entity = self.resolver.entity if self.resolver.entity != "any" else "organisation"
        scope = f" that existed on {on}" if on else ""
        candidates = tuple(self.resolver.candidates(name or code, on=on))
        return self._unmatched(row, code, name, (f"matches no {entity}{scope}", candidates))

    def _ambiguous(self, found: AbstractSet[str], on: str | None) -> tuple[str, tuple]:
        display = self.resolver.display
        candidates = tuple(Candidate(c, display.get(c, c), 100.0) for c in sorted(found))
        scope = f" that existed on {on}" if on else ""
        return f"matches {len(found)} organisations{scope}", candidates

    def _unmatched(
        self, row: int, code: str, name: str, reason: tuple[str, tuple[Candidate, ...]]
    ) -> Identified | None:
        """Record a row no rule resolved; nothing to identify it by (None)."""
        field_name = (self.code_col if code and not name else self.name_col) or self.code_col
        self.found.unmatched.append(
            Unmatched(self.origin, row, field_name or "", name or code, reason[1], reason[0])
        )
        return None

    def _skip(self, row: int, code: str, name: str, reason: str) -> None:
        self.found.skipped.append(Skipped(self.origin, row, code, name, reason))

    def _note_use(self, value: str, org: str, *, by_code: bool) -> tuple[str, str] | None:
        used = self.resolver.used(value, org, by_code=by_code)
        if used is not None:
            self.found.used.add(used)
        return used

    @staticmethod
    def _normalised(name: str) -> str:
        from .normalise import org_name

        return org_name(name)


NAMED_AT_MOST = 50  # organisations named in one summary line; the rest are counted


def created_line(created: dict[str, str]) -> str | None:
    """'created 2 organisations: L1 Riverside Clinic; L2 Hillside', or None for none."""
    if not created:
        return None
    names = [f"{code} {name}" if name != code else code for code, name in created.items()]
    more = len(names) - NAMED_AT_MOST
    listed = "; ".join(names[:NAMED_AT_MOST]) + (f"; and {more} more" if more > 0 else "")
    return f"created {len(names)} organisation{'s' if len(names) != 1 else ''}: {listed}"


def fuzzy_line(fuzzy: list[FuzzyMatch]) -> str | None:
    """'accepted 1 fuzzy match (review: stp-tracker alias list --origin fuzzy): ...'."""
    if not fuzzy:
        return None
    listed = "; ".join(match.describe() for match in fuzzy)
    count = f"{len(fuzzy)} fuzzy match{'es' if len(fuzzy) != 1 else ''}"
    return f"accepted {count} (review: stp-tracker alias list --origin fuzzy): {listed}"


def skipped_line(skipped: list[Skipped]) -> str | None:
    """'skipped 1 row naming no single organisation: 'England' (E92000001) at ...'."""
    if not skipped:
        return None
    listed = "; ".join(row.describe() for row in skipped[:NAMED_AT_MOST])
    more = len(skipped) - NAMED_AT_MOST
    listed += f"; and {more} more" if more > 0 else ""
    return f"skipped {len(skipped)} row{'s' if len(skipped) != 1 else ''}: {listed}"


def summary_lines(
    created: dict[str, str], fuzzy: list[FuzzyMatch], skipped: list[Skipped]
) -> list[str]:
    """What a run's summary says about identities beyond its counts, one line each."""
    return [
        line
        for line in (created_line(created), fuzzy_line(fuzzy), skipped_line(skipped))
        if line is not None
    ]


__all__ = [
    "FuzzyMatch",
    "Identified",
    "Identifier",
    "Identities",
    "Skipped",
    "Unmatched",
    "summary_lines",
]
