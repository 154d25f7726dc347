"""Issue 20, item 1: the files the README's "Deploying" names are right: the compose file
and the systemd unit parse and say what the guide says, the Dockerfile copies files that
exist, the proxy examples pass on the webhook paths and ports the bot listens on, the
constraints pin what the tests run with, and the wheel installs in a fresh virtualenv
without the checkout and runs.  (Docker itself is not run here: there is no engine.)"""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
import yaml

from bot.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def test_compose_has_the_bot_postgresql_a_volume_and_a_healthcheck() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"db", "migrate", "bot"}
    assert "db-data:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "db-data" in compose["volumes"]
    bot = services["bot"]
    assert bot["command"] == ["sinhke", "run"]
    assert bot["restart"] == "unless-stopped"
    assert bot["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["migrate"]["command"] == ["sinhke", "db", "upgrade"]
    check = " ".join(bot["healthcheck"]["test"])
    assert f"127.0.0.1:{Settings().ops.port}/healthz" in check
    assert "127.0.0.1:9108:9108" in bot["ports"]  # never published beyond the host
    url = bot["environment"]["SINHKE_DATABASE__URL"]
    assert url.startswith("postgresql+asyncpg://sinhke:") and url.endswith("@db/sinhke")
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])


def test_the_dockerfile_copies_files_that_exist() -> None:
    lines = (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    copies = [shlex.split(line)[1:-1] for line in lines if line.startswith("COPY ")]
    sources = [s for copy in copies if not copy[0].startswith("--from") for s in copy]
    assert "deploy/constraints.txt" in sources and "migrations" in sources
    for source in sources:
        assert (ROOT / source).exists(), source
    text = "\n".join(lines)
    assert 'CMD ["sinhke", "run"]' in text
    assert "/healthz" in text.split("HEALTHCHECK", 1)[1]
    assert "postgresql-client" in text  # pg_dump for `sinhke backup`


def test_the_systemd_unit_parses_and_restarts_on_failure_and_at_boot() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(DEPLOY / "sinhke.service", encoding="utf-8")
    service = unit["Service"]
    assert service["ExecStart"].endswith("/bin/sinhke run")
    assert service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM"
    assert service["RestartPreventExitStatus"] == "2"  # a bad configuration: no loop
    assert unit["Install"]["WantedBy"] == "multi-user.target"
    assert "network-online.target" in unit["Unit"]["After"]


@pytest.mark.parametrize("proxy", ["Caddyfile", "nginx.conf"])
def test_the_proxy_examples_pass_on_the_webhooks(proxy: str) -> None:
    lines = (DEPLOY / proxy).read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    defaults = Settings()
    for hook in (defaults.telegram.webhook, defaults.zalo.webhook):
        path_at = text.index(hook.path)
        assert f"127.0.0.1:{hook.port}" in text[path_at : path_at + 120]
    assert "/healthz" not in text and "9108" not in text  # ops stays private


def test_the_constraints_pin_the_installed_runtime() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "constraints.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
    pinned = (DEPLOY / "constraints.txt").read_text(encoding="utf-8")
    for tool in ("pytest", "ruff", "mypy", "hypothesis"):
        assert f"\n{tool}==" not in pinned


@pytest.mark.slow
def test_the_wheel_installs_in_a_fresh_virtualenv_and_runs(tmp_path: Path) -> None:
    """Offline: the wheel is built without isolation, installed without dependencies into
    a fresh virtualenv that borrows this one's (pinned) packages, and run from elsewhere."""
    # Built from a copy: setuptools writes build/ and *.egg-info into the source tree, and
    # CI runs the suite on SQLite and PostgreSQL at the same time from one checkout.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "*.egg-info", "data", "artifacts", "__pycache__",
        ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis"))  # fmt: skip
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "--no-index", "--wheel-dir", str(wheels), str(source)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    [wheel] = wheels.glob("sinhke_bot-*.whl")
    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=True)
    python = fresh / "bin" / "python"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-index", "--no-deps", str(wheel)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    # The dependencies: this virtualenv's, after the fresh one's own (which has the bot).
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    Path(site, "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    elsewhere = tmp_path / "srv"
    elsewhere.mkdir()
    sinhke = str(fresh / "bin" / "sinhke")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, cwd=elsewhere, capture_output=True, text=True, timeout=120,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        )  # fmt: skip

    helped = run(sinhke, "--help")
    assert helped.returncode == 0, helped.stderr
    assert "backup" in helped.stdout and "check" in helped.stdout
    where = run(str(python), "-c", "import bot; print(bot.__file__)")
    assert where.stdout.startswith(str(fresh)), where.stdout  # not the checkout
    config = elsewhere / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite+aiosqlite:///{elsewhere}/sinhke.db"\n')
    upgraded = run(sinhke, "--config", str(config), "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr  # the migrations are in the wheel
    content = run(sinhke, "content", "check")
    assert content.returncode == 0, content.stdout + content.stderr  # the articles too
    english = run(
        str(python), "-c",
        "from bot.i18n import translator; print(translator('en')._('Cách dùng'))",
    )  # fmt: skip
    assert english.returncode == 0, english.stderr
    catalog = run(str(python), "-c", "from bot.i18n import LOCALES_DIR; print(LOCALES_DIR)")
    assert Path(catalog.stdout.strip(), "en", "LC_MESSAGES", "messages.po").exists()
