"""Atomic writes: the target is the old file or the whole new one, and never one of the inputs."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from werkbladen import atomic
from werkbladen.atomic import atomic_write, ensure_not_input, write_bytes
from werkbladen.errors import WerkbladenError


class Boom(Exception):
    pass


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    write_bytes(target, b"eerste")
    assert target.read_bytes() == b"eerste"
    write_bytes(target, b"tweede")
    assert target.read_bytes() == b"tweede"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_failure_mid_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"oud en heel")
    with pytest.raises(Boom), atomic_write(target) as stream:
        stream.write(b"half nieuw")
        stream.flush()
        raise Boom
    assert target.read_bytes() == b"oud en heel"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_failure_mid_write_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    with pytest.raises(Boom), atomic_write(target) as stream:
        stream.write(b"x" * 100_000)
        raise Boom
    assert list(tmp_path.iterdir()) == []


def test_the_file_being_written_has_no_name_until_done(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    with atomic_write(target) as stream:
        stream.write(b"{}")
        assert list(tmp_path.iterdir()) == []  # O_TMPFILE: nothing to leave behind
    assert target.read_bytes() == b"{}"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_without_unnamed_files_the_temporary_file_is_beside_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(atomic, "_unnamed_file", lambda folder: None)
    target = tmp_path / "out.json"
    with atomic_write(target) as stream:
        stream.write(b"{}")
        others = list(tmp_path.iterdir())
        assert len(others) == 1 and others[0].name.startswith(".out.json.")
    assert target.read_bytes() == b"{}"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_sigkill_mid_write_leaves_nothing(tmp_path: Path) -> None:
    """The writer is killed outright: no handler, no ``finally`` runs; the folder stays as it was."""
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    code = (
        "import os, signal, sys\n"
        "from werkbladen.atomic import atomic_write\n"
        "with atomic_write(sys.argv[1]) as stream:\n"
        "    stream.write(b'x' * 1_000_000)\n"
        "    stream.flush()\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(target)], check=False)
    assert done.returncode == -signal.SIGKILL
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]
    assert target.read_bytes() == b"old"


def test_new_file_gets_the_usual_mode_and_an_old_file_keeps_its_mode(tmp_path: Path) -> None:
    old_mask = os.umask(0o022)
    try:
        fresh = tmp_path / "nieuw.csv"
        write_bytes(fresh, b"a")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "oud.csv"
        kept.write_bytes(b"a")
        kept.chmod(0o640)
        write_bytes(kept, b"b")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    finally:
        os.umask(old_mask)


def test_refuses_an_input_by_any_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "inbox" / "a.pdf"
    source.parent.mkdir()
    source.write_bytes(b"%PDF original")
    link = tmp_path / "link.pdf"
    link.symlink_to(source)
    hard = tmp_path / "hard.pdf"
    os.link(source, hard)
    monkeypatch.chdir(tmp_path)
    for target in (source, Path("inbox/../inbox/a.pdf"), link, hard):
        with pytest.raises(WerkbladenError, match="invoerbestanden"):
            write_bytes(target, b"overschreven", inputs=[Path("inbox/a.pdf")])
    assert source.read_bytes() == b"%PDF original"
    ensure_not_input(tmp_path / "elders.pdf", [source])


def test_a_folder_or_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WerkbladenError, match="het is een map"):
        write_bytes(tmp_path, b"x")
    with pytest.raises(WerkbladenError, match=r"is niet te schrijven.*bestaat niet"):
        write_bytes(tmp_path / "bestaat-niet" / "out.csv", b"x")


def test_follows_a_symbolic_link(tmp_path: Path) -> None:
    real = tmp_path / "echt.csv"
    real.write_bytes(b"oud")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_bytes(link, b"nieuw")
    assert link.is_symlink()
    assert real.read_bytes() == b"nieuw"


def test_a_device_is_written_in_place(tmp_path: Path) -> None:
    devnull = Path(os.devnull)
    write_bytes(devnull, b"weg ermee")
    assert stat.S_ISCHR(devnull.stat().st_mode)
