"""The bad-input corpus: what residents, officers, files and bots may send.

One list, used by the form crawler (every field of every form), by the import tests (every
cell of CSV and XLSX files) and by the Word-draft tests. Each case is (name, value). Values
that cannot be text at all (invalid UTF-8, lone surrogates, other encodings) are in
`RAW_BYTES` and `ENCODINGS`, used where bytes are sent.
"""

from __future__ import annotations

CASES: list[tuple[str, str]] = [
    ("empty", ""),
    ("whitespace only", " \t \n  "),
    ("one megabyte", "x" * 1_000_000),
    ("NUL and control characters", "a\x00b\x01c\x07d\x1b[31me\x7f"),
    ("unicode line and paragraph separators", "one\u2028two\u2029three\x85"),
    ("emoji", "Scared 😱 of 🚗 crime 👍🏽 👨‍👩‍👧"),
    ("right-to-left", "أخاف من السرقة في الليل"),
    ("bidi override", "safe\u202etxt.exe\u202c"),
    ("combining marks", "cafe\u0301 z\u0335\u0321\u0322\u0327a\u0336l\u0334g\u0338o"),
    ("zero-width characters", "ad\u200bmin\ufeff\u200d"),
    ("html", "<b>bold</b> <i>&amp;</i> &lt;"),
    ("script", "<script>alert('x')</script><img src=x onerror=alert(1)>"),
    ("sql-looking", "'; DROP TABLE response; --"),
    ("formula", '=HYPERLINK("http://evil.example","click")'),
    ("formula plus", "+1+cmd|' /C calc'!A0"),
    ("formula at", "@SUM(1+1)*cmd|' /C calc'!A0"),
    ("formula minus", "-2+3"),
    ("huge number", "9" * 400),
    ("float overflow", "1e309"),
    ("negative zero", "-0"),
    ("date out of range", "0000-00-00"),
    ("date far future", "9999-12-31T23:59:59+14:00"),
    ("impossible date", "31/02/2026"),
    ("path traversal", "../../etc/passwd"),
    ("template syntax", "{{ 7*7 }} {% raw %}${7*7}"),
    ("quotes and backslashes", "\"quoted\" 'single' \\back\\slash"),
    ("newlines", "line one\r\nline two\rline three\n"),
]

RAW_BYTES: list[tuple[str, bytes]] = [
    ("invalid UTF-8", b"caf\xe9 \xff\xfe"),
    ("lone surrogate as UTF-8 bytes", b"a\xed\xa0\x80b"),
    ("overlong encoding", b"\xc0\xaf"),
]

ENCODINGS: list[tuple[str, str]] = [
    ("UTF-8 with BOM", "utf-8-sig"),
    ("Latin-1", "latin-1"),
    ("UTF-16 with BOM", "utf-16"),
    ("UTF-16 little-endian without BOM", "utf-16-le"),
    ("Windows-1252", "cp1252"),
]
