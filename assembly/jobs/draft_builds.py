"""Building a strategy's Word draft (and, if asked, its PDF) as a job, from the officers'
page or `flask draft build`: the job calls `assembly.data.built_drafts.build`, and keeps the
draft only when everything asked for was made."""

from __future__ import annotations

from assembly.core.pdf import PdfError, docx_to_pdf
from assembly.data import built_drafts
from assembly.data.models import Strategy
from common import jobs
from common.database import db
from common.jobs import Job, JobFailed, Outcome, Progress, job_kind, link_to
from common.models import User

DRAFT_BUILD = "draft build"


def start_draft_build(
    strategy: Strategy, pdf: bool, minimum: int, started_by_id: int | None = None
) -> Job:
    """A queued job to build the strategy's next draft, hiding counts below `minimum` (the
    suppression threshold); the caller commits, then enqueues."""
    what = "Word draft and PDF" if pdf else "Word draft"
    return jobs.new_job(
        DRAFT_BUILD,
        f"Build the {what} of {strategy.title}",
        {"strategy_id": strategy.id, "slug": strategy.slug, "pdf": pdf, "minimum": minimum},
        started_by_id=started_by_id,
    )


@job_kind(DRAFT_BUILD)
def run_draft_build(job: Job, progress: Progress) -> Outcome:
    """Build and keep the next draft; with `pdf`, its PDF too, or neither."""
    strategy = db.session.get(Strategy, job.params["strategy_id"])
    if strategy is None:
        raise JobFailed("The draft could not be built: the strategy has been deleted")
    officer = db.session.get(User, job.started_by_id) if job.started_by_id else None
    progress.step("Building the Word draft from the results, the audit and the strategy")
    try:
        draft = built_drafts.build(strategy, officer, minimum=int(job.params["minimum"]))
    except built_drafts.DraftError as exc:
        raise JobFailed(f"The draft could not be built: {exc}") from None
    db.session.flush()
    word = built_drafts.filename_of(strategy, draft)
    pdf = None
    if job.params.get("pdf"):
        progress.step("Making the PDF with LibreOffice")
        try:
            pdf = docx_to_pdf(draft.docx)
        except PdfError as exc:
            raise JobFailed(
                f"The PDF could not be made, so the draft was not kept: {exc}"
            ) from None
    return Outcome(
        f"Built draft {draft.version} of '{strategy.slug}'",
        link_to(
            "strategies.draft_file",
            f"Download draft {draft.version} ({word})",
            slug=strategy.slug,
            version=draft.version,
        ),
        output=pdf,
        output_name=word.removesuffix(".docx") + ".pdf" if pdf else None,
    )
