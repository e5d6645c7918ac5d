"""The residents' pages: open consultations, one question per page, check answers, confirmation.

No login. Answers in progress are kept server-side in a draft whose token is in the session
cookie; the draft token is also the submission's idempotency key, so a double click or a
back-and-resubmit records one response.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    abort,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlalchemy.exc import IntegrityError

from common.clock import today
from common.database import db
from common.extensions import rate_limits
from common.settings import suppression_threshold
from survey.core import tables
from survey.core.answers import AnswerValue, Problem, RawAnswer, describe, to_raw
from survey.core.question_types import asked_questions, check_answer, check_response
from survey.core.questions import QuestionSpec
from survey.core.results import ConsultationResults
from survey.data import consultations as store
from survey.data import screening
from survey.data.models import Consultation, Draft, Response, Status
from survey.data.quotes import shown_quotes
from survey.data.recording import find_by_token, record_submission
from survey.data.tallies import consultation_results
from survey.data.unfinished import (
    Submitting,
    answers_from_json,
    consultation_and_draft,
    new_draft,
    raw_answers,
    save_answer,
    submitting,
)
from survey.web import chart_files, languages
from survey.web.question_pages import (
    answer_html,
    context_blocks,
    error_list,
    question_fields,
    raw_from_form,
)

bp = Blueprint("residents", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    return render_template("residents/index.html", consultations=store.open_consultations(today()))


@bp.get("/privacy")
def privacy() -> ResponseReturnValue:
    return render_template("residents/privacy.html")


@bp.get("/accessibility")
def accessibility() -> ResponseReturnValue:
    return render_template("residents/accessibility.html")


def public_consultation(slug: str) -> Consultation:
    return _shown(store.by_slug(slug))


def _shown(consultation: Consultation | None) -> Consultation:
    """The consultation, or 404 when there is none or it is still a draft; its pages are in
    English only when officers gave it no Welsh."""
    if consultation is None or consultation.status == Status.DRAFT:
        abort(404)
    languages.offer_languages(consultation)
    return consultation


def journey_state(name: str) -> dict[str, str]:
    value = session.get(name)
    return dict(value) if isinstance(value, dict) else {}


def remember(name: str, slug: str, token: str | None) -> None:
    state = journey_state(name)
    if token is None:
        state.pop(slug, None)
    else:
        state[slug] = token
    session[name] = state


def public_with_draft(slug: str) -> tuple[Consultation, Draft | None]:
    """The public consultation (or 404) and this browser's draft of it, in one read."""
    consultation, draft = consultation_and_draft(slug, journey_state("drafts").get(slug))
    return _shown(consultation), draft


def question_list(consultation: store.Versioned) -> list[QuestionSpec]:
    return list(store.question_specs(consultation))


@bp.get("/consultations/<slug>")
def start(slug: str) -> ResponseReturnValue:
    consultation = public_consultation(slug)
    specs = question_list(consultation)
    return render_template(
        "residents/start.html",
        consultation=consultation,
        accepting=consultation.accepting(today()),
        today=today(),
        first_key=specs[0].key if specs else None,
        question_count=len(specs),
    )


def _results_out(consultation: Consultation) -> bool:
    """True when an officer has published the results after closing."""
    return consultation.results_published and consultation.status == Status.CLOSED


def _published(slug: str) -> tuple[Consultation, ConsultationResults]:
    """A consultation whose results an officer has published after closing, and its results."""
    consultation = public_consultation(slug)
    if not _results_out(consultation):
        abort(404)
    return consultation, _results_shown(consultation)


def _results_shown(consultation: Consultation) -> ConsultationResults:
    """Its results, with the questions' wording in the page's language."""
    found = consultation_results(consultation, minimum=suppression_threshold())
    return languages.results_shown(found, question_list(consultation))


@bp.get("/consultations/<slug>/results")
def results(slug: str) -> ResponseReturnValue:
    """'You said': the results, once an officer has published them after closing; until then,
    when the consultation closes and that results will follow (still a 404: there are none)."""
    consultation = public_consultation(slug)
    if not _results_out(consultation):
        return render_template(
            "residents/results_pending.html", consultation=consultation, today=today()
        ), 404
    found = _results_shown(consultation)
    charts = chart_files.charts(found, language=languages.current())
    say = languages.page_say()
    return render_template(
        "residents/results.html",
        consultation=consultation,
        results=found,
        sections=[
            (r, tables.question_table(r, found.threshold, say), charts[r.key])
            for r in found.questions
        ],
        quotes=shown_quotes(consultation, found),  # the councillors' rules: everyone's view
    )


