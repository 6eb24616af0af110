"""Reading a number as people write it in a filled template: `1.234,5`, `1 234,5`, `1,234.5`, `85 %`.

Thousands may be separated by a space, a no-break space, `.` or `,`; the decimal separator
is `,` or `.`; a trailing `%` is allowed in percentage indicators. A number whose only separator
is a single `,` or `.` followed by exactly three digits, with 1–3 digits (not starting with 0)
before it, is AMBIGUOUS (`1,234`): `scan_number` says so, and the file reader
(`pnmce.data.filled`) decides from the file's other numbers or refuses the cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pnmce.data.observed import plain_number as _plain

_SPACES = " \u00a0\u202f\u2009"



class NumberError(ValueError):
    """A cell that is not a readable number; the message is the Spanish reason."""


@dataclass(frozen=True)
class ParsedNumber:
    value: float | None              # None when ambiguous
    evidence: str | None = None      # the decimal separator this text proves, if any
    percent: bool = False
    as_thousands: float | None = None  # readings of an ambiguous number
    as_decimal: float | None = None
    ambiguous_separator: str | None = None

    def resolve(self, decimal: str | None) -> float | None:
        """The value, using the file's decimal separator for an ambiguous text."""
        if self.value is not None:
            return self.value
        if decimal is None:
            return None
        sep = self.ambiguous_separator
        return self.as_decimal if decimal == sep else self.as_thousands


def _groups_ok(integer: str, sep: str) -> bool:
    parts = integer.split(sep)
    return (bool(re.fullmatch(r"\d{1,3}", parts[0]))
            and all(re.fullmatch(r"\d{3}", p) for p in parts[1:]))


def scan_number(text: str) -> ParsedNumber:
    """Read a number written by a person (see the module docstring); NumberError if not one."""
    s = str(text).strip()
    percent = s.endswith("%")
    if percent:
        s = s[:-1].rstrip()
    sign = 1.0
    if s[:1] in ("-", "\u2212"):
        sign, s = -1.0, s[1:].lstrip()
    elif s[:1] == "+":
        s = s[1:].lstrip()
    for ch in _SPACES:
        s = s.replace(ch, " ")
    if not s or not re.fullmatch(r"[0-9., ]+", s) or not re.search(r"\d", s):
        raise NumberError("se esperaba un número")
    bad = NumberError("número mal escrito (revise los separadores de miles y decimales)")
    has_space = " " in s
    if has_space and not re.fullmatch(r"\d+( \d+)*([.,]\d+)?", s):
        raise bad
    dots, commas = s.count("."), s.count(",")

    def make(integer: str, frac: str, evidence: str | None, sep: str | None) -> ParsedNumber:
        if sep and not _groups_ok(integer, sep):
            raise bad
        digits = integer.replace(sep or "", "") or "0"
        value = float(digits + ("." + frac if frac else ""))
        return ParsedNumber(sign * value, evidence, percent)

    if dots and commas:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        thousands = "," if dec == "." else "."
        if has_space or s.count(dec) != 1:
            raise bad
        integer, frac = s.split(dec)
        if not frac.isdigit():
            raise bad
        return make(integer, frac, dec, thousands)
    if not dots and not commas:
        return make(s, "", None, " " if has_space else None)
    sep = "." if dots else ","
    other = "," if sep == "." else "."
    if s.count(sep) > 1:
        if has_space:
            raise bad
        return make(s, "", other, sep)
    integer, frac = s.split(sep)
    if not frac.isdigit():
        raise bad
    if has_space:
        return make(integer, frac, sep, " ")
    if len(frac) == 3 and re.fullmatch(r"[1-9]\d{0,2}", integer):
        return ParsedNumber(None, None, percent, sign * float(integer + frac),
                            sign * float(integer + "." + frac), sep)
    return make(integer, frac, sep, None)


def parse_number(text: str, decimal: str | None = None) -> float:
    """`scan_number` resolved with a known decimal separator; NumberError if ambiguous."""
    return _resolved(scan_number(text), decimal)


def _resolved(parsed: ParsedNumber, decimal: str | None) -> float:
    value = parsed.resolve(decimal)
    if value is None:
        raise NumberError(_ambiguous_reason(parsed))
    return value


def _ambiguous_reason(parsed: ParsedNumber) -> str:
    sep = parsed.ambiguous_separator
    return (f"número ambiguo: no se sabe si «{sep}» separa miles ({_plain(parsed.as_thousands)}) o "
            f"decimales ({_plain(parsed.as_decimal)}); escríbalo sin separador de miles o con otra "
            "cantidad de decimales, o use el mismo separador decimal de forma reconocible en el archivo")




