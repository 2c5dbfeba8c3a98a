"""Tests of publication-date detection (generator.ingest.dates)."""
from __future__ import annotations

from datetime import date

import pytest

from generator.ingest.dates import FoundDate, find_date, parse_date

TODAY = date(2024, 5, 1)

PROSE = ("The committee met behind closed doors to discuss the proposal, which several members "
         "described as the most ambitious reform in a decade.")


# ------------------------------------------------------------ parse_date

@pytest.mark.parametrize("text, expected", [
    ("18 Sep, 2009 16:49", (2009, 9, 18, 16, 49)),
    ("16:14, June 07, 2011", (2011, 6, 7, 16, 14)),
    ("Published 3 March 2010", (2010, 3, 3, None, None)),
    ("Mar 3, 2010 11:05 AM ET", (2010, 3, 3, 11, 5)),
    ("Posted Nov. 18, 2019 at 3:05 p.m. EST", (2019, 11, 18, 15, 5)),
    ("12:30 AM, 5th of November 2019", (2019, 11, 5, 0, 30)),
    ("2011-04-15", (2011, 4, 15, None, None)),
    ("2011-04-15T09:30:00Z", (2011, 4, 15, 9, 30)),
    ("2019/11/18 10:00", (2019, 11, 18, 10, 0)),
    ("Tuesday 8 March 2011", (2011, 3, 8, None, None)),
    ("Updated: 14:05 GMT, Tuesday 8 March 2011", (2011, 3, 8, 14, 5)),
    ("18/03/2011", (2011, 3, 18, None, None)),          # day > 12: unambiguous
    ("03/18/2011", (2011, 3, 18, None, None)),
    ("11/20/19 6:38 AM", (2019, 11, 20, 6, 38)),       # a time stamp
    ("06.12.2011 14:25", (2011, 12, 6, 14, 25)),       # dots: always day.month.year
    ("Issued on: 18/09/2009 - 16:49", (2009, 9, 18, 16, 49)),
    ("SEPT. 9, 2001", (2001, 9, 9, None, None)),
    ("Last updated: 06-Dec-2011 15:44", (2011, 12, 6, 15, 44)),
    ("Mon 18 Nov 2019 18.35 GMT", (2019, 11, 18, 18, 35)),
    ("Tue Dec 6, 2011 10:14am EST", (2011, 12, 6, 10, 14)),
    ("18 Nov 2019 3.50 euros a litre", (2019, 11, 18, None, None)),   # a price, not a time
    ("Source: Xinhua| 2019-11-18 22:37:27|Editor: huaxia", (2019, 11, 18, 22, 37)),
])
def test_parse_date_with_year(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("MOSCOW, December 6 (Itar-Tass)", (None, 12, 6, None, None)),
    ("Tuesday, December 6", (None, 12, 6, None, None)),
    ("on 29 February at noon", (None, 2, 29, None, None)),
    ("Sept. 3", (None, 9, 3, None, None)),
])
def test_parse_date_without_year(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", [
    "3 days ago", "© 2019", "08/03/2011", "08-03-2011", "11/20/19", "12.31.2011", "May 2019", "30 February 2011",
    "you may 5 times", "Score: 26:13", "", "no date here",
])
def test_parse_date_none(text):
    assert parse_date(text) is None


# ------------------------------------------------------------- find_date

def test_header_date_line_with_time():
    found = find_date(["Menu", "Weather in Brussels", "2 Jun, 2015 09:41"], [PROSE], today=TODAY)
    assert found == FoundDate("2015-06-02T09:41", None)


def test_date_only_day_gives_date_without_time():
    assert find_date(["Published 3 March 2010"], [PROSE], today=TODAY).iso == "2010-03-03"


def test_date_line_left_in_paragraphs_counts():
    found = find_date([], ["Updated: 14:05 GMT, Tuesday 8 March 2011", PROSE], today=TODAY)
    assert found.iso == "2011-03-08T14:05"


def test_byline_with_date():
    found = find_date(["By Maria Lopez and Tom Berg | Published Oct 2, 2017"], [PROSE], today=TODAY)
    assert found.iso == "2017-10-02"


def test_published_beats_updated():
    header = ["Updated 5 April 2016", "First published 2 April 2016"]
    assert find_date(header, [PROSE], today=TODAY).iso == "2016-04-02"


def test_prose_dates_are_events_not_publication_dates():
    paragraphs = [PROSE, "The two sides agreed to cooperate at a summit in Lisbon on 20 November 2010, "
                         "a meeting that many observers considered a turning point."]
    assert find_date([], paragraphs, today=TODAY) == FoundDate(None, None)


