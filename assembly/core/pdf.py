"""A Word draft as PDF, through LibreOffice, with its table of contents filled in.

LibreOffice's Python API lives in the system Python (Debian's python3-uno), so the
conversion runs `assembly/core/soffice_pdf.py` there, in a private temporary profile.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from assembly.core.document import fill_contents, without_comments

SCRIPT = Path(__file__).resolve().parent / "soffice_pdf.py"
TIMEOUT_SECONDS = 180


class PdfError(RuntimeError):
    """The PDF could not be made; the message says why."""


def office_python() -> str | None:
    """A Python that can import LibreOffice's `uno` (LIBREOFFICE_PYTHON, else /usr/bin/python3)."""
    candidate = os.environ.get("LIBREOFFICE_PYTHON", "/usr/bin/python3")
    if shutil.which("soffice") is None or not Path(candidate).exists():
        return None
    found = subprocess.run(
        [candidate, "-c", "import uno"], capture_output=True, timeout=60, check=False
    )
    return candidate if found.returncode == 0 else None


def docx_to_pdf(docx: bytes) -> bytes:
    """The PDF of a .docx, its contents and page numbers updated by LibreOffice."""
    return _in_office(docx, "draft.pdf")


def contents_pages(docx: bytes) -> list[str]:
    """The page number of each entry of the .docx's contents, as LibreOffice lays it out."""
    lines = json.loads(_in_office(docx, "contents.json"))
    return [line.rsplit("\t", 1)[-1].strip() for line in lines if "\t" in line]


def with_contents_filled(docx: bytes) -> bytes:
    """The .docx with its contents' page numbers written in, so Word shows them on opening."""
    return fill_contents(docx, contents_pages(docx))


def _in_office(docx: bytes, target_name: str) -> bytes:
    python = office_python()
    if python is None:
        raise PdfError(
            "LibreOffice is not installed with its Python API "
            "(Debian: apt-get install libreoffice-writer-nogui python3-uno)"
        )
    with tempfile.TemporaryDirectory(prefix="csp-pdf-") as folder:
        source, target = Path(folder, "draft.docx"), Path(folder, target_name)
        source.write_bytes(without_comments(docx))
        try:
            done = subprocess.run(
                [python, str(SCRIPT), str(source), str(target), str(Path(folder, "profile"))],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PdfError(f"LibreOffice took longer than {TIMEOUT_SECONDS} s") from None
        if done.returncode != 0 or not target.exists():
            reason = (done.stderr.strip().splitlines() or ["no reason given"])[-1]
            raise PdfError(f"LibreOffice could not convert the draft: {reason}")
        return target.read_bytes()
