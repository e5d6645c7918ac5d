"""Data access for theme coding: a consultation's themes, auto-coding, officers' decisions.

A free-text question with a `codebook` is coded with its consultation's own copy of that
codebook's themes, made on first use from the codebook the app ships (survey/core/codebooks/).
Auto-coding is bulk SQL around the pure core's `Matcher`; it never touches an answer whose
themes an officer decided (`AnswerCoding.source == officer`), even "no theme".
The web pages and the `flask themes` commands call these same functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from common.database import db, on_postgresql, utcnow
from common.models import User
from common.text import clean_line, clean_text
from survey.core.agreement import Pooled, ThemeScore, pooled_apart, score_coding
from survey.core.codebook_words import WordSuggestion, suggested_words
from survey.core.coding import (
    CodebookError,
    Matcher,
    load_codebook,
    phrase_problem,
    unique_phrases,
    words_of,
)
from survey.core.question_types import kind_of
from survey.core.suggesting import LANGUAGE_MODEL, LEARNT
from survey.core.welsh import looks_welsh
from survey.data import result_cache
from survey.data.models import (
    Answer,
    AnswerCoding,
    AnswerTheme,
    Coding,
    Consultation,
    Question,
    Response,
    Theme,
    ThemeSuggestion,
)

NAME_LIMIT = 120
DESCRIPTION_LIMIT = 2000
CHUNK = 5000  # rows per insert statement, and responses per look-up while importing
NAME_SEPARATOR = "\x1f"  # between theme names aggregated in SQL (names are one line of text)
MIN_REVIEWED = 10  # answers officers reviewed before the themes' words are measured against them


class ThemeError(ValueError):
    """A change to themes or codes was refused; the message says why, for a person."""


class Show(StrEnum):
    """Which answers the review queue shows."""

    TO_REVIEW = "to-review"  # not yet decided by an officer
    UNCODED = "uncoded"
    AUTO = "auto"
    REVIEWED = "reviewed"
    ALL = "all"


@dataclass(frozen=True)
class AutocodeResult:
    """What one auto-coding run did to one question's answers."""

    question_key: str
    coded: int  # answers coded now (replacing any earlier auto codes)
    themed: int  # of those, answers given at least one theme
    kept: int  # answers left alone because an officer decided their themes
    changed: int = 0  # of those coded, answers not coded before or now coded differently


@dataclass(frozen=True)
class CodingCounts:
    """How far one question's answers are coded."""

    answers: int
    uncoded: int
    auto: int
    reviewed: int


@dataclass(frozen=True)
class ThemeSummary:
    """One theme with how many of its question's answers it codes."""

    id: int
    name: str
    description: str
    phrases: tuple[str, ...]
    answers: int


@dataclass(frozen=True)
class AnswerWords:
    """One answer: its text, and the names of the themes officers gave it (none when no
    officer has reviewed it)."""

    answer_id: int
    text: str
    themes: frozenset[str]
    reviewed: bool = True


@dataclass(frozen=True)
class WordsAgreement:
    """How each theme's words (auto-coding) agree with officers on the answers they reviewed.

    `missed`: answers officers gave a theme that its words did not find; `extra`: answers its
    words found that officers did not give it; both by theme name, in answer order.
    """

    reviewed: int
    scores: tuple[ThemeScore, ...] = ()
    missed: dict[str, tuple[AnswerWords, ...]] = field(default_factory=dict)
    extra: dict[str, tuple[AnswerWords, ...]] = field(default_factory=dict)
    answers: tuple[AnswerWords, ...] = ()  # every answer reviewed
    # The same over the answers written in Welsh and the others, when some are in Welsh.
    in_welsh: Pooled | None = None
    in_english: Pooled | None = None

    @property
    def measured(self) -> bool:
        """Whether enough answers are reviewed for the figures to mean anything."""
        return self.reviewed >= MIN_REVIEWED


@dataclass(frozen=True)
class ReviewItem:
    """One answer in the review queue with its themes and who coded it."""

    answer_id: int
    reference: str
    text: str
    theme_ids: frozenset[int]
    source: str | None  # None: not yet coded
    coded_by: str | None  # the officer's email, when an officer coded it
    coded_at: dt.datetime | None
    suggested: dict[int, float] = field(default_factory=dict)  # learnt suggestions
    suggested_by_model: frozenset[int] = frozenset()  # the council's language model's


@dataclass(frozen=True)
class ReviewPage:
    """One page of the review queue."""

    items: list[ReviewItem]
    total: int
    page: int
    pages: int


# Questions and themes.


def coded_questions(consultation: Consultation) -> list[Question]:
    """The consultation's free-text questions that name a codebook, in order."""
    return [q for q in consultation.questions if kind_of(q.type).takes_codebook and q.codebook]


