"""The bot's HTTP client for the Bot API: python-telegram-bot's `BaseRequest` over aiohttp.

PTB's own `HTTPXRequest` is correct but costly per call: httpx spends about a millisecond of
CPU on each request, and its pool checks every idle connection (a system call each) before
every request. A screening update makes two or three calls, so that was the largest share of
a worker's CPU. This class keeps PTB's contract (`BaseRequest` does the encoding, the
parsing and the Telegram error mapping; this only moves bytes) and HTTPXRequest's behaviour:
the same default timeouts, a longer write timeout for uploads, `TimedOut` for a timeout and
`NetworkError` for any other transport failure. getUpdates (polling) keeps PTB's default.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)

#: HTTPXRequest's defaults, in seconds.
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 5.0
WRITE_TIMEOUT = 5.0
POOL_TIMEOUT = 1.0
MEDIA_WRITE_TIMEOUT = 20.0


class AiohttpRequest(BaseRequest):
    """Bot API calls over one aiohttp session with at most `connections` kept-alive connections
    (a call beyond that waits up to the pool timeout for one)."""

    def __init__(
        self,
        connections: int = 8,
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        write_timeout: float = WRITE_TIMEOUT,
        pool_timeout: float = POOL_TIMEOUT,
        media_write_timeout: float = MEDIA_WRITE_TIMEOUT,
    ) -> None:
        self._connections = connections
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data is not None and request_data.contains_files else None
        fields = request_data.json_parameters if request_data is not None else None
        body: Any = fields
        if files:
            form = aiohttp.FormData()
            for name, value in (fields or {}).items():
                form.add_field(name, value)
            for name, (filename, content, mime_type) in files.items():
                form.add_field(name, content, filename=filename, content_type=mime_type)
            body = form
        # aiohttp has no write timeout of its own: the write and the answer share the read one
        read = _given(read_timeout, self._read_timeout)
        write = _given(write_timeout, self._media_write_timeout if files else self._write_timeout)
        connect = _given(connect_timeout, self._connect_timeout)
        pool = _given(pool_timeout, self._pool_timeout)
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=None if read is None else max(read, write or 0),
        )
        try:
            async with session.request(method, url, data=body, timeout=timeout) as response:
                content = await response.read()
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err
        if log.isEnabledFor(logging.DEBUG):  # as httpx logs it (the token is redacted by bot/logs.py)
            log.debug('HTTP Request: %s %s "HTTP/1.1 %d %s"', method, url, response.status, response.reason or "")
        return response.status, content


def _given(value: ODVInput[float], default: float) -> float | None:
    """The timeout of one call: its own, else this request object's (None: no limit)."""
    if isinstance(value, DefaultValue):
        return default
    return value
