"""A Telegram Bot API stand-in for end-to-end tests of python-telegram-bot applications.

Usage::

    standin = BotApiStandIn(token="123456:" + "A" * 35, username="lateral_screener_bot")
    await standin.start()
    app = ApplicationBuilder().token(standin.token).base_url(standin.base_url) \\
        .base_file_url(standin.base_file_url).build()

See ``standin.py`` for the test-side API and ``README.md`` for the deviations from the
real service.
"""

from .errors import ApiError
from .faults import Fault, FaultKind
from .html_rules import ParsedText, parse_html
from .markdown_rules import parse_markdown_v2
from .params import UploadedFile
from .standin import DEFAULT_TOKEN, BotApiStandIn
from .state import ApiCallRecord, CallbackQueryRecord, StoredDocument, StoredMessage, WebhookConfig
from .text_units import utf16_len
from .webhook import SECRET_HEADER

__all__ = [
    "ApiCallRecord",
    "ApiError",
    "BotApiStandIn",
    "CallbackQueryRecord",
    "DEFAULT_TOKEN",
    "Fault",
    "FaultKind",
    "ParsedText",
    "SECRET_HEADER",
    "StoredDocument",
    "StoredMessage",
    "UploadedFile",
    "WebhookConfig",
    "parse_html",
    "parse_markdown_v2",
    "utf16_len",
]
