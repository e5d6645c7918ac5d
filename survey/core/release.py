"""Everything a consultation publishes, as counts and sums: checked, and protected together.

A consultation publishes one view for everyone and one for each group of each breakdown
question (area = Keynsham). Each view is a set of tables (a question's options, a matrix
statement's, the channels, the weeks), each a few counts and the base they share. Within a view
each table is protected on its own (`survey.core.results.protected_shares`). Across views the
counts add up too: everyone's count of an option is the sum of each group's, of the groups not
shown (too small, or hidden to protect another), and of those who did not answer the breakdown
question. So a count hidden in one view can be a subtraction away in another, and a group not
shown can be read off as everyone less the groups that are.

`tables` turns a view into counts and sums; `joint` puts one breakdown question's views of one
table into one system; `leaks` and `across_views` are the checker (what a reader could work
out); `protect_groups` hides, in the groups' views, whatever else stops that, never changing
what everyone's view shows (it is read most, and alone it is already safe). A cell shown in
two views (Keynsham's count of under-25s, and the under-25s' count of Keynsham) is one cell:
hidden in one, it is hidden in both.

Pure: results in, results out (`common.disclosure` solves the programmes).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from common.disclosure import CannotProtect, Sum, protect, recoverable
from common.statistics import Share, is_small, net, withheld
from common.statistics import hidden as hidden_share
from survey.core.questions import LIKERT_SCALE, OTHER_LABEL, QuestionType
from survey.core.results import (
    AGREE_LABELS,
    AGREEING,
    ANSWERED,
    DISAGREE_LABELS,
    DISAGREEING,
    DONT_KNOW_LABEL,
    ChoiceResult,
    ConsultationResults,
    Count,
    MatrixResult,
    OptionCount,
    QuestionResult,
    ScaleResult,
    TextResult,
    ThemeCount,
    Week,
    theme_order,
)

EVERYONE = "everyone"
RESPONSES = "(responses)"
NO_THEME = "(no theme)"
NO_ANSWER = "(no answer)"  # the "group" of those who did not answer the breakdown question


@dataclass(frozen=True)
class Table:
    """One table of one view: each cell's true count and how it is shown."""

    name: str
    base: str  # ANSWERED, or RESPONSES for the channels and weeks
    options: tuple[str, ...]
    counts: Mapping[str, int]  # options, aggregates and the base
    small: frozenset[str]  # shown as "fewer than N"
    hidden: frozenset[str]  # shown as "not shown", or under a base too small to show
    aggregates: Mapping[str, tuple[str, ...]]  # agreeing: its options
    adds_up: bool  # the options add up to the base (else each is at most the base)


def view_name(key: str, label: str) -> str:
    return f"{key}={label}"


