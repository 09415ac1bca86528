"""Configuration, read once from the environment (prefix CCHC_) and `.env`, then passed on."""

from __future__ import annotations

import os
import tomllib
from functools import cached_property
from ipaddress import ip_network
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from domain.calendar import WorkingCalendar
from domain.policy import Policy, PolicyError, policy_from_mapping

PREFIX = "CCHC_"
ENV_FILE = Path(".env")


class Settings(BaseModel):
    """`Settings()` reads the environment (CCHC_DATABASE_URL, …, whatever the case of the
    name), then `.env` in the working directory for what the environment does not set; values
    given as arguments win over both."""

    model_config = ConfigDict(extra="ignore")

    database_url: str = "sqlite:///cchc.db"
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    # Seconds an SMTP server may take to answer one command before the notice is deferred.
    smtp_timeout: float = Field(default=30.0, gt=0)
    # A notice claimed longer ago than this belongs to a sender that died; another takes it.
    claim_lease_seconds: int = Field(default=900, ge=1)
    # Digests go out over this many connections at once (a relay's own limit may be lower).
    smtp_connections: int = Field(default=4, ge=1)
    mail_from: str = "cchc@localhost.localdomain"
    maildir: Path = Path("outbox")
    timezone: str = "Asia/Ho_Chi_Minh"
    policy_file: Path | None = None
    # The units' pages (`cchc web`): the address e-mails link to (as the units reach it, e.g.
    # https://cchc.example.gov.vn behind the reverse proxy), the key that signs links and
    # sessions (digests carry no link without both), and where attachments are kept.
    base_url: str | None = None
    secret_key: SecretStr | None = None
    upload_dir: Path = Path("uploads")
    # The proxies (IPs or CIDRs, comma-separated, as uvicorn's forwarded_allow_ips) whose
    # X-Forwarded-For names the client; from anyone else the header is ignored. None by default.
    trusted_proxies: str = ""
    # `cchc serve`'s log: its own lines, and those of the web server and the scheduler beneath.
    log_file: Path = Path("cchc.log")
    # How often the web process sends what its pages queued (decisions, fresh links).
    web_dispatch_seconds: float = Field(default=60.0, gt=0)
    # Prefect's own setting: when a Prefect server is configured, commands such as an import
    # publish their events to it at once.
    prefect_api_url: str | None = Field(default=None, validation_alias="PREFECT_API_URL")
    # The background Prefect server a command starts when none answers stops itself after this
    # many minutes without a request.
    prefect_idle_minutes: float = Field(default=15.0, gt=0)

    def __init__(self, **values: Any) -> None:
        super().__init__(**{**_environment(), **values})

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"không có múi giờ {value!r} (ví dụ Asia/Ho_Chi_Minh)") from None
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_addresses(cls, value: str) -> str:
        for entry in _entries(value):
            try:
                ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"không phải địa chỉ IP hay dải CIDR: {entry!r} (vd. "
                                 "127.0.0.1,10.0.0.0/8)") from None
        return value

    @property
    def trusted_proxy_list(self) -> list[str]:
        return _entries(self.trusted_proxies)

    @property
    def zone(self) -> ZoneInfo:
        """The zone every time shown to a person is written in."""
        return ZoneInfo(self.timezone)

    @cached_property
    def policy(self) -> Policy:
        if self.policy_file is None:
            return Policy()
        return load_policy(self.policy_file)

    @cached_property
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar(self.policy.calendar)

    def with_changes(self, **changes: Any) -> Settings:
        """These settings with some changed (the demo's own database and outbox, say). What was
        derived from the old ones (the policy, its calendar) is derived again when asked."""
        changed = self.model_copy(update=changes)
        for derived in ("policy", "calendar"):
            changed.__dict__.pop(derived, None)
        return changed


def _entries(text: str) -> list[str]:
    return [entry.strip() for entry in text.split(",") if entry.strip()]


def _environment() -> dict[str, str | None]:
    """The settings the environment and `.env` give, keyed as `Settings` takes them.

    Read here rather than by pydantic-settings, whose import (sources for command lines, cloud
    secret stores, …) costs a fiftieth of a second of every command's start beyond what these
    few lines do."""
    keys = {}  # variable name, lower case → the key Settings takes
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias  # PREFECT_API_URL: Prefect's own variable
        keys[(alias or PREFIX + name).lower()] = alias or name
    found: dict[str, str | None] = {}
    if ENV_FILE.is_file():
        from dotenv import dotenv_values

        found |= _known(dotenv_values(ENV_FILE, encoding="utf-8"), keys)
    return found | _known(os.environ, keys)


def _known(variables, keys: dict[str, str]) -> dict[str, str | None]:
    return {keys[name.lower()]: value for name, value in variables.items()
            if name.lower() in keys}


def load_policy(path: Path) -> Policy:
    """Read a TOML (.toml) or YAML (.yaml, .yml) policy file; refuse it whole if anything is
    wrong, naming the key."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise PolicyError(source, "(tệp)", f"không đọc được: {error.strerror}") from error
    suffix = Path(path).suffix.lower()
    try:
        if suffix == ".toml":
            data = tomllib.loads(raw.decode("utf-8"))
        elif suffix in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(raw) or {}
        else:
            raise PolicyError(source, "(tệp)", "chỉ nhận tệp .toml, .yaml hoặc .yml")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PolicyError(source, "(cú pháp)", str(error)) from error
    except Exception as error:  # yaml.YAMLError, imported lazily
        if isinstance(error, PolicyError):
            raise
        raise PolicyError(source, "(cú pháp)", str(error)) from error
    if not isinstance(data, dict):
        raise PolicyError(source, "(tệp)", "cần một bảng khóa = giá trị ở cấp cao nhất")
    return policy_from_mapping(data, source)
