"""Charts of consultation results and audit trends, drawn once for the pages and the Word drafts.

Pure: plain data in, bytes and words out (matplotlib through `Figure`, never `pyplot`; the
drawing is in `common.chart_drawing`). Every chart says its main message in words and carries
its data as a `survey.core.tables` table; every number is written by `common.display`. A suppressed
count is never drawn: no bar, no range, only the words "fewer than 5" at the axis, and nowhere
in the words or the table is it anything else. The words are said through `say`
(common.translation): a residents' page in Welsh gives one; staff pages and drafts read English.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from matplotlib.figure import Figure

from common import chart_drawing as draw
from common import display
from common.statistics import Share
from common.translation import N_, Say, english, worded
from survey.core import tables
from survey.core.questions import FIXED_SCALES, QuestionType
from survey.core.results import (
    Breakdown,
    ChoiceResult,
    ConsultationResults,
    GroupShare,
    MatrixResult,
    ScaleResult,
    TextResult,
    Week,
)

NEITHER = "Neither agree nor disagree"
WEEKS_NAME = "responses-by-week"


@dataclass(frozen=True)
class Chart:
    """A chart with everything a reader without sight of it needs.

    `alt_text` states the chart's main message; `headers` and `rows` are its data as a table,
    already formatted by `common.display`; `svg` is for pages, `png` (200 dpi or more) for
    documents. Each format is drawn from `drawing` on first use and kept: a page never pays
    for the PNG, nor a draft for the SVG. The same data always gives the same bytes. Charts are
    equal when their words and tables are: the drawing is made from the same data, so it takes
    no part.
    """

    name: str
    title: str
    alt_text: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    drawing: draw.Drawing = field(compare=False, repr=False)

    @cached_property
    def svg(self) -> bytes:
        """The chart as SVG, for pages: drawn on first use."""
        return self.drawing.svg()

    @cached_property
    def png(self) -> bytes:
        """The chart as PNG, for documents: drawn on first use."""
        return self.drawing.png()


def _chart(
    name: str,
    title: str,
    alt_text: str,
    table: tables.DataTable,
    drawing: Callable[[Figure], None],
    rows: float,
) -> Chart:
    return Chart(
        name,
        title,
        alt_text,
        table.headers,
        table.rows,
        drawing=draw.Drawing(title, drawing, rows),
    )


def _said(name: str, title: str, words: str, table: tables.DataTable) -> Chart:
    """A chart with nothing to draw: its title and why, in words."""
    return _chart(name, title, words, table, lambda figure: draw.message(figure, words), 1)


def _too_few(answered: int | None, threshold: int, say: Say) -> str | None:
    """Why a question's chart is empty, or None when there is something to draw."""
    if answered is None:
        return worded(
            say,
            N_("Fewer than %(count)s people answered this question, so the answers are not shown."),
            count=display.number(threshold),
        )
    if answered == 0:
        return say(N_("No one has answered this question yet."))
    return None


def _count_and_percent(share: Share, say: Say) -> str:
    """A bar's label: '18 (35%)', or 'fewer than 5' when suppressed."""
    if share.count is None:
        return display.share_count(share, say)
    return f"{display.share_count(share, say)} ({display.share_percent(share, say)})"


def _of(share: Share, answered: int, say: Say) -> str:
    """'18 of 52 (35%)' or 'fewer than 5 of 52': the base is shown only when it may be."""
    if share.count is None:
        return worded(
            say,
            N_("%(count)s of %(base)s"),
            count=display.in_words(share, say),
            base=display.number(answered),
        )
    return display.share_of(share, say)


def _listing(items: Sequence[str], say: Say) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + say(N_(" and ")) + items[-1]


def _capital(sentence: str) -> str:
    return f"{sentence[0].upper()}{sentence[1:]}"