def coded_question(consultation: Consultation, key: str) -> Question:
    """The consultation's coded question with this key; ThemeError when there is none."""
    question = next((q for q in consultation.questions if q.key == key), None)
    if question is None:
        raise ThemeError(f"'{consultation.slug}' has no question with the key '{key}'")
    if question not in coded_questions(consultation):
        raise ThemeError(f"question '{key}' is not a free-text question with a codebook")
    return question


def ensure_themes(consultation: Consultation) -> None:
    """Give the consultation its copy of each codebook its questions name, if it has none yet.

    A codebook the app does not ship starts with no themes: officers add them.
    """
    for codebook in sorted({q.codebook for q in coded_questions(consultation) if q.codebook}):
        if themes_of(consultation.id, codebook):
            continue
        try:
            shipped = load_codebook(codebook)
        except CodebookError:
            continue
        for position, spec in enumerate(shipped.themes):
            db.session.add(
                Theme(
                    consultation_id=consultation.id,
                    codebook=codebook,
                    name=spec.name,
                    description=spec.description,
                    phrases=list(spec.phrases),
                    position=position,
                )
            )
    db.session.flush()


def themes_of(consultation_id: int, codebook: str) -> list[Theme]:
    """A consultation's themes of one codebook, in order."""
    return list(
        db.session.scalars(
            sa.select(Theme)
            .where(Theme.consultation_id == consultation_id, Theme.codebook == codebook)
            .order_by(Theme.position, Theme.id)
        )
    )


def theme_names(consultation: Consultation) -> list[str]:
    """The names of the themes its coded questions use: those stored, or for a codebook not yet
    copied to it, the shipped codebook's (what `ensure_themes` would copy). Only reads."""
    names: list[str] = []
    for codebook in dict.fromkeys(q.codebook for q in coded_questions(consultation) if q.codebook):
        stored = [t.name for t in themes_of(consultation.id, codebook)]
        if not stored:
            try:
                stored = [spec.name for spec in load_codebook(codebook).themes]
            except CodebookError:
                stored = []
        names.extend(name for name in stored if name not in names)
    return names


def question_themes(question: Question) -> list[Theme]:
    """The themes a question's answers are coded with."""
    return themes_of(question.consultation_id, question.codebook or "")


def theme_summaries(question: Question) -> list[ThemeSummary]:
    """The question's themes, each with how many of its answers have it (one GROUP BY)."""
    counts: dict[int, int] = {
        theme_id: count
        for theme_id, count in db.session.execute(
            sa.select(AnswerTheme.theme_id, sa.func.count())
            .join(Answer, Answer.id == AnswerTheme.answer_id)
            .where(Answer.question_id == question.id)
            .group_by(AnswerTheme.theme_id)
        )
    }
    return [
        ThemeSummary(t.id, t.name, t.description, tuple(t.phrases or ()), counts.get(t.id, 0))
        for t in question_themes(question)
    ]


def matcher_of(themes: Sequence[Theme]) -> Matcher:
    """A matcher for themes as the consultation has them (renamed, merged, added)."""
    return Matcher({theme.name: theme.phrases or () for theme in themes})


# Auto-coding.


def autocode(consultation: Consultation, question: Question | None = None) -> list[AutocodeResult]:
    """Auto-code the answers of one coded question, or of all of them; the caller commits.

    Each answer gets every theme its text mentions, or none (it is then coded "no theme").
    Earlier auto codes are replaced; officers' decisions are kept as they are.
    """
    ensure_themes(consultation)
    questions = [question] if question is not None else coded_questions(consultation)
    results = [_autocode_question(q) for q in questions]
    result_cache.changed(consultation.id)
    return results


