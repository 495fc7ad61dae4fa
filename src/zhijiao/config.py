"""Settings in one place. Nothing else in the code reads os.environ."""

from __future__ import annotations

from functools import lru_cache

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_SECRET = "zhijiao-demo-secret-not-for-production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZHIJIAO_", env_file=None, extra="ignore")

    database_url: str = "sqlite:///./zhijiao.db"
    secret_key: SecretStr = SecretStr("")
    demo: bool = False
    token_ttl_minutes: int = 60
    principal_cache_seconds: float = 5.0  # a deactivated user loses API access within this (0: no cache)
    base_url: str = "http://127.0.0.1:8000"
    upload_max_bytes: int = 50 * 1024 * 1024  # largest spreadsheet accepted for import
    conversion_review_working_days: int = 15  # 学分兑换申请的审核时限（工作日）
    # the ledger's checkpoints (signed tree heads): origin line and key name; empty → "<base_url host>/ledger"
    ledger_origin: str = ""
    # base64 of a 32-byte Ed25519 seed; empty → derived from the secret key (HKDF label "ledger-checkpoint-v1")
    ledger_key: SecretStr = SecretStr("")
    ledger_checkpoint_seconds: int = 3600  # a write takes a checkpoint when the last is older than this

    @model_validator(mode="after")
    def _secret_required_outside_demo(self) -> Settings:
        secret = self.secret_key.get_secret_value()
        if self.demo and not secret:
            self.secret_key = SecretStr(DEMO_SECRET)
        elif not secret:
            raise ValueError("必须设置 ZHIJIAO_SECRET_KEY（演示模式 ZHIJIAO_DEMO=1 除外）")
        elif not self.demo and (secret == DEMO_SECRET or len(secret) < 32):
            raise ValueError("ZHIJIAO_SECRET_KEY 过短或为演示占位值：生产环境须使用至少32个字符的随机密钥")
        return self

    @property
    def ledger_origin_line(self) -> str:
        if self.ledger_origin:
            return self.ledger_origin
        host = self.base_url.split("://", 1)[-1].split("/", 1)[0]
        return f"{host}/ledger"


@lru_cache
def get_settings() -> Settings:
    return Settings()
