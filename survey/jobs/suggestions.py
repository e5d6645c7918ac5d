"""Theme suggestions as a job, from the officers' suggestions page or `flask themes suggest`: the
job calls `survey.data.suggestions.suggest`, learning from officers' codes or asking the council's
language model (`source`), and keeps every question's suggestions or none.

The language model is set by the app (`use_language_model`, from its LLM_* settings): jobs read
no configuration themselves, and its key never goes into a job's stored parameters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from sqlalchemy.orm import Session

from common import action_log, jobs
from common.database import db
from common.display import number, plural
from common.jobs import Job, JobFailed, Outcome, Progress, job_kind, link_to
from common.models import AuditEvent, User
from survey.core.llm_coder import Endpoint
from survey.core.suggesting import LANGUAGE_MODEL, LEARNT, SOURCES
from survey.data import suggestions, themes
from survey.data.models import Consultation, Question
from survey.data.suggestions import SuggestResult
from survey.jobs.language_model import LanguageModelCoder, LanguageModelUnavailable

THEME_SUGGESTIONS = "theme suggestions"
SENT_TO_MODEL = "answers sent to language model"  # the action log's entry, one per run
NOT_CONFIGURED = (
    "The language model is not configured: the council sets LLM_BASE_URL and LLM_MODEL "
    "to use one (see docs/language-model.md)"
)

_language_model: Callable[[], Endpoint | None] = lambda: None  # noqa: E731


def use_language_model(endpoint: Callable[[], Endpoint | None]) -> None:
    """Tell suggestion jobs where the council's language model is (None: not configured).

    Called once by the app factory with a function of its settings, read when a job runs, so a
    worker uses its own settings and the key stays out of the database.
    """
    global _language_model
    _language_model = endpoint


def language_model() -> Endpoint | None:
    """The council's language model as the running app sets it, or None when it is off."""
    return _language_model()


def start_suggestions(
    consultation: Consultation,
    question: Question | None,
    started_by_id: int | None = None,
    source: str = LEARNT,
) -> Job:
    """A queued job to suggest themes for one question's answers, or every coded question's,
    learnt from officers' codes (LEARNT) or by the council's language model (LANGUAGE_MODEL)."""
    if source not in SOURCES:
        raise ValueError(f"no source of suggestions {source!r}")
    what = f"'{question.text}'" if question is not None else consultation.title
    how = " with the language model" if source == LANGUAGE_MODEL else ""
    return jobs.new_job(
        THEME_SUGGESTIONS,
        f"Suggest themes{how} for the answers to {what}",
        {
            "consultation_id": consultation.id,
            "slug": consultation.slug,
            "question": question.key if question is not None else None,
            "source": source,
        },
        started_by_id=started_by_id,
    )


@job_kind(THEME_SUGGESTIONS)
def run_suggestions(job: Job, progress: Progress) -> Outcome:
    """Suggest themes for the answers not yet reviewed: learnt, or by the language model."""
    consultation = db.session.get(Consultation, job.params["consultation_id"])
    if consultation is None:
        raise JobFailed("No themes suggested: the consultation has been deleted")
    key = job.params.get("question")
    try:
        question = themes.coded_question(consultation, key) if key else None
    except themes.ThemeError as exc:
        raise JobFailed(f"No themes suggested: {exc}") from None
    officer = db.session.get(User, job.started_by_id) if job.started_by_id else None
    if job.params.get("source", LEARNT) == LANGUAGE_MODEL:
        results = _by_language_model(consultation, question, progress, officer)
    else:
        progress.step("Learning from officers' codes and suggesting themes")
        results = suggestions.suggest(consultation, question)
        for result in results:
            detail = (
                f"learnt from {result.reviewed} answers; {result.suggested} of "
                f"{result.considered} given a theme"
            )
            action_log.record(
                "themes suggested", consultation, result.question_key, detail, by=officer
            )
    first = key or (results[0].question_key if results else None)
    link = (
        link_to(
            "suggestions.agreement",
            "See how well suggestions agree with officers",
            slug=consultation.slug,
            key=first,
        )
        if first
        else None
    )
    return Outcome("\n".join(summary_line(result) for result in results), link)


