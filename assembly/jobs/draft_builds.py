"""Building a strategy's Word draft (and, if asked, its PDF) as a job, from the officers'
page or `flask draft build`: the job calls `assembly.data.built_drafts.build`, has
LibreOffice lay the draft out to write its contents' page numbers into the .docx, and keeps
the draft only when everything asked for was made (a contents list LibreOffice could not
number is left for Word to number on opening, and the job says so)."""

from __future__ import annotations

from assembly.core.language import ENGLISH, LANGUAGES, WELSH
from assembly.core.pdf import PdfError, docx_to_pdf, office_python, with_contents_filled
from assembly.data import built_drafts
from assembly.data.models import Strategy, StrategyDraft
from common import jobs
from common.database import db
from common.jobs import Job, JobFailed, Outcome, Progress, job_kind, link_to
from common.models import User

DRAFT_BUILD = "draft build"


def start_draft_build(
    strategy: Strategy,
    pdf: bool,
    minimum: int,
    started_by_id: int | None = None,
    *,
    wording_file: str | None = None,
    contents: bool = True,
    language: str = ENGLISH,
) -> Job:
    """A queued job to build the strategy's next draft, hiding counts below `minimum` (the
    suppression threshold), with the statutory wording from `wording_file` (None: the
    service's own), its fixed wording in `language` ("en" or "cy") and, with `contents`, its
    contents numbered by LibreOffice; the caller commits, then enqueues."""
    if language not in LANGUAGES:
        raise ValueError(f"no drafts in {language!r}")
    what = "Word draft and PDF" if pdf else "Word draft"
    if language == WELSH:
        what = f"Welsh {what}"
    return jobs.new_job(
        DRAFT_BUILD,
        f"Build the {what} of {strategy.title}",
        {
            "strategy_id": strategy.id,
            "slug": strategy.slug,
            "pdf": pdf,
            "minimum": minimum,
            "wording_file": wording_file,
            "contents": contents,
            "language": language,
        },
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
        draft = built_drafts.build(
            strategy,
            officer,
            minimum=int(job.params["minimum"]),
            wording_file=job.params.get("wording_file"),
            language=str(job.params.get("language") or ENGLISH),
        )
    except built_drafts.DraftError as exc:
        raise JobFailed(f"The draft could not be built: {exc}") from None
    note = ""
    if job.params.get("contents", True):
        progress.step("Numbering the contents' pages with LibreOffice")
        note = _fill_contents(draft)
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
        draft.pdf = pdf  # kept with it, to publish if it goes out for comment or is adopted
    return Outcome(
        f"Built draft {draft.version} of '{strategy.slug}'{note}",
        link_to(
            "strategies.draft_file",
            f"Download draft {draft.version} ({word})",
            slug=strategy.slug,
            version=draft.version,
        ),
        output=pdf,
        output_name=word.removesuffix(".docx") + ".pdf" if pdf else None,
        back=link_to(
            "strategies.strategy_page",
            f"Back to '{strategy.title}' and its drafts",
            slug=strategy.slug,
        ),
    )


def _fill_contents(draft: StrategyDraft) -> str:
    """Write the contents' page numbers into the kept draft; '' when done, else a note."""
    if office_python() is None:
        return " (contents page numbers are filled when Word opens it: no LibreOffice here)"
    try:
        draft.docx = with_contents_filled(draft.docx)
    except PdfError as exc:
        return f" (contents page numbers are filled when Word opens it: {exc})"
    return ""
