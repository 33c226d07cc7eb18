"""Injected failures: flood control, server errors, hanging and dropped connections.

Production bots meet these on api.telegram.org every day; a stand-in that never fails would
let retry/back-off code go untested.  A fault is matched by method name (case-insensitive)
and optionally ``chat_id``, fires ``times`` times and is then used up.  A faulted request is
*not* executed (the bot's action did not happen), which is the conservative reading of a 5xx
or a lost connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

FaultKind = Literal["429", "500", "timeout", "drop_connection"]
FAULT_KINDS: tuple[str, ...] = ("429", "500", "timeout", "drop_connection")


@dataclass
class Fault:
    """One armed fault.

    ``hold_seconds`` applies to ``timeout``: the request is held that long (or until the
    stand-in stops) and then the connection is closed without a response, so the client's
    read timeout fires first.
    """

    method: str
    kind: FaultKind
    times: int = 1
    retry_after: int = 1
    chat_id: int | str | None = None
    hold_seconds: float = 30.0
    fired: int = 0

    @property
    def exhausted(self) -> bool:
        return self.fired >= self.times

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.exhausted or self.method.lower() != method.lower():
            return False
        if self.chat_id is None:
            return True
        return str(params.get("chat_id")) == str(self.chat_id)


class FaultRegistry:
    """Armed faults, consulted once per incoming request, first match wins."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}; expected one of {FAULT_KINDS}")
        if fault.times < 1:
            raise ValueError("times must be >= 1")
        self.faults.append(fault)
        return fault

    def take(self, method: str, params: dict[str, Any]) -> Fault | None:
        """Return the first matching fault and count it as fired."""
        for fault in self.faults:
            if fault.matches(method, params):
                fault.fired += 1
                return fault
        return None

    def clear(self) -> None:
        self.faults.clear()

    @property
    def pending(self) -> list[Fault]:
        return [f for f in self.faults if not f.exhausted]