def test_copyright_years_are_ignored():
    assert find_date(["© 2019 Example Media", "Copyright 12 May 2018"], [PROSE], today=TODAY).iso is None


def test_headline_list_dates_are_ignored():
    header = ["Ministers agree sweeping overhaul of the national rail timetable after months of talks 4 Jan 2012",
              "Opposition leader resigns after a long and bitter dispute over party funding rules 3 Jan 2012"]
    assert find_date(header, [PROSE], today=TODAY).iso is None


def test_date_nearest_the_body_wins():
    header = ["Latest", "12 Feb 2013", "Other story", "Council approves budget", "14 Mar 2013 08:00"]
    assert find_date(header, [PROSE], today=TODAY).iso == "2013-03-14T08:00"


def test_full_date_beats_yearless_dateline():
    found = find_date(["16:14, June 07, 2011"], ["BRUSSELS, June 7 (Xinhua) -- " + PROSE], today=TODAY)
    assert found == FoundDate("2011-06-07T16:14", None)


def test_relative_dates_are_not_dates():
    assert find_date(["3 days ago", "Updated 2 hours ago"], [PROSE], today=TODAY).iso is None


def test_nothing_gives_none_never_today():
    found = find_date(["Home", "World"], [PROSE, PROSE])
    assert found.iso is None and found.note is None


def test_future_date_is_rejected():
    assert find_date(["Published 3 March 2030"], [PROSE], today=TODAY).iso is None


def test_hint_from_page_metadata_wins():
    found = find_date(["Published 3 March 2010"], [PROSE], "2010-03-04T07:15:00+00:00", today=TODAY)
    assert found.iso == "2010-03-04T07:15"


def test_unusable_hint_falls_back_to_text():
    assert find_date(["Published 3 March 2010"], [PROSE], "yesterday", today=TODAY).iso == "2010-03-03"


# ------------------------------------------------------------- year-less

def test_year_from_weekday_next_to_the_date():
    # 6 December was a Tuesday in 2005, 2011, 2016 and 2022.
    found = find_date(["Tuesday, December 6"], [PROSE], today=date(2017, 1, 1))
    assert found.iso == "2016-12-06"
    assert "Tuesday" in found.note and "2016" in found.note and "2011" in found.note


def test_words_that_start_like_weekdays_are_not_weekdays():
    found = find_date(["Monitor, December 6"], [PROSE], today=date(2017, 1, 1))
    assert found.iso is None


def test_year_from_weekday_in_the_lede():
    # 3 March was a Wednesday in 2004, 2010 and 2021.
    lede = ("PARIS, March 3 (AFP) — The government unveiled its pension reform on Wednesday, "
            "setting off a wave of protests.")
    found = find_date([], [lede], today=date(2015, 1, 1))
    assert found.iso == "2010-03-03"
    assert "Wednesday" in found.note and "unveiled its pension reform on Wednesday" in found.note


@pytest.mark.parametrize("lede", [
    "MOSCOW, December 6 /ITAR-TASS/. The parliament passed the budget on Tuesday.",
    "MOSCOW. Dec 6 (Interfax) - The parliament passed the budget on Tuesday.",
])
def test_year_less_wire_datelines(lede):
    assert find_date([], [lede], today=date(2012, 1, 1)).iso == "2011-12-06"


def test_years_spoken_of_as_ahead_cap_the_year():
    # 15 June was a Friday in 2001, 2007, 2012 and 2018; the text looks ahead to 2009.
    paragraphs = ["GENEVA, June 15 (Reuters) - Negotiators said on Friday they would meet again soon.",
                  "The agency plans to finish the new building by 2009, its director said."]
    found = find_date([], paragraphs, today=TODAY)
    assert found.iso == "2007-06-15"
    assert "2009" in found.note and "2001" in found.note


def test_year_less_date_without_weekday_is_unknown():
    found = find_date([], ["ROME, October 2 (ANSA) - The coalition survived a confidence vote."], today=TODAY)
    assert found == FoundDate(None, None)


def test_conflicting_weekdays_give_no_year():
    lede = ("ROME, October 2 (ANSA) - The coalition, which lost a vote on Monday, survived a "
            "confidence vote on Thursday.")
    assert find_date([], [lede], today=TODAY).iso is None


def test_year_less_date_in_prose_is_not_a_dateline():
    text = "Officials said on Tuesday that the talks would resume on December 6 in Vienna."
    assert find_date([], [text], today=TODAY).iso is None
