"""A plain-language patient handout for one medicine, built from the knowledge base.

Every statement carries its source: the formulary entry's own sources (boxed warnings,
pregnancy, half-life, metabolism), the danger signs of `kb/danger_signs.json` (each from the
drug's label), the monitoring schedule of `kb/monitoring.json`, the plain-word content of
`kb/handouts.json`, or the small class tables below, each row cited. The handout carries,
for a psychotropic: its boxed warnings in plain words, the label's "get help now" signs
grouped by what to do (call 911, call us today, tell us soon), the tests the patient must
keep, what the patient should avoid (NSAIDs and dehydration with lithium, alcohol, St.
John's wort, grapefruit, tyramine, smoking changes), pregnancy and birth control, missed
doses, not stopping suddenly, and the clinic's phone number when the caller passes it.

Statements carry a `key` (the boxed-warning topic, danger-sign id or test they cover) so a
test can prove that nothing the knowledge base warns about is left out. Patient-facing text
carries no rule ids or citation numbers; the sources are for the care team's footer.
The handout's readability grade is computed with `readability.flesch_kincaid_grade`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dosewise.clinical.citations import BOXED, WARNINGS, label_citation
from dosewise.clinical.kb import Ingredient, KnowledgeBase, load_kb
from dosewise.clinical.readability import Readability, flesch_kincaid_grade
from dosewise.clinical.selection import selects

TARGET_GRADE = 8.0
HANDOUTS_FILE = "handouts.json"
# Where each danger sign goes, by its base urgency: what the patient should do is the title.
SIGN_SECTIONS = (
    ("emergency", "help-now", "Get help now: call 911 or go to an emergency room"),
    ("urgent", "call-today", "Call us the same day"),
    ("soon", "tell-soon", "Tell us within a day or two"),
)


@dataclass(frozen=True)
class Statement:
    text: str
    source: str
    key: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    statements: tuple[Statement, ...]
    key: str = ""


@dataclass(frozen=True)
class Handout:
    drug: str
    brands: tuple[str, ...]
    sections: tuple[Section, ...]
    readability: Readability

    @property
    def within_target(self) -> bool:
        return self.readability.grade <= TARGET_GRADE

    def section(self, key: str) -> Section | None:
        """Return the section of one kind ('boxed', 'help-now', 'monitoring', ...), if present."""
        return next((s for s in self.sections if s.key == key), None)

    @property
    def keys(self) -> frozenset[str]:
        """Return what the statements cover: boxed topics, danger-sign ids, tests, avoidances."""
        return frozenset(s.key for section in self.sections for s in section.statements if s.key)

    @property
    def sources(self) -> tuple[str, ...]:
        """Return the distinct sources, for the care team's footer."""
        return tuple(dict.fromkeys(s.source for section in self.sections for s in section.statements))


# What the medicine is for, by class (first matching class wins). Source: the class itself,
# as the formulary entry records it from the FDA label's indications.
PURPOSE = (
    ("antidepressant", "It treats depression. Some people take it for anxiety too."),
    ("antipsychotic", "It treats psychosis, such as hearing voices or fixed false beliefs. It is also used for "
                      "bipolar disorder."),
    ("mood-stabilizer", "It keeps your mood more steady. It is used for bipolar disorder."),
    ("benzodiazepine", "It calms anxiety for a short time. It can also help with sleep."),
    ("hypnotic", "It helps you fall asleep and stay asleep."),
    ("stimulant", "It helps with focus and attention in ADHD."),
    ("adhd-non-stimulant", "It helps with focus and attention in ADHD."),
    ("anxiolytic", "It calms anxiety."),
    ("antiepileptic", "It prevents seizures. Some people take it to keep their mood steady."),
)

# When it starts to help, by class, each with its source.
ONSET = (
    ("antidepressant", "Most people notice the first small changes in 2 to 4 weeks. The full effect can take 4 to "
                       "8 weeks. Keep taking it even if you do not feel better at first.",
     "American Psychiatric Association, Practice Guideline for the Treatment of Patients With Major Depressive "
     "Disorder, 3rd ed., 2010 (response in the first weeks; an adequate trial lasts 4 to 8 weeks)"),
    ("antipsychotic", "Some calming can start in the first week. Voices and fixed beliefs often ease over a few "
                      "weeks.",
     "Agid O, Kapur S, Arenovich T, Zipursky RB. Delayed-onset hypothesis of antipsychotic action: a hypothesis "
     "tested and rejected. Arch Gen Psychiatry 2003;60:1228-35"),
    ("benzodiazepine", "It starts to work within 1 or 2 hours of a dose.",
     "FDA labels of benzodiazepines, Clinical Pharmacology (peak blood levels 1 to 2 hours after an oral dose), "
     "e.g. Ativan (lorazepam) rev. 2023"),
    ("hypnotic", "It works soon after you take it. Take it just before bed, when you can sleep for a full night.",
     "FDA label Ambien (zolpidem) section 2.1 (take immediately before bedtime with at least 7-8 hours remaining "
     "before awakening) (rev. 2022)"),
    ("stimulant", "It starts to work within 1 or 2 hours and wears off later the same day.",
     "FDA label Ritalin (methylphenidate) section 12.3 (peak plasma levels 1 to 2 hours after a dose) (rev. 2023)"),
)