def tables(shown: ConsultationResults | None, counted: ConsultationResults) -> list[Table]:
    """The tables of one view; `shown` is None for a view not published (every cell hidden).
    `counted` is the same view counted with nothing hidden (a threshold of 1)."""
    if shown is not None and shown.responses is None:  # the view is hidden whole
        shown = None
    found: list[Table] = []
    pairs: Iterable[tuple[QuestionResult | None, QuestionResult]] = zip(
        shown.questions if shown else [None] * len(counted.questions),
        counted.questions,
        strict=True,
    )
    for result, truth in pairs:
        if isinstance(truth, MatrixResult):
            statements = result.statements if isinstance(result, MatrixResult) else None
            for i, statement in enumerate(truth.statements):
                name = f"{truth.key} / {statement.statement}"
                found.append(_scale(name, statements[i] if statements else None, statement))
        elif isinstance(truth, ScaleResult):
            assert result is None or isinstance(result, ScaleResult)
            found.append(_scale(truth.key, result, truth))
        elif isinstance(truth, ChoiceResult):
            assert result is None or isinstance(result, ChoiceResult)
            shares = {o.label: o.share for o in result.options} if result else {}
            cells = [(o.label, o.share.count or 0) for o in truth.options]
            found.append(
                _table(
                    truth.key,
                    ANSWERED,
                    cells,
                    shares,
                    truth.answered,
                    result is None or result.answered is None,
                    adds_up=truth.type is QuestionType.SINGLE_CHOICE
                    and sum(n for _, n in cells) == truth.answered,
                )
            )
        elif isinstance(truth, TextResult):
            assert result is None or isinstance(result, TextResult)
            by_theme = {t.theme: t.share for t in result.themes} if result else {}
            cells = [(t.theme, t.share.count or 0) for t in truth.themes]
            cells.append((NO_THEME, truth.no_theme.count or 0))
            shares = {**by_theme, NO_THEME: result.no_theme} if result else {}
            found.append(
                _table(
                    truth.key,
                    ANSWERED,
                    cells,
                    shares,
                    truth.answered,
                    result is None or result.answered is None,
                    adds_up=False,
                )
            )
    for name, rows, truths in (
        ("channels", shown.channels if shown else None, counted.channels),
        ("weeks", shown.weeks if shown else None, counted.weeks),
    ):
        if not truths:  # none at all (a view with no responses)
            continue
        cells = [(_label(t), t.share.count or 0) for t in truths]
        shares = {_label(r): r.share for r in rows} if rows is not None else {}
        hidden_base = shown is None or shown.responses is None
        found.append(
            _table(name, RESPONSES, cells, shares, counted.responses, hidden_base, adds_up=True)
        )
    return found


def _label(row: Count | Week) -> str:
    return row.label if isinstance(row, Count) else row.starts.isoformat()


def _table(
    name: str,
    base: str,
    cells: Sequence[tuple[str, int]],
    shares: Mapping[str, Share],
    answered: int | None,
    hidden_base: bool,
    adds_up: bool,
    aggregates: Mapping[str, tuple[str, ...]] | None = None,
    aggregate_counts: Mapping[str, int] | None = None,
) -> Table:
    counts = {label: n for label, n in cells} | dict(aggregate_counts or {})
    counts[base] = answered or 0
    if hidden_base:  # "fewer than N" answered, or a view not published: every count hidden
        small = frozenset({base}) if shares else frozenset()  # (not published: no shares)
        hidden = frozenset(label for label in counts if label not in small)
    else:
        small = frozenset(label for label, s in shares.items() if s.suppressed and not s.withheld)
        hidden = frozenset(label for label, s in shares.items() if s.withheld)
    return Table(
        name=name,
        base=base,
        options=tuple(label for label, _ in cells),
        counts=counts,
        small=small,
        hidden=hidden,
        aggregates=dict(aggregates or {}),
        adds_up=adds_up,
    )


def _scale(name: str, shown: ScaleResult | None, counted: ScaleResult) -> Table:
    labels = [o.label for o in counted.options]
    aggregates = {}
    aggregate_counts = {}
    shares = {o.label: o.share for o in shown.options} if shown else {}
    for total, labels_in, s, c in (
        (AGREEING, AGREE_LABELS, shown.agree if shown else None, counted.agree),
        (DISAGREEING, DISAGREE_LABELS, shown.disagree if shown else None, counted.disagree),
    ):
        parts = tuple(label for label in labels if label in labels_in)
        if len(parts) > 1:  # an aggregate of one option is that option
            aggregates[total] = parts
            aggregate_counts[total] = c.count or 0
            if s is not None:
                shares[total] = s
    return _table(
        name,
        ANSWERED,
        [(o.label, o.share.count or 0) for o in counted.options],
        shares,
        counted.answered,
        shown is None or shown.answered is None,
        adds_up=True,
        aggregates=aggregates,
        aggregate_counts=aggregate_counts,
    )