def _percent_bar(
    label: str,
    share: Share,
    say: Say,
    colour: str = draw.BLUE,
    hatch: str = "",
    whiskers: bool = False,
) -> draw.Bar:
    """A bar of a share labelled "18 (35%)", with whiskers for its 95% interval; no bar, just
    "fewer than 5", when suppressed."""
    interval = share.interval if whiskers else None
    return draw.Bar(label, share.percent, _count_and_percent(share, say), colour, hatch, interval)


def _bars_chart(
    name: str,
    title: str,
    words: str,
    table: tables.DataTable,
    shown: Sequence[draw.Bar],
    note: str,
    percent: bool = True,
) -> Chart:
    """A chart of horizontal bars, as tall as its rows need."""
    return _chart(
        name,
        title,
        words,
        table,
        lambda figure: draw.bars(figure, shown, note, percent=percent),
        draw.rows_for([bar.label for bar in shown]),
    )


def themes_chart(result: TextResult, threshold: int, say: Say = english) -> Chart:
    """Themes of a free-text question, most mentioned first, labelled "18 (35%)"."""
    table = tables.themes_table(result, threshold, say)
    title = worded(say, N_("What people mentioned: %(question)s"), question=result.text)
    empty = _too_few(result.answered, threshold, say)
    if empty is None and not result.themes:
        empty = say(N_("None of the answers has been coded into themes yet."))
    if empty is not None or result.answered is None:
        return _said(result.key, title, empty or "", table)
    answered = result.answered
    shown = [_percent_bar(t.theme, t.share, say) for t in result.themes]
    note = worded(
        say,
        N_("Percentage of the %(count)s who answered; an answer can mention several themes"),
        count=display.number(answered),
    )
    return _bars_chart(result.key, title, _themes_words(result, say), table, shown, note)


def _themes_words(result: TextResult, say: Say) -> str:
    shown = [t for t in result.themes if t.share.count]
    if not shown:
        sentences = [
            worded(
                say,
                N_("No theme was mentioned by %(fewer)s or more."),
                fewer=display.fewer_than(result.no_theme, say),
            )
        ]
    else:
        top = [t for t in shown if t.share.count == shown[0].share.count]
        share = display.share_of(top[0].share, say)
        if len(top) == 1:
            lead = N_("%(themes)s was the most mentioned: %(share)s who answered.")
        else:
            lead = N_("%(themes)s were the most mentioned, each: %(share)s who answered.")
        themes = _listing([t.theme for t in top], say)
        sentences = [worded(say, lead, themes=themes, share=share)]
        rest = [f"{t.theme} {_count_and_percent(t.share, say)}" for t in shown[len(top) :]]
        if rest:
            sentences.append(worded(say, N_("Next: %(rest)s."), rest=_listing(rest, say)))
    few = [t for t in result.themes if t.share.suppressed]
    if few:
        sentences.append(
            worded(
                say,
                N_("Mentioned by %(fewer)s: %(themes)s."),
                fewer=display.fewer_than(few[0].share, say),
                themes=_listing([t.theme for t in few], say),
            )
        )
    none = [t.theme for t in result.themes if t.share.count == 0]
    if none:
        sentences.append(worded(say, N_("Not mentioned: %(themes)s."), themes=_listing(none, say)))
    if result.uncoded == 1:
        sentences.append(say(N_("1 answer not yet coded.")))
    elif result.uncoded:
        count = display.number(result.uncoded)
        sentences.append(worded(say, N_("%(count)s answers not yet coded."), count=count))
    return " ".join(sentences)


def scale_chart(result: ScaleResult, threshold: int, say: Say = english) -> Chart:
    """An agreement or likert question: agree with its 95% interval, and the other answers."""
    table = tables.scale_table(result, threshold, say)
    title = result.statement or result.text
    empty = _too_few(result.answered, threshold, say)
    if empty is not None or result.answered is None:
        return _said(result.key, title, empty or "", table)
    answered = result.answered
    shown = _scale_bars(result, say)
    note = worded(
        say,
        N_("Percentage of the %(count)s who answered, with 95%% intervals"),
        count=display.number(answered),
    )
    words = _scale_words(result, answered, say)
    return _bars_chart(result.key, title, words, table, shown, note)


