"""What every command shares: reading the files it is given, with a plain message when it can't."""

from __future__ import annotations

from pathlib import Path

import click

from common.json_input import JsonProblem, parse_json
from common.spreadsheets import MAX_FILE_BYTES


def read_json(file: Path) -> object:
    """A JSON file given to a command; a ClickException saying what is wrong with it."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise click.ClickException(f"{file}: no such file") from None
    except UnicodeDecodeError:
        raise click.ClickException(f"{file}: not UTF-8 text") from None
    except OSError as exc:
        raise click.ClickException(f"{file}: cannot be read ({exc.strerror})") from None
    try:
        return parse_json(text)
    except JsonProblem as exc:
        raise click.ClickException(f"{file.name}: {exc}") from None


def read_upload(file: Path) -> bytes:
    """A file given to an import command, at most one byte past the largest file accepted."""
    try:
        with file.open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)  # read_file refuses anything larger
    except FileNotFoundError:
        raise click.ClickException(f"{file}: no such file") from None
    except OSError as exc:
        raise click.ClickException(f"{file}: cannot be read ({exc.strerror})") from None
