"""Line buffering and masking: secrets split across writes, multi-line secrets, binary, huge lines."""

from __future__ import annotations

import os

import pytest

from lego.run.lines import MAX_LINE_CHARS, LineBuffer
from lego.run.masking import Masker


def feed_all(buf: LineBuffer, *chunks: bytes) -> list[str]:
    out: list[str] = []
    for chunk in chunks:
        out.extend(buf.feed(chunk))
    return out + buf.close()


def test_secret_split_across_two_writes_is_masked() -> None:
    buf = LineBuffer(Masker(["hunter2-very-secret"]))
    lines = feed_all(buf, b"token: hunter2-ve", b"ry-secret done\n")
    assert lines == ["token: *** done"]


def test_every_line_of_a_multi_line_secret_is_masked() -> None:
    key = "-----BEGIN KEY-----\nMIIEabcdefgh\nqwertyuiop12\n-----END KEY-----"
    buf = LineBuffer(Masker([key]))
    lines = feed_all(buf, (key + "\nafter qwertyuiop12 x\n").encode())
    assert lines == ["***", "***", "***", "***", "after *** x"]


def test_binary_garbage_is_decoded_with_replacement_and_control_characters_replaced() -> None:
    garbage = os.urandom(4096).replace(b"\n", b"")
    lines = feed_all(LineBuffer(), garbage + b"\nok\n")
    assert lines[-1] == "ok"
    assert all("\x00" not in line for line in lines)


def test_a_utf8_character_split_across_chunks_survives() -> None:
    data = "护城 ok\n".encode()
    lines = feed_all(LineBuffer(), data[:2], data[2:])
    assert lines == ["护城 ok"]


def test_a_10mb_line_is_cut_into_pieces_and_a_secret_on_a_cut_is_still_masked() -> None:
    secret = "S3CRET-VALUE-XYZ"  # hucheng:allow (a made-up value the masker must hide)
    buf = LineBuffer(Masker([secret]))
    # the secret sits exactly across the first cut point, and the data arrives in odd chunks
    data = ("a" * (MAX_LINE_CHARS - 5) + secret + "b" * (10 * 1024 * 1024)).encode() + b"\nend\n"
    lines: list[str] = []
    for i in range(0, len(data), 65521):
        lines.extend(buf.feed(data[i : i + 65521]))
    lines.extend(buf.close())
    assert lines[-1] == "end"
    assert all(len(line) <= MAX_LINE_CHARS for line in lines)
    joined = "".join(lines[:-1])
    assert secret not in joined and "***" in joined
    assert len(joined) == MAX_LINE_CHARS - 5 + 3 + 10 * 1024 * 1024


def test_short_values_are_not_masked() -> None:
    assert Masker(["ab", "", "abc"]).mask("ab abc") == "ab ***"


def test_the_warning_about_a_short_secret_names_it(caplog: pytest.LogCaptureFixture) -> None:
    masker = Masker({"PIN": "42", "EMPTY": "", "TOKEN": "s3cret", "CERT": "-----BEGIN\nxy\n-----END"})
    assert masker.mask("42 s3cret xy -----END") == "42 *** xy ***"
    warned = [r.getMessage() for r in caplog.records]
    assert warned == [
        "secret PIN: a value (or a line of it) shorter than 3 characters is not masked",
        "secret CERT: a value (or a line of it) shorter than 3 characters is not masked",
    ]


def test_lines_read_together_come_out_as_each_alone_would() -> None:
    # feed() handles all the whole lines of a read at once (mask, control characters, CR, long lines)
    masker = Masker({"TOKEN": "s3cr3t-token", "CERT": "-----BEGIN-----\nbody-line\n-----END-----"})
    lines = [
        "plain",
        "",
        "crlf ending\r",
        "progress 10%\rprogress 100%\r\r",
        "token s3cr3t-token twice s3cr3t-token",
        "cert line body-line here",
        "bell\x07 and nul\x00 and esc\x1b[31mred\x1b[0m and tab\t",
        "unicode 语言 \u2028 separator",
    ]
    long = "x" * 150 + "s3cr3t-token" + "y" * 80  # longer than max_chars below: masked, then cut
    alone = LineBuffer(masker, max_chars=100)
    for sample, sizes in ((lines, (10_000, 7, 64)), ([*lines, long, "after"], (10_000,))):
        data = ("\n".join(sample) + "\n").encode()
        expected = [piece for line in sample for piece in alone._finish(line)]
        for size in sizes:  # (a long line that arrives in pieces is cut as it comes, not compared)
            buf = LineBuffer(masker, max_chars=100)
            got = feed_all(buf, *(data[i : i + size] for i in range(0, len(data), size)))
            assert got == expected, size
        assert "s3cr3t-token" not in "".join(expected) and "body-line" not in "".join(expected)