def _autocode_question(question: Question) -> AutocodeResult:
    """Code every answer no officer has decided; only answers whose themes change are written.

    A re-run after a codebook change rewrites just the answers it codes differently: the others
    keep their rows, and when they were coded (bench/autocode_db.py times both runs).
    """
    themes = question_themes(question)
    matcher = matcher_of(themes)
    theme_ids = [theme.id for theme in themes]
    decided = sa.select(AnswerCoding.answer_id).where(AnswerCoding.source == Coding.OFFICER.value)
    answers = _answers_with_text(question.id)
    open_ids = answers.where(Answer.id.not_in(decided)).with_only_columns(Answer.id)
    # Read on the session's connection: plain rows, without the ORM's per-row work.
    read = db.session.connection().execute
    auto = set(
        read(
            sa.select(AnswerCoding.answer_id).where(
                AnswerCoding.answer_id.in_(open_ids), AnswerCoding.source == Coding.AUTO.value
            )
        ).scalars()
    )
    stored: dict[int, set[int]] = {}
    for answer_id, theme_id in read(
        sa.select(AnswerTheme.answer_id, AnswerTheme.theme_id).where(
            AnswerTheme.answer_id.in_(open_ids)
        )
    ).all():
        stored.setdefault(answer_id, set()).add(theme_id)
    coded = themed = changed = 0
    rows = read(
        answers.where(Answer.id.not_in(decided)).with_only_columns(Answer.id, Answer.text)
    ).all()
    with _pipelined():
        for start in range(0, len(rows), CHUNK):
            batch = _Codes(Coding.AUTO, None)
            for answer_id, text in rows[start : start + CHUNK]:
                found = {theme_ids[i] for i in matcher.theme_indexes(text or "")}
                coded += 1
                themed += bool(found)
                before = stored.get(answer_id, set())
                if answer_id in auto and before == found:
                    continue  # coded as it was
                changed += 1
                batch.add(answer_id, found, replacing=answer_id in auto or bool(before))
            batch.insert()
    kept = db.session.scalar(
        sa.select(sa.func.count()).select_from(
            answers.where(Answer.id.in_(decided)).with_only_columns(Answer.id).subquery()
        )
    )
    return AutocodeResult(question.key, coded, themed, kept or 0, changed)


def _driver_connection() -> Any:
    """The driver's connection under the session's, in its transaction (psycopg or sqlite3)."""
    return db.session.connection().connection.driver_connection


@contextmanager
def _pipelined() -> Iterator[None]:
    """On PostgreSQL, inserts `_Codes` sends in the block are pipelined (psycopg's pipeline
    mode): each goes to the server without waiting for the one before, so the server does
    their index and foreign-key work while the next answers are matched (bench/autocode_db.py:
    a third more answers a second on two cores). An error is raised by the end of the block,
    and the caller's transaction is rolled back as for any other. Elsewhere, nothing changes."""
    if not on_postgresql():
        yield
        return
    with _driver_connection().pipeline():
        yield


class _Codes:
    """Answers' codes gathered in memory, then inserted in bulk with no ORM objects."""

    def __init__(self, source: Coding, officer_id: int | None) -> None:
        self.source = source
        self.officer_id = officer_id
        self.coded_at = utcnow()
        self.answers: list[int] = []
        self.pairs: list[tuple[int, int]] = []  # (answer id, theme id)
        self.replaced: list[int] = []  # answers whose auto codes and themes go first

    def add(self, answer_id: int, theme_ids: Iterable[int], *, replacing: bool = False) -> None:
        """Code one answer with these themes (none is a decision too); `replacing`: its auto
        code (or stray themes) stored now are deleted first."""
        self.answers.append(answer_id)
        self.pairs.extend((answer_id, theme_id) for theme_id in theme_ids)
        if replacing:
            self.replaced.append(answer_id)

    def insert(self) -> None:
        """Delete what the added codes replace, then insert every coding and theme row
        gathered, CHUNK rows per statement."""
        postgresql = on_postgresql()
        for start in range(0, len(self.replaced), CHUNK):
            self._delete(self.replaced[start : start + CHUNK], postgresql)
        for start in range(0, max(len(self.answers), len(self.pairs)), CHUNK):
            answers = self.answers[start : start + CHUNK]
            pairs = self.pairs[start : start + CHUNK]
            if postgresql:
                self._insert_arrays(answers, pairs)
            else:
                self._insert_many(answers, pairs)

    def _delete(self, answers: list[int], postgresql: bool) -> None:
        """Remove these answers' themes and auto codes; an officer's code is never removed
        (one saved since the run began makes its insert fail, and the run with it)."""
        if postgresql:  # by the driver, like the inserts, so that it too is pipelined
            cursor = _driver_connection().cursor()
            ids = {"ids": answers, "auto": Coding.AUTO.value}
            cursor.execute("DELETE FROM answer_theme WHERE answer_id = ANY(%(ids)s)", ids)
            cursor.execute(
                "DELETE FROM answer_coding WHERE answer_id = ANY(%(ids)s) AND source = %(auto)s",
                ids,
            )
            return
        plain = {"synchronize_session": False}  # the session holds none of these rows
        db.session.execute(
            sa.delete(AnswerTheme).where(AnswerTheme.answer_id.in_(answers)),
            execution_options=plain,
        )
        db.session.execute(
            sa.delete(AnswerCoding).where(
                AnswerCoding.answer_id.in_(answers), AnswerCoding.source == Coding.AUTO.value
            ),
            execution_options=plain,
        )

    def _insert_arrays(self, answers: list[int], pairs: list[tuple[int, int]]) -> None:
        """PostgreSQL: one INSERT ... SELECT FROM unnest(arrays) per table, far faster than
        executemany, which psycopg sends a row at a time. Sent by the driver itself, in the
        session's transaction, so that inside `_pipelined` it does not wait for the server."""
        cursor = _driver_connection().cursor()
        if answers:
            cursor.execute(
                "INSERT INTO answer_coding (answer_id, source, coded_by_id, coded_at) "
                "SELECT id, %(source)s, %(officer)s, %(coded_at)s "
                "FROM unnest(CAST(%(ids)s AS integer[])) AS id",
                {
                    "ids": answers,
                    "source": self.source.value,
                    "officer": self.officer_id,
                    "coded_at": self.coded_at,
                },
            )
        if pairs:
            cursor.execute(
                "INSERT INTO answer_theme (answer_id, theme_id) SELECT * FROM "
                "unnest(CAST(%(answers)s AS integer[]), CAST(%(themes)s AS integer[]))",
                {"answers": [a for a, _ in pairs], "themes": [t for _, t in pairs]},
            )

    def _insert_many(self, answers: list[int], pairs: list[tuple[int, int]]) -> None:
        """SQLite: the driver's executemany with plain tuples, in the session's transaction:
        SQLAlchemy's executemany builds each row's parameters in Python, which took as long
        as the matching. The time all rows share is put in the ORM's stored form once."""
        driver = _driver_connection()
        if answers:
            coded_at = _as_stored(AnswerCoding.__table__.c.coded_at, self.coded_at)
            row = (self.source.value, self.officer_id, coded_at)
            driver.executemany(
                "INSERT INTO answer_coding (answer_id, source, coded_by_id, coded_at) "
                "VALUES (?, ?, ?, ?)",
                [(answer_id, *row) for answer_id in answers],
            )
        if pairs:
            driver.executemany(
                "INSERT INTO answer_theme (answer_id, theme_id) VALUES (?, ?)", pairs
            )


