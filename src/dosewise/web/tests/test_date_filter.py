"""The `date` filter's numeric fast path prints exactly what Django's own filter prints."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.template.defaultfilters import date as django_date
from django.utils import timezone, translation

from dosewise.web.templatetags.dosewise_format import _numeric_format, date

FORMATS = ["Y-m-d", "Y-m-d H:i", "H:i:s", "Y", "d/m/Y", "Y-m-d H:i:s", "Y.m.d, H:i",
           # not numeric: Django's own filter answers
           "D Y-m-d", "M j, Y", "l j F Y", "g:i A", "Y-m-d H:i T", "c", "N j, Y"]
VALUES = [datetime.date(2026, 1, 2), datetime.date(999, 12, 31), datetime.datetime(2026, 3, 8, 2, 30, 5),
          datetime.datetime(2026, 11, 1, 23, 59, 59, tzinfo=ZoneInfo("America/Chicago")),
          datetime.datetime(2026, 7, 4, 0, 0, tzinfo=datetime.UTC)]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("value", VALUES, ids=str)
@pytest.mark.parametrize("language", ["en-us", "es"])
def test_the_filter_prints_what_django_prints(fmt, value, language):
    with translation.override(language):
        try:
            expected = django_date(value, fmt)
        except TypeError as exc:  # a time format on a date: Django refuses it, and so must the filter
            with pytest.raises(TypeError, match=str(exc)[:40]):
                date(value, fmt)
            return
        assert date(value, fmt) == expected


def test_only_formats_of_numeric_parts_take_the_fast_path():
    assert _numeric_format("Y-m-d H:i") == ("{0.year:04d}-{0.month:02d}-{0.day:02d} {0.hour:02d}:{0.minute:02d}", True)
    assert _numeric_format("Y-m-d") == ("{0.year:04d}-{0.month:02d}-{0.day:02d}", False)
    for fmt in ("D Y-m-d", "Y-m-d T", "j", r"\Y", "N"):
        assert _numeric_format(fmt) is None


@pytest.mark.parametrize("value", [None, "", "not a date", 7])
def test_values_that_are_not_dates_get_django_s_answer(value):
    assert date(value, "Y-m-d") == django_date(value, "Y-m-d")


def test_a_template_shows_an_aware_time_in_the_clinic_s_zone():
    moment = datetime.datetime(2026, 12, 1, 15, 30, tzinfo=datetime.UTC)
    template = engines["django"].from_string("{% load tz %}{% timezone 'America/Chicago' %}"
                                              "{{ at|date:'Y-m-d H:i' }}{% endtimezone %} {{ day|date:'Y-m-d' }}")
    with timezone.override("UTC"):
        assert template.render({"at": moment, "day": datetime.date(2026, 12, 1)}) == "2026-12-01 09:30 2026-12-01"
