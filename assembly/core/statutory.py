"""The fixed statutory wording of a strategy, read from one reviewed text file.

Pure: the text is passed in. The file (`assembly/wording/statutory.md` unless the
STATUTORY_WORDING setting names a council's own copy) is a few passages, each headed
"# key", paragraphs separated by blank lines; anything before the first heading is a note
for whoever reviews it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "wording" / "statutory.md"
# The same passages in Welsh, for drafts built in Welsh (reviewed with the English file).
WELSH_FILE = DEFAULT_FILE.with_name("statutory.cy.md")
KEYS = ("duties", "section-17", "assessment", "consultation", "governance", "equality")

Wording = Mapping[str, tuple[str, ...]]


def parse_wording(text: str) -> dict[str, tuple[str, ...]]:
    """{key: paragraphs} from the file's text; a key given twice keeps its last passage."""
    passages: dict[str, list[str]] = {}
    current: list[str] | None = None
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if current is not None and paragraph:
            current.append(" ".join(paragraph))
        paragraph.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("# "):
            end_paragraph()
            current = passages[stripped[2:].strip().lower()] = []
        elif not stripped:
            end_paragraph()
        elif current is not None:
            paragraph.append(stripped)
    end_paragraph()
    return {key: tuple(paragraphs) for key, paragraphs in passages.items() if paragraphs}


def default_wording() -> dict[str, tuple[str, ...]]:
    """The wording shipped with the service."""
    return parse_wording(DEFAULT_FILE.read_text(encoding="utf-8"))
