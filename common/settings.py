"""Settings that adapters (pages, commands, jobs) read from the running app's configuration,
to pass into data access and the core, which never read configuration themselves."""

from __future__ import annotations

from flask import Flask, current_app

from common.mail import MailServer, mail_server
from common.statistics import DEFAULT_THRESHOLD


def suppression_threshold() -> int:
    """The smallest count that may be shown (SUPPRESSION_THRESHOLD, default 5)."""
    return int(current_app.config.get("SUPPRESSION_THRESHOLD", DEFAULT_THRESHOLD))


def statutory_wording_file() -> str | None:
    """A council's own copy of the strategy's statutory wording (STATUTORY_WORDING), if any."""
    return current_app.config.get("STATUTORY_WORDING") or None


def fill_draft_contents() -> bool:
    """Whether a draft build has LibreOffice write the contents' page numbers into the .docx
    (FILL_DRAFT_CONTENTS, default on; tests turn it off except where they test it)."""
    return bool(current_app.config.get("FILL_DRAFT_CONTENTS", True))


def redis_timeout(app: Flask) -> float:
    """Seconds to wait for any Redis to connect or answer (REDIS_TIMEOUT_MS, default 50): a
    Redis that has stopped answering then costs a request that long, not a worker."""
    return int(app.config.get("REDIS_TIMEOUT_MS", 50)) / 1000


def mail() -> MailServer | None:
    """The council's mail server (MAIL_SMTP_URL and MAIL_FROM), None when it has none."""
    config = current_app.config
    return mail_server(config.get("MAIL_SMTP_URL", ""), config.get("MAIL_FROM", ""))


def saved_answers_retention_days() -> int:
    """Days after its consultation closes that saved answers not sent are kept (default 30)."""
    return int(current_app.config.get("SAVED_ANSWERS_RETENTION_DAYS", 30))


def retention_days() -> dict[str, int]:
    """The retention periods the retention run needs, by its rules' field names."""
    return {
        "text_retention_days": text_retention_days(),
        "saved_answers_days": saved_answers_retention_days(),
    }


def text_retention_days() -> int:
    """Days the words of free-text answers are kept after submission (TEXT_RETENTION_DAYS,
    default 730)."""
    return int(current_app.config.get("TEXT_RETENTION_DAYS", 730))
