"""The `form_fields` tag: an empty add-form rendered once prints what rendering it each time prints,
a form with errors is always rendered afresh, and what an empty form depends on is in its key."""

from __future__ import annotations

import datetime

import pytest
from django.template import engines
from django.utils import translation

from dosewise.accounts.selectors import clinic_colleagues
from dosewise.patients import forms
from dosewise.web.templatetags import dosewise_format

TAG = engines["django"].from_string("{% form_fields form %}")
EACH_FIELD = engines["django"].from_string('{% for field in form %}{% include "web/_field.html" %}{% endfor %}')


@pytest.fixture(autouse=True)
def _no_kept_forms():
    dosewise_format._EMPTY_FORMS.clear()
    yield
    dosewise_format._EMPTY_FORMS.clear()


def _empty_forms():
    return [forms.AllergyForm(), forms.ConsentForm(),
            forms.ContextForm(initial={"effective_date": datetime.date(2026, 12, 7)})]


@pytest.mark.parametrize("language", ["en-us", "es"])
def test_an_empty_form_rendered_once_prints_what_each_rendering_prints(language):
    with translation.override(language):
        for form in _empty_forms():
            expected = EACH_FIELD.render({"form": form})
            assert TAG.render({"form": form}) == expected
            assert TAG.render({"form": type(form)(initial=form.initial)}) == expected  # from what was kept
            assert 'name="' in expected
    assert len(dosewise_format._EMPTY_FORMS) == 3


def test_a_form_with_errors_is_rendered_with_them_every_time():
    TAG.render({"form": forms.AllergyForm()})
    bound = forms.AllergyForm(data={"substance": "", "category": "allergy", "severity": "moderate"})
    html = TAG.render({"form": bound})
    assert "This field is required." in html and 'aria-invalid="true"' in html
    assert html == EACH_FIELD.render({"form": bound})
    assert "This field is required." not in TAG.render({"form": forms.AllergyForm()})


def test_the_context_form_of_another_day_shows_that_day():
    for day in (datetime.date(2026, 12, 7), datetime.date(2026, 12, 8)):
        html = TAG.render({"form": forms.ContextForm(initial={"effective_date": day})})
        assert f'value="{day:%Y-%m-%d}"' in html


def test_marking_required_fields_is_part_of_what_is_kept():
    plain = TAG.render({"form": forms.AllergyForm()})
    marked = TAG.render({"form": forms.AllergyForm(), "mark_required": True})
    assert 'class="req"' in marked and 'class="req"' not in plain


def test_the_care_team_form_offers_the_colleagues_of_the_moment(prescriber_a, therapist_a, make_staff, clinic_a,
                                                                django_assert_num_queries):
    with django_assert_num_queries(1):  # the colleagues, read once for the key and the select
        before = TAG.render({"form": forms.CareTeamForm(colleagues=clinic_colleagues(prescriber_a))})
    assert therapist_a.full_name in before and "Nadia Newcomer" not in before
    make_staff("nadia@a.example", "Nadia Newcomer", "nurse", clinic_a)
    after = TAG.render({"form": forms.CareTeamForm(colleagues=clinic_colleagues(prescriber_a))})
    assert "Nadia Newcomer" in after and therapist_a.full_name in after
    therapist_a.full_name = "Theo Renamed"
    therapist_a.save()
    renamed = TAG.render({"form": forms.CareTeamForm(colleagues=clinic_colleagues(prescriber_a))})
    assert "Theo Renamed" in renamed
    assert renamed == EACH_FIELD.render({"form": forms.CareTeamForm(colleagues=clinic_colleagues(prescriber_a))})


def test_the_kept_forms_stay_bounded():
    for offset in range(dosewise_format._EMPTY_FORMS_MAX + 10):
        TAG.render({"form": forms.ContextForm(initial={"effective_date": datetime.date(2020, 1, 1)
                                                        + datetime.timedelta(days=offset)})})
    assert len(dosewise_format._EMPTY_FORMS) <= dosewise_format._EMPTY_FORMS_MAX


def test_a_form_that_does_not_ask_to_be_kept_is_rendered_every_time():
    form = forms.EnteredInErrorForm()
    assert TAG.render({"form": form}) == EACH_FIELD.render({"form": form})
    assert not dosewise_format._EMPTY_FORMS
