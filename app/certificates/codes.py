"""Verification codes: 80 random bits in Crockford's base-32 alphabet, easy to read aloud and
type, with a Luhn mod 32 check character from the same alphabet, so that any single typo
(and most swaps of neighbours) is caught before any lookup."""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DATA_LENGTH = 16  # 16 symbols of 5 bits: 80 bits
_READ_AS = {"O": "0", "I": "1", "L": "1"}


def check_character(symbols: str) -> str:
    """Luhn mod N over the alphabet (N = 32)."""
    total, factor = 0, 2
    for char in reversed(symbols):
        addend = factor * ALPHABET.index(char)
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def new_code() -> str:
    """A fresh code, as stored: 16 symbols and a check character, without separators."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(DATA_LENGTH))
    return symbols + check_character(symbols)


def format_code(code: str) -> str:
    """XXXX-XXXX-XXXX-XXXX-C, for print and for reading aloud."""
    groups = [code[i : i + 4] for i in range(0, DATA_LENGTH, 4)]
    return "-".join(groups + [code[DATA_LENGTH:]])


def normalise_code(typed: str) -> str | None:
    """The stored form of a typed code, or None if it is malformed or its check fails."""
    cleaned = "".join(_READ_AS.get(char, char) for char in typed.upper() if char not in "- \t")
    if len(cleaned) != DATA_LENGTH + 1 or any(char not in ALPHABET for char in cleaned):
        return None
    return cleaned if check_character(cleaned[:DATA_LENGTH]) == cleaned[DATA_LENGTH] else None
