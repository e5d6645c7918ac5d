"""Save and come back later: a resident saves a partly answered response, gets a code, and
carries on with it (on this browser or another) until the consultation closes.

"Save and come back later" on a question page (with that page's answer, when it has one) or
on the check page marks this browser's draft saved under the SHA-256 of a new code, and
shows the code. Entering the code on the consultation's "Continue a response you saved" page
(counted per address by RETURN_CODE_RATE_LIMIT) moves the draft to that browser, which
carries on at the first question still to answer; the browser that saved it no longer holds
it, so one saved response is sent once. Where the council has a mail server (MAIL_SMTP_URL,
MAIL_FROM), the saved page also offers to email the code and a link; the address is used for
that message and kept nowhere.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask import abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlalchemy.orm.exc import StaleDataError

from common import mail
from common.clock import today
from common.database import db
from common.display import long_date
from common.extensions import rate_limits
from common.settings import mail as mail_settings
from survey.core import return_codes
from survey.core.question_types import asked_questions, check_answer
from survey.core.resuming import continue_at
from survey.data.models import Consultation, Draft, Status
from survey.data.saved_responses import save_for_later, saved_draft, take_over
from survey.data.unfinished import raw_answers
from survey.web import languages
from survey.web.question_pages import raw_from_form
from survey.web.residents import (
    QuestionOnPage,
    bp,
    journey_state,
    keep_answer,
    not_accepting,
    note_honeypot,
    public_consultation,
    public_with_draft,
    question_list,
    question_on_page,
    question_page,
    remember,
)

CODES = "saved_codes"  # session: slug -> this browser's code for its saved draft
CODE_FIELD = "code"
EMAIL_FIELD = "email"


@bp.post("/consultations/<slug>/questions/<key>/save")
@rate_limits.limit("SUBMISSION_RATE_LIMIT")
def save_question(slug: str, key: str) -> ResponseReturnValue:
    """Save and come back later, on a question page: keep its answer, if any, and save."""
    found = question_on_page(slug, key)
    if not isinstance(found, QuestionOnPage):
        return found
    note_honeypot(slug)
    asked = languages.shown(found.spec)
    raw = raw_from_form(asked, request.form)
    # A blank page is saved as not yet answered; an answer with a problem (too long, a choice
    # that is not one) is shown to be put right, as Continue would, rather than lost.
    checked = check_answer(asked, raw, enforce_required=False)
    if checked.problems:
        return question_page(found, asked, raw, checked.problems, changing=False)
    draft, _ = keep_answer(found, checked.value)
    return _saved(found.consultation, draft, saved_on=key)


@bp.post("/consultations/<slug>/check/save")
@rate_limits.limit("SUBMISSION_RATE_LIMIT")
def save_check(slug: str) -> ResponseReturnValue:
    """Save and come back later, on the check page."""
    consultation, draft = public_with_draft(slug)
    if not consultation.accepting(today()):
        return not_accepting(consultation)
    if draft is None:
        return redirect(url_for("residents.start", slug=slug))
    return _saved(consultation, draft, saved_on=None)


def _saved(consultation: Consultation, draft: Draft, saved_on: str | None) -> ResponseReturnValue:
    """Save the draft under this browser's code (a new one unless it still works) and show it."""
    code = _code_of(consultation.slug, draft) or return_codes.new_code()
    save_for_later(draft, return_codes.digest(code), saved_on)
    db.session.commit()
    remember(CODES, consultation.slug, code)
    return redirect(url_for("residents.saved", slug=consultation.slug))


def _code_of(slug: str, draft: Draft | None) -> str | None:
    """The code this browser was given for its draft, while the draft is still saved under it."""
    code = journey_state(CODES).get(slug)
    if draft is None or not code or draft.code_digest != return_codes.digest(code):
        return None
    return code


@bp.get("/consultations/<slug>/saved")
def saved(slug: str) -> ResponseReturnValue:
    """Your answers have been saved: the code, until when, and how to come back."""
    found = _saved_here(slug)
    if found is None:
        return redirect(url_for("residents.start", slug=slug))
    consultation, draft, code = found
    return _saved_page(consultation, draft, code, sent=request.args.get("sent") == "1")


@bp.post("/consultations/<slug>/saved")
@rate_limits.limit("RETURN_CODE_RATE_LIMIT")
def email_link(slug: str) -> ResponseReturnValue:
    """Email me a link: the code and a link to the continue page, to an address not kept."""
    server = mail_settings()
    found = _saved_here(slug)
    if server is None or found is None:
        abort(404)
    consultation, draft, code = found
    typed = request.form.get(EMAIL_FIELD, "").strip()
    address, problem = _address(typed)
    if address is not None:
        problem = _send(server, address, consultation, code)
        if problem is None:
            return redirect(url_for("residents.saved", slug=slug, sent="1"))
    return _saved_page(consultation, draft, code, email=typed, problem=problem)


def _address(typed: str) -> tuple[str | None, str | None]:
    """The email address typed, or what is wrong with it."""
    if not typed:
        return None, gettext("Enter your email address")
    try:
        return validate_email(typed, check_deliverability=False).normalized, None
    except EmailNotValidError:
        return None, gettext("Enter an email address in the correct format, like name@example.com")