@dataclass
class System:
    """Counts and sums of one breakdown question's views of one table, for `common.disclosure`,
    with what a reader knows of each cell (`settle`)."""

    keys: frozenset[str]  # the breakdown questions' keys: a table named by one links views
    counts: dict[str, int] = dataclasses.field(default_factory=dict)
    sums: list[Sum] = dataclasses.field(default_factory=list)
    slack: set[str] = dataclasses.field(default_factory=set)  # never shown, never a person count
    small: set[str] = dataclasses.field(default_factory=set)
    hidden: set[str] = dataclasses.field(default_factory=set)
    unknown: set[str] = dataclasses.field(default_factory=set)
    shown: set[str] = dataclasses.field(default_factory=set)
    implied: set[str] = dataclasses.field(default_factory=set)  # 0 by not being listed

    def name(self, view: str, table: str, label: str) -> str:
        """One name for a cell shown in two views: Keynsham's count of under-25s is the
        under-25s' count of Keynsham (area=Keynsham|age|Under 25 = age=Under 25|area|Keynsham),
        and a group's responses are everyone's count of that group."""
        if label == RESPONSES:
            if view == EVERYONE:
                return f"{EVERYONE}|{RESPONSES}"
            key, group = view.split("=", 1)
            return f"{EVERYONE}|{key}|{group}" if group != NO_ANSWER else f"{view}|{RESPONSES}"
        if "=" in view and table in self.keys and not label.startswith("("):
            key, group = view.split("=", 1)
            return min(f"{view}|{table}|{label}", f"{table}={label}|{key}|{group}")
        return f"{view}|{table}|{label}"

    def cell(self, name: str, count: int) -> str:
        known = self.counts.setdefault(name, count)
        if known != count:  # one cell seen in two views must be one count
            raise ValueError(f"{name} is {known} in one view and {count} in another")
        return name

    def add(self, view: str, table: Table, responses: int) -> None:
        """One view's table: its cells and its own sums (its base is at most its responses)."""
        for label, count in table.counts.items():
            self.cell(self.name(view, table.name, label), count)
        size = self.cell(self.name(view, table.name, RESPONSES), responses)
        base = self.name(view, table.name, table.base)
        options = tuple(self.name(view, table.name, label) for label in table.options)
        if table.adds_up:
            self.sums.append(Sum(base, options))
        else:  # each option at most the base: the rest did not choose it
            for label, option in zip(table.options, options, strict=True):
                rest = f"{view}|{table.name}|not {label}"
                self.counts[rest] = table.counts[table.base] - table.counts[label]
                self.slack.add(rest)
                self.sums.append(Sum(base, (option, rest)))
        for total, parts in table.aggregates.items():
            self.sums.append(
                Sum(
                    self.name(view, table.name, total),
                    tuple(self.name(view, table.name, part) for part in parts),
                )
            )
        if table.base != RESPONSES:
            skipped = f"{view}|{table.name}|(did not answer)"
            self.counts[skipped] = responses - table.counts[table.base]
            self.slack.add(skipped)
            self.sums.append(Sum(size, (base, skipped)))

    def settle(self, status: Mapping[str, str]) -> None:
        """What the reader knows of each cell: as published (`status`: "small", "hidden" or
        "shown", by name), else never published: a person count or a slack."""
        for name in self.counts:
            kind = status.get(name)
            if kind == "small":
                self.small.add(name)
            elif kind == "hidden":
                self.hidden.add(name)
            elif kind == "shown":
                self.shown.add(name)
            elif name not in self.slack:
                self.unknown.add(name)

    def found(self, threshold: int) -> dict[str, int]:
        """What a reader could work out."""
        return recoverable(
            self.counts, self.sums, self.small, self.hidden, threshold, self.unknown, self.slack
        )


View = tuple[str, ConsultationResults | None, ConsultationResults]  # name, shown, counted