def _as_stored(column: sa.Column[Any], value: Any) -> Any:
    """A value as SQLAlchemy would send it to the session's database for this column."""
    dialect = db.session.get_bind().dialect
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return process(value) if process else value


def _answers_with_text(question_id: int) -> sa.Select[tuple[int]]:
    """The ids of a question's answers that have text to code."""
    return sa.select(Answer.id).where(*_has_text(question_id))


def _has_text(question_id: int) -> tuple[sa.ColumnElement[bool], ...]:
    """Conditions for a question's answers that have text to code."""
    return (Answer.question_id == question_id, Answer.text.is_not(None), Answer.text != "")


def reviewed_answers(question: Question) -> list[AnswerWords]:
    """The question's answers with text that officers reviewed, with their themes, by id."""
    officer = (*_has_text(question.id), AnswerCoding.source == Coding.OFFICER.value)
    rows = db.session.execute(
        sa.select(Answer.id, Answer.text)
        .join(AnswerCoding, AnswerCoding.answer_id == Answer.id)
        .where(*officer)
        .order_by(Answer.id)
    ).all()
    names: dict[int, set[str]] = {}
    for answer_id, name in db.session.execute(
        sa.select(AnswerTheme.answer_id, Theme.name)
        .join(Theme, Theme.id == AnswerTheme.theme_id)
        .join(Answer, Answer.id == AnswerTheme.answer_id)
        .join(AnswerCoding, AnswerCoding.answer_id == Answer.id)
        .where(*officer)
    ):
        names.setdefault(answer_id, set()).add(name)
    return [AnswerWords(i, text, frozenset(names.get(i, ()))) for i, text in rows]


def words_agreement(question: Question) -> WordsAgreement:
    """Each theme's words against officers' codes on the answers they reviewed: what
    auto-coding would give each of them now, compared with what the officer decided; not
    `measured` (no figures) while fewer than MIN_REVIEWED are reviewed. Only reads."""
    reviewed = reviewed_answers(question)
    if len(reviewed) < MIN_REVIEWED:
        return WordsAgreement(len(reviewed))
    matcher = matcher_of(question_themes(question))
    found = [frozenset(matcher.themes(answer.text)) for answer in reviewed]
    expected = [answer.themes for answer in reviewed]
    scores = score_coding(matcher.names, expected, found)
    missed: dict[str, list[AnswerWords]] = {name: [] for name in matcher.names}
    extra: dict[str, list[AnswerWords]] = {name: [] for name in matcher.names}
    for answer, words in zip(reviewed, found, strict=True):
        for name in answer.themes - words:
            missed.setdefault(name, []).append(answer)
        for name in words - answer.themes:
            extra[name].append(answer)
    welsh = [looks_welsh(words_of(answer.text)) for answer in reviewed]
    by_language = pooled_apart(welsh, expected, found) if any(welsh) else (None, None)
    return WordsAgreement(
        len(reviewed),
        tuple(scores),
        {name: tuple(answers) for name, answers in missed.items()},
        {name: tuple(answers) for name, answers in extra.items()},
        tuple(reviewed),
        *by_language,
    )