def _neither(statement: ScaleResult) -> Share | None:
    """The share answering 'neither agree nor disagree' (the middle of the five-point scale),
    found by its place on the scale, so in any language; None on a Yes/No scale."""
    scale = FIXED_SCALES.get(statement.type, ())
    found = (
        o.share for o, label in zip(statement.options, scale, strict=False) if label == NEITHER
    )
    return next(found, None)


def _scale_bars(result: ScaleResult, say: Say) -> list[draw.Bar]:
    """Agree, neither (likert only), disagree and don't know, each with its interval."""
    yes_no = result.type is QuestionType.AGREEMENT
    parts = [(say(N_("Yes")) if yes_no else say(N_("Agree")), result.agree, draw.BLUE, "")]
    neither = _neither(result)
    if neither is not None:
        parts.append((say(NEITHER), neither, draw.GREY, ""))
    no = say(N_("No")) if yes_no else say(N_("Disagree"))
    parts.append((no, result.disagree, draw.VERMILLION, "//"))
    parts.append((say(N_("Don't know")), result.dont_know, draw.SKY, ".."))
    return [
        _percent_bar(label, share, say, colour, hatch, whiskers=True)
        for label, share, colour, hatch in parts
    ]


def _scale_words(result: ScaleResult, answered: int, say: Say) -> str:
    agree, disagree, dont_know = result.agree, result.disagree, result.dont_know
    if agree.count == 0 and disagree.count == 0 and dont_know.count == answered:
        return worded(
            say,
            N_("No one agreed or disagreed: all %(count)s said they did not know."),
            count=display.number(answered),
        )
    if agree.interval is not None:
        sentence = worded(
            say,
            N_("%(agreed)s who answered agreed (95%% interval %(interval)s)"),
            agreed=_of(agree, answered, say),
            interval=display.interval(agree, say),
        )
    else:
        sentence = worded(
            say, N_("%(agreed)s who answered agreed"), agreed=_of(agree, answered, say)
        )
    rest = [worded(say, N_("%(count)s disagreed"), count=_of(disagree, answered, say))]
    neither = _neither(result)
    if neither is not None:
        rest.append(
            worded(
                say,
                N_("%(count)s neither agreed nor disagreed"),
                count=_of(neither, answered, say),
            )
        )
    if dont_know.count != 0:
        rest.append(worded(say, N_("%(count)s did not know"), count=_of(dont_know, answered, say)))
    else:
        rest.append(say(N_("no one said they did not know")))
    return f"{_capital(sentence)}. {_capital(_listing(rest, say))}."


def matrix_chart(result: MatrixResult, threshold: int, say: Say = english) -> Chart:
    """Diverging bars per statement: disagree to the left, agree to the right, then the rest.

    The table is the matrix table with a "Neither" column, since the chart draws that too.
    """
    base = tables.matrix_table(result, threshold, say)
    table = tables.DataTable(
        base.caption,
        (*base.headers[:3], say(N_("Neither")), *base.headers[3:]),
        tuple(
            (*row[:3], display.share_percent(_middle(s), say) if s.answered else "-", *row[3:])
            for row, s in zip(base.rows, result.statements, strict=True)
        ),
    )
    if not any(s.answered for s in result.statements):
        hidden = any(s.answered is None for s in result.statements)
        empty = _too_few(None if hidden else 0, threshold, say) or ""
        return _said(result.key, result.text, empty, table)
    statements = [_diverging(s, threshold, say) for s in result.statements]
    return _chart(
        result.key,
        result.text,
        _matrix_words(result, threshold, say),
        table,
        lambda figure: draw.diverging(figure, statements),
        draw.rows_for([s.label for s in statements], least=1.8),  # room for neither, don't know
    )


