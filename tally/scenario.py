"""The encryption scenario model: which reports would a change to end-to-end encryption remove?

A *scenario* says which services become end-to-end encrypted (E2EE) without content
scanning, what share of each such service's reports came from scanning private messages,
and what share of those reports would still be found by other means (metadata and
behavioural signals, user reports). Applied to one base year of CyberTipline reports, it
gives the reports kept and lost for every row, and in total.

For a row of the base table:

* ``private_messages`` is ``<NA>`` (not established): the row is left out of the scenario
  and its reports are counted separately, as ``unknown``;
* the row is not chosen, or carries no private messages: nothing is lost;
* otherwise ``lost = reports * private_share * (1 - found_otherwise)``.

So for every row ``reports == kept + lost + unknown``. Lost and kept are expected values
(floats); round only for display.

Everything here is a pure function on pandas objects; the chapter on end-to-end
encryption runs the same arithmetic in Vega so that readers can change the inputs,
and checks that both agree on the default scenario.
"""
from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import pandas as pd

#: Status of a row after a scenario is applied.
ENCRYPTED = "encrypted"                  # chosen, carries private messages: may lose reports
NO_PRIVATE_MESSAGES = "no private messages"  # chosen, but nothing private to encrypt
UNCHANGED = "unchanged"                  # not chosen
NOT_ESTABLISHED = "not established"      # private messaging not established: left out

REQUIRED = ("reports", "private_messages")


def _check_share(name: str, value) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number in [0, 1], got {value!r}") from None
    if math.isnan(x) or not 0.0 <= x <= 1.0:
        raise ValueError(f"{name} must lie in [0, 1], got {value!r}")
    return x


@dataclass(frozen=True)
class Scenario:
    """Inputs of one scenario.

    encrypted
        Which rows of the base table become E2EE: either a collection of values of the
        ``key`` column (e.g. service names), or a boolean Series aligned on the base index.
    private_share
        For a chosen row, the share of its reports that came from private messages, by
        value of ``key``. ``default_share`` applies to chosen rows whose key is not listed.
    found_otherwise
        The share of those reports still found by other means after encryption.
    """

    encrypted: Collection[str] | pd.Series
    private_share: Mapping[str, float] = field(default_factory=dict)
    default_share: float | None = None
    found_otherwise: float = 0.0

    def __post_init__(self) -> None:
        for k, v in self.private_share.items():
            _check_share(f"private_share[{k!r}]", v)
        if self.default_share is not None:
            _check_share("default_share", self.default_share)
        _check_share("found_otherwise", self.found_otherwise)


def _check_base(base: pd.DataFrame, key: str) -> None:
    missing = [c for c in (key, *REQUIRED) if c not in base.columns]
    if missing:
        raise ValueError(f"the base table lacks column(s) {missing}")
    reports = pd.to_numeric(base["reports"], errors="coerce")
    if reports.isna().any():
        raise ValueError("every row of the base table needs a number of reports")
    if (reports < 0).any():
        raise ValueError("reports cannot be negative")
    bad = base["private_messages"].dropna().map(lambda v: isinstance(v, bool) or v in (True, False))
    if not bad.all():
        raise ValueError("private_messages must be true, false or empty (not established)")


def chosen(base: pd.DataFrame, scenario: Scenario, key: str = "service") -> pd.Series:
    """Boolean Series: the rows the scenario makes end-to-end encrypted."""
    enc = scenario.encrypted
    if isinstance(enc, pd.Series):
        if enc.dtype != bool and str(enc.dtype) != "boolean":
            raise ValueError("an 'encrypted' Series must be boolean")
        if not enc.index.equals(base.index):
            raise ValueError("an 'encrypted' Series must be aligned on the base table's index")
        return enc.fillna(False).astype(bool)
    if isinstance(enc, str):
        raise ValueError("'encrypted' must be a collection of names, not one string")
    names = set(enc)
    unknown = names - set(base[key])
    if unknown:
        raise ValueError(f"no row of the base table has {key} {sorted(unknown)}")
    return base[key].isin(names).astype(bool)


def apply(base: pd.DataFrame, scenario: Scenario, key: str = "service") -> pd.DataFrame:
    """Apply ``scenario`` to ``base`` (one row per ESP line or service, for one year).

    ``base`` needs columns ``key``, ``reports`` and ``private_messages`` (true, false or
    <NA>); other columns are carried through. Returns a copy with added columns
    ``status``, ``private_share``, ``lost``, ``kept`` and ``unknown`` (see the module doc).
    Raises ValueError on a malformed base table or scenario.
    """
    _check_base(base, key)
    out = base.copy()
    reports = pd.to_numeric(out["reports"]).astype(float)
    pm = out["private_messages"].astype("boolean")
    pick = chosen(base, scenario, key)

    status = pd.Series(UNCHANGED, index=out.index, dtype=object)
    status[pick & (pm == False).fillna(False)] = NO_PRIVATE_MESSAGES  # noqa: E712
    status[pick & (pm == True).fillna(False)] = ENCRYPTED             # noqa: E712
    status[pm.isna()] = NOT_ESTABLISHED

    share = pd.Series(0.0, index=out.index)
    for idx in out.index[status == ENCRYPTED]:
        name = out.at[idx, key]
        if name in scenario.private_share:
            share[idx] = float(scenario.private_share[name])
        elif scenario.default_share is not None:
            share[idx] = float(scenario.default_share)
        else:
            raise ValueError(f"no private-message share for {key} {name!r} and no default_share")

    lost = reports * share * (1.0 - float(scenario.found_otherwise))
    unknown = reports.where(status == NOT_ESTABLISHED, 0.0)
    out["status"] = status.astype("string")
    out["private_share"] = share
    out["lost"] = lost
    out["unknown"] = unknown
    out["kept"] = reports - lost - unknown
    return out


def summarise(result: pd.DataFrame, by: str | list[str] = "company") -> pd.DataFrame:
    """Reports, kept, lost and unknown summed by ``by`` (largest base first)."""
    cols = ["reports", "kept", "lost", "unknown"]
    table = result.groupby(by, sort=False)[cols].sum()
    table["reports"] = table["reports"].astype(float)
    return table.sort_values("reports", ascending=False)


def totals(result: pd.DataFrame) -> dict[str, float]:
    """Totals of a scenario result: reports, kept, lost, unknown and ``lost_share``
    (lost as a share of the reports whose private messaging is established)."""
    t = {c: float(pd.to_numeric(result[c]).sum()) for c in ("reports", "kept", "lost", "unknown")}
    assessed = t["reports"] - t["unknown"]
    t["lost_share"] = t["lost"] / assessed if assessed > 0 else 0.0
    return t
