"""The Flesch-Kincaid grade: syllable estimates, sentence counting and the formula."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dosewise.clinical.readability import count_syllables, flesch_kincaid_grade


@pytest.mark.parametrize(("word", "syllables"), [
    ("cat", 1), ("the", 1), ("side", 1), ("stopped", 1), ("table", 2), ("tablet", 2), ("doctor", 2),
    ("wanted", 2), ("changes", 2), ("medicine", 3), ("pregnancy", 3), ("alcohol", 3), ("antidepressant", 5),
    ("doctor's", 2), ("50", 2),
])
def test_syllables_are_estimated_like_a_reader_counts_them(word, syllables):
    assert count_syllables(word) == syllables


def test_the_formula_matches_a_hand_count():
    # 15 words, 2 sentences, 19 syllables: 0.39 * 7.5 + 11.8 * 19 / 15 - 15.59 = 2.26
    result = flesch_kincaid_grade("Take one tablet each morning with food. Do not stop this medicine on your own.")
    assert (result.words, result.sentences, result.syllables, result.grade) == (15, 2, 19, 2.3)


def test_long_words_in_long_sentences_score_far_above_plain_language():
    plain = flesch_kincaid_grade("Take it at the same time each day. Call us if you feel worse.")
    dense = flesch_kincaid_grade("Pharmacological intervention necessitates comprehensive evaluation of "
                                 "contraindications, concomitant medications and individual susceptibility.")
    assert plain.grade <= 4 < 20 < dense.grade


def test_line_breaks_end_sentences_but_colons_do_not_and_empty_text_scores_zero():
    assert flesch_kincaid_grade("Avoid:\nalcohol\ngrapefruit juice").sentences == 3
    assert flesch_kincaid_grade("Common: nausea and headache.").sentences == 1
    assert flesch_kincaid_grade("  ").grade == 0.0 and flesch_kincaid_grade("").words == 0


@given(st.lists(st.sampled_from(["take", "one", "tablet", "daily", "with", "water"]), min_size=1, max_size=40))
def test_a_longer_sentence_of_the_same_words_never_reads_easier(words):
    one = flesch_kincaid_grade(" ".join(words) + ".")
    two = flesch_kincaid_grade(" ".join(words + words) + ".")
    assert two.grade >= one.grade
