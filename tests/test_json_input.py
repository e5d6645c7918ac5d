"""JSON that people write is refused in their words, never Python's (unit)."""

from __future__ import annotations

import json

import pytest

from common.json_input import PLAIN, JsonProblem, parse_json

# Text that makes Python's json reader give each message it has.
MISTAKES = {
    "Expecting value": '{"slug": }',
    "Expecting ',' delimiter": "[1 2]",
    "Expecting ':' delimiter": '{"slug" "x"}',
    "Expecting property name enclosed in double quotes": '{"slug": "x",}',
    "Unterminated string starting at": '{"slug": "x',
    "Invalid control character at": '"one\ntwo"',
    "Invalid \\escape": '"a\\qb"',
    "Invalid \\uXXXX escape": '"\\u12"',
    "Extra data": "{} {}",
}


def test_every_message_of_pythons_reader_has_words_here() -> None:
    assert set(MISTAKES) == set(PLAIN)


@pytest.mark.parametrize(("python", "text"), MISTAKES.items())
def test_a_mistake_is_named_in_plain_words_with_its_place(python: str, text: str) -> None:
    with pytest.raises(json.JSONDecodeError, match=python.replace("\\", "\\\\")):
        json.loads(text)
    with pytest.raises(JsonProblem) as caught:
        parse_json(text)
    said = str(caught.value)
    assert said.startswith("not valid JSON (line ")
    assert PLAIN[python] in said
    assert python not in said


@pytest.mark.parametrize("number", ["1e999", "-1e999", "NaN", "Infinity", "-Infinity"])
def test_numbers_json_cannot_hold_are_refused(number: str) -> None:
    with pytest.raises(JsonProblem, match="too large to use or not a number") as caught:
        parse_json(f'{{"target": {number}}}')
    assert not caught.value.not_json


def test_a_byte_order_mark_at_the_start_is_skipped() -> None:
    assert parse_json('\ufeff{"slug": "x"}') == {"slug": "x"}
    assert parse_json('{"slug": 2.5}') == {"slug": 2.5}
