"""The consultation's charts in a draft, in the draft's language.

Pure. In English they are `survey.core.charts`' own, exactly as the councillors' pages show
them. In Welsh the same bars are drawn from the same shares, with the fixed words (titles,
notes, answer labels, "fewer than 5", the alt text) from the documents' catalogue; the data
tables are survey's with their fixed words translated, so every number is the one survey
wrote. What residents and officers wrote (themes, groups, question texts) stays as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assembly.core import language
from assembly.core.language import ENGLISH, N_, Words
from assembly.core.wording import join_words
from common import chart_drawing as draw
from common import display
from common.statistics import Share
from survey.core import charts
from survey.core.charts import NEITHER, Chart
from survey.core.questions import QuestionType
from survey.core.results import Breakdown, GroupShare, ScaleResult, TextResult

# The fixed words of survey's charts and tables, as they appear in a cell or label.
FIXED_WORDS = {
    "Answer": N_("Answer"),
    "Number": N_("Number"),
    "Percentage": N_("Percentage"),
    "Theme": N_("Theme"),
    "Number mentioning it": N_("Number mentioning it"),
    "Percentage of those answering": N_("Percentage of those answering"),
    "Answered": N_("Answered"),
    "Agreeing": N_("Agreeing"),
    "95% interval": N_("95%% interval"),
    "Agreeing (95% interval)": N_("Agreeing (95%% interval)"),
    "No theme": N_("No theme"),
    "Not yet coded": N_("Not yet coded"),
    "Yes": N_("Yes"),
    "No": N_("No"),
    "Don't know": N_("Don't know"),
    "Agree": N_("Agree"),
    "Disagree": N_("Disagree"),
    "Strongly agree": N_("Strongly agree"),
    "Strongly disagree": N_("Strongly disagree"),
    NEITHER: N_("Neither agree nor disagree"),
    "not shown": N_("not shown"),
}
GROUPINGS = {"area": N_("area"), "age band": N_("age band")}
_FEWER = re.compile(r"^fewer than (\S+)$")
_INTERVAL = re.compile(r"^(\S+%) to (\S+%)$")
_WITH_INTERVAL = re.compile(r"^(\S+%) \((\S+%) to (\S+%)\)$")


def scale_chart(result: ScaleResult, threshold: int, tr: Words) -> Chart:
    """survey's `scale_chart`, in the language of `tr`."""
    chart = charts.scale_chart(result, threshold)
    if tr.language == ENGLISH:
        return chart
    title = result.statement or result.text
    if result.answered is None or result.answered == 0:
        return _said(chart, title, _too_few(result.answered, threshold, tr), tr)
    yes_no = result.type is QuestionType.AGREEMENT
    parts = [(tr("Yes") if yes_no else tr("Agree"), result.agree, draw.BLUE, "")]
    parts += [
        (tr(FIXED_WORDS[NEITHER]), o.share, draw.GREY, "")
        for o in result.options
        if o.label == NEITHER
    ]
    parts.append((tr("No") if yes_no else tr("Disagree"), result.disagree, draw.VERMILLION, "//"))
    parts.append((tr("Don't know"), result.dont_know, draw.SKY, ".."))
    bars = [
        draw.Bar(label, share.percent, _count_and_percent(share, tr), colour, hatch, share.interval)
        for label, share, colour, hatch in parts
    ]
    note = tr(
        "Percentage of the %(answered)s who answered, with 95%% intervals",
        answered=display.number(result.answered),
    )
    return _bars(chart, title, _scale_words(result, result.answered, tr), bars, note, tr)


def _scale_words(result: ScaleResult, answered: int, tr: Words) -> str:
    """survey's words for a scale chart: who agreed, then everyone else."""
    agree, disagree, dont_know = result.agree, result.disagree, result.dont_know
    if agree.count == 0 and disagree.count == 0 and dont_know.count == answered:
        return tr(
            "No one agreed or disagreed: all %(answered)s said they did not know.",
            answered=display.number(answered),
        )
    if agree.interval is not None:
        sentence = tr(
            "%(share)s who answered agreed (95%% interval %(interval)s)",
            share=_of(agree, answered, tr),
            interval=language.interval(agree, tr),
        )
    else:
        sentence = tr("%(share)s who answered agreed", share=_of(agree, answered, tr))
    rest = [tr("%(share)s disagreed", share=_of(disagree, answered, tr))]
    rest += [
        tr("%(share)s neither agreed nor disagreed", share=_of(o.share, answered, tr))
        for o in result.options
        if o.label == NEITHER
    ]
    if dont_know.count != 0:
        rest.append(tr("%(share)s did not know", share=_of(dont_know, answered, tr)))
    else:
        rest.append(tr("no one said they did not know"))
    others = join_words(rest, tr)
    return f"{sentence[0].upper()}{sentence[1:]}. {others[0].upper()}{others[1:]}."