def words_to_add(theme: Theme, agreement: WordsAgreement) -> list[WordSuggestion]:
    """Words and word pairs officers' codes suggest adding to `theme`'s words: used by several
    answers officers gave it that its words miss, rarely by reviewed answers without it
    (`survey.core.codebook_words`); none while the agreement is not measured. Only reads."""
    if not agreement.measured:
        return []
    own = Matcher({theme.name: theme.phrases or ()})
    missed = [answer.text for answer in agreement.missed.get(theme.name, ())]
    without = [answer.text for answer in agreement.answers if theme.name not in answer.themes]
    return suggested_words(missed, without, lambda phrase: bool(own.theme_indexes(phrase)))


def coding_counts(question: Question) -> CodingCounts:
    """How many of the question's answers are uncoded, auto-coded and reviewed (one query)."""
    rows = db.session.execute(
        sa.select(AnswerCoding.source, sa.func.count())
        .select_from(Answer)
        .where(*_has_text(question.id))
        .outerjoin(AnswerCoding, AnswerCoding.answer_id == Answer.id)
        .group_by(AnswerCoding.source)
    ).all()
    by_source = {source: count for source, count in rows}
    return CodingCounts(
        answers=sum(by_source.values()),
        uncoded=by_source.get(None, 0),
        auto=by_source.get(Coding.AUTO.value, 0),
        reviewed=by_source.get(Coding.OFFICER.value, 0),
    )


# Officers' decisions.


@dataclass(frozen=True)
class CodingState:
    """One answer's codes as they stand: its themes and who decided them (None: not coded)."""

    theme_ids: frozenset[int]
    source: str | None
    coded_by_id: int | None = None
    coded_at: dt.datetime | None = None


def record_coding(
    answer: Answer,
    theme_ids: Iterable[int],
    officer_id: int | None,
    *,
    source: Coding = Coding.OFFICER,
    coded_at: dt.datetime | None = None,
) -> None:
    """Set one answer's themes as an officer decided them (none is a decision too).

    The caller commits. Raises ThemeError for a theme that is not one of its question's.
    """
    question = db.session.get(Question, answer.question_id)
    if question is None:
        raise ThemeError("choose themes from this question's list")
    state = CodingState(frozenset(theme_ids), source.value, officer_id, coded_at or utcnow())
    set_codes(question, {answer.id: state})


def codes_of(question: Question, answer_ids: Iterable[int]) -> dict[int, CodingState]:
    """The codes of these answers to the question (two queries); ThemeError when one of them is
    not an answer to it with text."""
    ids = set(answer_ids)
    rows = db.session.execute(
        sa.select(Answer.id, AnswerCoding.source, AnswerCoding.coded_by_id, AnswerCoding.coded_at)
        .outerjoin(AnswerCoding, AnswerCoding.answer_id == Answer.id)
        .where(*_has_text(question.id), Answer.id.in_(ids))
    ).all()
    if len(rows) != len(ids):
        raise ThemeError("choose answers to this question only")
    codes = _pairs(sa.select(AnswerTheme.answer_id, AnswerTheme.theme_id), AnswerTheme, list(ids))
    return {
        answer_id: CodingState(frozenset(codes.get(answer_id, ())), source, by, at)
        for answer_id, source, by, at in rows
    }


def set_codes(question: Question, wanted: dict[int, CodingState]) -> None:
    """Set answers' themes and who decided them, as given (source None: not coded): the one
    write path for changing chosen answers' codes. The caller commits.

    Raises ThemeError, before changing anything, for a theme that is not one of the question's
    or an answer that is not one of its answers.
    """
    allowed = {theme.id for theme in question_themes(question)}
    if any(not state.theme_ids <= allowed for state in wanted.values()):
        raise ThemeError("choose themes from this question's list")
    codes_of(question, wanted)  # every answer is the question's
    ids = list(wanted)
    db.session.execute(sa.delete(AnswerTheme).where(AnswerTheme.answer_id.in_(ids)))
    existing = {
        coding.answer_id: coding
        for coding in db.session.scalars(
            sa.select(AnswerCoding).where(AnswerCoding.answer_id.in_(ids))
        )
    }
    for answer_id, state in wanted.items():
        coding = existing.get(answer_id)
        if state.source is None:
            if coding is not None:
                db.session.delete(coding)
            continue
        if coding is None:
            coding = AnswerCoding(answer_id=answer_id)
            db.session.add(coding)
        coding.source = state.source
        coding.coded_by_id = state.coded_by_id
        coding.coded_at = state.coded_at or utcnow()
        db.session.add_all(
            AnswerTheme(answer_id=answer_id, theme_id=t) for t in sorted(state.theme_ids)
        )
    result_cache.changed(question.consultation_id)
    db.session.flush()