def _by_language_model(
    consultation: Consultation, question: Question | None, progress: Progress, officer: User | None
) -> list[SuggestResult]:
    """Ask the council's language model; JobFailed (nothing saved) when it cannot be used.

    One action-log entry says how many answers went to which host (never their words): saved
    with the suggestions, or, when the run fails once answers have been sent, on its own.
    """
    endpoint = language_model()
    if endpoint is None:
        raise JobFailed(f"No themes suggested: {NOT_CONFIGURED}")
    asked = [question] if question is not None else themes.coded_questions(consultation)
    total = sum(suggestions.not_reviewed_count(q) for q in asked)
    progress.step(f"Sending answers to the language model at {endpoint.host}", total)
    coder = LanguageModelCoder(endpoint, on_batch=progress.rows)
    subject = ", ".join(q.key for q in asked)
    who = (consultation.id, officer.id if officer else None, _actor(officer))
    try:
        results = suggestions.suggest(consultation, question, coder)
    except LanguageModelUnavailable as exc:
        db.session.rollback()
        if coder.sent:
            _record_apart(who, subject, f"{_sent(endpoint, coder)}; stopped: {exc}")
        raise JobFailed(
            f"No themes suggested: {exc}. Nothing was saved: try again later."
        ) from None
    except Exception:
        db.session.rollback()  # before writing apart: SQLite's write lock is this session's
        if coder.sent:
            stopped = f"{_sent(endpoint, coder)}; stopped on an unexpected error"
            _record_apart(who, subject, stopped)
        raise
    considered = sum(result.considered for result in results)
    unusable = sum(sum(result.unusable.values()) for result in results)
    if considered and unusable == considered:
        db.session.rollback()
        reasons = _reasons(results)
        unused = f"{_sent(endpoint, coder)}; no reply could be used ({reasons})"
        _record_apart(who, subject, unused)
        raise JobFailed(
            f"No themes suggested: none of the language model's replies could be used "
            f"({reasons}). Nothing was saved."
        )
    suggested = sum(result.suggested for result in results)
    outcome = f"{number(suggested)} given a theme, {number(unusable)} with no usable reply"
    detail = f"{_sent(endpoint, coder)}: {outcome}"
    action_log.record(SENT_TO_MODEL, consultation, subject, detail, by=officer)
    return results


def _sent(endpoint: Endpoint, coder: LanguageModelCoder) -> str:
    """What went where: how many answers, to which host and model, in how many requests."""
    return (
        f"{plural(coder.sent, 'answer')} sent to {endpoint.host} (model {endpoint.model}) "
        f"in {plural(coder.requests, 'request')}"
    )


def _actor(officer: User | None) -> str:
    return officer.email if officer else action_log.COMMAND_LINE


def _record_apart(who: tuple[int, int | None, str], subject: str, detail: str) -> None:
    """The run's action-log entry, committed on a session of its own: the job's own
    transaction has been rolled back, and the answers were sent all the same.
    `who`: the consultation's id, and the officer's id (None: the command line) and email."""
    consultation_id, user_id, actor = who
    with Session(db.engine) as session:
        session.add(
            AuditEvent(
                user_id=user_id,
                actor=actor,
                action=SENT_TO_MODEL,
                consultation_id=consultation_id,
                subject=subject[:300],
                detail=detail,
            )
        )
        session.commit()


def _reasons(results: list[SuggestResult]) -> str:
    """Why answers got no suggestion, most common first: '3 answers: the reply was not ...'."""
    counted: Counter[str] = Counter()
    for result in results:
        counted.update(result.unusable)
    return "; ".join(f"{plural(n, 'answer')}: {why}" for why, n in counted.most_common())


def summary_line(result: SuggestResult) -> str:
    """What one question's suggestions came to, in a line."""
    if result.reason and not result.learnt:
        return f"{result.question_key}: no suggestions: {result.reason}"
    if result.source == LANGUAGE_MODEL:
        line = (
            f"{result.question_key}: the language model was asked about "
            f"{plural(result.considered, 'answer')} not yet reviewed, "
            f"{number(result.suggested)} given a theme"
        )
        if result.unusable:
            counted = Counter(result.unusable)
            reasons = "; ".join(f"{number(n)}: {why}" for why, n in counted.most_common())
            line += f"; {plural(sum(counted.values()), 'answer')} with no suggestion ({reasons})"
        return line
    return (
        f"{result.question_key}: learnt from {plural(result.reviewed, 'reviewed answer')}; "
        f"suggestions for {plural(result.considered, 'answer')} not yet reviewed, "
        f"{number(result.suggested)} with a theme suggested at 50% or more"
    )
