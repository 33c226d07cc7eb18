"""Webhook delivery: POST pending updates to the bot's URL, in order, at least once.

Telegram delivers each update as a JSON POST, adds ``X-Telegram-Bot-Api-Secret-Token`` when a
secret was configured, treats any non-2xx answer or network error as a failure, retries
later and reports the most recent failure in getWebhookInfo.  The stand-in does the same with
a short retry delay, one update at a time, so per-chat order is always preserved.
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus

import aiohttp

from .state import BotState, PendingUpdate, WebhookConfig, now

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookDeliverer:
    """Background task that drains the update queue into the configured webhook."""

    def __init__(self, state: BotState, *, retry_delay: float = 0.2, request_timeout: float = 10.0) -> None:
        self.state = state
        self.retry_delay = retry_delay
        self.request_timeout = request_timeout
        self.attempts: list[tuple[int, int | str]] = []  # (update_id, HTTP status or error)

    def _has_work(self) -> bool:
        return self.state.webhook is not None and bool(self.state.pending_updates())

    async def run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=self.request_timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while True:
                await self.state.wait_for(self._has_work, None)
                hook = self.state.webhook
                assert hook is not None
                update = self.state.pending_updates()[0]
                if await self._deliver(session, hook, update):
                    if self.state.webhook is hook:
                        hook.delivered += 1
                        self.state.confirm_below(update.update_id + 1)
                else:
                    await asyncio.sleep(self.retry_delay)

    async def _deliver(self, session: aiohttp.ClientSession, hook: WebhookConfig, update: PendingUpdate) -> bool:
        headers = {"Content-Type": "application/json"}
        if hook.secret_token:
            headers[SECRET_HEADER] = hook.secret_token
        self.state.in_flight += 1
        self.state.changed()
        error: str | None = None
        try:
            async with session.post(hook.url, json=update.to_api(), headers=headers) as response:
                await response.read()
                self.attempts.append((update.update_id, response.status))
                if not 200 <= response.status < 300:
                    try:
                        phrase = HTTPStatus(response.status).phrase
                    except ValueError:
                        phrase = response.reason or ""
                    error = f"Wrong response from the webhook: {response.status} {phrase}".rstrip()
        except aiohttp.ClientConnectorError:
            error = "Connection refused"
        except TimeoutError:
            error = "Read timeout expired"
        except aiohttp.ClientError as exc:
            error = f"Connection error: {exc.__class__.__name__}"
        finally:
            self.state.in_flight -= 1
            self.state.changed()
        if error is not None:
            if not error.startswith("Wrong response"):  # HTTP answers were logged above
                self.attempts.append((update.update_id, error))
            hook.last_error_date = now()
            hook.last_error_message = error
            return False
        return True