def _chart(slug: str, key: str, kind: str) -> ResponseReturnValue:
    """One question's chart from a published 'You said' page: nothing the page does not show."""
    _, found = _published(slug)
    if key not in {result.key for result in found.questions}:
        abort(404)
    chart = chart_files.charts(found, language=languages.current())[key]
    return chart_files.chart_file(chart, kind, chart_files.filename(slug, key))


@bp.get("/consultations/<slug>/results/charts/<key>.svg")
def chart_svg(slug: str, key: str) -> ResponseReturnValue:
    return _chart(slug, key, "svg")


@bp.get("/consultations/<slug>/results/charts/<key>.png")
def chart_png(slug: str, key: str) -> ResponseReturnValue:
    return _chart(slug, key, "png")


@bp.get("/consultations/<slug>/results/charts/<key>.csv")
def chart_csv(slug: str, key: str) -> ResponseReturnValue:
    return _chart(slug, key, "csv")


def not_accepting(consultation: Consultation | Submitting) -> ResponseReturnValue:
    return redirect(url_for("residents.start", slug=consultation.slug))


@dataclass
class QuestionOnPage:
    """One question of the journey as this browser's answers ask it."""

    consultation: Consultation
    draft: Draft | None
    every: list[QuestionSpec]  # all the consultation's questions
    specs: list[QuestionSpec]  # those the answers so far ask
    index: int  # this question's place among `specs`

    @property
    def spec(self) -> QuestionSpec:
        return self.specs[self.index]


def question_on_page(slug: str, key: str) -> QuestionOnPage | ResponseReturnValue:
    """The question `key` as asked of this browser, or where to go instead (404 when none)."""
    consultation, draft = public_with_draft(slug)
    if not consultation.accepting(today()):
        return not_accepting(consultation)
    every = question_list(consultation)
    if all(s.key != key for s in every):
        abort(404)
    specs = asked_questions(every, raw_answers(draft))
    index = next((i for i, s in enumerate(specs) if s.key == key), None)
    if index is None:
        # A follow-up the earlier answers do not ask: on to the next question that is asked.
        return redirect(_after_unasked(slug, every, specs, key))
    return QuestionOnPage(consultation, draft, every, specs, index)


def keep_answer(
    found: QuestionOnPage, value: AnswerValue | None
) -> tuple[Draft, list[QuestionSpec]]:
    """Keep the answer to the question on the page in this browser's draft (started if need
    be), dropping answers to follow-ups no longer asked; the draft (not committed) and the
    questions now asked."""
    draft = found.draft
    if draft is None:
        draft = new_draft(found.consultation)
        remember("drafts", found.consultation.slug, draft.token)
    # Kept in English whatever the page's language: the same options by position, so
    # switching language mid-journey keeps the answers.
    save_answer(draft, found.spec.key, to_raw(found.spec, value))
    return draft, forget_unasked(draft, found.every)


def note_honeypot(slug: str) -> None:
    """Remember, for the submission's screening, a filled-in field no person sees."""
    if request.form.get(screening.HONEYPOT_FIELD, "").strip():
        remember("honeypot", slug, "filled")


@bp.route("/consultations/<slug>/questions/<key>", methods=["GET", "POST"])
def question(slug: str, key: str) -> ResponseReturnValue:
    found = question_on_page(slug, key)
    if not isinstance(found, QuestionOnPage):
        return found
    spec = found.spec
    asked = languages.shown(spec)
    changing = request.args.get("change") == "1"
    problems = []
    if request.method == "POST":
        note_honeypot(slug)
        raw = raw_from_form(asked, request.form)
        checked = check_answer(asked, raw)
        if not checked.problems:
            draft, specs = keep_answer(found, checked.value)
            db.session.commit()
            return redirect(_next_url(slug, specs, key, changing, raw_answers(draft)))
        problems = checked.problems
    else:
        raw = _as_asked(spec, asked, raw_answers(found.draft).get(spec.key))
    return question_page(found, asked, raw, problems, changing)


