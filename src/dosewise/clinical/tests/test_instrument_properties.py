"""Properties every shipped instrument keeps, whatever the answers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dosewise.clinical.instruments import Instrument, item_applies, load_instruments, score

INSTRUMENTS = load_instruments()


@st.composite
def completed(draw: st.DrawFn) -> tuple[Instrument, list[int], str]:
    """Draw an instrument, a complete valid set of answers and a sex."""
    instrument = draw(st.sampled_from(sorted(INSTRUMENTS.values(), key=lambda i: i.key)))
    answers = [draw(st.sampled_from(sorted(item.allowed))) for item in instrument.items[: instrument.min_answers]]
    for item in instrument.items[instrument.min_answers:]:
        # Answer the trailing conditional items exactly when they apply.
        if not item_applies(instrument, item.number, answers):
            break
        answers.append(draw(st.sampled_from(sorted(item.allowed))))
    return instrument, answers, draw(st.sampled_from(["female", "male"]))


@settings(max_examples=300, deadline=None)
@given(completed())
def test_total_is_always_within_the_instrument_range(case):
    instrument, answers, sex = case
    result = score(instrument, answers, sex=sex)
    assert instrument.total_min <= result.total <= instrument.total_max
    if instrument.bands:
        assert result.severity is not None
    assert (result.positive is None) == (not instrument.positive_rules)


@settings(max_examples=300, deadline=None)
@given(completed(), st.data())
def test_total_is_monotonic_in_each_answer(case, data):
    instrument, answers, sex = case
    index = data.draw(st.integers(0, instrument.min_answers - 1))
    item = instrument.items[index]
    higher = [v for v in sorted(item.allowed) if v > answers[index]]
    if not higher:
        return
    raised = list(answers)
    raised[index] = data.draw(st.sampled_from(higher))
    # Raising an item can make a trailing conditional item apply; answer it with its lowest value.
    for item in instrument.items[len(raised):]:
        if not item_applies(instrument, item.number, raised):
            break
        raised.append(item.minimum)
    before = score(instrument, answers, sex=sex).total
    after = score(instrument, raised, sex=sex).total
    scored = dict(instrument.scored)
    if index not in scored:
        assert after == before
    elif scored[index] < 0:
        assert after >= before
    else:
        assert after <= before
