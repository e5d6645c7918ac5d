"""A small OpenAI-compatible chat completions server on loopback, for the language-model tests.

It runs in a thread of the test's own process on a port the system chose, keeps every request
it was sent (path, headers, JSON body), and answers each with what the test sets: by default
the themes a function of each answer's words picks, in the chat completions format.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = tuple[int, bytes]  # HTTP status, body


@dataclass
class Seen:
    """One request as the server received it."""

    path: str
    headers: dict[str, str]  # names in lower case: HTTP's are case-insensitive
    body: dict[str, Any]

    @property
    def answers(self) -> list[dict[str, str]]:
        """The answers the request carried (its user message's JSON)."""
        user = json.loads(self.body["messages"][-1]["content"])
        answers: list[dict[str, str]] = user["answers"]
        return answers


def completion(content: str) -> bytes:
    """A chat completions reply whose message is `content`."""
    reply = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": content},
            }
        ],
    }
    return json.dumps(reply).encode()


def coding_by(pick: Callable[[str], list[str]]) -> Callable[[Seen], Reply]:
    """Answers coded with the themes `pick` gives each answer's words."""

    def reply(seen: Seen) -> Reply:
        coded = [{"id": a["id"], "themes": pick(a["text"])} for a in seen.answers]
        return 200, completion(json.dumps({"answers": coded}))

    return reply


@dataclass
class LanguageModelServer:
    """What the server has been sent, and how it answers (set `reply` and `delay_seconds`)."""

    base_url: str
    reply: Callable[[Seen], Reply]
    delay_seconds: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)  # added to every reply
    seen: list[Seen] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)


@contextmanager
def language_model_server(reply: Callable[[Seen], Reply]) -> Iterator[LanguageModelServer]:
    """A server answering on 127.0.0.1 at `/v1/chat/completions`, stopped after."""
    state: LanguageModelServer

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            headers = {name.lower(): value for name, value in self.headers.items()}
            seen = Seen(self.path, headers, body)
            state.seen.append(seen)
            if state.delay_seconds:
                state.released.wait(state.delay_seconds)  # a server that does not answer in time
            status, content = (
                (404, b'{"error": "not found"}')
                if self.path != "/v1/chat/completions"
                else state.reply(seen)
            )
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                for name, value in state.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(content)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting: that is what a time-out test wants

        def do_GET(self) -> None:  # noqa: N802
            """Kept, so a test sees a redirect followed as a GET; refused."""
            headers = {name.lower(): value for name, value in self.headers.items()}
            state.seen.append(Seen(self.path, headers, {}))
            self.send_error(405)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    state = LanguageModelServer(f"http://127.0.0.1:{port}/v1", reply)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.released.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
