"""Which Word files may become the house template (pure: bytes in, a reason out)."""

from __future__ import annotations

import io

import docx
from docx.opc.constants import RELATIONSHIP_TYPE

from assembly.core.house_template import house_template_problem

LIMIT = 10 * 1024 * 1024


def _with_footer_link() -> bytes:
    document = docx.Document()
    footer = document.sections[0].footer
    footer.paragraphs[0].text = "www.council.gov.uk"
    footer.part.relate_to(
        "https://www.council.gov.uk/", RELATIONSHIP_TYPE.HYPERLINK, is_external=True
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_plain_hyperlink_in_the_footer_is_allowed() -> None:
    assert house_template_problem(_with_footer_link(), LIMIT) is None


def test_a_file_over_the_size_limit_is_refused_before_it_is_opened() -> None:
    assert house_template_problem(b"x" * 2048, 1024) == "the file is larger than 1 KB"