def record_imported_themes(
    consultation: Consultation,
    coded: Sequence[tuple[int, dict[str, tuple[str, ...]]]],
    officer_id: int | None,
) -> None:
    """Record themes named in an imported file as officers' codes, in bulk; no commit.

    `coded` holds (response id, themes by question key) for just-recorded responses; the
    names are already checked against the questions' themes.
    """
    questions = {q.key: q for q in coded_questions(consultation)}
    ids = {q.key: {t.name: t.id for t in question_themes(q)} for q in questions.values()}
    batch = _Codes(Coding.OFFICER, officer_id)
    for start in range(0, len(coded), CHUNK):
        chunk = coded[start : start + CHUNK]
        answers = {
            (response_id, question_id): answer_id
            for answer_id, response_id, question_id in db.session.execute(
                sa.select(Answer.id, Answer.response_id, Answer.question_id).where(
                    Answer.response_id.in_([response_id for response_id, _ in chunk]),
                    Answer.question_id.in_([q.id for q in questions.values()]),
                )
            )
        }
        for response_id, by_key in chunk:
            for key, names in by_key.items():
                answer_id = answers[(response_id, questions[key].id)]
                batch.add(answer_id, [ids[key][name] for name in names])
    batch.insert()


def themes_of_answer() -> sa.ScalarSelect[str | None]:
    """A correlated subquery: the names of an `Answer` row's themes, NAME_SEPARATOR between."""
    return (
        sa.select(sa.func.aggregate_strings(Theme.name, NAME_SEPARATOR))
        .join(AnswerTheme, AnswerTheme.theme_id == Theme.id)
        .where(AnswerTheme.answer_id == Answer.id)
        .scalar_subquery()
    )


def theme_order(consultation: Consultation) -> dict[str, int]:
    """Each theme name of the consultation by its place in its codebook, to sort names."""
    rows = db.session.execute(
        sa.select(Theme.name, Theme.position).where(Theme.consultation_id == consultation.id)
    )
    return {name: position for name, position in rows}


def answer_of(question: Question, answer_id: int) -> Answer | None:
    """The question's answer with this id, if it is one of its answers."""
    answer = db.session.get(Answer, answer_id)
    return answer if answer is not None and answer.question_id == question.id else None


# Managing themes.


def add_theme(consultation: Consultation, codebook: str, name: str, description: str = "") -> Theme:
    """Add a theme at the end of a consultation's codebook; the caller commits."""
    name = _checked_name(consultation.id, codebook, name)
    last = db.session.scalar(
        sa.select(sa.func.max(Theme.position)).where(
            Theme.consultation_id == consultation.id, Theme.codebook == codebook
        )
    )
    theme = Theme(
        consultation_id=consultation.id,
        codebook=codebook,
        name=name,
        description=_checked_description(description),
        phrases=[],
        position=(last + 1) if last is not None else 0,
    )
    db.session.add(theme)
    db.session.flush()
    return theme


def rename_theme(theme: Theme, name: str) -> None:
    """Give a theme a new name (its codes stay); the caller commits."""
    theme.name = _checked_name(theme.consultation_id, theme.codebook, name, theme.id)
    db.session.flush()


def describe_theme(theme: Theme, description: str, phrases: Iterable[str] | None = None) -> None:
    """Change what a theme covers and, when given, the phrases auto-coding finds it by."""
    theme.description = _checked_description(description)
    if phrases is not None:
        theme.phrases = list(_checked_phrases(phrases))
    db.session.flush()


def _checked_phrases(phrases: Iterable[str]) -> tuple[str, ...]:
    """Phrases as kept (trimmed, each once); ThemeError naming the first that cannot be used."""
    kept = unique_phrases(phrases)
    problems = [problem for phrase in kept if (problem := phrase_problem(phrase))]
    if problems:
        raise ThemeError(f"Phrase {problems[0]}")
    return kept


@dataclass(frozen=True)
class WordsTrial:
    """What a theme's words as typed would do, against its saved words, before they are saved.

    On the answers officers reviewed: how each set of words agrees with the officers' codes.
    On every answer with text: those the typed words would give the theme and the saved ones
    do not (`gained`), and the other way round (`lost`), the first `shown` of each kept.
    """

    reviewed: int
    saved: ThemeScore
    typed: ThemeScore
    gained: int
    lost: int
    gained_answers: tuple[AnswerWords, ...]
    lost_answers: tuple[AnswerWords, ...]


