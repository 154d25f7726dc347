from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_config_loads(repo_root: Path) -> None:
    settings = load_settings(repo_root / "config.toml")
    assert settings.database.url.startswith("sqlite+aiosqlite:///")
    assert settings.programme.timezone == "Asia/Ho_Chi_Minh"
    assert [line.rural for line in settings.programme.poverty_lines] == [1_500_000, 2_200_000]


def test_environment_overrides_one_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '[database]\nurl = "sqlite+aiosqlite:///x.db"\necho = true\n')
    monkeypatch.setenv("SINHKE_DATABASE__URL", "postgresql+asyncpg://db/sinhke")
    monkeypatch.setenv("SINHKE_TELEGRAM__TOKEN", "123:hunter2")
    settings = load_settings(path)
    assert settings.database.url == "postgresql+asyncpg://db/sinhke"
    assert settings.database.echo is True  # the rest of the section stays
    assert settings.telegram.token.get_secret_value() == "123:hunter2"
    assert "hunter2" not in repr(settings) and "hunter2" not in str(settings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[database]\nurll = 1\n", "[database] urll: unknown key"),
        ('[alerts]\ninactive_days = "x"\n', "[alerts] inactive_days:"),
        ("[nosuch]\na = 1\n", "nosuch: unknown key"),
        ("[database\n", "not valid TOML"),
    ],
)
def test_bad_config_is_one_clear_line(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert str(path) in message and expected in message
    assert "\n" not in message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.toml")
