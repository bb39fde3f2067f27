"""The encryption scenario model (tally/scenario.py), on small hand-computed cases."""

from __future__ import annotations

import pandas as pd
import pytest

from tally import scenario as sc


def base() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "service": ["Messenger", "Photos", "Chat", "Search", "Mystery"],
            "company": ["A", "A", "B", "B", "C"],
            "reports": [1000, 200, 50, 30, 7],
            "private_messages": pd.array([True, False, True, False, None], dtype="boolean"),
        },
        index=[10, 11, 12, 13, 14],
    )


def params() -> list[sc.Parameter]:
    return [
        sc.Parameter("Messenger", "private_share", 0.7, 0.7, 0.8, "share from messages", "published", ("src-a",)),
        sc.Parameter("Messenger", "not_found", 0.9, 0.8, 0.9, "no longer found", "published", ("src-b",)),
        sc.Parameter(sc.OTHER, "private_share", 0.5, 0.0, 1.0, "share from messages", "neutral setting"),
        sc.Parameter(sc.OTHER, "not_found", 0.8, 0.8, 0.9, "no longer found", "published", ("src-b",)),
    ]


def test_hand_computed_case():
    s = sc.Scenario(
        encrypted={"Messenger", "Chat"},
        private_share={"Messenger": 0.7},
        not_found={"Messenger": 0.9},
        default_share=0.5,
        default_not_found=0.9,
    )
    r = sc.apply(base(), s)
    # Messenger: 1000 * 0.7 * 0.9 = 630 lost; Chat: 50 * 0.5 * 0.9 = 22.5 lost.
    assert r.loc[10, "lost"] == pytest.approx(630.0)
    assert r.loc[12, "lost"] == pytest.approx(22.5)
    assert r.loc[[11, 13], "lost"].tolist() == [0.0, 0.0]
    assert r.loc[10, ["private_share", "not_found"]].tolist() == [0.7, 0.9]
    assert r["status"].tolist() == ["encrypted", "unchanged", "encrypted", "unchanged", "not established"]
    t = sc.totals(r)
    assert t == pytest.approx(
        {"reports": 1287.0, "lost": 652.5, "unknown": 7.0, "kept": 627.5, "lost_share": 652.5 / 1280}
    )
    by = sc.summarise(r, "company")
    assert by.loc["A", ["reports", "kept", "lost", "unknown"]].tolist() == pytest.approx([1200, 570, 630, 0])
    assert by.loc["C", "unknown"] == 7
    assert list(by.index) == ["A", "B", "C"]
    # every row adds up
    assert ((r["kept"] + r["lost"] + r["unknown"]) == r["reports"]).all()


def test_the_two_quantities_are_separate():
    # the same product from different factors gives the same loss; each factor is kept as given
    a = sc.apply(
        base(), sc.Scenario(encrypted={"Messenger"}, private_share={"Messenger": 0.8}, not_found={"Messenger": 0.5})
    )
    b = sc.apply(
        base(), sc.Scenario(encrypted={"Messenger"}, private_share={"Messenger": 0.5}, not_found={"Messenger": 0.8})
    )
    assert a.loc[10, "lost"] == pytest.approx(b.loc[10, "lost"]) == pytest.approx(400.0)
    assert a.loc[10, "private_share"] == 0.8 and a.loc[10, "not_found"] == 0.5


def test_input_is_not_modified():
    b = base()
    before = b.copy()
    sc.apply(b, sc.Scenario(encrypted={"Messenger"}, default_share=1.0, default_not_found=1.0))
    pd.testing.assert_frame_equal(b, before)


@pytest.mark.parametrize(
    "share,nf,lost", [(0.0, 1.0, 0.0), (1.0, 1.0, 1000.0), (1.0, 0.0, 0.0), (0.0, 0.0, 0.0), (0.5, 0.5, 250.0)]
)
def test_share_bounds(share, nf, lost):
    r = sc.apply(
        base(), sc.Scenario(encrypted={"Messenger"}, private_share={"Messenger": share}, not_found={"Messenger": nf})
    )
    assert r.loc[10, "lost"] == lost
    assert r.loc[10, "kept"] == 1000 - lost


def test_empty_set_loses_nothing():
    r = sc.apply(base(), sc.Scenario(encrypted=set()))
    t = sc.totals(r)
    assert t["lost"] == 0 and t["kept"] == 1280 and t["unknown"] == 7 and t["lost_share"] == 0
    assert set(r["status"]) == {"unchanged", "not established"}


def test_unknown_private_messages_are_excluded_and_counted_separately():
    # choosing the row whose private messaging is not established does not make it lose reports
    r = sc.apply(base(), sc.Scenario(encrypted={"Mystery"}, default_share=1.0, default_not_found=1.0))
    assert r.loc[14, "status"] == "not established"
    assert r.loc[14, ["lost", "kept", "unknown"]].tolist() == [0.0, 0.0, 7.0]


def test_a_service_without_private_messages_loses_nothing():
    r = sc.apply(base(), sc.Scenario(encrypted={"Photos"}, default_share=1.0, default_not_found=1.0))
    assert r.loc[11, "status"] == "no private messages"
    assert r.loc[11, "lost"] == 0


