"""Configuration: ``config.toml`` overridden by ``SINHKE_<SECTION>__<KEY>`` variables.

A bad configuration stops the program with one line naming the file, the key and the
problem (:class:`ConfigError`); secrets are :class:`SecretStr` and never printed.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import date, time
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

DEFAULT_CONFIG = Path("config.toml")
ENV_CONFIG = "SINHKE_CONFIG"


class ConfigError(Exception):
    """A configuration problem, already phrased as the one line to show."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DatabaseConfig(_Section):
    # Relative SQLite paths are resolved against the working directory.
    url: str = "sqlite+aiosqlite:///data/sinhke.db"
    echo: bool = False
    # Seconds the database may be unreachable (or its disk full) before each chat with a
    # message waiting is told once that it is kept and will be answered late.
    outage_notice_after: float = Field(default=30.0, gt=0)


class WebhookConfig(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    path: str = "/webhook"
    secret: SecretStr = SecretStr("")
    public_url: str = ""


# Each platform's webhook has its own defaults as a class of its own: a default given as
# an instance (WebhookConfig(path=...)) was lost as soon as one key of the section was set
# (in the file or SINHKE_TELEGRAM__WEBHOOK__SECRET), and the path fell back to /webhook.
class TelegramWebhookConfig(WebhookConfig):
    path: str = "/telegram"


class ZaloWebhookConfig(WebhookConfig):
    path: str = "/zalo"
    port: int = Field(default=8082, ge=1, le=65535)  # beside Telegram's 8080


_TELEGRAM_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class TelegramConfig(_Section):
    token: SecretStr = SecretStr("")
    api_base: str = ""
    mode: Literal["polling", "webhook"] = "polling"
    webhook: TelegramWebhookConfig = TelegramWebhookConfig()
    # Telegram allows about 30 messages a second in all; a little under it keeps clear of
    # 429 (bench/broadcast.py: 28 gave 26.8 msg/s sustained and no 429 at all).
    rate_global: float = Field(default=29.0, gt=0)
    rate_per_chat: float = Field(default=1.0, gt=0)
    # Seconds Telegram may take to answer a request; a getUpdates long poll waits
    # poll_timeout seconds more.  A send must give up well before the sender's 30 s claim
    # on it runs out (bot.core.sender.CLAIM_LEASE).
    request_timeout: int = Field(default=15, ge=1, le=20)
    poll_timeout: int = Field(default=25, ge=1, le=50)

    @model_validator(mode="after")
    def _webhook_secret(self) -> TelegramConfig:
        # Without a secret anyone who finds the webhook could post forged updates (a notice
        # "from" an officer, a wipe); Telegram's secret_token is 1-256 of A-Z a-z 0-9 _ -.
        secret = self.webhook.secret.get_secret_value()
        if self.mode == "webhook" and not _TELEGRAM_SECRET.fullmatch(secret):
            raise ValueError(
                "webhook mode needs [telegram.webhook] secret: 1 to 256 characters "
                "of A-Z, a-z, 0-9, _ and -"
            )
        return self


class ZaloConfig(_Section):
    token: SecretStr = SecretStr("")
    api_base: str = "https://bot-api.zaloplatforms.com"
    mode: Literal["polling", "webhook"] = "polling"
    webhook: ZaloWebhookConfig = ZaloWebhookConfig()
    monthly_quota: int = Field(default=3000, ge=0)  # 0: no quota to watch
    # Where Zalo fetches the photos and files the bot sends (Zalo takes URLs, not
    # uploads); empty: attachments are described in text instead.
    public_base_url: str = ""
    # The small file server of polling mode (webhook mode serves files on the webhook).
    files_host: str = "127.0.0.1"
    files_port: int = Field(default=8081, ge=1, le=65535)
    rate_global: float = Field(default=10.0, gt=0)
    rate_per_chat: float = Field(default=1.0, gt=0)

    @model_validator(mode="after")
    def _webhook_secret(self) -> ZaloConfig:
        # Zalo's setWebhook takes a secret of 8 to 256 characters, and without one any
        # stranger could post updates to the webhook.
        secret = self.webhook.secret.get_secret_value()
        if self.mode == "webhook" and not 8 <= len(secret) <= 256:
            raise ValueError("webhook mode needs webhook.secret of 8 to 256 characters")
        return self


class PovertyLine(_Section):
    valid_from: date
    valid_to: date | None = None
    decree: str
    rural: int = Field(gt=0)
    urban: int = Field(gt=0)


def _default_poverty_lines() -> list[PovertyLine]:
    return [
        PovertyLine(
            valid_from=date(2022, 1, 1),
            valid_to=date(2026, 12, 31),
            decree="07/2021/NĐ-CP",
            rural=1_500_000,
            urban=2_000_000,
        ),
        PovertyLine(
            valid_from=date(2027, 1, 1), decree="351/2025/NĐ-CP", rural=2_200_000, urban=2_800_000
        ),
    ]


class ProgrammeConfig(_Section):
    name: str = "Đề án đa dạng sinh kế"
    timezone: str = "Asia/Ho_Chi_Minh"
    default_locale: Literal["vi", "en"] = "vi"
    consent_version: str = "2026-11"
    max_contacts_per_household: int = Field(default=3, ge=1)
    amount_ceiling: int = Field(default=500_000_000, gt=0)
    # Information articles (Markdown); empty means the content/ folder shipped with the bot.
    content_dir: str = ""
    # How soon a household's request for help is answered, as the household is told.
    case_answer_days: int = Field(default=2, ge=1)
    # A month still running is judged against the poverty line only from this day of it:
    # two days of a diary say nothing about a month's income.
    poverty_verdict_days: int = Field(default=10, ge=1, le=28)
    poverty_lines: list[PovertyLine] = Field(default_factory=_default_poverty_lines)


class AlertsConfig(_Section):
    inactive_days: int = Field(default=7, ge=1)
    deficit_months: int = Field(default=2, ge=1)
    loan_misuse_share: float = Field(default=0.5, gt=0, le=1)
    income_drop_share: float = Field(default=0.5, gt=0, le=1)
    escalate_after_hours: int = Field(default=48, ge=1)
    digest_time: time = time(7, 30)
    # Words that alert the officer at once, beyond bot/language/talk.toml's [distress].
    urgent_words: list[str] = Field(default_factory=list)
    # Urgent messages of a household within this many minutes of its last urgent alert, still
    # open, join that alert instead of pushing another (0: every message raises its own).
    urgent_fold_minutes: int = Field(default=60, ge=0)


class RemindersConfig(_Section):
    default_time: time = time(19, 0)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(6, 0)
    weekly_weekday: int = Field(default=6, ge=0, le=6)  # Monday = 0
    loan_days_before: list[int] = Field(default_factory=lambda: [3, 1])
    report_due_day: int = Field(default=5, ge=1, le=28)
    open_alert_days: int = Field(default=3, ge=1)
    # Officers' reminders (meetings, the report's due day) go out at this local time.
    officer_time: time = time(7, 0)
    meeting_days_before: int = Field(default=3, ge=1, le=14)
    # A household not heard from for this many days is named in its officer's digest.
    silent_days: int = Field(default=30, ge=7)


class InvitesConfig(_Section):
    ttl_days: int = Field(default=60, ge=1)
    max_wrong_per_hour: int = Field(default=5, ge=1)
    # Invite codes are stored as an HMAC with this secret (SINHKE_INVITES__SECRET; keep it
    # out of the database and its backups); empty: a plain hash, as before.
    secret: SecretStr = SecretStr("")


class SchedulerConfig(_Section):
    # Only one process of a deployment may run the scheduler (see README).
    enabled: bool = True
    # A tick delayed or missed (a restart, a busy loop) still runs this late; a reminder
    # whose time passed unsent goes out within this many hours outside quiet hours.
    misfire_grace_hours: int = Field(default=6, ge=1, le=24)


class OpsConfig(_Section):
    # GET /healthz and GET /metrics (Prometheus) of `sinhke run`; port 0: any free port
    # (the log says which).  Keep it on localhost or a private network: it needs no token.
    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = Field(default=9108, ge=0, le=65535)


class WebConfig(_Section):
    # The officers' web page (bot.web): served by `sinhke run` when enabled, or alone by
    # `sinhke web`.  public_url is where officers' browsers reach it (the /web links);
    # an https one makes the session cookie Secure.
    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = Field(default=8090, ge=0, le=65535)
    public_url: str = "http://127.0.0.1:8090"
    link_minutes: int = Field(default=10, ge=1, le=60)
    session_hours: int = Field(default=12, ge=1, le=24 * 7)
    # The month's income figures of an area are added up at most this often (seconds).
    figures_seconds: int = Field(default=300, ge=0)


class RetentionConfig(_Section):
    # What households wrote (inbound payloads) and what the bot sent back (outbox texts,
    # which repeat the sums) is redacted after this many days; the rows stay, so the
    # diary's links to its messages and a notice's sent/failed counts are kept.
    redact_after_days: int = Field(default=90, ge=1)
    # Rows no diary entry or notice needs are deleted after this many days; 0: never.
    delete_after_days: int = Field(default=400, ge=0)
    # The local time the scheduler does it, once a day.
    run_at: time = time(3, 30)

    @model_validator(mode="after")
    def _delete_after_redact(self) -> RetentionConfig:
        if self.delete_after_days and self.delete_after_days < self.redact_after_days:
            raise ValueError("delete_after_days must be 0 or at least redact_after_days")
        return self


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SINHKE_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    database: DatabaseConfig = DatabaseConfig()
    telegram: TelegramConfig = TelegramConfig()
    zalo: ZaloConfig = ZaloConfig()
    programme: ProgrammeConfig = ProgrammeConfig()
    alerts: AlertsConfig = AlertsConfig()
    reminders: RemindersConfig = RemindersConfig()
    invites: InvitesConfig = InvitesConfig()
    scheduler: SchedulerConfig = SchedulerConfig()
    ops: OpsConfig = OpsConfig()
    retention: RetentionConfig = RetentionConfig()
    web: WebConfig = WebConfig()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The file's values come in as init arguments; the environment wins over them.
        return (env_settings, init_settings)


def config_path(explicit: Path | None) -> Path:
    """The config file to read: ``--config``, else ``$SINHKE_CONFIG``, else ``./config.toml``."""
    if explicit is not None:
        return explicit
    return Path(os.environ.get(ENV_CONFIG) or DEFAULT_CONFIG)


def load_settings(path: Path, *, required: bool = True) -> Settings:
    """Read ``path`` and the environment; raise :class:`ConfigError` with one clear line.

    With ``required=False`` a missing file means the built-in defaults (the same as the
    shipped config.toml), so the demo runs anywhere.
    """
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if not required:
            data = {}
        else:
            raise ConfigError(
                f"{path}: config file not found (use --config or {ENV_CONFIG})"
            ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        return Settings(**data)
    except ValidationError as exc:
        raise ConfigError(_describe(path, exc)) from None


def _describe(path: Path, exc: ValidationError) -> str:
    error = exc.errors()[0]
    loc = [str(part) for part in error["loc"]]
    key = f"[{loc[0]}] {'.'.join(loc[1:])}" if len(loc) > 1 else loc[0] if loc else "?"
    problem = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
    problem = problem.removeprefix("Value error, ")  # a validator's own sentence
    more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    return f"{path}: {key}: {problem}{more}"
