"""SMS as an adapter: `sms_backend()` is the one settings.SMS_BACKEND names.

- `FileSmsBackend` (the default): writes each SMS to a file in SMS_FILE_PATH; delivered at once.
- `HttpGatewaySmsBackend`: POSTs JSON to SMS_GATEWAY_URL with SMS_GATEWAY_TOKEN as a bearer token,
  waiting at most SMS_GATEWAY_TIMEOUT seconds. 2xx: accepted, the delivery report comes later to the
  signed receipt endpoint; 5xx, a timeout or a refused connection: a temporary failure (retried);
  another 4xx: a permanent one (not retried). 429 (the gateway's rate limit) is temporary.
"""

from __future__ import annotations

import contextlib
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    pass


class SmsTemporaryFailure(SmsError):
    pass


class SmsPermanentFailure(SmsError):
    pass


@dataclass(frozen=True, slots=True)
class SmsAccepted:
    delivered: bool  # True: done now; False: the gateway reports delivery later (a receipt)
    provider_reference: str = ""


class SmsBackend:
    def send(self, *, to: str, text: str, reference: str) -> SmsAccepted:  # pragma: no cover - interface
        raise NotImplementedError


class FileSmsBackend(SmsBackend):
    """Development and tests: one file per SMS in SMS_FILE_PATH."""

    def send(self, *, to: str, text: str, reference: str) -> SmsAccepted:
        directory = Path(settings.SMS_FILE_PATH)
        directory.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
        (directory / f"{stamp}-{reference}.txt").write_text(f"To: {to}\n\n{text}\n", encoding="utf-8")
        return SmsAccepted(delivered=True, provider_reference=reference)


class ConsoleSmsBackend(SmsBackend):
    def send(self, *, to: str, text: str, reference: str) -> SmsAccepted:
        logger.info("SMS to %s (%s): %s", to, reference, text)
        return SmsAccepted(delivered=True, provider_reference=reference)


class HttpGatewaySmsBackend(SmsBackend):
    def __init__(self, url: str | None = None, token: str | None = None, timeout: float | None = None):
        self.url = url if url is not None else settings.SMS_GATEWAY_URL
        self.token = token if token is not None else settings.SMS_GATEWAY_TOKEN
        self.timeout = timeout if timeout is not None else settings.SMS_GATEWAY_TIMEOUT
        if not self.url.startswith(("https://", "http://")):
            raise SmsPermanentFailure("SMS_GATEWAY_URL is not an http(s) address")

    def send(self, *, to: str, text: str, reference: str) -> SmsAccepted:
        payload = json.dumps({"to": to, "text": text, "reference": reference}).encode()
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=payload,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  # nosec B310
                answer = response.read(10_000)
        except urllib.error.HTTPError as error:
            if error.code >= 500 or error.code in (408, 429):
                raise SmsTemporaryFailure(f"gateway answered {error.code}") from None
            raise SmsPermanentFailure(f"gateway answered {error.code}") from None
        except (TimeoutError, OSError) as error:  # a timeout, a refused or dropped connection
            raise SmsTemporaryFailure(f"gateway unreachable: {type(error).__name__}: {error}") from None
        provider_reference = ""
        with contextlib.suppress(ValueError, AttributeError):
            provider_reference = str(json.loads(answer or b"{}").get("id", ""))[:100]
        return SmsAccepted(delivered=False, provider_reference=provider_reference)


def sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()