def status(views: Iterable[View], keys: frozenset[str]) -> dict[str, str]:
    """How each cell of the published views is shown, by its one name: "small" ("fewer than
    N") where small anywhere, else "hidden" where hidden in any view, else "shown"."""
    namer = System(keys)
    found: dict[str, str] = {}
    rank = {"shown": 0, "hidden": 1, "small": 2}
    for view, shown, counted in views:
        if shown is None or shown.responses is None:
            continue
        marks = [(view, RESPONSES, "shown")] if view == EVERYONE else []
        for table in tables(shown, counted):
            for label in table.counts:
                kind = (
                    "small"
                    if label in table.small
                    else "hidden"
                    if label in table.hidden
                    else "shown"
                )
                marks.append((table.name, label, kind))
        for table_name, label, kind in marks:
            if table_name == RESPONSES:
                name = f"{EVERYONE}|{RESPONSES}"
            else:
                name = namer.name(view, table_name, label)
            if name not in found or rank[kind] > rank[found[name]]:
                found[name] = kind
    return found


def joint(
    key: str,
    table: str,
    everyone: View,
    groups: Sequence[View],
    keys: frozenset[str],
    known: Mapping[str, str],
    memo: Memo | None = None,
) -> System:
    """One breakdown question's views of one table as one system: everyone's, each group's
    (published or not), and those who did not answer the breakdown question (never shown).
    `known` is how each published cell is shown (`status`); `memo` keeps each view's tables
    between systems."""
    system = System(keys)
    _, everyone_shown, everyone_counted = everyone
    responses = everyone_counted.responses or 0
    everyone_tables = _named(everyone_shown, everyone_counted, memo)
    system.cell(f"{EVERYONE}|{RESPONSES}", responses)
    system.add(EVERYONE, everyone_tables[table], responses)
    if table != key:  # the breakdown question's own table: the groups' sizes add up
        system.add(EVERYONE, everyone_tables[key], responses)
    names = []
    in_groups = {label: 0 for label in everyone_tables[table].counts}
    zeros: set[str] = set()  # a channel or week a group's view does not list: none of that group
    whole = everyone_tables[table]
    for view, shown, counted in groups:
        # Every label of everyone's table: a channel or week a group's view does not list is
        # a 0 there (known to be 0 where the view is published, else unknown like the rest).
        found = _named(shown, counted, memo).get(table)
        mine = dataclasses.replace(
            whole,
            counts={label: found.counts.get(label, 0) if found else 0 for label in whole.counts},
            small=found.small if found else frozenset(),
            hidden=found.hidden if found else frozenset(),
        )
        if shown is not None and shown.responses is not None:
            zeros.update(
                system.name(view, table, label)
                for label in whole.options
                if found is None or label not in found.counts
            )
        system.add(view, mine, counted.responses or 0)
        names.append(view)
        for label in in_groups:
            in_groups[label] += mine.counts[label]
    rest = view_name(key, NO_ANSWER)  # everyone less every group
    rest_size = responses - sum(counted.responses or 0 for _, _, counted in groups)
    rest_table = dataclasses.replace(
        everyone_tables[table],
        counts={
            label: count - in_groups[label]
            for label, count in everyone_tables[table].counts.items()
        },
    )
    system.add(rest, rest_table, rest_size)
    # How many did not say which group, and how many of them answered, follow from everyone's
    # counts and the groups'; what they answered is theirs, and counts.
    system.slack.add(system.name(rest, table, RESPONSES))
    system.slack.add(system.name(rest, table, rest_table.base))
    names.append(rest)
    sizes = tuple(system.name(view, table, RESPONSES) for view in names)
    system.sums.append(Sum(f"{EVERYONE}|{RESPONSES}", sizes))
    labels = [*everyone_tables[table].options]
    if everyone_tables[table].base != RESPONSES:
        labels.append(everyone_tables[table].base)
    for label in labels:
        parts = tuple(system.name(view, table, label) for view in names)
        system.sums.append(Sum(system.name(EVERYONE, table, label), parts))
    system.settle({**known, **dict.fromkeys(zeros, "shown")})
    system.implied = zeros
    return system


Memo = dict[tuple[int, int], tuple[object, object, dict[str, Table]]]