# Common side effects by drug or class (a drug's own row first), each row cited (the most
# frequent adverse reactions of the labels).
COMMON_SIDE_EFFECTS = (
    ("clozapine", "Sleepiness, drooling, constipation, a fast heartbeat, dizziness and weight gain.",
     "FDA label Clozaril (clozapine) section 6.1, most common adverse reactions (rev. 2025)"),
    ("lamotrigine", "Dizziness, headache, double or blurred vision, feeling unsteady, upset stomach and sleepiness.",
     "FDA label Lamictal (lamotrigine) section 6.1, most common adverse reactions (rev. 2023)"),
    ("valproate", "Upset stomach, sleepiness, dizziness, shaky hands, weight gain and hair loss.",
     "FDA label Depakote (divalproex sodium) section 6.1, adverse reactions in mania and epilepsy trials "
     "(rev. 2023)"),
    ("carbamazepine", "Dizziness, sleepiness, feeling unsteady, and upset stomach or vomiting, mostly at the start.",
     "FDA label Tegretol (carbamazepine) Adverse Reactions: most frequently observed at the start of treatment "
     "(rev. 2023)"),
    ("lithium", "Shaky hands, thirst, passing more urine, upset stomach and weight gain.",
     "FDA label lithium carbonate capsules and tablets section 6, most common adverse reactions (rev. 2022)"),
    ("ssri", "Upset stomach, loose stools, headache, trouble sleeping or feeling sleepy, and sexual problems. "
             "These often get better after the first weeks.",
     "FDA label Zoloft (sertraline) section 6.1, most common adverse reactions (rev. 2023)"),
    ("snri", "Upset stomach, dry mouth, sweating, less appetite, and sleep changes.",
     "FDA label Effexor XR (venlafaxine) section 6.1, most common adverse reactions (rev. 2022)"),
    ("tca", "Dry mouth, constipation, sleepiness, blurred vision, and dizziness when you stand up.",
     "FDA label amitriptyline hydrochloride tablets, Adverse Reactions (anticholinergic effects) (rev. 2023)"),
    ("maoi", "Dizziness when you stand up, sleep changes, weight gain, and sexual problems.",
     "FDA label Nardil (phenelzine) Adverse Reactions (rev. 2023)"),
    ("antipsychotic", "Sleepiness, weight gain, feeling restless, stiff muscles, and dizziness when you stand up.",
     "FDA labels of antipsychotics, section 6.1 and Warnings (metabolic changes, extrapyramidal symptoms, "
     "orthostatic hypotension), e.g. Seroquel (quetiapine) rev. 2025"),
    ("benzodiazepine", "Sleepiness, dizziness, feeling unsteady, and slow thinking.",
     "FDA label Ativan (lorazepam) section 6 (sedation, dizziness, weakness, unsteadiness) (rev. 2023)"),
    ("stimulant", "Less appetite, trouble sleeping, stomach ache, headache, and a faster heartbeat.",
     "FDA label Ritalin (methylphenidate) section 6.1, most common adverse reactions (rev. 2023)"),
)

# General missed-dose rule (label wording common to once- and twice-daily psychiatric medicines).
MISSED_DOSE = ("If you miss a dose, take it when you remember. If it is almost time for your next dose, skip the "
               "missed one. Never take two doses at once to make up.",
               "NHS Medicines A-Z, 'What if I forget to take it?', e.g. Sertraline (nhs.uk, reviewed 2022)")
SHORT_HALF_LIFE_HOURS = 12
SHORT_HALF_LIFE = "This medicine leaves the body within a day, so try not to miss doses."
LONG_HALF_LIFE_HOURS = 48
LONG_HALF_LIFE = "This medicine stays in the body a long time, so one missed dose matters less."
# Medicines that must not be restarted at the full dose after a break.
RESTART = {
    "clozapine": ("If you miss it for 2 days or more, do not restart it. Call us first: it must be started again "
                  "at a low dose.",
                  "FDA label Clozaril (clozapine) section 2.5, re-initiation after 2 or more days off (rev. 2025)"),
    "lamotrigine": ("If you miss it for several days, do not restart your usual dose. Call us first: it may need "
                    "to be started again slowly because of the risk of a serious rash.",
                    "FDA label Lamictal (lamotrigine) section 2.1, restarting after discontinuation (rev. 2023)"),
}

