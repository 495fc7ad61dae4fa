"""Short-lived bearer tokens (JWT, HS256) with joserfc."""

from __future__ import annotations

import time

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

from zhijiao.adapters.crypto import derive_key

ISSUER = "zhijiao"


class TokenService:
    def __init__(self, secret: str, ttl_seconds: int) -> None:
        self._key = OctKey.import_key(derive_key(secret, "access-token-v1"))
        self.ttl = ttl_seconds

    def issue(self, user_id: int) -> str:
        now = int(time.time())
        claims = {"iss": ISSUER, "sub": str(user_id), "iat": now, "exp": now + self.ttl}
        return jwt.encode({"alg": "HS256"}, claims, self._key)

    def user_id(self, token: str) -> int | None:
        """The user the token was issued to, or None if it is malformed, forged or expired."""
        try:
            decoded = jwt.decode(token, self._key, algorithms=["HS256"])
            jwt.JWTClaimsRegistry(iss={"essential": True, "value": ISSUER}, exp={"essential": True}).validate(
                decoded.claims
            )
            return int(decoded.claims["sub"])
        except (JoseError, ValueError, KeyError, TypeError):
            return None
