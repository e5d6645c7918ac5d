"""A real gunicorn server, and a real job worker, on the test's own database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from common.database import db

ROOT = Path(__file__).resolve().parent.parent


def listening_socket() -> socket.socket:
    """A socket listening on a port the system chose, to hand to a server as it starts.

    Binding here, rather than asking for a free port and letting the server bind it later,
    leaves no moment in which another test (on the other xdist worker) or an outgoing
    connection can take the port, or answer on it in our server's place."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


def server_environment(**settings: str) -> dict[str, str]:
    """Production settings (no debug) on the test's database, with these added."""
    env = dict(os.environ)
    env.pop("FLASK_DEBUG", None)
    env.update(
        DATABASE_URL=db.engine.url.render_as_string(hide_password=False),
        SECRET_KEY="load-test-secret-key-long-enough",
        INSECURE_COOKIES="1",  # plain http on loopback
        **settings,
    )
    return env


@contextmanager
def running_gunicorn(
    env: dict[str, str], log: Path, workers: int = 4
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The README's gunicorn command (sync workers, its default timeout) with this environment,
    on a socket bound for it; its base URL and process once /health answers, stopped after."""
    with listening_socket() as sock:
        port = sock.getsockname()[1]
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"fd://{sock.fileno()}",
                "--workers",
                str(workers),
                "--error-logfile",
                str(log),
                "app:create_app()",
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
            pass_fds=(sock.fileno(),),
            start_new_session=True,  # its own process group: one kill stops master and workers
        )
    # Only gunicorn holds the socket now: once it is stopped or killed, nothing listens.
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"gunicorn exited: {log.read_text()}"
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"gunicorn did not start: {log.read_text()}"
            time.sleep(0.2)
        yield base, process
    finally:
        stop(process)


def gunicorn(tmp_path: Path, **settings: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """gunicorn (4 workers, production settings) on the test's database, with these settings."""
    try:
        with running_gunicorn(server_environment(**settings), tmp_path / "gunicorn.log") as run:
            yield run
    finally:
        db.session.remove()
        db.engine.dispose()  # the server wrote behind this engine's back


def job_worker(tmp_path: Path, **settings: str) -> subprocess.Popen[bytes]:
    """`flask jobs worker`, as `make run` starts it, with these settings."""
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "jobs", "worker"],
        cwd=ROOT,
        env=server_environment(**settings),
        stdout=(tmp_path / "worker.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server or worker and everything it started; killed if it takes over 30 s (a
    worker stopped gracefully finishes its job first)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