def _middle(statement: ScaleResult) -> Share:
    """A matrix statement's 'neither' share (its scale is always the five-point one)."""
    neither = _neither(statement)
    if neither is None:
        raise ValueError(f"{statement.key} has no 'neither' answer")
    return neither


def _diverging(statement: ScaleResult, threshold: int, say: Say) -> draw.Diverging:
    label = statement.statement or ""
    answered = statement.answered
    if not answered:
        few = worded(say, N_("fewer than %(count)s answered"), count=display.number(threshold))
        note = few if answered is None else say(N_("no answers"))
        bar = draw.Bar("", None, "")
        return draw.Diverging(label, bar, bar, bar, bar, note)

    def part(share: Share, colour: str, hatch: str, word: str = "") -> draw.Bar:
        text = f"{word} {display.share_percent(share, say)}".strip()
        return draw.Bar("", share.percent, text, colour, hatch)

    return draw.Diverging(
        label,
        agree=part(statement.agree, draw.BLUE, ""),
        disagree=part(statement.disagree, draw.VERMILLION, "//"),
        neither=part(_middle(statement), draw.GREY, "", say(N_("neither"))),
        dont_know=part(statement.dont_know, draw.SKY, "..", say(N_("don't know"))),
    )


def _matrix_words(result: MatrixResult, threshold: int, say: Say) -> str:
    ranked = sorted(
        (s for s in result.statements if s.answered and s.agree.percent is not None),
        key=lambda s: -(s.agree.percent or 0),
    )
    count = display.number(threshold)
    sentences = []
    if ranked:
        top, bottom = ranked[0], ranked[-1]
        sentences.append(
            worded(
                say,
                N_("Most agreement: %(statement)s, %(share)s."),
                statement=top.statement or "",
                share=display.share_of(top.agree, say),
            )
        )
        if bottom is not top:
            sentences.append(
                worded(
                    say,
                    N_("Least: %(statement)s, %(share)s."),
                    statement=bottom.statement or "",
                    share=display.share_of(bottom.agree, say),
                )
            )
    else:
        sentences.append(
            worded(say, N_("Fewer than %(count)s agreed with every statement."), count=count)
        )
    if len(ranked) > 2:
        between = [f"{s.statement} {display.share_percent(s.agree, say)}" for s in ranked[1:-1]]
        sentences.append(
            worded(say, N_("Between them: %(between)s."), between=_listing(between, say))
        )
    few = [s.statement or "" for s in result.statements if s.answered and s.agree.suppressed]
    if few and ranked:
        sentences.append(
            worded(
                say,
                N_("Agreed by fewer than %(count)s: %(statements)s."),
                count=count,
                statements=_listing(few, say),
            )
        )
    answered = [s for s in result.statements if s.answered]
    sentences.append(_most_for(DISAGREEMENT, answered, lambda s: s.disagree, say))
    sentences.append(_most_for(NEITHER_MOST, answered, _middle, say))
    sentences.append(_most_for(DONT_KNOW_MOST, answered, lambda s: s.dont_know, say))
    hidden = [s.statement or "" for s in result.statements if s.answered is None]
    if hidden:
        sentences.append(
            worded(
                say,
                N_("Fewer than %(count)s answered for %(statements)s."),
                count=count,
                statements=_listing(hidden, say),
            )
        )
    return " ".join(sentences)


# Where one answer of a matrix was given most, as three sentences: the most, hidden in every
# statement, and given for none.
DISAGREEMENT = (
    N_("Most disagreement: %(statement)s, %(share)s."),
    N_("%(fewer)s disagreed with each statement."),
    N_("No one disagreed with any statement."),
)
NEITHER_MOST = (
    N_("Most 'neither': %(statement)s, %(share)s."),
    N_("%(fewer)s neither agreed nor disagreed with each statement."),
    N_("No one neither agreed nor disagreed with any statement."),
)
DONT_KNOW_MOST = (
    N_("Most 'don't know': %(statement)s, %(share)s."),
    N_("%(fewer)s said they did not know for each statement."),
    N_("No one said they did not know for any statement."),
)