def question_page(
    found: QuestionOnPage,
    asked: QuestionSpec,
    raw: RawAnswer | None,
    problems: Sequence[Problem],
    changing: bool,
) -> str:
    """The question's page, in the page's language, with what was entered and its problems."""
    slug, index, total = found.consultation.slug, found.index, len(found.specs)
    return render_template(
        "residents/question.html",
        spec=asked,
        fields=question_fields(
            asked, raw, problems, caption=_caption(index, total), heading=not asked.context
        ),
        context=context_blocks(asked.context),
        caption=_caption(index, total),
        errors=error_list(asked, problems),
        back_url=_back_url(slug, found.specs, index, changing),
        save_url=url_for("residents.save_question", slug=slug, key=asked.key),
        preview=False,
    )


def _as_asked(spec: QuestionSpec, asked: QuestionSpec, raw: RawAnswer | None) -> RawAnswer | None:
    """A kept (English) answer in the words of the page's language."""
    if asked is spec or raw is None:
        return raw
    checked = check_answer(spec, raw, enforce_required=False)
    return raw if checked.problems else to_raw(asked, checked.value)


def _caption(index: int, total: int) -> str:
    return gettext("Question %(number)s of %(total)s", number=index + 1, total=total)


def forget_unasked(draft: Draft, every: list[QuestionSpec]) -> list[QuestionSpec]:
    """Drop the draft's answers to follow-ups its answers no longer ask (nothing stale is
    sent); the questions now asked."""
    raw = raw_answers(draft)
    asked = asked_questions(every, raw)
    kept = {spec.key for spec in asked}
    for key in [key for key in raw if key not in kept]:
        save_answer(draft, key, None)
    return asked


def _after_unasked(
    slug: str, every: list[QuestionSpec], asked: list[QuestionSpec], key: str
) -> str:
    """Where a link to a question not asked goes: the next question that is, or the check."""
    position = next(i for i, s in enumerate(every) if s.key == key)
    later = {s.key for s in every[position + 1 :]}
    following = next((s for s in asked if s.key in later), None)
    if following is None:
        return url_for("residents.check", slug=slug)
    return url_for("residents.question", slug=slug, key=following.key)


def _next_url(
    slug: str,
    specs: list[QuestionSpec],
    key: str,
    changing: bool,
    raw: dict[str, RawAnswer | None],
) -> str:
    """The next question asked; when changing an answer, a follow-up it now asks that has no
    answer yet, else back to the check."""
    index = next(i for i, s in enumerate(specs) if s.key == key)
    following = specs[index + 1] if index + 1 < len(specs) else None
    if changing:
        if following is not None and following.key not in raw and following.show_if is not None:
            return url_for("residents.question", slug=slug, key=following.key, change="1")
        return url_for("residents.check", slug=slug)
    if following is None:
        return url_for("residents.check", slug=slug)
    return url_for("residents.question", slug=slug, key=following.key)


def _back_url(slug: str, specs: list[QuestionSpec], index: int, changing: bool) -> str:
    if changing:
        return url_for("residents.check", slug=slug)
    if index == 0:
        return url_for("residents.start", slug=slug)
    return url_for("residents.question", slug=slug, key=specs[index - 1].key)


@bp.get("/consultations/<slug>/check")
def check(slug: str) -> ResponseReturnValue:
    consultation, draft = public_with_draft(slug)
    if not consultation.accepting(today()):
        return not_accepting(consultation)
    if draft is None and _sent_from_here(consultation) is not None:
        # The back button after sending fetches this page again: the resident is shown that
        # their response went in, with its reference, not an empty first question.
        return redirect(url_for("residents.confirmation", slug=slug))
    raw = raw_answers(draft)
    specs = asked_questions(question_list(consultation), raw)
    values, problems = check_response(specs, raw)
    if problems:
        return _first_unanswered(slug, specs, problems)
    if draft is None:
        return redirect(url_for("residents.start", slug=slug))
    rows = [_summary_row(slug, languages.shown(spec), values.get(spec.key)) for spec in specs]
    return render_template(
        "residents/check.html",
        consultation=consultation,
        title=languages.wording(consultation).title,
        rows=rows,
        back_url=_last_question(slug, specs),
        save_url=url_for("residents.save_check", slug=slug),
    )


