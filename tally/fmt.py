"""Number formats of the house style (shared/STYLE.md, "Numbers").

The notebooks glue these strings into the prose, so every figure a reader sees is
formatted in one place: millions with one decimal, exact counts with thousands
separators, percentages with one decimal.
"""

from __future__ import annotations

import math


def _check(x) -> float:
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        raise ValueError(f"cannot format {x!r}")
    return x


def count(x) -> str:
    """An exact count: ``15884511`` -> ``"15,884,511"``."""
    x = _check(x)
    if x != int(x):
        raise ValueError(f"count() needs a whole number, got {x!r}")
    return f"{int(x):,}"


def millions(x, digits: int = 1) -> str:
    """``16987361`` -> ``"17.0 million"``; ``69158197`` -> ``"69.2 million"``."""
    return f"{_check(x) / 1e6:,.{digits}f} million"


def pct(share, digits: int = 1) -> str:
    """A share in [0, 1] as a percentage: ``0.9434`` -> ``"94.3%"``."""
    s = _check(share)
    if not -1e-12 <= s <= 1 + 1e-12:
        raise ValueError(f"a share must lie in [0, 1], got {s!r}")
    return f"{s * 100:.{digits}f}%"


def pct_change(old, new, digits: int = 1) -> str:
    """Signed change from ``old`` to ``new``: ``(36.2e6, 20.5e6)`` -> ``"-43.3%"``."""
    o, n = _check(old), _check(new)
    if o == 0:
        raise ValueError("percentage change from zero is undefined")
    change = (n - o) / o * 100
    sign = "+" if change > 0 else "\u2212" if change < 0 else ""
    return f"{sign}{abs(change):.{digits}f}%"


def share(part, whole) -> float:
    """``part / whole`` as a plain float, checked to lie in [0, 1]."""
    p, w = _check(part), _check(whole)
    if w <= 0:
        raise ValueError(f"share of a non-positive whole: {part!r} / {whole!r}")
    s = p / w
    if not 0 <= s <= 1:
        raise ValueError(f"share outside [0, 1]: {part!r} / {whole!r} = {s!r}")
    return s


_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def words(n) -> str:
    """Small whole numbers in words, as prose prefers them: ``7`` -> ``"seven"``; larger as digits."""
    x = _check(n)
    if x != int(x) or x < 0:
        raise ValueError(f"words() needs a non-negative whole number, got {n!r}")
    return _WORDS[int(x)] if x <= 10 else count(x)


def date(d) -> str:
    """A date in the house style: ``2020-10-11`` -> ``"11 October 2020"``."""
    import pandas as pd

    ts = pd.Timestamp(d)
    return f"{ts.day} {ts.strftime('%B')} {ts.year}"


def _non_negative(x, what: str) -> float:
    x = _check(x)
    if x < 0:
        raise ValueError(f"{what} cannot be negative: {x!r}")
    return x


def ratio(x, digits: int = 1) -> str:
    """A ratio of two counts, e.g. files per report: ``2.94`` -> ``"2.9"``."""
    return f"{_non_negative(x, 'a ratio of counts'):,.{digits}f}"


def times(new, old, digits: int = 1) -> str:
    """How many times larger ``new`` is than ``old``: ``(546333, 37872)`` -> ``"14.4 times"``."""
    o = _check(old)
    if o <= 0:
        raise ValueError(f"times(): the base must be positive, got {old!r}")
    return f"{ratio(_check(new) / o, digits)} times"


def years(x, digits: int = 1) -> str:
    """A span of time in years, e.g. a doubling time: ``2.04`` -> ``"2.0 years"``."""
    return f"{_non_negative(x, 'a span of years'):.{digits}f} years"


def billions(x, digits: int = 2) -> str:
    """``3.98e9`` -> ``"3.98 billion"`` (Meta publishes its user counts to two decimals)."""
    return f"{_check(x) / 1e9:,.{digits}f} billion"
