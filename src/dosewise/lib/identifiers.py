"""Check the numbers a prescription carries: DEA registration, NPI, and a pharmacy's fax number.

Each checker returns the number in its stored form or raises `ValueError` with a sentence
that says what is wrong and what to do; the DEA check also returns warnings that do not
stop the save (a registration whose second letter is not the prescriber's last initial is
legitimate after a change of name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# First letter of a DEA registration: the registrant type. A, B, F and G are practitioners
# (F and G issued after the A/B series ran out), M is a mid-level practitioner (NP, PA),
# the others are hospitals, pharmacies, manufacturers, distributors, researchers and
# narcotic treatment programs (DEA Diversion Control Division, "Registration" FAQ,
# deadiversion.usdoj.gov; X was the former DATA-waiver prefix, retired in 2023).
DEA_REGISTRANT_TYPES = frozenset("ABCDEFGHJKLMPRSTUX")
DEA_PATTERN = re.compile(r"^[A-Z][A-Z9]\d{7}$")
NPI_PATTERN = re.compile(r"^\d{10}$")
# The NPI check digit is a Luhn digit computed as if the number were prefixed by 80840, the
# issuer identifier of the US health industry (CMS, "Requirements for Constructing the NPI
# Check Digit", NPI Final Rule, 45 CFR 162.406).
NPI_LUHN_PREFIX = "80840"


@dataclass(frozen=True)
class DeaCheck:
    number: str
    warnings: tuple[str, ...] = ()


def dea_check_digit(digits: str) -> int:
    """Return the check digit of the first six digits of a DEA number.

    Sum of digits 1, 3 and 5, plus twice the sum of digits 2, 4 and 6; the check digit is
    the last digit of that total: the long-standing DEA-number check that pharmacies and claims
    processors apply to catch a mistyped number (it is a typing check, not proof of a valid
    registration: that needs the DEA's registration validation service).
    """
    odd = sum(int(d) for d in digits[0:6:2])
    even = sum(int(d) for d in digits[1:6:2])
    return (odd + 2 * even) % 10


def dea_validate(number: str, *, last_name: str = "") -> DeaCheck:
    """Return the DEA number in capitals with any warnings, or raise ValueError saying what is wrong."""
    cleaned = re.sub(r"[\s-]", "", number).upper()
    if not DEA_PATTERN.match(cleaned):
        raise ValueError("A DEA number is two letters followed by seven digits (e.g. AB1234563); "
                         "copy it from the registration certificate.")
    if cleaned[0] not in DEA_REGISTRANT_TYPES:
        raise ValueError(f"A DEA number cannot start with {cleaned[0]}: the first letter is the registrant type "
                         "(A, B, F or G for a practitioner, M for a mid-level practitioner).")
    expected = dea_check_digit(cleaned[2:8])
    if int(cleaned[8]) != expected:
        raise ValueError(f"{cleaned} fails the DEA check digit (the last digit should be {expected}); "
                         "look for a mistyped digit.")
    warnings = []
    initial = next((c for c in last_name.strip().upper() if c.isalpha()), "")
    if cleaned[1] != "9" and initial and cleaned[1] != initial:
        warnings.append(f"The second letter of {cleaned} is {cleaned[1]}, not {initial}, the initial of the last "
                        f"name {last_name.strip()}. This is normal after a change of name; otherwise check the "
                        "number.")
    return DeaCheck(cleaned, tuple(warnings))


def npi_is_valid(npi: str) -> bool:
    """Return whether a ten-digit NPI carries the right Luhn check digit (with the 80840 prefix)."""
    if not NPI_PATTERN.match(npi):
        return False
    total = 0
    for position, char in enumerate(reversed(NPI_LUHN_PREFIX + npi)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def npi_validate(npi: str) -> str:
    """Return the NPI as ten digits, or raise ValueError saying what is wrong."""
    cleaned = re.sub(r"[\s-]", "", npi)
    if not NPI_PATTERN.match(cleaned):
        raise ValueError("An NPI is ten digits; look it up in the NPPES registry (npiregistry.cms.hhs.gov).")
    if not npi_is_valid(cleaned):
        raise ValueError(f"{cleaned} fails the NPI check digit; look for a mistyped digit.")
    return cleaned


def nanp_fax_validate(number: str) -> str:
    """Return a North American fax number as ten digits, or raise ValueError saying what is wrong.

    NANP numbers are a three-digit area code and a seven-digit local number; neither the area
    code nor the exchange may start with 0 or 1 (North American Numbering Plan Administrator,
    NANP numbering resources). A leading country code 1 is dropped.
    """
    digits = re.sub(r"[\s().+-]", "", number)
    if not digits.isdigit():
        raise ValueError("Enter the pharmacy's fax number as digits, e.g. 312-555-0142.")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        raise ValueError(f"A US or Canadian fax number has 10 digits (area code and number); {number.strip()} has "
                         f"{len(digits)}.")
    if digits[0] in "01" or digits[3] in "01":
        raise ValueError(f"{number.strip()} is not a valid North American number: the area code and the exchange "
                         "cannot start with 0 or 1.")
    return digits


def mask_fax(digits: str) -> str:
    """Return a fax number with all but its last four digits hidden, for lists and the audit trail."""
    return f"***-***-{digits[-4:]}"


def format_fax(digits: str) -> str:
    """Return ten digits as 312-555-0142."""
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
