"""The encryption scenario model: which reports would a change to end-to-end encryption remove?

A *scenario* says which services become end-to-end encrypted (E2EE) without content
scanning. For each such service the model takes two separate quantities, each a
:class:`Parameter` with a default, a range and a source:

* ``private_share``: the share of the service's reports that came from its private
  messages (the part that scanning of message content found);
* ``not_found``: the share of *those* reports no longer found once the messages are
  encrypted (the rest is still found by other means: metadata, behaviour, user reports).

For a row of the base table (one year of CyberTipline reports, one row per ESP line):

* ``private_messages`` is ``<NA>`` (not established): the row is left out of the scenario
  and its reports are counted separately, as ``unknown``;
* the row is not chosen, or carries no private messages: nothing is lost;
* otherwise ``lost = reports * private_share * not_found``.

So for every row ``reports == kept + lost + unknown``. Lost and kept are expected values
(floats); round only for display (the chapter rounds to 0.1 million).

Because ``lost`` never decreases when a parameter grows, the smallest and largest losses
over the parameters' ranges are reached with every parameter at its low and at its high
end: :func:`loss_range` computes both, so a result can be stated as a range.

Everything here is a pure function on pandas objects; the chapter on end-to-end
encryption runs the same arithmetic in Vega so that readers can change the inputs,
and checks that both agree.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

#: Status of a row after a scenario is applied.
ENCRYPTED = "encrypted"  # chosen, carries private messages: may lose reports
NO_PRIVATE_MESSAGES = "no private messages"  # chosen, but nothing private to encrypt
UNCHANGED = "unchanged"  # not chosen
NOT_ESTABLISHED = "not established"  # private messaging not established: left out

REQUIRED = ("reports", "private_messages")
#: The two quantities a service's loss is the product of.
QUANTITIES = ("private_share", "not_found")
#: The key that stands for "every other chosen service" in a parameter set.
OTHER = "other"


def _check_share(name: str, value) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number in [0, 1], got {value!r}") from None
    if math.isnan(x) or not 0.0 <= x <= 1.0:
        raise ValueError(f"{name} must lie in [0, 1], got {value!r}")
    return x


@dataclass(frozen=True)
class Parameter:
    """One input of the model, with where its values come from.

    service
        The value of the base table's key column it applies to, or :data:`OTHER` for every
        chosen service without parameters of its own.
    quantity
        ``"private_share"`` or ``"not_found"`` (see the module doc).
    default, low, high
        Shares in [0, 1] with ``low <= default <= high``.
    label
        What the parameter is, in plain words, for a reader.
    basis
        Where the default and the range come from, in plain words; says so when no
        published figure exists and the value is a neutral setting.
    source_ids
        The sources behind ``basis`` (rows of ``data/sources.csv``); empty for a neutral setting.
    """

    service: str
    quantity: str
    default: float
    low: float
    high: float
    label: str
    basis: str
    source_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.quantity not in QUANTITIES:
            raise ValueError(f"quantity must be one of {QUANTITIES}, got {self.quantity!r}")
        lo, d, hi = (
            _check_share(f"{self.service} {self.quantity} {n}", v)
            for n, v in (("low", self.low), ("default", self.default), ("high", self.high))
        )
        if not lo <= d <= hi:
            raise ValueError(f"{self.service} {self.quantity}: need low <= default <= high, got {lo}, {d}, {hi}")
        if not self.label.strip() or not self.basis.strip():
            raise ValueError(f"{self.service} {self.quantity}: a parameter needs a label and a basis")

    @property
    def sourced(self) -> bool:
        return bool(self.source_ids)


@dataclass(frozen=True)
class Scenario:
    """Inputs of one scenario.

    encrypted
        Which rows of the base table become E2EE: either a collection of values of the
        ``key`` column (e.g. service names), or a boolean Series aligned on the base index.
    private_share, not_found
        For a chosen row, by value of ``key``: the share of its reports from private
        messages, and the share of those no longer found after encryption.
        ``default_share`` and ``default_not_found`` apply to chosen rows not listed.
    """

    encrypted: Collection[str] | pd.Series
    private_share: Mapping[str, float] = field(default_factory=dict)
    not_found: Mapping[str, float] = field(default_factory=dict)
    default_share: float | None = None
    default_not_found: float | None = None

    def __post_init__(self) -> None:
        for name, mapping in (("private_share", self.private_share), ("not_found", self.not_found)):
            for k, v in mapping.items():
                _check_share(f"{name}[{k!r}]", v)
        for name in ("default_share", "default_not_found"):
            if getattr(self, name) is not None:
                _check_share(name, getattr(self, name))

    @classmethod
    def from_parameters(cls, encrypted, parameters: Sequence[Parameter], at: str = "default") -> Scenario:
        """The scenario with every parameter at ``at`` (``"default"``, ``"low"`` or ``"high"``)."""
        if at not in ("default", "low", "high"):
            raise ValueError(f"at must be 'default', 'low' or 'high', got {at!r}")
        seen = set()
        values: dict[str, dict[str, float]] = {q: {} for q in QUANTITIES}
        for p in parameters:
            if (p.service, p.quantity) in seen:
                raise ValueError(f"two parameters for {p.service} {p.quantity}")
            seen.add((p.service, p.quantity))
            values[p.quantity][p.service] = getattr(p, at)
        other_share = values["private_share"].pop(OTHER, None)
        other_nf = values["not_found"].pop(OTHER, None)
        return cls(
            encrypted=encrypted,
            private_share=values["private_share"],
            not_found=values["not_found"],
            default_share=other_share,
            default_not_found=other_nf,
        )


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


def _value(mapping: Mapping[str, float], default: float | None, name, what: str, key: str) -> float:
    if name in mapping:
        return float(mapping[name])
    if default is not None:
        return float(default)
    raise ValueError(f"no {what} for {key} {name!r} and no default")


def apply(base: pd.DataFrame, scenario: Scenario, key: str = "service") -> pd.DataFrame:
    """Apply ``scenario`` to ``base`` (one row per ESP line or service, for one year).

    ``base`` needs columns ``key``, ``reports`` and ``private_messages`` (true, false or
    <NA>); other columns are carried through. Returns a copy with added columns
    ``status``, ``private_share``, ``not_found``, ``lost``, ``kept`` and ``unknown``
    (see the module doc). Raises ValueError on a malformed base table or scenario.
    """
    _check_base(base, key)
    out = base.copy()
    reports = pd.to_numeric(out["reports"]).astype(float)
    pm = out["private_messages"].astype("boolean")
    pick = chosen(base, scenario, key)

    status = pd.Series(UNCHANGED, index=out.index, dtype=object)
    status[pick & (pm == False).fillna(False)] = NO_PRIVATE_MESSAGES  # noqa: E712
    status[pick & (pm == True).fillna(False)] = ENCRYPTED  # noqa: E712
    status[pm.isna()] = NOT_ESTABLISHED

    share = pd.Series(0.0, index=out.index)
    not_found = pd.Series(0.0, index=out.index)
    for idx in out.index[status == ENCRYPTED]:
        name = out.at[idx, key]
        share[idx] = _value(scenario.private_share, scenario.default_share, name, "private-message share", key)
        not_found[idx] = _value(scenario.not_found, scenario.default_not_found, name, "share no longer found", key)

    lost = reports * share * not_found
    unknown = reports.where(status == NOT_ESTABLISHED, 0.0)
    out["status"] = status.astype("string")
    out["private_share"] = share
    out["not_found"] = not_found
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


def loss_range(
    base: pd.DataFrame, encrypted, parameters: Sequence[Parameter], key: str = "service", rows: pd.Series | None = None
) -> dict[str, float]:
    """Reports lost with every parameter at its low end, its default and its high end.

    ``rows`` (a boolean Series on the base index) restricts the sums to part of the table,
    e.g. one company's lines. Returns ``{"low": ..., "default": ..., "high": ...}``; since
    the loss never falls when a parameter rises, these are the smallest and largest losses
    over the parameters' ranges.
    """
    out = {}
    for at in ("low", "default", "high"):
        r = apply(base, Scenario.from_parameters(encrypted, parameters, at), key)
        lost = r["lost"] if rows is None else r.loc[rows.reindex(r.index, fill_value=False).astype(bool), "lost"]
        out[at] = float(lost.sum())
    assert out["low"] <= out["default"] <= out["high"] + 1e-6
    return out


def parameter_table(parameters: Sequence[Parameter]) -> pd.DataFrame:
    """One row per parameter: service, quantity, label, default, low, high, basis, sources."""
    return pd.DataFrame(
        [
            {
                "service": p.service,
                "quantity": p.quantity,
                "label": p.label,
                "default": p.default,
                "low": p.low,
                "high": p.high,
                "basis": p.basis,
                "source_ids": "; ".join(p.source_ids),
            }
            for p in parameters
        ]
    )