@bp.post("/consultations/<slug>/check")
@rate_limits.limit("SUBMISSION_RATE_LIMIT")
def submit(slug: str) -> ResponseReturnValue:
    """Send the answers: "Accept and send" on the check page."""
    token = journey_state("drafts").get(slug)
    found = submitting(slug, token)
    if found is None or found.status == Status.DRAFT:
        abort(404)
    if found.draft_answers is None:
        # A second click, or the back button then resubmit: the draft was already sent (a
        # draft is deleted in the same write that records its response).
        sent = token or journey_state("submitted").get(slug)
        if sent and find_by_token(sent) is not None:
            return _confirm(slug, sent)
    if not found.accepting(today()):
        return not_accepting(found)
    raw = answers_from_json(found.draft_answers)
    specs = asked_questions(question_list(found), raw)
    values, problems = check_response(specs, raw)
    if problems:
        return _first_unanswered(slug, specs, problems)
    if token is None or found.draft_answers is None:
        return redirect(url_for("residents.start", slug=slug))
    try:
        record_submission(found, values, token, review=_review(found, values))
        db.session.commit()
    except IntegrityError:
        # The same draft sent twice at once: the other request recorded it.
        db.session.rollback()
        if find_by_token(token) is None:
            raise
    remember("honeypot", slug, None)
    return _confirm(slug, token)


def _first_unanswered(
    slug: str, specs: list[QuestionSpec], problems: dict[str, Any]
) -> ResponseReturnValue:
    first = next(s for s in specs if s.key in problems)
    return redirect(url_for("residents.question", slug=slug, key=first.key))


def _review(found: Submitting, values: dict[str, Any]) -> tuple[str, str | None] | None:
    """Why an officer should look at this submission, if anything: it is recorded anyway."""
    slug = found.slug
    ids = store.question_ids(found)
    earlier_token = journey_state("submitted").get(slug)
    earlier = find_by_token(earlier_token) if earlier_token else None
    if earlier is not None and screening.same_answers_as(earlier, values, ids):
        reason = "the same answers as an earlier response, sent again from the same browser"
        return reason, earlier.reference
    like = screening.same_text_recently(found, values, ids)
    if like is not None:
        return "the same long free-text answer as another response a few minutes earlier", like
    if journey_state("honeypot").get(slug):
        return screening.HONEYPOT_REASON, None
    return None


def _last_question(slug: str, specs: list[QuestionSpec]) -> str:
    return url_for("residents.question", slug=slug, key=specs[-1].key)


def _summary_row(slug: str, spec: QuestionSpec, value: Any) -> dict[str, Any]:
    return {
        "key": {"text": spec.text},
        "value": {"html": answer_html(describe(spec, value, gettext("Not answered")))},
        "actions": {
            "items": [
                {
                    "href": url_for("residents.question", slug=slug, key=spec.key, change="1"),
                    "text": gettext("Change"),
                    "visuallyHiddenText": spec.text,
                }
            ]
        },
    }


def _confirm(slug: str, token: str) -> ResponseReturnValue:
    # Takes the token, not the response: reading it from a just-committed response would
    # reload the row for nothing.
    remember("drafts", slug, None)
    remember("saved_codes", slug, None)
    remember("submitted", slug, token)
    return redirect(url_for("residents.confirmation", slug=slug))


def _sent_from_here(consultation: Consultation) -> Response | None:
    """The response this browser last sent to `consultation`, if it was recorded."""
    token = journey_state("submitted").get(consultation.slug)
    response = find_by_token(token) if token else None
    if response is None or response.consultation_id != consultation.id:
        return None
    return response


@bp.get("/consultations/<slug>/confirmation")
def confirmation(slug: str) -> ResponseReturnValue:
    consultation = public_consultation(slug)
    response = _sent_from_here(consultation)
    if response is None:
        return redirect(url_for("residents.start", slug=slug))
    return render_template(
        "residents/confirmation.html",
        consultation=consultation,
        response=response,
        title=languages.wording(consultation).title,
    )


# Importing this registers its routes on `bp`: saving answers to come back to later.
from survey.web import saved_answers  # noqa: E402, F401