def test_boolean_mask_selects_rows():
    b = base()
    mask = b["company"].eq("B")
    r = sc.apply(b, sc.Scenario(encrypted=mask, default_share=0.4, default_not_found=0.5))
    assert r.loc[12, "lost"] == pytest.approx(10.0)
    assert r.loc[13, "status"] == "no private messages"
    with pytest.raises(ValueError, match="aligned"):
        sc.apply(b, sc.Scenario(encrypted=mask.reset_index(drop=True), default_share=0.4, default_not_found=0.5))


def test_empty_base_table():
    empty = base().iloc[0:0]
    r = sc.apply(empty, sc.Scenario(encrypted=set()))
    assert len(r) == 0
    assert sc.totals(r) == {"reports": 0.0, "kept": 0.0, "lost": 0.0, "unknown": 0.0, "lost_share": 0.0}


def test_scenario_from_parameters_and_loss_range():
    ps = params()
    d = sc.Scenario.from_parameters({"Messenger", "Chat"}, ps)
    assert d.private_share == {"Messenger": 0.7} and d.not_found == {"Messenger": 0.9}
    assert d.default_share == 0.5 and d.default_not_found == 0.8
    rng = sc.loss_range(base(), {"Messenger", "Chat"}, ps)
    # low: 1000*0.7*0.8 + 50*0*0.8 = 560; default: 630 + 50*0.5*0.8 = 650; high: 1000*0.8*0.9 + 50*1*0.9 = 765
    assert rng == pytest.approx({"low": 560.0, "default": 650.0, "high": 765.0})
    # restricted to company A's rows
    only_a = sc.loss_range(base(), {"Messenger", "Chat"}, ps, rows=base()["company"].eq("A"))
    assert only_a == pytest.approx({"low": 560.0, "default": 630.0, "high": 720.0})
    # nothing chosen: a range of zeros
    assert sc.loss_range(base(), set(), ps) == {"low": 0.0, "default": 0.0, "high": 0.0}


def test_loss_range_brackets_every_setting_inside_the_ranges():
    ps = params()
    rng = sc.loss_range(base(), {"Messenger", "Chat"}, ps)
    for s in (0.7, 0.75, 0.8):
        for nf in (0.8, 0.85, 0.9):
            for other in (0.0, 0.3, 1.0):
                r = sc.apply(
                    base(),
                    sc.Scenario(
                        {"Messenger", "Chat"},
                        {"Messenger": s},
                        {"Messenger": nf},
                        default_share=other,
                        default_not_found=0.85,
                    ),
                )
                assert rng["low"] - 1e-9 <= r["lost"].sum() <= rng["high"] + 1e-9


def test_parameter_table_and_validation():
    t = sc.parameter_table(params())
    assert list(t.columns) == ["service", "quantity", "label", "default", "low", "high", "basis", "source_ids"]
    assert t.loc[2, "source_ids"] == "" and not params()[2].sourced and params()[0].sourced
    with pytest.raises(ValueError, match="low <= default <= high"):
        sc.Parameter("X", "not_found", 0.5, 0.6, 0.9, "l", "b")
    with pytest.raises(ValueError, match="quantity"):
        sc.Parameter("X", "share", 0.5, 0.0, 1.0, "l", "b")
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        sc.Parameter("X", "not_found", 0.5, 0.0, 1.5, "l", "b")
    with pytest.raises(ValueError, match="label and a basis"):
        sc.Parameter("X", "not_found", 0.5, 0.0, 1.0, "", "b")
    with pytest.raises(ValueError, match="two parameters"):
        sc.Scenario.from_parameters({"Messenger"}, params() + [params()[0]])
    with pytest.raises(ValueError, match="'default', 'low' or 'high'"):
        sc.Scenario.from_parameters({"Messenger"}, params(), at="middle")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"private_share": {"Messenger": 1.2}},
        {"private_share": {"Messenger": -0.1}},
        {"not_found": {"Messenger": 1.01}},
        {"default_share": 2},
        {"default_not_found": -0.01},
        {"default_not_found": float("nan")},
        {"default_not_found": "half"},
    ],
)
def test_shares_outside_0_1_are_rejected(kwargs):
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        sc.Scenario(encrypted={"Messenger"}, **kwargs)


def test_validation_errors():
    with pytest.raises(ValueError, match="no row"):
        sc.apply(base(), sc.Scenario(encrypted={"Messengr"}, default_share=0.5, default_not_found=0.5))
    with pytest.raises(ValueError, match="no private-message share"):
        sc.apply(base(), sc.Scenario(encrypted={"Chat"}, default_not_found=0.5))
    with pytest.raises(ValueError, match="no share no longer found"):
        sc.apply(base(), sc.Scenario(encrypted={"Chat"}, default_share=0.5))
    with pytest.raises(ValueError, match="one string"):
        sc.apply(base(), sc.Scenario(encrypted="Chat", default_share=0.5, default_not_found=0.5))
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
