"""Finding new themes as a job, started from the officers' "Find new themes" page: the job
calls `survey.data.new_themes.find_new_themes`, grouping the answers no theme matches, and
keeps every question's groups or none."""

from __future__ import annotations

from common import action_log, jobs
from common.database import db
from common.display import plural
from common.jobs import Job, JobFailed, Outcome, Progress, job_kind, link_to
from common.models import User
from survey.data import new_themes, themes
from survey.data.models import Consultation, Question
from survey.data.new_themes import FindResult

NEW_THEMES = "new themes"


def start_finding(consultation: Consultation, question: Question, started_by_id: int | None) -> Job:
    """A queued job to group the answers to one question that no theme matches."""
    return jobs.new_job(
        NEW_THEMES,
        f"Find new themes in the answers to '{question.text}'",
        {"consultation_id": consultation.id, "slug": consultation.slug, "question": question.key},
        started_by_id=started_by_id,
    )


@job_kind(NEW_THEMES)
def run_finding(job: Job, progress: Progress) -> Outcome:
    """Group the answers no theme matches and offer each group to officers."""
    consultation = db.session.get(Consultation, job.params["consultation_id"])
    if consultation is None:
        raise JobFailed("No new themes found: the consultation has been deleted")
    try:
        question = themes.coded_question(consultation, job.params["question"])
    except themes.ThemeError as exc:
        raise JobFailed(f"No new themes found: {exc}") from None
    progress.step("Grouping the answers no theme matches")
    (result,) = new_themes.find_new_themes(consultation, question)
    officer = db.session.get(User, job.started_by_id) if job.started_by_id else None
    action_log.record(
        "new themes looked for",
        consultation,
        result.question_key,
        f"{result.groups} groups among {result.unmatched} answers no theme matches",
        by=officer,
    )
    link = link_to(
        "new_themes.candidates",
        "See the groups found",
        slug=consultation.slug,
        key=question.key,
    )
    return Outcome(summary_line(result), link)


def summary_line(result: FindResult) -> str:
    """What one question's search for new themes came to, in a line."""
    return (
        f"{result.question_key}: {plural(result.groups, 'group')} found among "
        f"{plural(result.unmatched, 'answer')} no theme matches"
    )
