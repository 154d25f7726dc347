"""Issue 20, what a newcomer tripped on in the CLI: each a real `sinhke` process."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from tests.cli.test_cli import _setup_area, sinhke


@pytest.fixture
def config(tmp_path: Path, database_url: str, sessions: object) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "{database_url}"\n', encoding="utf-8")
    return path


def one_line_error(result: object, *needles: str) -> None:
    assert result.returncode == 2, result.stderr  # type: ignore[attr-defined]
    stderr: str = result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1, stderr
    for needle in needles:
        assert needle in stderr


def test_broadcast_send_with_a_missing_file_is_one_line(config: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    one_line_error(
        sinhke("broadcast", "send", "--file", str(missing), config=config), "missing.txt"
    )
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Thông báo".encode("cp1258", errors="replace") + b"\xff\xfe")
    one_line_error(sinhke("broadcast", "send", "--file", str(latin), config=config), "UTF-8")


def test_a_bad_at_names_at(config: Path) -> None:
    result = sinhke("broadcast", "send", "--text", "Họp dân", "--at", "mai", config=config)
    one_line_error(result, "--at 'mai'")
    assert "--now" not in result.stderr


def test_broadcast_status_without_a_running_bot_does_not_hang(config: Path) -> None:
    sent = sinhke("broadcast", "send", "--text", "Họp dân tối nay", "--json", config=config)
    assert sent.returncode == 0, sent.stderr
    broadcast_id = json.loads(sent.stdout)["id"]
    started = time.monotonic()
    status = sinhke("broadcast", "status", str(broadcast_id), "--give-up-after", "1", config=config)
    assert time.monotonic() - started < 30
    assert status.returncode == 0, status.stderr
    assert "sinhke run" in status.stdout + status.stderr  # says why nothing moves
    assert f"broadcast {broadcast_id} sending" in status.stdout  # and the last known state


def test_an_invalid_token_at_run_is_one_line(config: Path) -> None:
    text = config.read_text() + '[telegram]\ntoken = "not a token"\n'
    config.write_text(text, encoding="utf-8")
    one_line_error(sinhke("run", config=config), "telegram", "token")


def test_an_unknown_household_in_export_is_an_error(config: Path) -> None:
    one_line_error(sinhke("export", "entries", "--household", "HO99999", config=config), "HO99999")


def test_one_household_imported_is_singular(config: Path, tmp_path: Path) -> None:
    _setup_area(config)
    roster = tmp_path / "one.csv"
    roster.write_text("name,members,area\nAn,3,C\n", encoding="utf-8")
    result = sinhke("household", "import", str(roster), config=config)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "1 household imported"


def test_a_semicolon_separated_csv_imports(config: Path, tmp_path: Path) -> None:
    """Excel's CSV in a Vietnamese locale separates fields with semicolons."""
    _setup_area(config)
    roster = tmp_path / "excel.csv"
    roster.write_text(
        "name;members;area;hamlet\nNguyễn Văn An;3;C;Ấp 1, xóm Bến\nLê Thị Bình;5;C;\n",
        encoding="utf-8-sig",
    )
    result = sinhke("household", "import", str(roster), "--json", config=config)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["name"] for row in rows] == ["Nguyễn Văn An", "Lê Thị Bình"]


@pytest.mark.parametrize(
    "command",
    [(), ("broadcast", "send"), ("export", "entries"), ("household", "add"), ("run",)],
)
def test_help_shows_no_type_noise(command: tuple[str, ...]) -> None:
    result = sinhke(*command, "--help")
    assert result.returncode == 0
    for noise in ("<bool>", "<str>", "<int>", "<path>", "<list", "<float>"):
        assert noise not in result.stdout, (noise, result.stdout)


def test_db_upgrade_says_which_database_and_refuses_a_surprising_new_file(
    tmp_path: Path,
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    refused = sinhke("db", "upgrade", cwd=elsewhere)  # no config here: the built-in default
    one_line_error(refused, str(elsewhere / "data" / "sinhke.db"), "--yes")
    assert not (elsewhere / "data" / "sinhke.db").exists()

    created = sinhke("db", "upgrade", "--yes", cwd=elsewhere)
    assert created.returncode == 0, created.stderr
    assert str(elsewhere / "data" / "sinhke.db") in created.stdout
    assert (elsewhere / "data" / "sinhke.db").exists()

    # The quick start: a config.toml in the folder, its relative path, a new file.
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(
        '[database]\nurl = "sqlite+aiosqlite:///data/sinhke.db"\n', encoding="utf-8"
    )
    quick = sinhke("db", "upgrade", cwd=home)
    assert quick.returncode == 0, quick.stderr
    assert str(home / "data" / "sinhke.db") in quick.stdout

    # The same config named from another folder would make a file beside the caller.
    again = sinhke("--config", str(home / "config.toml"), "db", "upgrade", cwd=elsewhere / "data")
    one_line_error(again, "--yes")
    # An existing database is upgraded wherever it is named from.
    existing = sinhke("db", "upgrade", cwd=elsewhere)
    assert existing.returncode == 0 and str(elsewhere / "data" / "sinhke.db") in existing.stdout


def test_install_says_what_it_is_doing(tmp_path: Path) -> None:
    """Each step of scripts/install.sh prints a line before it starts (no 30 s silence):
    run with a python that only records what it is asked to do."""
    root = Path(__file__).resolve().parents[2]
    fake = tmp_path / "repo"
    (fake / "scripts").mkdir(parents=True)
    (fake / "scripts" / "install.sh").write_text(
        (root / "scripts" / "install.sh").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (fake / ".venv" / "bin").mkdir(parents=True)
    python = fake / ".venv" / "bin" / "python"
    python.write_text('#!/bin/sh\necho "python $*" >> "$(dirname "$0")/calls"\n')
    python.chmod(0o755)
    done = subprocess.run(
        ["bash", str(fake / "scripts" / "install.sh")], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    steps = [line for line in done.stdout.splitlines() if line.startswith("==> ")]
    calls = (fake / ".venv" / "bin" / "calls").read_text().splitlines()
    assert len(steps) >= len(calls) == 3  # a line for each step, one more at the end
    assert any("install" in step for step in steps)


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_the_invite_cards_texts_do_not_overlap(locale: str) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from bot.i18n import translator
    from bot.services.rendering.invite_sheet import IssuedInvite, _figure

    card = IssuedInvite(1, "Nguyễn Thị Hồng Nhung Bảo Ngọc", "HO00012", "ABCD-EFGH").card(
        "sinhke_xa_an_dinh_bot"
    )
    figure = _figure([card], "Mã mời", "", 1, translator(locale))
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    boxes = [
        (text.get_text(), text.get_window_extent(renderer))
        for axes in figure.axes
        for text in axes.texts
        if text.get_text()
    ]
    assert len(boxes) >= 5
    for index, (first, one) in enumerate(boxes):
        for second, other in boxes[index + 1 :]:
            assert not one.overlaps(other), (first, second)