PREGNANCY = {
    "compatible": "It is often used in pregnancy. Tell us if you are pregnant or plan to be.",
    "caution": "Tell us if you are pregnant, plan to be, or are breastfeeding. We will weigh the risks to the baby "
               "against the risks of stopping. Do not stop it on your own.",
    "avoid": "It is usually avoided in pregnancy. Tell us right away if you are pregnant or plan to be.",
    "contraindicated": "It must not be used in pregnancy. Use birth control, and tell us right away if you might be "
                       "pregnant.",
}


def _first(table, classes, name: str = ""):
    return next((row for row in table if row[0] == name), None) or next(
        (row for row in table if row[0] in classes), None)


@functools.lru_cache(maxsize=4)
def _content(kb: KnowledgeBase) -> Mapping[str, Any]:
    return kb.data(HANDOUTS_FILE)


def _statement_source(entry: Mapping[str, Any], ingredient: Ingredient, kb: KnowledgeBase) -> str:
    """Return the source of one handout statement for one drug."""
    found = list(entry.get("sources", ()))
    if "citation" in entry:
        part = BOXED if entry.get("part") == "boxed" else WARNINGS
        found.insert(0, label_citation(ingredient, part, entry["citation"]))
    origin = entry.get("source_from")
    if origin == "properties":
        found.append(ingredient.properties["source"])
    elif origin == "metabolism":
        found.append(ingredient.metabolism["source"])
    elif origin == "smoking":
        smoke = kb.ingredients[kb.derived_rules["smoking"]["ingredient"]]
        found += [smoke.metabolism["source"], ingredient.metabolism["source"]]
    return "; ".join(dict.fromkeys(found))


def _picked(entries, ingredient: Ingredient, kb: KnowledgeBase) -> list[Statement]:
    return [Statement(e["text"], _statement_source(e, ingredient, kb), e["id"])
            for e in entries if selects(e["select"], ingredient)]


def _plain_days(days: int) -> str:
    """Return a number of days as a patient would say it ('1 week', '3 months', 'year')."""
    named = {7: "week", 30: "month", 365: "year"}
    if days in named:
        return named[days]
    if days < 7:
        return f"{days} days"
    if days % 7 == 0 and days <= 84:
        return f"{days // 7} weeks"
    if days >= 365:
        return f"{round(days / 365)} years"
    return f"{round(days / 30.4)} months"


def _after(days: int) -> str:
    plain = _plain_days(days)
    return f"1 {plain}" if plain in ("week", "month", "year") else plain


def plain_schedule(schedule) -> str:
    """Return a monitoring schedule in plain words ('before you start, 1 week after you start, ...')."""
    parts = []
    if schedule.at_start:
        parts.append("before you start")
    parts += [f"{_after(days)} after you start" for days in schedule.after_start_days]
    parts += [f"{_after(days)} after each dose change" for days in schedule.after_dose_change_days]
    for index, interval in enumerate(schedule.intervals):
        every = f"every {_plain_days(interval.every_days)}"
        if interval.until_day is not None:
            every += f" for the first {_plain_days(interval.until_day)}"
        parts.append(("then " if index and parts else "") + every)
    return ", ".join(parts)


def _monitoring(ingredient: Ingredient, kb: KnowledgeBase) -> list[Statement]:
    """Return one statement per dated test the drug's monitoring plan needs."""
    # Imported here: the monitoring module imports the safety engine, which handouts do not otherwise need.
    from dosewise.clinical.monitoring import monitoring_plan

    names = _content(kb)["monitoring"]
    found = []
    for item in monitoring_plan([ingredient.name]):
        if not item.schedule.dated or item.key not in names:
            continue
        found.append(Statement(f"{names[item.key]} When: {plain_schedule(item.schedule)}.", "; ".join(item.sources),
                               item.key))
    return found


def _sign_statements(ingredient: Ingredient, kb: KnowledgeBase) -> dict[str, list[Statement]]:
    """Return the drug's danger signs as statements, by base urgency."""
    from dosewise.clinical.triage import sign_sources, signs_for

    by_urgency: dict[str, list[Statement]] = {}
    for sign in signs_for(ingredient.name, kb):
        source = "; ".join(sign_sources(ingredient.name, sign["id"], kb))
        text = sign.get("handout") or sign["patient"]
        by_urgency.setdefault(sign["urgency"], []).append(Statement(text, source, sign["id"]))
    return by_urgency


def _boxed(ingredient: Ingredient, kb: KnowledgeBase) -> list[Statement]:
    plain = _content(kb)["boxed"]
    found = []
    for warning in ingredient.boxed_warnings:
        # A topic without plain words still reaches the patient, in the formulary's own words.
        text = plain.get(warning["topic"]) or f"Serious warning: {warning['text']}."
        found.append(Statement(text, warning["source"], warning["topic"]))
    return found


