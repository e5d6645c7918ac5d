"""Results written out: as plain text for the terminal and as JSON-ready dictionaries.

Pure. Every number goes through `common.display`, so `results show` says exactly what the pages
and the Word draft say.
"""

from __future__ import annotations

from typing import Any

from common import display
from common.statistics import Share
from survey.core.results import (
    ChoiceResult,
    ConsultationResults,
    MatrixResult,
    QuestionResult,
    ScaleResult,
    TextResult,
)


def share_to_dict(share: Share) -> dict[str, Any]:
    """A share for JSON: raw numbers (None when suppressed) and the words a page shows."""
    low, high = share.interval or (None, None)
    return {
        "count": share.count,
        "base": share.base,
        "suppressed": share.suppressed,
        "percent": share.percent,
        "interval_95": None if low is None else [low, high],
        "text": display.share_of(share),
    }


def results_to_dict(results: ConsultationResults) -> dict[str, Any]:
    """Everything in `results`, for `results show --json`."""
    return {
        "slug": results.slug,
        "title": results.title,
        "opens": results.opens.isoformat(),
        "closes": results.closes.isoformat(),
        "suppression_threshold": results.threshold,
        "group": None
        if results.group is None
        else {"question": results.group.key, "label": results.group.label},
        "responses": results.responses,
        "withheld": results.withheld,
        "channels": {c.label: share_to_dict(c.share) for c in results.channels},
        "weeks": [
            {"starts": w.starts.isoformat(), **share_to_dict(w.share)} for w in results.weeks
        ],
        "questions": [_question_to_dict(q) for q in results.questions],
    }


def _question_to_dict(result: QuestionResult) -> dict[str, Any]:
    if isinstance(result, MatrixResult):
        return {
            "key": result.key,
            "type": "matrix",
            "text": result.text,
            "statements": [_scale_to_dict(s) for s in result.statements],
        }
    if isinstance(result, ScaleResult):
        return {"key": result.key, "type": result.type.value, **_scale_to_dict(result)}
    if isinstance(result, ChoiceResult):
        return {
            "key": result.key,
            "type": result.type.value,
            "text": result.text,
            "answered": result.answered,
            "options": {o.label: share_to_dict(o.share) for o in result.options},
            "other_texts": list(result.other_texts),
        }
    return {
        "key": result.key,
        "type": "free_text",
        "text": result.text,
        "codebook": result.codebook,
        "answered": result.answered,
        "coded": result.coded,
        "uncoded": result.uncoded,
        "no_theme": share_to_dict(result.no_theme),
        "themes": {t.theme: share_to_dict(t.share) for t in result.themes},
    }


def _scale_to_dict(result: ScaleResult) -> dict[str, Any]:
    return {
        "text": result.statement or result.text,
        "answered": result.answered,
        "options": {o.label: share_to_dict(o.share) for o in result.options},
        "agree": share_to_dict(result.agree),
        "disagree": share_to_dict(result.disagree),
        "dont_know": share_to_dict(result.dont_know),
        "net_agreement_points": result.net,
    }


def results_lines(results: ConsultationResults) -> list[str]:
    """A plain-text report of `results`, one finding per line."""
    lines = [results.title]
    if results.group is not None:
        lines.append(f"Group: {results.group.question} {results.group.label}")
    if results.withheld:
        return [*lines, "Responses: not shown", display.WITHHELD_GROUP]
    lines.append(f"Responses: {_answered(results.responses, results.threshold)}")
    if results.channels:
        channels = ", ".join(f"{c.label} {display.share_count(c.share)}" for c in results.channels)
        lines.append(f"By channel: {channels}")
    for result in results.questions:
        lines.append("")
        lines.extend(_question_lines(result, results.threshold))
    return lines


def _answered(count: int | None, threshold: int) -> str:
    return f"fewer than {display.number(threshold)}" if count is None else display.number(count)


def _question_lines(result: QuestionResult, threshold: int) -> list[str]:
    if isinstance(result, MatrixResult):
        lines = [result.text]
        for statement in result.statements:
            lines.extend("  " + line for line in _scale_lines(statement, threshold))
        return lines
    if isinstance(result, ScaleResult):
        return _scale_lines(result, threshold)
    if isinstance(result, ChoiceResult):
        lines = [f"{result.text} (answered: {_answered(result.answered, threshold)})"]
        lines += [f"  {o.label}: {display.share_of(o.share)}" for o in result.options]
        lines += [f"  Other: {text}" for text in result.other_texts]
        return lines
    return _text_lines(result, threshold)


def _scale_lines(result: ScaleResult, threshold: int) -> list[str]:
    title = result.statement or result.text
    lines = [f"{title} (answered: {_answered(result.answered, threshold)})"]
    agree = f"  Agree: {display.share_of(result.agree)}"
    if result.agree.interval is not None:
        agree += f", 95% interval {display.interval(result.agree)}"
    lines.append(agree)
    lines.append(f"  Don't know: {display.share_of(result.dont_know)}")
    if result.net is not None:
        lines.append(f"  Net agreement: {display.points(result.net)}")
    lines += [f"    {o.label}: {display.share_of(o.share)}" for o in result.options]
    return lines


def _text_lines(result: TextResult, threshold: int) -> list[str]:
    lines = [f"{result.text} (answered: {_answered(result.answered, threshold)})"]
    if result.answered is None:
        return lines
    lines.append(
        f"  Coded: {display.number(result.coded or 0)}, "
        f"not yet coded: {display.number(result.uncoded or 0)}"
    )
    lines += [f"    {t.theme}: {display.share_of(t.share)}" for t in result.themes]
    lines.append(f"    No theme: {display.share_of(result.no_theme)}")
    return lines