def try_words(question: Question, theme: Theme, phrases: Iterable[str], shown: int) -> WordsTrial:
    """Try `phrases` as `theme`'s words on the question's answers, saving nothing (see
    WordsTrial); ThemeError naming a phrase that cannot be used. A theme's matches depend on
    its own phrases only, so each set is tried alone."""
    saved = Matcher({theme.name: theme.phrases or ()})
    typed = Matcher({theme.name: _checked_phrases(phrases)})
    reviewed = reviewed_answers(question)
    given = [answer.themes for answer in reviewed]
    scores = {
        key: score_coding((theme.name,), given, [m.themes(a.text) for a in reviewed])[0]
        for key, m in (("saved", saved), ("typed", typed))
    }
    officers = {answer.answer_id: answer.themes for answer in reviewed}
    changed: dict[bool, list[AnswerWords]] = {True: [], False: []}  # gained: True
    counts = {True: 0, False: 0}
    rows = db.session.execute(
        sa.select(Answer.id, Answer.text).where(*_has_text(question.id)).order_by(Answer.id)
    )
    for answer_id, text in rows:
        after = bool(typed.theme_indexes(text))
        if after != bool(saved.theme_indexes(text)):
            counts[after] += 1
            if len(changed[after]) < shown:
                decided = officers.get(answer_id)
                answer = AnswerWords(answer_id, text, decided or frozenset(), decided is not None)
                changed[after].append(answer)
    return WordsTrial(
        len(reviewed),
        scores["saved"],
        scores["typed"],
        counts[True],
        counts[False],
        tuple(changed[True]),
        tuple(changed[False]),
    )


def merge_themes(source: Theme, into: Theme) -> int:
    """Move every code and phrase of `source` to `into`, then remove `source`.

    An answer with both themes keeps one code. Returns how many answers had `source`.
    The caller commits.
    """
    if source.id == into.id:
        raise ThemeError("choose a different theme to merge into: a theme cannot merge into itself")
    if (source.consultation_id, source.codebook) != (into.consultation_id, into.codebook):
        raise ThemeError("themes can only be merged within one consultation's codebook")
    moved = (
        db.session.scalar(sa.select(sa.func.count()).where(AnswerTheme.theme_id == source.id)) or 0
    )
    already = sa.select(AnswerTheme.answer_id).where(AnswerTheme.theme_id == into.id)
    db.session.execute(
        sa.insert(AnswerTheme).from_select(
            ["answer_id", "theme_id"],
            sa.select(AnswerTheme.answer_id, sa.literal(into.id)).where(
                AnswerTheme.theme_id == source.id, AnswerTheme.answer_id.not_in(already)
            ),
        )
    )
    into.phrases = list(unique_phrases([*(into.phrases or ()), *(source.phrases or ())]))
    if not into.description and source.description:
        into.description = source.description
    db.session.execute(sa.delete(ThemeSuggestion).where(ThemeSuggestion.theme_id == source.id))
    db.session.execute(sa.delete(AnswerTheme).where(AnswerTheme.theme_id == source.id))
    db.session.delete(source)
    db.session.flush()
    result_cache.changed(into.consultation_id)
    return moved


def theme_of(consultation: Consultation, theme_id: int) -> Theme | None:
    """The consultation's theme with this id, if it is one of its themes."""
    theme = db.session.get(Theme, theme_id)
    return theme if theme is not None and theme.consultation_id == consultation.id else None


def _checked_name(
    consultation_id: int, codebook: str, name: str, theme_id: int | None = None
) -> str:
    name = " ".join(clean_line(name or "").split())
    if not name:
        raise ThemeError("Enter a name for the theme")
    if len(name) > NAME_LIMIT:
        raise ThemeError(f"Theme name must be {NAME_LIMIT} characters or fewer")
    for other in themes_of(consultation_id, codebook):
        if other.id != theme_id and other.name.casefold() == name.casefold():
            raise ThemeError(f"There is already a theme called '{other.name}'")
    return name


def _checked_description(description: str) -> str:
    description = clean_text(description or "").strip()
    if len(description) > DESCRIPTION_LIMIT:
        raise ThemeError(f"Description must be {DESCRIPTION_LIMIT:,} characters or fewer")
    return description


# The review queue.