def _most_for(
    sentences: tuple[str, str, str],
    statements: Sequence[ScaleResult],
    part: Callable[[ScaleResult], Share],
    say: Say,
) -> str:
    """Where one answer of a matrix was given most: 'Most disagreement: Drugs, 6 of 20 (30%).'"""
    most, each, none = sentences
    shown = [s for s in statements if part(s).percent]
    if shown:
        top = max(shown, key=lambda s: part(s).percent or 0)
        share = display.share_of(part(top), say)
        return worded(say, most, statement=top.statement or "", share=share)
    hidden = [part(s) for s in statements if part(s).suppressed]
    if hidden:
        return _capital(worded(say, each, fewer=display.fewer_than(hidden[0], say)))
    return say(none)


def choice_chart(result: ChoiceResult, threshold: int, say: Say = english) -> Chart:
    """A single or multi choice question: one bar per option, in the question's order."""
    table = tables.choice_table(result, threshold, say)
    empty = _too_few(result.answered, threshold, say)
    if empty is not None or result.answered is None:
        return _said(result.key, result.text, empty or "", table)
    answered = result.answered
    shown = [_percent_bar(o.label, o.share, say) for o in result.options]
    count = display.number(answered)
    if result.type is QuestionType.MULTI_CHOICE:
        note = worded(
            say,
            N_("Percentage of the %(count)s who answered; people could choose more than one"),
            count=count,
        )
    else:
        note = worded(say, N_("Percentage of the %(count)s who answered"), count=count)
    words = _choice_words(result, answered, say)
    return _bars_chart(result.key, result.text, words, table, shown, note)


def _choice_words(result: ChoiceResult, answered: int, say: Say) -> str:
    shown = sorted(
        (o for o in result.options if o.share.count), key=lambda o: -(o.share.count or 0)
    )
    few = [o.label for o in result.options if o.share.suppressed and not o.share.withheld]
    withheld = [o.label for o in result.options if o.share.withheld]
    none = [o.label for o in result.options if o.share.count == 0]
    threshold = result.options[0].share.threshold
    fewer = display.below(threshold, say)
    count = display.number(answered)
    if shown:
        top = [o for o in shown if o.share.count == shown[0].share.count]
        most = (
            N_("%(options)s was chosen most: %(share)s who answered.")
            if len(top) == 1
            else N_("%(options)s was chosen most, each: %(share)s who answered.")
        )
        options = _listing([o.label for o in top], say)
        sentences = [worded(say, most, options=options, share=display.share_of(top[0].share, say))]
        rest = [f"{o.label} {_count_and_percent(o.share, say)}" for o in shown[len(top) :]]
        if rest:
            sentences.append(worded(say, N_("Then %(rest)s."), rest=_listing(rest, say)))
    elif few and not none and not withheld:
        sentences = [
            worded(
                say,
                N_("Every option was chosen by %(fewer)s of the %(count)s who answered."),
                fewer=fewer,
                count=count,
            )
        ]
        few = []
    elif withheld:
        sentences = [
            worded(
                say,
                N_(
                    "For the %(count)s who answered, no count can be shown without giving a "
                    "small one away."
                ),
                count=count,
            )
        ]
    else:
        sentences = [
            worded(
                say,
                N_("No option was chosen by %(threshold)s or more of the %(count)s who answered."),
                threshold=display.number(threshold),
                count=count,
            )
        ]
    if few:
        sentences.append(
            worded(
                say,
                N_("Chosen by %(fewer)s: %(options)s."),
                fewer=fewer,
                options=_listing(few, say),
            )
        )
    if withheld:
        sentences.append(
            worded(
                say,
                N_("Not shown, so that a smaller count cannot be worked out: %(options)s."),
                options=_listing(withheld, say),
            )
        )
    if none:
        sentences.append(
            worded(say, N_("Chosen by no one: %(options)s."), options=_listing(none, say))
        )
    if result.type is QuestionType.MULTI_CHOICE:
        sentences.append(
            worded(
                say,
                N_(
                    "People could choose more than one, so the percentages can add up to more "
                    "than 100%%."
                ),
            )
        )
    return " ".join(sentences)


