"""The limits module: bounded reads of spec and DDL files, the integer-digits rule."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from seedspec.limits import MAX_INT_DIGITS, TooLarge, int_too_long, limit_error, read_bounded


def test_a_regular_utf8_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "schema.sql"
    path.write_text("CREATE TABLE t (id INTEGER);", encoding="utf-8")
    assert read_bounded(path) == "CREATE TABLE t (id INTEGER);"


def test_dev_zero_is_refused_before_a_byte_is_read() -> None:
    with pytest.raises(OSError, match="not a regular file"):
        read_bounded(Path("/dev/zero"))


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.sql"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        read_bounded(fifo)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OSError, match=r"directory|regular"):
        read_bounded(tmp_path)


def test_a_file_past_the_limit_is_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.sql"
    path.write_bytes(b"x" * 101)
    with pytest.raises(TooLarge, match="larger than"):
        read_bounded(path, max_bytes=100)
    assert read_bounded(path, max_bytes=101) == "x" * 101


def test_a_nul_byte_or_a_name_too_long_is_an_error_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="null byte"):
        read_bounded(tmp_path / "a\x00b.sql")
    with pytest.raises(OSError, match="too long"):
        read_bounded(tmp_path / ("a" * 300))


def test_int_too_long_counts_digits() -> None:
    assert not int_too_long("9" * MAX_INT_DIGITS)
    assert int_too_long("-" + "9" * (MAX_INT_DIGITS + 1))
    assert not int_too_long("x" * 10_000)


def test_limit_error_is_e209() -> None:
    d = limit_error("/a", "too big")
    assert (d.code, d.pointer, d.message) == ("E209", "/a", "too big")
    assert "Limits" in d.hint
