"""Issue 20, the security review: each finding with the test that failed before its fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


# High: Telegram's webhook mode must not start without a secret ---------------------------


@pytest.mark.parametrize("secret", ["", "has space", "x" * 257, "ký-tự"])
def test_telegram_webhook_refuses_to_start_without_a_valid_secret(
    tmp_path: Path, secret: str
) -> None:
    path = write(
        tmp_path,
        f'[telegram]\nmode = "webhook"\n[telegram.webhook]\nsecret = "{secret}"\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert "telegram" in message and "secret" in message
    assert "\n" not in message


@pytest.mark.parametrize("secret", ["a", "webhook-secret_123", "Z" * 256])
def test_telegram_webhook_starts_with_a_secret(tmp_path: Path, secret: str) -> None:
    path = write(
        tmp_path,
        f'[telegram]\nmode = "webhook"\n[telegram.webhook]\nsecret = "{secret}"\n',
    )
    assert load_settings(path).telegram.webhook.secret.get_secret_value() == secret


def test_telegram_polling_needs_no_secret(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path, "[telegram]\n")).telegram.mode == "polling"


def test_sinhke_run_in_webhook_mode_without_a_secret_exits_2(tmp_path: Path) -> None:
    path = write(tmp_path, '[telegram]\ntoken = "1:x"\nmode = "webhook"\n')
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(path), "run"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "secret" in done.stderr
    assert "Traceback" not in done.stderr
