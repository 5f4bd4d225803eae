"""What the edge reads off a request for the Actor."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The visitor's address. Behind TRUSTED_PROXY_COUNT reverse proxies, each appending to
    X-Forwarded-For, it is the entry that many from the right (entries further left are whatever the
    visitor sent); without the setting, or when that entry is missing or not an address, REMOTE_ADDR."""
    if request is None:
        return None
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(forwarded) >= hops:
            try:
                return str(ipaddress.ip_address(forwarded[-hops].strip()))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None
