"""Theme suggestions as a job, from the officers' agreement page or `flask themes suggest`:
the job calls `survey.data.suggestions.suggest`, learning from officers' codes, and keeps every
question's suggestions or none."""

from __future__ import annotations

from common import action_log, jobs
from common.database import db
from common.display import number, plural
from common.jobs import Job, JobFailed, Outcome, Progress, job_kind, link_to
from common.models import User
from survey.data import suggestions, themes
from survey.data.models import Consultation, Question
from survey.data.suggestions import SuggestResult

THEME_SUGGESTIONS = "theme suggestions"


def start_suggestions(
    consultation: Consultation, question: Question | None, started_by_id: int | None = None
) -> Job:
    """A queued job to suggest themes for one question's answers, or every coded question's."""
    what = f"'{question.text}'" if question is not None else consultation.title
    return jobs.new_job(
        THEME_SUGGESTIONS,
        f"Suggest themes for the answers to {what}",
        {
            "consultation_id": consultation.id,
            "slug": consultation.slug,
            "question": question.key if question is not None else None,
        },
        started_by_id=started_by_id,
    )


@job_kind(THEME_SUGGESTIONS)
def run_suggestions(job: Job, progress: Progress) -> Outcome:
    """Learn from officers' codes and suggest themes for the answers not yet reviewed."""
    consultation = db.session.get(Consultation, job.params["consultation_id"])
    if consultation is None:
        raise JobFailed("No themes suggested: the consultation has been deleted")
    key = job.params.get("question")
    try:
        question = themes.coded_question(consultation, key) if key else None
    except themes.ThemeError as exc:
        raise JobFailed(f"No themes suggested: {exc}") from None
    progress.step("Learning from officers' codes and suggesting themes")
    results = suggestions.suggest(consultation, question)
    officer = db.session.get(User, job.started_by_id) if job.started_by_id else None
    for result in results:
        detail = (
            f"learnt from {result.reviewed} answers; {result.suggested} of {result.considered} "
            "given a theme"
        )
        action_log.record("themes suggested", consultation, result.question_key, detail, by=officer)
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


def summary_line(result: SuggestResult) -> str:
    """What one question's suggestions came to, in a line."""
    if result.reason and not result.learnt:
        return f"{result.question_key}: no suggestions: {result.reason}"
    return (
        f"{result.question_key}: learnt from {plural(result.reviewed, 'reviewed answer')}; "
        f"suggestions for {plural(result.considered, 'answer')} not yet reviewed, "
        f"{number(result.suggested)} with a theme suggested at 50% or more"
    )