def themes_chart(result: TextResult, threshold: int, tr: Words) -> Chart:
    """survey's `themes_chart`, in the language of `tr`."""
    chart = charts.themes_chart(result, threshold)
    if tr.language == ENGLISH:
        return chart
    title = tr("What people mentioned: %(question)s", question=result.text)
    if result.answered is None or result.answered == 0:
        return _said(chart, title, _too_few(result.answered, threshold, tr), tr)
    if not result.themes:
        return _said(chart, title, tr("None of the answers has been coded into themes yet."), tr)
    bars = [
        draw.Bar(t.theme, t.share.percent, _count_and_percent(t.share, tr), interval=None)
        for t in result.themes
    ]
    note = tr(
        "Percentage of the %(answered)s who answered; an answer can mention several themes",
        answered=display.number(result.answered),
    )
    return _bars(chart, title, _themes_words(result, tr), bars, note, tr)


def breakdown_chart(result: Breakdown, threshold: int, tr: Words) -> Chart:
    """survey's `breakdown_chart`, in the language of `tr`."""
    chart = charts.breakdown_chart(result, threshold)
    if tr.language == ENGLISH:
        return chart
    key = result.by_key.replace("_", " ")
    by = tr(GROUPINGS[key]) if key in GROUPINGS else key
    title = tr("Agreement by %(by)s: %(question)s", by=by, question=result.statement or result.text)
    if all(g.agree.percent is None for g in result.groups):
        if all(g.answered == 0 for g in result.groups):
            said = tr("No one has answered this question yet.")
        elif any(g.agree.withheld for g in result.groups):
            said = tr(
                "Agreement by %(by)s is not shown: in each group too few agreed, or showing it "
                "would let a smaller count be worked out.",
                by=by,
            )
        else:
            said = tr("Too few people agreed in any group to show agreement by %(by)s.", by=by)
        return _said(chart, title, said, tr)
    bars = [_group_bar(group, threshold, tr) for group in result.groups]
    note = tr("Percentage agreeing in each group, with 95%% intervals")
    shown = sorted(
        (g for g in result.groups if g.agree.percent is not None),
        key=lambda g: -(g.agree.percent or 0),
    )
    high, low = shown[0], shown[-1]
    words = [
        tr(
            "Agreement by %(by)s was highest in %(group)s: %(share)s.",
            by=by,
            group=high.label,
            share=share_of(high.agree, tr),
        )
    ]
    if low is not high:
        words.append(
            tr("Lowest in %(group)s: %(share)s.", group=low.label, share=share_of(low.agree, tr))
        )
    if len(shown) > 2:
        between = [f"{g.label} {share_of(g.agree, tr)}" for g in shown[1:-1]]
        words.append(tr("Between them: %(groups)s.", groups=join_words(between, tr)))
    few = [g.label for g in result.groups if g.agree.percent is None and not g.agree.withheld]
    if few:
        words.append(
            tr(
                "Fewer than %(threshold)s agreed or answered in %(groups)s.",
                threshold=display.number(threshold),
                groups=join_words(few, tr),
            )
        )
    withheld = [g.label for g in result.groups if g.agree.withheld]
    if withheld:
        words.append(
            tr(
                "Not shown, so that a smaller count cannot be worked out: %(groups)s.",
                groups=join_words(withheld, tr),
            )
        )
    return _bars(chart, title, " ".join(words), bars, note, tr)


def _group_bar(group: GroupShare, threshold: int, tr: Words) -> draw.Bar:
    agree = group.agree
    if agree.withheld:
        return draw.Bar(group.label, None, tr("not shown"))
    if not group.answered:
        if group.answered == 0:
            return draw.Bar(group.label, None, tr("no answers"))
        few = tr("fewer than %(number)s answered", number=display.number(threshold))
        return draw.Bar(group.label, None, few)
    if agree.percent is None:
        return draw.Bar(
            group.label, None, tr("%(count)s agreed", count=language.share_count(agree, tr))
        )
    return draw.Bar(group.label, agree.percent, share_of(agree, tr), interval=agree.interval)