def review_page(
    question: Question,
    show: Show = Show.TO_REVIEW,
    theme_id: int | None = None,
    page: int = 1,
    per_page: int = 20,
    *,
    least_sure_first: bool = False,
    no_theme: bool = False,
    suggested: bool = False,
) -> ReviewPage:
    """One page of the question's answers for officers to review, oldest response first.

    The filters combine: `show` (how far coded), `theme_id` (coded with that theme) or
    `no_theme` (coded with none, or not coded), and `suggested` (with a learnt suggestion).

    With `least_sure_first`, answers whose learnt suggestions are least sure come first, by
    `survey.core.learning.uncertainty` (active learning: an officer's code for such an answer
    teaches the suggestions most); equally unsure ones, and those with no suggestion, oldest first.
    """
    query = (
        sa.select(
            Answer.id,
            Response.reference,
            Answer.text,
            AnswerCoding.source,
            User.email,
            AnswerCoding.coded_at,
        )
        .select_from(Answer)
        .where(*_has_text(question.id))
        .join(Response, Response.id == Answer.response_id)
        .outerjoin(AnswerCoding, AnswerCoding.answer_id == Answer.id)
        .outerjoin(User, User.id == AnswerCoding.coded_by_id)
    )
    query = _filtered(query, show, theme_id, no_theme=no_theme, suggested=suggested)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    order: list[Any] = [Response.submitted_at, Answer.id]
    if least_sure_first:
        order.insert(0, sa.func.coalesce(_uncertainty(), 0).desc())
    rows = db.session.execute(
        query.order_by(*order).limit(per_page).offset((page - 1) * per_page)
    ).all()
    ids = [row[0] for row in rows]
    codes = _pairs(sa.select(AnswerTheme.answer_id, AnswerTheme.theme_id), AnswerTheme, ids)
    learnt: dict[int, dict[int, float]] = {}
    by_model: dict[int, set[int]] = {}
    for answer_id, theme, source, confidence in db.session.execute(
        sa.select(
            ThemeSuggestion.answer_id,
            ThemeSuggestion.theme_id,
            ThemeSuggestion.source,
            ThemeSuggestion.confidence,
        ).where(ThemeSuggestion.answer_id.in_(ids))
    ):
        if source == LANGUAGE_MODEL:
            by_model.setdefault(answer_id, set()).add(theme)
        elif confidence is not None:
            learnt.setdefault(answer_id, {})[theme] = confidence
    items = [
        ReviewItem(
            answer_id=answer_id,
            reference=reference,
            text=text or "",
            theme_ids=frozenset(codes.get(answer_id, ())),
            source=source,
            coded_by=email if source == Coding.OFFICER.value else None,
            coded_at=coded_at,
            suggested=learnt.get(answer_id, {}),
            suggested_by_model=frozenset(by_model.get(answer_id, ())),
        )
        for answer_id, reference, text, source, email, coded_at in rows
    ]
    return ReviewPage(items, total, page, pages)


def _uncertainty() -> sa.ScalarSelect[float]:
    """A correlated subquery: `survey.core.learning.uncertainty` of an `Answer` row's stored
    learnt suggestions (each at least SHOWN: 1 at 50%, 0 at 100%; NULL: no suggestion)."""
    return (
        sa.select(sa.func.sum(1 - sa.func.abs(2 * ThemeSuggestion.confidence - 1)))
        .where(ThemeSuggestion.answer_id == Answer.id, ThemeSuggestion.source == LEARNT)
        .scalar_subquery()
    )


def _filtered(
    query: sa.Select,  # type: ignore[type-arg]
    show: Show,
    theme_id: int | None,
    *,
    no_theme: bool,
    suggested: bool,
) -> sa.Select:  # type: ignore[type-arg]
    if show is Show.UNCODED:
        query = query.where(AnswerCoding.answer_id.is_(None))
    elif show is Show.AUTO:
        query = query.where(AnswerCoding.source == Coding.AUTO.value)
    elif show is Show.REVIEWED:
        query = query.where(AnswerCoding.source == Coding.OFFICER.value)
    elif show is Show.TO_REVIEW:
        query = query.where(
            sa.or_(AnswerCoding.answer_id.is_(None), AnswerCoding.source == Coding.AUTO.value)
        )
    if theme_id is not None:
        query = query.where(
            Answer.id.in_(sa.select(AnswerTheme.answer_id).where(AnswerTheme.theme_id == theme_id))
        )
    elif no_theme:
        query = query.where(~sa.exists().where(AnswerTheme.answer_id == Answer.id))
    if suggested:
        query = query.where(sa.exists().where(ThemeSuggestion.answer_id == Answer.id))
    return query


def _pairs(query: sa.Select, table: type[AnswerTheme], ids: list[int]) -> dict[int, set[int]]:  # type: ignore[type-arg]
    pairs: dict[int, set[int]] = {}
    for answer_id, theme_id in db.session.execute(query.where(table.answer_id.in_(ids))):
        pairs.setdefault(answer_id, set()).add(theme_id)
    return pairs