def _named(
    shown: ConsultationResults | None, counted: ConsultationResults, memo: Memo | None
) -> dict[str, Table]:
    """A view's tables by name, made once per view where a memo is kept."""
    if memo is None:
        return {t.name: t for t in tables(shown, counted)}
    key = (id(shown), id(counted))
    if key not in memo:  # (the views are kept in the memo too, so their ids stay theirs)
        memo[key] = (shown, counted, {t.name: t for t in tables(shown, counted)})
    return memo[key][2]


@dataclass(frozen=True)
class Leak:
    """A hidden count a reader could work out: where, which, and its value."""

    view: str
    table: str
    cell: str
    value: int

    def __str__(self) -> str:
        return f"{self.view}: {self.table}: '{self.cell}' can be worked out ({self.value})"


def leaks(view: str, shown: ConsultationResults, counted: ConsultationResults) -> list[Leak]:
    """Every hidden count of one view that its own shown counts give away; [] when none."""
    if shown.responses is None:  # the whole view is hidden
        return []
    found = []
    for table in tables(shown, counted):
        system = System(frozenset())
        system.add(view, table, counted.responses or 0)
        marks = {
            system.name(view, table.name, label): (
                "small" if label in table.small else "hidden" if label in table.hidden else "shown"
            )
            for label in table.counts
        }
        marks[system.name(view, table.name, RESPONSES)] = "shown"
        system.settle(marks)
        for cell, value in sorted(system.found(shown.threshold).items()):
            found.append(Leak(view, table.name, cell.rsplit("|", 1)[1], value))
    return found


def across_views(
    key: str, everyone: View, groups: Sequence[View], keys: frozenset[str], known: Mapping[str, str]
) -> list[Leak]:
    """Hidden counts that everyone's and the groups' views of breakdown question `key` give
    away together, table by table."""
    _, shown, counted = everyone
    if shown is None or shown.responses is None:
        return []
    found = []
    for table in _shared_tables(key, everyone, groups):
        system = joint(key, table, everyone, groups, keys, known)
        for cell, value in sorted(system.found(shown.threshold).items()):
            found.append(Leak(f"{key} groups against everyone", table, cell, value))
    return found


def _shared_tables(key: str, everyone: View, groups: Sequence[View]) -> list[str]:
    """The tables of the groups' views: everyone's but the breakdown question's own."""
    _, shown, counted = everyone
    if not groups:
        return []
    return [t.name for t in tables(shown, counted) if t.name != key]


def protect_groups(
    everyone: View,
    breakdowns: Mapping[str, Sequence[View]],
    threshold: int,
) -> dict[str, ConsultationResults]:
    """Each group's view as it may be published: hidden further wherever, with everyone's and
    the other groups' views, a hidden count could be worked out. A group whose view cannot be
    protected that way (or whose size is hidden in everyone's view) is not shown on its own.
    Everyone's view is never changed. Keyed by view name ("area=Keynsham")."""
    keys = frozenset(breakdowns)
    _, everyone_shown, everyone_counted = everyone
    views: dict[str, tuple[ConsultationResults | None, ConsultationResults]] = {}
    for key, groups in breakdowns.items():
        sizes = {}
        if everyone_shown is not None:
            result = everyone_shown.question(key)
            if isinstance(result, ChoiceResult):
                sizes = {o.label: o.share for o in result.options}
        for view, _, counted in groups:
            size = sizes.get(view.split("=", 1)[1])
            published = (
                not is_small(counted.responses or 0, threshold)
                and size is not None
                and not size.suppressed
            )
            # Only small counts hidden to start with: what else to hide is decided with
            # everyone's and the other groups' counts in view.
            start = publish(counted, threshold, lambda table, label: False)
            views[view] = (start if published else None, counted)
    # A table of a question is in one system only; a breakdown question's table in another's
    # groups (Keynsham's ages) shares its cells with that one's (the under-25s' areas), so
    # those are protected again until neither hides more. A group taken off starts it over.
    every = [
        (key, table)
        for key, groups in breakdowns.items()
        for table in _shared_tables(key, everyone, groups)
    ]
    crossed = [(key, table) for key, table in every if table in keys]
    memo: Memo = {}
    hide: set[str] = set()
    settled: set[str] = set()  # hidden, then found worked out all the same: shown for good
    pending = every
    while pending:
        known = _known(everyone, views, keys, hide)
        again = []
        for key, table in pending:
            members = [(v, *views[v]) for v, _, _ in breakdowns[key]]
            system = joint(key, table, everyone, members, keys, known, memo)
            try:
                more = _protect(system, threshold, settled)
            except CannotProtect as failed:
                off = _smallest(failed.found, views, keys, members)
                if off is None:  # every group is off already: the rest is everyone's own
                    continue
                views[off] = (None, views[off][1])  # not shown on its own
                again = every
                break
            new = more - system.hidden
            hide |= new
            known.update({name: "hidden" for name in new if name in known})
            if new and table in keys:
                again = crossed
        if not again:  # a count hidden that can be worked out anyway hides nothing: shown
            pinned = _worked_out(every, everyone, breakdowns, views, keys, hide, threshold, memo)
            if pinned:
                hide -= pinned
                settled |= pinned
                again = every
        pending = again
    _show_what_protects_nothing(hide, everyone, breakdowns, views, keys, threshold, memo)
    return {
        view: _published(shown, counted, hide, keys, threshold)
        for view, (shown, counted) in views.items()
    }


