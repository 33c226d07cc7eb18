"""A way for a recruiter to reach the applicant: an e-mail address or a phone number.

Phone numbers keep their digits (and a leading +); U.S. numbers need 10 digits (11 with
the leading 1), international ones 8-15. No "not sure" here: the applicant can skip.
"""

from __future__ import annotations

import re

from dialogs.reading.text import Parsed, Reading, Reask, clean

_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}$")
_PHONE_CHARS = re.compile(r"^\+?[0-9\s().-]{7,25}$")


def normalise_phone(text: str) -> str | None:
    """ "+1 (205) 555-0100", "205.555.0100" -> "+12055550100"; None if not a phone number."""
    candidate = text.strip()
    if not _PHONE_CHARS.match(candidate):
        return None
    digits = re.sub(r"[^0-9]", "", candidate)
    if candidate.startswith("+"):
        ok = 8 <= len(digits) <= 15 and not (digits.startswith("1") and len(digits) != 11)
        return "+" + digits if ok else None
    if len(digits) == 10 or (len(digits) == 11 and digits.startswith("1")):
        return "+1" + digits[-10:]
    return None


def read_contact(text: str) -> Reading:
    candidate = clean(text).rstrip(".")
    if not candidate:
        return Reask("contact_unreadable", {})
    if "@" in candidate:
        if _EMAIL.match(candidate) and len(candidate) <= 254:
            return Parsed(candidate.lower())
        return Reask("contact_unreadable", {})
    phone = normalise_phone(candidate)
    return Parsed(phone) if phone else Reask("contact_unreadable", {})
