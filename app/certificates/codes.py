"""Verification codes: 80 random bits in Crockford's base32, read aloud and typed easily,
with Crockford's check character so that a typo is caught before any lookup."""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_SYMBOLS = ALPHABET + "*~$=U"
DATA_LENGTH = 16  # 16 symbols of 5 bits: 80 bits
_READ_AS = {"O": "0", "I": "1", "L": "1"}


def new_code() -> str:
    """A fresh code, as stored: 16 symbols and a check character, without separators."""
    value = secrets.randbits(5 * DATA_LENGTH)
    symbols = "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(DATA_LENGTH)))
    return symbols + CHECK_SYMBOLS[value % 37]


def format_code(code: str) -> str:
    """XXXX-XXXX-XXXX-XXXX-C, for print and for reading aloud."""
    groups = [code[i : i + 4] for i in range(0, DATA_LENGTH, 4)]
    return "-".join(groups + [code[DATA_LENGTH:]])


def normalise_code(typed: str) -> str | None:
    """The stored form of a typed code, or None if it is malformed or its check fails."""
    cleaned = "".join(char for char in typed.upper() if char not in "- \t")
    cleaned = (
        "".join(_READ_AS.get(char, char) for char in cleaned[:DATA_LENGTH]) + cleaned[DATA_LENGTH:]
    )
    if len(cleaned) != DATA_LENGTH + 1 or any(c not in ALPHABET for c in cleaned[:DATA_LENGTH]):
        return None
    value = 0
    for char in cleaned[:DATA_LENGTH]:
        value = value * 32 + ALPHABET.index(char)
    return cleaned if CHECK_SYMBOLS[value % 37] == cleaned[DATA_LENGTH] else None