def _show_what_protects_nothing(
    hide: set[str],
    everyone: View,
    breakdowns: Mapping[str, Sequence[View]],
    views: Mapping[str, tuple[ConsultationResults | None, ConsultationResults]],
    keys: frozenset[str],
    threshold: int,
    memo: Memo,
) -> None:
    """Hiding one count at a time overshoots: show again, largest first, each hidden count
    (a small one as "fewer than" again) whose showing still lets no hidden count be worked
    out (in its table and, for a count shown in two views, in the other's)."""
    known = _known(everyone, views, keys, hide)
    counts: dict[str, int] = {}
    for key, groups in breakdowns.items():
        members = [(v, *views[v]) for v, _, _ in groups]
        for table in _shared_tables(key, everyone, groups):
            system = joint(key, table, everyone, members, keys, known, memo)
            counts |= {n: system.counts[n] for n in (system.hidden & hide) - system.small}
    for name in sorted(counts, key=lambda n: (-counts[n], n)):
        hide.discard(name)
        known[name] = "small" if is_small(counts[name], threshold) else "shown"  # as it was
        systems = _holding(name, everyone, breakdowns, views, keys, known, memo)
        if any(_gives_away(system, threshold) for system in systems):
            hide.add(name)
            known[name] = "hidden"


def _holding(
    name: str,
    everyone: View,
    breakdowns: Mapping[str, Sequence[View]],
    views: Mapping[str, tuple[ConsultationResults | None, ConsultationResults]],
    keys: frozenset[str],
    known: Mapping[str, str],
    memo: Memo,
) -> list[System]:
    """The systems a group's cell is in: its own table's, and its twin's."""
    view, table, label = name.split("|", 2)
    places = [(view.split("=", 1)[0], table)]
    if table in keys and not label.startswith("("):
        places.append((table, view.split("=", 1)[0]))
    return [
        joint(
            key, table, everyone, [(v, *views[v]) for v, _, _ in breakdowns[key]], keys, known, memo
        )
        for key, table in places
    ]


def _gives_away(system: System, threshold: int) -> bool:
    """Whether a reader could work out any hidden count of the system (a small one, or one
    hidden to protect another)."""
    return bool(system.found(threshold))


