"""The council's language model over HTTP: batches of answers to its chat completions endpoint.

An adapter with no Flask: the suggestions job makes a `LanguageModelCoder` from the endpoint the
settings describe (`survey.core.llm_coder.Endpoint`), and calls it as it calls the learnt
suggester. The standard library's urllib does the call (no client library to install on the
servers). Each request has the endpoint's timeout and is tried `Endpoint.tries` times when it
times out, cannot connect, or gets HTTP 408, 429 (after its Retry-After, up to a minute) or
5xx; any other refusal, or the last try failing, stops the whole run with
`LanguageModelUnavailable` saying why (nothing is saved). A batch the endpoint's content filter
refuses (Azure OpenAI's, which may well react to answers about violence or drugs) gets no
suggestions, counted with that reason, and the run goes on.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence

from common.display import plural
from survey.core import llm_coder
from survey.core.llm_coder import Endpoint
from survey.core.suggesting import LANGUAGE_MODEL, Suggestion, ThemeBrief

PAUSE_SECONDS = 2.0  # before trying again; doubled each time
MAX_RETRY_AFTER_SECONDS = 60  # the most a busy endpoint's Retry-After makes a job wait


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are refused, not followed: urllib would send the key on to wherever a
    redirect pointed, and turn the POST into a GET without the answers."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


class LanguageModelUnavailable(Exception):
    """The endpoint could not be reached or refused the request: why, for the officer."""


class LanguageModelCoder:
    """Suggests themes by asking the council's language model (survey.core.suggesting)."""

    source = LANGUAGE_MODEL

    def __init__(
        self,
        endpoint: Endpoint,
        on_batch: Callable[[int], None] | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.on_batch = on_batch  # told how many answers have been sent so far
        self.sent = 0  # answers in requests made (whether or not the reply could be used)
        self.requests = 0

    def suggest_themes(
        self, answers: Sequence[str], themes: Sequence[ThemeBrief]
    ) -> list[Suggestion]:
        """Per answer, the themes the model names, or why it gave none; batch by batch."""
        found: list[Suggestion] = []
        size = max(1, self.endpoint.batch_size)
        for start in range(0, len(answers), size):
            batch = answers[start : start + size]
            body = llm_coder.request_body(self.endpoint.model, batch, themes)
            self.sent += len(batch)
            try:
                found.extend(llm_coder.read_reply(self._post(body), len(batch), themes))
            except _Filtered:
                found.extend([Suggestion(problem=llm_coder.FILTERED)] * len(batch))
            if self.on_batch is not None:
                self.on_batch(self.sent)
        return found

    def _post(self, body: bytes) -> bytes:
        """The reply's body; tried again on a time-out, a dropped connection, 408, 429 or 5xx."""
        endpoint = self.endpoint
        why = ""
        wait = PAUSE_SECONDS
        for attempt in range(max(1, endpoint.tries)):
            if attempt:
                time.sleep(wait)
                wait *= 2
            self.requests += 1
            request = urllib.request.Request(
                endpoint.url, data=body, headers=endpoint.headers(), method="POST"
            )
            try:
                with _OPENER.open(request, timeout=endpoint.timeout_seconds) as reply:
                    read: bytes = reply.read(llm_coder.MAX_REPLY_BYTES + 1)
                    return read
            except urllib.error.HTTPError as exc:
                with exc:
                    said = exc.read(llm_coder.MAX_REPLY_BYTES)
                if exc.code == 400 and llm_coder.CONTENT_FILTER in said:
                    raise _Filtered from None
                if exc.code not in (408, 429) and exc.code < 500:
                    raise LanguageModelUnavailable(_refused(endpoint, exc.code)) from None
                why = f"answered HTTP {exc.code}"
                wait = max(wait, _retry_after(exc.headers.get("Retry-After")))
            except TimeoutError:
                why = f"did not answer within {_seconds(endpoint.timeout_seconds)}"
            except (urllib.error.URLError, ConnectionError) as exc:
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, TimeoutError):
                    why = f"did not answer within {_seconds(endpoint.timeout_seconds)}"
                else:
                    why = f"could not be reached ({reason})"
        raise LanguageModelUnavailable(
            f"the language model at {endpoint.host} {why} "
            f"(tried {plural(max(1, endpoint.tries), 'time')})"
        )


class _Filtered(Exception):
    """The endpoint's content filter refused the batch (Azure OpenAI: HTTP 400, content_filter):
    its answers get no suggestion, and the run goes on."""


def _retry_after(value: str | None) -> float:
    """Seconds a 429's Retry-After asks for (at most a minute), or 0."""
    text = (value or "").strip()
    return min(float(text), MAX_RETRY_AFTER_SECONDS) if text.isdigit() else 0.0


def _seconds(value: float) -> str:
    return "1 second" if value == 1 else f"{value:g} seconds"


def _refused(endpoint: Endpoint, code: int) -> str:
    """Why the endpoint refused a request, with what to check."""
    if code in (401, 403):
        hint = "check LLM_API_KEY and LLM_API_KEY_HEADER"
    elif code == 404 or 300 <= code < 400:
        hint = "check LLM_BASE_URL and LLM_MODEL"
    else:
        hint = "check the LLM_ settings"
    return f"the language model at {endpoint.host} refused the request (HTTP {code}): {hint}"