def breakdown_name(result: Breakdown) -> str:
    """The chart name of a breakdown: 'agree-by-area'."""
    return f"{result.key}-by-{result.by_key}"


# The groupings of the demo's and most councils' breakdown questions, by key, in words; any
# other key is said as it is written.
GROUPINGS = {"area": N_("area"), "age band": N_("age band")}


def breakdown_chart(result: Breakdown, threshold: int, say: Say = english) -> Chart:
    """Agreement in each group (area, age band) with its 95% interval."""
    table = tables.breakdown_table(result, threshold, say)
    key = result.by_key.replace("_", " ")  # the key names the grouping: "area", "age band"
    by = say(GROUPINGS[key]) if key in GROUPINGS else key
    question = result.statement or result.text
    title = worded(say, N_("Agreement by %(by)s: %(question)s"), by=by, question=question)
    if all(g.agree.percent is None for g in result.groups):
        if all(g.answered == 0 for g in result.groups):
            words = say(N_("No one has answered this question yet."))
        elif any(g.agree.withheld for g in result.groups):
            words = worded(
                say,
                N_(
                    "Agreement by %(by)s is not shown: in each group too few agreed, or showing "
                    "it would let a smaller count be worked out."
                ),
                by=by,
            )
        else:
            words = worded(
                say, N_("Too few people agreed in any group to show agreement by %(by)s."), by=by
            )
        return _said(breakdown_name(result), title, words, table)
    shown = [_group_bar(group, threshold, say) for group in result.groups]
    note = worded(say, N_("Percentage agreeing in each group, with 95%% intervals"))
    words = _breakdown_words(result, by, threshold, say)
    return _bars_chart(breakdown_name(result), title, words, table, shown, note)


def _group_bar(group: GroupShare, threshold: int, say: Say) -> draw.Bar:
    """A group's agreement with whiskers; when hidden or too few, no bar, only words."""
    agree = group.agree
    if agree.withheld:
        return draw.Bar(group.label, None, say(N_("not shown")))
    if not group.answered:
        if group.answered == 0:
            return draw.Bar(group.label, None, say(N_("no answers")))
        few = worded(say, N_("fewer than %(count)s answered"), count=display.number(threshold))
        return draw.Bar(group.label, None, few)
    if agree.percent is None:
        agreed = worded(say, N_("%(count)s agreed"), count=display.share_count(agree, say))
        return draw.Bar(group.label, None, agreed)
    return draw.Bar(
        group.label, agree.percent, display.share_of(agree, say), interval=agree.interval
    )


def _breakdown_words(result: Breakdown, by: str, threshold: int, say: Say) -> str:
    shown = sorted(
        (g for g in result.groups if g.agree.percent is not None),
        key=lambda g: -(g.agree.percent or 0),
    )
    high, low = shown[0], shown[-1]
    sentences = [
        worded(
            say,
            N_("Agreement by %(by)s was highest in %(group)s: %(share)s."),
            by=by,
            group=high.label,
            share=display.share_of(high.agree, say),
        )
    ]
    if low is not high:
        sentences.append(
            worded(
                say,
                N_("Lowest in %(group)s: %(share)s."),
                group=low.label,
                share=display.share_of(low.agree, say),
            )
        )
    if len(shown) > 2:
        between = [f"{g.label} {display.share_of(g.agree, say)}" for g in shown[1:-1]]
        sentences.append(
            worded(say, N_("Between them: %(groups)s."), groups=_listing(between, say))
        )
    few = [g.label for g in result.groups if g.agree.percent is None and not g.agree.withheld]
    withheld = [g.label for g in result.groups if g.agree.withheld]
    if few:
        sentences.append(
            worded(
                say,
                N_("Fewer than %(threshold)s agreed or answered in %(groups)s."),
                threshold=display.number(threshold),
                groups=_listing(few, say),
            )
        )
    if withheld:
        sentences.append(
            worded(
                say,
                N_("Not shown, so that a smaller count cannot be worked out: %(groups)s."),
                groups=_listing(withheld, say),
            )
        )
    return " ".join(sentences)


