"""Checking a Word file before drafts are built on it as the partnership's house template.

Pure: bytes in, the reason for refusing them (or None) out. A template must be a real .docx
that python-docx opens, with no macros and nothing that loads from outside the file (linked
pictures, attached templates, linked objects); plain hyperlinks, such as the council's web
address in a footer, are allowed: Word never fetches them by itself.
"""

from __future__ import annotations

import io
import zipfile
import zlib

import docx
from defusedxml import ElementTree

from assembly.core.document import DraftDocument

UNPACKED_LIMIT = 100 * 1024 * 1024  # a house template larger than this unpacked is refused
RELS_LIMIT = 5 * 1024 * 1024  # one relationships part; Word's are a few kilobytes
HYPERLINK = "/relationships/hyperlink"


def _size(limit: int) -> str:
    """'10 MB', or '512 KB' for a limit under a megabyte."""
    if limit >= 1024 * 1024:
        return f"{limit // (1024 * 1024):,} MB"
    return f"{max(1, limit // 1024):,} KB"


def shortened(text: str, limit: int = 60) -> str:
    """`text` cut to `limit` characters with an ellipsis, for a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def house_template_problem(data: bytes, limit: int) -> str | None:
    """Why `data` cannot be a house template (a real .docx, no macros, no outside links)."""
    if len(data) > limit:
        return f"the file is larger than {_size(limit)}"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            problem = _package_problem(package)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError):
        return "the file is not a Word document (.docx): it is not a Word package at all"
    except (RuntimeError, NotImplementedError, zlib.error, ValueError, SyntaxError):
        return "the file is damaged or encrypted: open it in Word, save it as .docx and try again"
    if problem is not None:
        return problem
    try:
        docx.Document(io.BytesIO(data))
        DraftDocument(data)  # as drafts will be built on it
    except Exception as exc:  # python-docx raises many kinds; any of them means "not usable"
        return f"the file cannot be opened as a Word document ({shortened(str(exc), 120)})"
    return None


def _package_problem(package: zipfile.ZipFile) -> str | None:
    """What makes a zip package unusable as a house template, if anything."""
    names = package.namelist()
    if "word/document.xml" not in names:
        return "the file is a zip file, not a Word document: it has no word/document.xml"
    if sum(info.file_size for info in package.infolist()) > UNPACKED_LIMIT:
        return f"the file unpacks to more than {UNPACKED_LIMIT // (1024 * 1024)} MB"
    content_types = package.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    if b"macroenabled" in content_types.lower() or any(
        name.lower().endswith("vbaproject.bin") for name in names
    ):
        return (
            "the file contains macros (it is a macro-enabled .docm document): save it in Word "
            "as a Word Document (.docx) and upload that"
        )
    for name in names:
        if name.lower().endswith(".rels"):
            target = _external_target(package, name)
            if target is not None:
                return (
                    f"the file loads something from outside it ({shortened(target, 80)}, in "
                    f"{name}): remove linked pictures, attached templates and linked files, "
                    "then upload it again"
                )
    return None


def _external_target(package: zipfile.ZipFile, name: str) -> str | None:
    """The first relationship in part `name` whose target is outside the package."""
    if package.getinfo(name).file_size > RELS_LIMIT:
        raise ValueError(f"{name} is too large")
    root = ElementTree.fromstring(package.read(name))
    for relationship in root:
        external = str(relationship.get("TargetMode", "")).lower() == "external"
        if external and not str(relationship.get("Type", "")).endswith(HYPERLINK):
            return str(relationship.get("Target", "")) or "an unnamed target"
    return None
