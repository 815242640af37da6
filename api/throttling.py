from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    """Per token, at API_RATE (default 120 a minute). Counted in the cache, so per cache backend."""

    scope = "token"

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}

    def get_rate(self) -> str:
        from django.conf import settings

        return settings.API_RATE