def weeks_chart(weeks: Sequence[Week], threshold: int) -> Chart:
    """Responses received in each week, labelled with the count."""
    table = tables.weeks_table(tuple(weeks))
    title = "Responses by week"
    if not weeks:
        words = "No responses to show by week: none yet, or too few to show."
        return _said(WEEKS_NAME, title, words, table)
    shown = [
        draw.Bar(
            f"Week starting {display.long_date(w.starts)}",
            None if w.share.count is None else float(w.share.count),
            display.share_count(w.share),
        )
        for w in weeks
    ]
    words = _weeks_words(weeks)
    return _bars_chart(WEEKS_NAME, title, words, table, shown, "Responses received", False)


def _weeks_words(weeks: Sequence[Week]) -> str:
    span = f"Responses arrived over {display.plural(len(weeks), 'week')}."
    shown = [w for w in weeks if w.share.count is not None]
    if not shown:
        return f"{span} Every week had {display.fewer_than(weeks[0].share)}."
    busiest = max(shown, key=lambda w: (w.share.count or 0, -w.starts.toordinal()))
    each = _listing([display.share_count(w.share) for w in weeks], english)
    return (
        f"{span} The most came in the week starting {display.long_date(busiest.starts)}: "
        f"{display.share_of(busiest.share)} responses. Week by week: {each}."
    )


def trend_chart(
    name: str,
    title: str,
    periods: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    unit: str,
    alt_text: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
) -> Chart:
    """A line per series over `periods`, with markers and its name at its last value.

    For audit trends (crimes a year), so it takes plain values: the caller gives the words
    and the table, having formatted its own figures. A None value is a gap in the line.
    """
    for label, values in series:
        if len(values) != len(periods):
            raise ValueError(f"{label!r} has {len(values)} values for {len(periods)} periods")
    table = tables.DataTable(title, tuple(headers), tuple(tuple(row) for row in rows))
    if not any(v is not None for _, values in series for v in values):
        return _chart(name, title, alt_text, table, lambda f: draw.message(f, alt_text), 1)
    ended = [(values, f"{label}: {_amount(_last(values))}") for label, values in series]
    return _chart(
        name,
        title,
        alt_text,
        table,
        lambda figure: draw.lines(figure, periods, ended, unit),
        4 + len(series),  # room to name each line at its end
    )


def _last(values: Sequence[float | None]) -> float | None:
    return next((v for v in reversed(values) if v is not None), None)


def _amount(value: float | None) -> str:
    """A trend's figure: whole numbers with separators, others to one decimal place."""
    if value is None:
        return "no figure"
    return display.number(int(value)) if float(value).is_integer() else display.rounded(value, 1)


def charts_for(
    results: ConsultationResults, breakdowns: Sequence[Breakdown] = (), say: Say = english
) -> list[Chart]:
    """Every chart of a consultation in page order: each question, each breakdown, the weeks.

    `say` words the questions' charts, the ones residents' pages show; breakdowns and weeks are
    for staff and drafts, in English.
    """
    threshold = results.threshold
    charts: list[Chart] = []
    for result in results.questions:
        if isinstance(result, MatrixResult):
            charts.append(matrix_chart(result, threshold, say))
        elif isinstance(result, ScaleResult):
            charts.append(scale_chart(result, threshold, say))
        elif isinstance(result, ChoiceResult):
            charts.append(choice_chart(result, threshold, say))
        else:
            charts.append(themes_chart(result, threshold, say))
    charts.extend(breakdown_chart(b, threshold) for b in breakdowns)
    charts.append(weeks_chart(results.weeks, threshold))
    return charts
