import math

import pytest

from tally import fmt


def test_count_uses_thousands_separators():
    assert fmt.count(15884511) == "15,884,511"
    assert fmt.count(7) == "7"


def test_count_rejects_fractions_and_nan():
    with pytest.raises(ValueError):
        fmt.count(1.5)
    with pytest.raises(ValueError):
        fmt.count(math.nan)


def test_millions_rounds_to_one_decimal():
    assert fmt.millions(16987361) == "17.0 million"
    assert fmt.millions(16836694) == "16.8 million"
    assert fmt.millions(69_000_000, digits=0) == "69 million"


def test_pct_and_share():
    s = fmt.share(15884511, 16836694)
    assert isinstance(s, float)
    assert fmt.pct(s) == "94.3%"
    assert fmt.pct(fmt.share(15884511, 16987361)) == "93.5%"
    with pytest.raises(ValueError):
        fmt.share(2, 1)  # a share above 1 is a data error
    with pytest.raises(ValueError):
        fmt.share(1, 0)
    with pytest.raises(ValueError):
        fmt.pct(1.2)


def test_pct_change_is_signed():
    assert fmt.pct_change(36210368, 20512803) == "\u221243.4%"
    assert fmt.pct_change(100, 150) == "+50.0%"
    with pytest.raises(ValueError):
        fmt.pct_change(0, 1)


def test_words_and_dates():
    assert fmt.words(7) == "seven"
    assert fmt.words(11) == "11"
    assert fmt.date("2020-10-11") == "11 October 2020"


def test_ratio_times_and_years():
    assert fmt.ratio(105653162 / 35944826) == "2.9"
    assert fmt.times(546333, 37872) == "14.4 times"
    assert fmt.years(2.04) == "2.0 years"
    with pytest.raises(ValueError):
        fmt.times(1, 0)
    with pytest.raises(ValueError):
        fmt.years(-1)
    with pytest.raises(ValueError):
        fmt.ratio(-0.5)


def test_billions():
    assert fmt.billions(3.98e9) == "3.98 billion"
