"""Money outcomes: amounts, ranges, units and periods, with the sentence they came from."""

from __future__ import annotations

import pytest

from hub.indexing.outcomes import extract_outcomes


@pytest.mark.parametrize("text, amount, high, period", [
    ("The review saved £74,000 per year.", 74_000, None, "per year"),
    ("Savings of £100k – £250k per year are forecast.", 100_000, 250_000, "per year"),
    ("It costs £38 million per annum.", 38_000_000, None, "per year"),
    ("The scheme costs £42m over 15 years.", 42_000_000, None, "over 15 years"),
    ("A saving of £1.5 million over three years.", 1_500_000, None, "over 3 years"),
    ("Between £2 and £3m is saved annually.", 2_000_000, 3_000_000, "per year"),
    ("Annual savings of £500,000 are expected.", 500_000, None, "per year"),
    ("A one-off saving of £1.2m.", 1_200_000, None, "one-off"),
    ("The council now spends £74,000 a year less.", 74_000, None, "per year"),
])
def test_amounts_units_and_periods(text, amount, high, period):
    [row] = extract_outcomes(text)
    assert row.amount_gbp == amount
    assert row.amount_high_gbp == high
    assert row.period == period
    assert row.sentence == text


def test_cost_with_its_benefit_gives_two_rows_from_one_sentence():
    text = ("Other work began. The programme will cost £42m over 15 years, with a benefit of "
            "£101m. Nothing else.")
    rows = extract_outcomes(text)
    assert [(r.amount_gbp, r.kind) for r in rows] == [(42e6, "cost"), (101e6, "benefit")]
    assert rows[0].period == "over 15 years"
    assert rows[1].sentence.startswith("The programme will cost")


def test_and_joins_a_range_only_after_between():
    rows = extract_outcomes("It saved £10k and later £20k.")
    assert [r.amount_gbp for r in rows] == [10_000, 20_000]


def test_text_without_money_has_no_outcomes():
    assert extract_outcomes("A 40% fall in repeat referrals over 2 years.") == []


def test_a_table_read_as_a_line_gives_no_outcomes():
    row = ("Capital Expenditure 2016-17 Outturn £ 139 New Buildings 0 177 140 Refurbishment "
           "of Premises 0 178 141 IT Investment 0 179 142 Books 0 180")
    assert extract_outcomes(row) == []
    grid = "Spend by year: £12,000 2019 £15,000 2020 £18,000 2021 £21,000 2022 in total."
    assert extract_outcomes(grid) == []