def _worked_out(
    every: Sequence[tuple[str, str]],
    everyone: View,
    breakdowns: Mapping[str, Sequence[View]],
    views: Mapping[str, tuple[ConsultationResults | None, ConsultationResults]],
    keys: frozenset[str],
    hide: set[str],
    threshold: int,
    memo: Memo,
) -> set[str]:
    """The counts hidden to protect others that a reader could work out all the same."""
    known = _known(everyone, views, keys, hide)
    found: set[str] = set()
    for key, table in every:
        members = [(v, *views[v]) for v, _, _ in breakdowns[key]]
        system = joint(key, table, everyone, members, keys, known, memo)
        mine = (system.hidden & hide) - system.small
        if mine:
            found |= set(
                recoverable(
                    system.counts,
                    system.sums,
                    system.small,
                    system.hidden,
                    threshold,
                    system.unknown,
                    system.slack,
                    only=mine,
                )
            )
    return found


def _protect(system: System, threshold: int, settled: set[str]) -> set[str]:
    """What else to hide in the groups' views of one system: their smallest shown counts
    first, their bases last; never everyone's counts, nor a count shown for good."""
    _, more = protect(
        system.counts,
        system.sums,
        threshold,
        small=system.small,
        hidden=system.hidden,
        unknown=system.unknown,
        free=system.slack,
        may_hide=lambda name: name not in settled and _in_a_group(name, system),
        cost=lambda name: (_is_base(name), system.counts[name], name),
    )
    return more


def _known(
    everyone: View,
    views: Mapping[str, tuple[ConsultationResults | None, ConsultationResults]],
    keys: frozenset[str],
    hide: set[str],
) -> dict[str, str]:
    found = status([everyone, *((v, s, c) for v, (s, c) in views.items())], keys)
    for name in hide:  # hidden further: shown ones, and small ones now only "not shown"
        if name in found:
            found[name] = "hidden"
    return found


def _in_a_group(name: str, system: System) -> bool:
    """A cell of a group's view (never everyone's, never a base or a group's size)."""
    return (
        (name in system.shown or name in system.small)
        and name not in system.implied
        and not name.startswith(f"{EVERYONE}|")
        and not _is_base(name)
    )


def _is_base(name: str) -> bool:
    return name.endswith(f"|{ANSWERED}") or name.endswith(f"|{RESPONSES}")


def _smallest(
    found: Sequence[str],
    views: Mapping[str, tuple[ConsultationResults | None, ConsultationResults]],
    keys: frozenset[str],
    members: Sequence[View],
) -> str | None:
    """The smallest published group view showing one of the cells `found`; else (a count of a
    group not shown) the smallest published group view of the system."""
    holders = set()
    for name in found:
        view, table, label = name.split("|", 2)
        holders.add(view)
        if table in keys and not label.startswith("("):
            holders.add(f"{table}={label}")
    published = [  # (taking off a group no one is in would hide nothing)
        (counted.responses or 0, view)
        for view, (shown, counted) in views.items()
        if view in holders and shown is not None and counted.responses
    ]
    if not published:
        published = [(c.responses or 0, v) for v, s, c in members if s is not None and c.responses]
    return min(published)[1] if published else None


def _published(
    shown: ConsultationResults | None,
    counted: ConsultationResults,
    hide: set[str],
    keys: frozenset[str],
    threshold: int,
) -> ConsultationResults:
    """A group's view with the cells in `hide` withheld; or, not published, shown as such."""
    if shown is None:
        if is_small(counted.responses or 0, threshold):  # too few responded: shown as such
            return publish(counted, threshold, lambda table, label: False)
        return dataclasses.replace(
            counted,
            threshold=threshold,
            responses=None,
            channels=(),
            weeks=(),
            questions=(),
            withheld=True,
        )
    view = f"{counted.group.key}={counted.group.label}" if counted.group else EVERYONE
    namer = System(keys)
    return publish(counted, threshold, lambda table, label: namer.name(view, table, label) in hide)