def education_handout(ingredient: Ingredient, *, how_to_take: str = "", clinic_name: str = "",
                      clinic_phone: str = "", kb: KnowledgeBase | None = None) -> Handout:
    """Return the handout for one formulary ingredient.

    `how_to_take` is the patient's own sig, if any; `clinic_name` and `clinic_phone` go in
    the last section, so the patient knows whom to call.
    """
    kb = kb or load_kb()
    content = _content(kb)
    classes = ingredient.class_set
    class_source = f"Formulary classes of {ingredient.name}: {', '.join(ingredient.classes)}; " + "; ".join(
        ingredient.sources[:1])
    purpose = _first(PURPOSE, classes)
    sections = [Section("What it is for", (Statement(
        purpose[1] if purpose else "Your prescriber will tell you what it is for.", class_source),), "purpose")]

    take = [Statement(f"Your instructions: {how_to_take.strip()}", "The prescription in your record")] \
        if how_to_take.strip() else []
    take.append(Statement("Take it at the same time each day. Do not change the dose or stop it without asking us.",
                          "Label instructions for use of " + ingredient.name + "; " + "; ".join(ingredient.sources[:1])))
    sections.append(Section("How to take it", tuple(take), "take"))

    onset = _first(ONSET, classes)
    if onset:
        sections.append(Section("When it starts to help", (Statement(onset[1], onset[2]),), "onset"))

    common = _first(COMMON_SIDE_EFFECTS, classes, ingredient.name)
    if common:
        sections.append(Section("Common side effects", (Statement(common[1], common[2]),), "side-effects"))
    boxed = _boxed(ingredient, kb)
    if boxed:
        sections.append(Section("Serious warnings", tuple(boxed), "boxed"))
    signs = _sign_statements(ingredient, kb)
    for urgency, key, title in SIGN_SECTIONS:
        if signs.get(urgency):
            sections.append(Section(title, tuple(signs[urgency]), key))

    monitoring = _monitoring(ingredient, kb)
    if monitoring:
        sections.append(Section("Tests and checks you need", tuple(monitoring), "monitoring"))

    avoid = _picked(content["avoid"], ingredient, kb)
    if avoid:
        sections.append(Section("What to avoid", tuple(avoid), "avoid"))

    pregnancy = []
    risk = ingredient.pregnancy.get("risk")
    if risk in PREGNANCY:
        pregnancy.append(Statement(PREGNANCY[risk], ingredient.pregnancy["source"], "pregnancy"))
    pregnancy += _picked(content["contraception"], ingredient, kb)
    if pregnancy:
        sections.append(Section("Pregnancy and birth control", tuple(pregnancy), "pregnancy"))

    missed = [Statement(*MISSED_DOSE)]
    hours = ingredient.half_life.get("hours")
    if hours is not None and hours < SHORT_HALF_LIFE_HOURS:
        missed.append(Statement(SHORT_HALF_LIFE, f"Half-life about {hours:g} h: {ingredient.half_life['source']}"))
    elif hours is not None and max(hours, ingredient.half_life.get("active_metabolite_hours") or 0) >= \
            LONG_HALF_LIFE_HOURS:
        missed.append(Statement(LONG_HALF_LIFE, f"Half-life: {ingredient.half_life['source']}"))
    if ingredient.name in RESTART:
        missed.append(Statement(*RESTART[ingredient.name]))
    sections.append(Section("If you miss a dose", tuple(missed), "missed"))

    stopping = _picked(content["stopping"], ingredient, kb) or [
        Statement(content["stop_default"]["text"], content["stop_default"]["source"], "stop-default")]
    sections.append(Section("Stopping this medicine", tuple(stopping), "stopping"))

    sections.append(Section("How to reach us", tuple(_contact(clinic_name, clinic_phone, kb)), "contact"))

    text = "\n".join(s.text for section in sections for s in section.statements)
    return Handout(drug=ingredient.name, brands=ingredient.brands, sections=tuple(sections),
                   readability=flesch_kincaid_grade(text))


def _contact(clinic_name: str, clinic_phone: str, kb: KnowledgeBase) -> list[Statement]:
    from dosewise.clinical.triage import DANGER_SIGNS_FILE

    who = clinic_name.strip() or "your clinic"
    call = f"Call {who} at {clinic_phone.strip()} with any question." if clinic_phone.strip() else \
        f"Call {who} with any question."
    net = kb.data(DANGER_SIGNS_FILE)["safety_net"]
    return [Statement(call, "The clinic's contact details in your record", "phone"),
            Statement(net, "; ".join(s for g in kb.data(DANGER_SIGNS_FILE)["general"] for s in g["sources"]),
                      "safety-net")]