def _themes_words(result: TextResult, tr: Words) -> str:
    shown = [t for t in result.themes if t.share.count]
    if not shown:
        fewer = language.fewer_than(result.no_theme, tr)
        sentences = [tr("No theme was mentioned by %(fewer)s or more.", fewer=fewer)]
    else:
        top = [t for t in shown if t.share.count == shown[0].share.count]
        share = share_of(top[0].share, tr)
        if len(top) == 1:
            sentences = [
                tr("%(theme)s was the most mentioned: %(share)s.", theme=top[0].theme, share=share)
            ]
        else:
            themes = join_words([t.theme for t in top], tr)
            sentences = [
                tr(
                    "%(themes)s were the most mentioned, each %(share)s.",
                    themes=themes,
                    share=share,
                )
            ]
        rest = [f"{t.theme} {_count_and_percent(t.share, tr)}" for t in shown[len(top) :]]
        if rest:
            sentences.append(tr("Next: %(themes)s.", themes=join_words(rest, tr)))
    few = [t for t in result.themes if t.share.suppressed]
    if few:
        sentences.append(
            tr(
                "Mentioned by %(fewer)s: %(themes)s.",
                fewer=language.fewer_than(few[0].share, tr),
                themes=join_words([t.theme for t in few], tr),
            )
        )
    none = [t.theme for t in result.themes if t.share.count == 0]
    if none:
        sentences.append(tr("Not mentioned: %(themes)s.", themes=join_words(none, tr)))
    if result.uncoded:
        sentences.append(
            tr.ngettext(
                "%(count)s answer not yet coded.",
                "%(count)s answers not yet coded.",
                result.uncoded,
                count=display.number(result.uncoded),
            )
        )
    return " ".join(sentences)


def _too_few(answered: int | None, threshold: int, tr: Words) -> str:
    if answered is None:
        return tr(
            "Fewer than %(threshold)s people answered this question, so the answers are not shown.",
            threshold=display.number(threshold),
        )
    return tr("No one has answered this question yet.")


def _count_and_percent(share: Share, tr: Words) -> str:
    """A bar's label: '18 (35%)', or 'fewer than 5' when suppressed."""
    if share.count is None:
        return language.share_count(share, tr)
    return f"{language.share_count(share, tr)} ({language.share_percent(share, tr)})"


def _of(share: Share, answered: int, tr: Words) -> str:
    """'18 of 52 (35%)' or 'fewer than 5 of 52'."""
    if share.count is None:
        return tr(
            "%(count)s of %(base)s",
            count=language.in_words(share, tr),
            base=display.number(answered),
        )
    return share_of(share, tr)


def share_of(share: Share, tr: Words) -> str:
    """display.share_of in the language of `tr`: '50 of 61 (82%)', 'fewer than 5 of 61'."""
    if tr.language == ENGLISH:
        return display.share_of(share)
    if share.count is None:
        if 0 < share.base < share.threshold or share.withheld:
            return language.fewer_than(share, tr)
        return tr(
            "%(count)s of %(base)s",
            count=language.fewer_than(share, tr),
            base=display.number(share.base),
        )
    if share.base == 0:
        return tr("%(count)s of %(base)s", count="0", base="0")
    return tr(
        "%(count)s of %(base)s (%(percent)s)",
        count=display.number(share.count),
        base=display.number(share.base),
        percent=language.share_percent(share, tr),
    )


def fixed_words(text: str, tr: Words) -> str:
    """A table cell or heading of survey's with its fixed words in the language of `tr`;
    numbers and what people wrote unchanged."""
    if text in FIXED_WORDS:
        return tr(FIXED_WORDS[text])
    if found := _FEWER.match(text):
        return tr("fewer than %(number)s", number=found.group(1))
    if found := _INTERVAL.match(text):
        return tr("%(low)s to %(high)s", low=found.group(1), high=found.group(2))
    if found := _WITH_INTERVAL.match(text):
        between = tr("%(low)s to %(high)s", low=found.group(2), high=found.group(3))
        return f"{found.group(1)} ({between})"
    return text


def _table(chart: Chart, tr: Words) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    headers = tuple(fixed_words(h, tr) for h in chart.headers)
    rows = tuple(tuple(fixed_words(cell, tr) for cell in row) for row in chart.rows)
    return headers, rows


def _bars(
    chart: Chart, title: str, words: str, bars: Sequence[draw.Bar], note: str, tr: Words
) -> Chart:
    headers, rows = _table(chart, tr)
    return Chart(
        chart.name,
        title,
        words,
        headers,
        rows,
        drawing=draw.Drawing(
            title,
            lambda figure: draw.bars(figure, bars, note, percent=True),
            draw.rows_for([bar.label for bar in bars]),
        ),
    )


def _said(chart: Chart, title: str, words: str, tr: Words) -> Chart:
    headers, rows = _table(chart, tr)
    return Chart(
        chart.name,
        title,
        words,
        headers,
        rows,
        drawing=draw.Drawing(title, lambda figure: draw.message(figure, words), 1),
    )