def publish(
    counted: ConsultationResults, threshold: int, hidden: Callable[[str, str], bool]
) -> ConsultationResults:
    """A view as published, from its counts (`counted`, nothing hidden): small counts
    "fewer than `threshold`", each cell for which `hidden(table, label)` holds "not shown",
    the rest as counted; percentages follow, and a list of "Other" texts goes with its count."""

    def decide(table: str, label: str, counted_share: Share, base_hidden: bool) -> Share:
        base, count = counted_share.base, counted_share.count or 0
        if base_hidden:
            return hidden_share(base, threshold)
        if hidden(table, label):  # to protect another: small or not, "not shown"
            return withheld(base, threshold)
        if is_small(count, threshold):
            return Share(None, base, threshold)
        return Share(count, base, threshold)

    too_few = is_small(counted.responses or 0, threshold)
    questions: list[QuestionResult] = []
    for result in counted.questions:
        if isinstance(result, MatrixResult):
            statements = tuple(
                _publish_scale(f"{result.key} / {s.statement}", s, threshold, decide)
                for s in result.statements
            )
            questions.append(dataclasses.replace(result, statements=statements))
        elif isinstance(result, ScaleResult):
            questions.append(_publish_scale(result.key, result, threshold, decide))
        elif isinstance(result, ChoiceResult):
            base_hidden = is_small(result.answered or 0, threshold)
            options = tuple(
                OptionCount(o.label, decide(result.key, o.label, o.share, base_hidden))
                for o in result.options
            )
            other_hidden = any(o.share.suppressed for o in options if o.label == OTHER_LABEL)
            questions.append(
                dataclasses.replace(
                    result,
                    answered=None if base_hidden else result.answered,
                    options=options,
                    other_texts=() if base_hidden or other_hidden else result.other_texts,
                )
            )
        elif isinstance(result, TextResult):
            base_hidden = is_small(result.answered or 0, threshold)
            themes = tuple(
                sorted(
                    (
                        ThemeCount(t.theme, decide(result.key, t.theme, t.share, base_hidden))
                        for t in result.themes
                    ),
                    key=theme_order,
                )
            )
            questions.append(
                dataclasses.replace(
                    result,
                    answered=None if base_hidden else result.answered,
                    themes=themes,
                    coded=None if base_hidden else result.coded,
                    uncoded=None if base_hidden else result.uncoded,
                    no_theme=decide(result.key, NO_THEME, result.no_theme, base_hidden),
                )
            )
    return dataclasses.replace(
        counted,
        threshold=threshold,
        responses=None if too_few else counted.responses,
        questions=tuple(questions),
        channels=()
        if too_few
        else tuple(
            Count(c.label, decide("channels", c.label, c.share, False)) for c in counted.channels
        ),
        weeks=()
        if too_few
        else tuple(
            Week(w.starts, decide("weeks", w.starts.isoformat(), w.share, False))
            for w in counted.weeks
        ),
    )


Decide = Callable[[str, str, Share, bool], Share]


def _publish_scale(table: str, result: ScaleResult, threshold: int, decide: Decide) -> ScaleResult:
    base_hidden = is_small(result.answered or 0, threshold)
    options = tuple(
        OptionCount(o.label, decide(table, o.label, o.share, base_hidden)) for o in result.options
    )
    by_label = {o.label: o.share for o in options}

    def aggregate(name: str, labels: frozenset[str], counted: Share) -> Share:
        parts = [label for label in by_label if label in labels]
        if len(parts) == 1:  # an aggregate of one option is that option
            return by_label[parts[0]]
        return decide(table, name, counted, base_hidden)

    agree = aggregate(AGREEING, AGREE_LABELS, result.agree)
    disagree = aggregate(DISAGREEING, DISAGREE_LABELS, result.disagree)
    graded = tuple(by_label) == LIKERT_SCALE
    return dataclasses.replace(
        result,
        answered=None if base_hidden else result.answered,
        options=options,
        agree=agree,
        disagree=disagree,
        dont_know=by_label.get(
            DONT_KNOW_LABEL, decide(table, DONT_KNOW_LABEL, result.dont_know, base_hidden)
        ),
        net=net(agree, disagree) if graded else None,
    )
