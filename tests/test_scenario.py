"""The encryption scenario model (tally/scenario.py), on small hand-computed cases."""
from __future__ import annotations

import pandas as pd
import pytest

from tally import scenario as sc


def base() -> pd.DataFrame:
    return pd.DataFrame({
        "service": ["Messenger", "Photos", "Chat", "Search", "Mystery"],
        "company": ["A", "A", "B", "B", "C"],
        "reports": [1000, 200, 50, 30, 7],
        "private_messages": pd.array([True, False, True, False, None], dtype="boolean"),
    }, index=[10, 11, 12, 13, 14])


def test_hand_computed_case():
    s = sc.Scenario(encrypted={"Messenger", "Chat"}, private_share={"Messenger": 0.7},
                    default_share=0.5, found_otherwise=0.1)
    r = sc.apply(base(), s)
    # Messenger: 1000 * 0.7 * 0.9 = 630 lost; Chat: 50 * 0.5 * 0.9 = 22.5 lost.
    assert r.loc[10, "lost"] == pytest.approx(630.0)
    assert r.loc[12, "lost"] == pytest.approx(22.5)
    assert r.loc[[11, 13], "lost"].tolist() == [0.0, 0.0]
    assert r["status"].tolist() == ["encrypted", "unchanged", "encrypted", "unchanged", "not established"]
    t = sc.totals(r)
    assert t == pytest.approx({"reports": 1287.0, "lost": 652.5, "unknown": 7.0, "kept": 627.5,
                               "lost_share": 652.5 / 1280})
    by = sc.summarise(r, "company")
    assert by.loc["A", ["reports", "kept", "lost", "unknown"]].tolist() == pytest.approx([1200, 570, 630, 0])
    assert by.loc["C", "unknown"] == 7
    assert list(by.index) == ["A", "B", "C"]
    # every row adds up
    assert ((r["kept"] + r["lost"] + r["unknown"]) == r["reports"]).all()


def test_input_is_not_modified():
    b = base()
    before = b.copy()
    sc.apply(b, sc.Scenario(encrypted={"Messenger"}, default_share=1.0))
    pd.testing.assert_frame_equal(b, before)


@pytest.mark.parametrize("share,found,lost", [(0.0, 0.0, 0.0), (1.0, 0.0, 1000.0), (1.0, 1.0, 0.0), (0.0, 1.0, 0.0)])
def test_share_bounds(share, found, lost):
    r = sc.apply(base(), sc.Scenario(encrypted={"Messenger"}, private_share={"Messenger": share},
                                     found_otherwise=found))
    assert r.loc[10, "lost"] == lost
    assert r.loc[10, "kept"] == 1000 - lost


def test_empty_set_loses_nothing():
    r = sc.apply(base(), sc.Scenario(encrypted=set()))
    t = sc.totals(r)
    assert t["lost"] == 0 and t["kept"] == 1280 and t["unknown"] == 7 and t["lost_share"] == 0
    assert set(r["status"]) == {"unchanged", "not established"}


def test_unknown_private_messages_are_excluded_and_counted_separately():
    # choosing the row whose private messaging is not established does not make it lose reports
    r = sc.apply(base(), sc.Scenario(encrypted={"Mystery"}, default_share=1.0))
    assert r.loc[14, "status"] == "not established"
    assert r.loc[14, ["lost", "kept", "unknown"]].tolist() == [0.0, 0.0, 7.0]


def test_a_service_without_private_messages_loses_nothing():
    r = sc.apply(base(), sc.Scenario(encrypted={"Photos"}, default_share=1.0))
    assert r.loc[11, "status"] == "no private messages"
    assert r.loc[11, "lost"] == 0


def test_boolean_mask_selects_rows():
    b = base()
    mask = b["company"].eq("B")
    r = sc.apply(b, sc.Scenario(encrypted=mask, default_share=0.4))
    assert r.loc[12, "lost"] == pytest.approx(20.0)
    assert r.loc[13, "status"] == "no private messages"
    with pytest.raises(ValueError, match="aligned"):
        sc.apply(b, sc.Scenario(encrypted=mask.reset_index(drop=True), default_share=0.4))


def test_empty_base_table():
    empty = base().iloc[0:0]
    r = sc.apply(empty, sc.Scenario(encrypted=set()))
    assert len(r) == 0
    assert sc.totals(r) == {"reports": 0.0, "kept": 0.0, "lost": 0.0, "unknown": 0.0, "lost_share": 0.0}


@pytest.mark.parametrize("kwargs", [
    {"private_share": {"Messenger": 1.2}},
    {"private_share": {"Messenger": -0.1}},
    {"default_share": 2},
    {"found_otherwise": -0.01},
    {"found_otherwise": 1.5},
    {"found_otherwise": float("nan")},
    {"found_otherwise": "half"},
])
def test_shares_outside_0_1_are_rejected(kwargs):
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        sc.Scenario(encrypted={"Messenger"}, **kwargs)


def test_validation_errors():
    with pytest.raises(ValueError, match="no row"):
        sc.apply(base(), sc.Scenario(encrypted={"Messengr"}, default_share=0.5))
    with pytest.raises(ValueError, match="no private-message share"):
        sc.apply(base(), sc.Scenario(encrypted={"Chat"}))
    with pytest.raises(ValueError, match="one string"):
        sc.apply(base(), sc.Scenario(encrypted="Chat", default_share=0.5))
    with pytest.raises(ValueError, match="lacks column"):
        sc.apply(base().drop(columns="private_messages"), sc.Scenario(encrypted=set()))
    b = base()
    b.loc[10, "reports"] = -1
    with pytest.raises(ValueError, match="negative"):
        sc.apply(b, sc.Scenario(encrypted=set()))
    b = base().astype({"private_messages": object})
    b.loc[10, "private_messages"] = "yes"
    with pytest.raises(ValueError, match="private_messages"):
        sc.apply(b, sc.Scenario(encrypted=set()))