def _send(
    server: mail.MailServer, address: str, consultation: Consultation, code: str
) -> str | None:
    """Email the code and link; None when sent, else the problem to show."""
    try:
        mail.send(server, address, *_email(consultation, code))
    except mail.MailError as exc:
        # The server's reply may quote the address: the log names the server alone.
        current_app.logger.warning(
            "Saved answers' email not sent through %s:%s (%s)",
            server.host,
            server.port,
            type(exc.__cause__).__name__,
        )
        return gettext(
            "Your email could not be sent just now. Write down your code, or try again later"
        )
    return None


def _saved_here(slug: str) -> tuple[Consultation, Draft, str] | None:
    """The consultation, this browser's saved draft and its code, while the code works."""
    consultation, draft = public_with_draft(slug)
    code = _code_of(slug, draft)
    if draft is None or code is None or not consultation.accepting(today()):
        return None
    return consultation, draft, code


def _saved_page(
    consultation: Consultation,
    draft: Draft,
    code: str,
    *,
    sent: bool = False,
    email: str = "",
    problem: str | None = None,
) -> str:
    return render_template(
        "residents/saved.html",
        consultation=consultation,
        title=languages.wording(consultation).title,
        code=return_codes.shown(code),
        continue_url=url_for("residents.continue_saved", slug=consultation.slug, _external=True),
        carry_on_url=_carry_on_url(consultation, draft),
        can_email=mail_settings() is not None,
        sent=sent,
        email=email,
        problem=problem,
        page_has_errors=problem is not None,
    )


def _email(consultation: Consultation, code: str) -> tuple[str, str]:
    """The email's subject and body, in the page's language."""
    title = languages.wording(consultation).title
    shown = return_codes.shown(code)
    link = url_for(
        "residents.continue_saved",
        slug=consultation.slug,
        code=shown,
        lang=languages.current(),
        _external=True,
    )
    subject = gettext("Your saved answers: %(title)s", title=title)
    body = "\n\n".join(
        [
            gettext("You saved your answers to “%(title)s”.", title=title),
            gettext("Your code is: %(code)s", code=shown),
            gettext("To carry on answering, open this link and choose Continue:"),
            link,
            gettext(
                "You can come back until the consultation closes on %(date)s. Your response "
                "is not sent until you choose Send response on the last page.",
                date=long_date(consultation.closes, languages.current()),
            ),
            gettext("If you did not ask for this email, you can ignore it."),
        ]
    )
    return subject, body + "\n"


def _carry_on_url(consultation: Consultation, draft: Draft) -> str:
    """The first question still to answer among those the saved answers ask, or the check."""
    every = question_list(consultation)
    raw = raw_answers(draft)
    asked = asked_questions(every, raw)
    answered = {key for key, value in raw.items() if value is not None}
    key = continue_at(every, asked, answered, draft.saved_on)
    if key is None:
        return url_for("residents.check", slug=consultation.slug)
    return url_for("residents.question", slug=consultation.slug, key=key)


def _closed(consultation: Consultation) -> bool:
    return consultation.status == Status.CLOSED or consultation.closes < today()


@bp.route("/consultations/<slug>/continue", methods=["GET", "POST"])
@rate_limits.limit("RETURN_CODE_RATE_LIMIT", methods=["POST"])
def continue_saved(slug: str) -> ResponseReturnValue:
    """Continue a response you saved: enter the code, carry on where it was saved."""
    consultation = public_consultation(slug)
    if _closed(consultation):
        return render_template(
            "residents/continue_closed.html",
            consultation=consultation,
            title=languages.wording(consultation).title,
        )
    if not consultation.accepting(today()):
        return not_accepting(consultation)
    if request.method == "GET":
        return _continue_page(consultation, request.args.get(CODE_FIELD, ""), None)
    typed = request.form.get(CODE_FIELD, "")
    code = return_codes.normalised(typed)
    if not code:
        return _continue_page(consultation, typed, gettext("Enter your code"))
    if not return_codes.well_formed(code):
        return _continue_page(
            consultation,
            typed,
            gettext(
                "Enter your code as it was given to you: 12 letters and numbers, "
                "like K7QP-M3XD-9RWT"
            ),
        )
    draft = _take_over(consultation, return_codes.digest(code))
    if draft is None:
        return _continue_page(
            consultation,
            typed,
            gettext("There are no saved answers with this code. Check the code and enter it again"),
        )
    where = _carry_on_url(consultation, draft)
    remember("drafts", slug, draft.token)
    remember(CODES, slug, code)
    db.session.commit()
    return redirect(where)


def _take_over(consultation: Consultation, digest: str) -> Draft | None:
    """The draft saved under this digest, moved to this browser; None when there is none."""
    for _ in range(2):  # a second browser taking it over at the same moment: look again
        draft = saved_draft(consultation.id, digest)
        if draft is None:
            return None
        try:
            take_over(draft)
        except StaleDataError:
            db.session.rollback()
            continue
        return draft
    return None


def _continue_page(consultation: Consultation, typed: str, problem: str | None) -> str:
    return render_template(
        "residents/continue.html",
        consultation=consultation,
        title=languages.wording(consultation).title,
        code=typed,
        problem=problem,
        page_has_errors=problem is not None,
    )
