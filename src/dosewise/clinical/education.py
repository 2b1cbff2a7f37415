"""A plain-language patient handout for one medicine, built from the knowledge base.

Every statement carries its source: the formulary entry's own sources (boxed warnings,
pregnancy, half-life, metabolism), or the small class tables below, each row cited. The
handout's readability grade is computed with `readability.flesch_kincaid_grade`.
"""

from __future__ import annotations

from dataclasses import dataclass

from dosewise.clinical.kb import Ingredient
from dosewise.clinical.readability import Readability, flesch_kincaid_grade

TARGET_GRADE = 8.0


@dataclass(frozen=True)
class Statement:
    text: str
    source: str


@dataclass(frozen=True)
class Section:
    title: str
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class Handout:
    drug: str
    brands: tuple[str, ...]
    sections: tuple[Section, ...]
    readability: Readability

    @property
    def within_target(self) -> bool:
        return self.readability.grade <= TARGET_GRADE


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

# Common side effects by class, each row cited (the most frequent adverse reactions of the labels).
COMMON_SIDE_EFFECTS = (
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

# Serious warnings in plain words, by boxed-warning topic; the source is the warning's own.
PLAIN_WARNINGS = {
    "suicidality": "Some people 24 or younger have new or worse thoughts of suicide, mostly in the first weeks or "
                   "after a dose change. Call us or a crisis line right away if this happens.",
    "dementia-related psychosis mortality": "Older adults with dementia who take this kind of medicine have a "
                                            "higher risk of death. It is not approved for that use.",
    "abuse, misuse and addiction": "It can be habit forming. Take only what was prescribed.",
    "addiction, abuse and misuse": "It can be habit forming. Take only what was prescribed.",
    "concomitant opioids": "Taking it with opioid pain medicine can slow your breathing and can cause death.",
    "benzodiazepines and CNS depressants": "Taking it with sleep or anxiety pills can slow your breathing and can "
                                           "cause death.",
    "dependence and withdrawal": "Your body can get used to it. Stopping suddenly can cause a dangerous "
                                 "withdrawal. Do not stop it on your own.",
    "respiratory depression": "It can slow or stop your breathing, most of all at the start or after a dose "
                              "increase.",
    "accidental ingestion": "One dose taken by a child can kill. Keep it locked away.",
}

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

ALCOHOL = "Do not drink alcohol. Together they can make you very sleepy and slow your breathing."
MAOI_DIET = ("Do not eat foods high in tyramine, such as aged cheese, cured meats, tap beer, soy sauce and "
             "sauerkraut. Together they can raise your blood pressure to a dangerous level. Do not take any other "
             "medicine, even one you buy, without asking us.")
MAOI_DIET_SOURCE = "FDA label Nardil (phenelzine) Warnings: hypertensive crisis and the tyramine-restricted diet (rev. 2023)"
GRAPEFRUIT = "Do not eat grapefruit or drink grapefruit juice. It can raise the level of this medicine in your blood."
GRAPEFRUIT_SOURCE = ("FDA Consumer Update, Grapefruit Juice and Some Drugs Don't Mix (2021): grapefruit inhibits "
                     "CYP3A4 in the gut")

PREGNANCY = {
    "compatible": "It is often used in pregnancy. Tell us if you are pregnant or plan to be.",
    "caution": "Tell us if you are pregnant, plan to be, or are breastfeeding. We will weigh the risks to the baby "
               "against the risks of stopping. Do not stop it on your own.",
    "avoid": "It is usually avoided in pregnancy. Tell us right away if you are pregnant or plan to be.",
    "contraindicated": "It must not be used in pregnancy. Use birth control, and tell us right away if you might be "
                       "pregnant.",
}


def _first(table, classes):
    return next((row for row in table if row[0] in classes), None)


def education_handout(ingredient: Ingredient, *, how_to_take: str = "") -> Handout:
    """Return the handout for one formulary ingredient; `how_to_take` is the patient's own sig, if any."""
    classes = ingredient.class_set
    class_source = f"Formulary classes of {ingredient.name}: {', '.join(ingredient.classes)}; " + "; ".join(
        ingredient.sources[:1])
    purpose = _first(PURPOSE, classes)
    sections = [Section("What it is for", (Statement(
        purpose[1] if purpose else "Your prescriber will tell you what it is for.", class_source),))]

    take = [Statement(f"Your instructions: {how_to_take.strip()}", "The prescription in your record")] \
        if how_to_take.strip() else []
    take.append(Statement("Take it at the same time each day. Do not change the dose or stop it without asking us.",
                          "Label instructions for use of " + ingredient.name + "; " + "; ".join(ingredient.sources[:1])))
    sections.append(Section("How to take it", tuple(take)))

    onset = _first(ONSET, classes)
    if onset:
        sections.append(Section("When it starts to help", (Statement(onset[1], onset[2]),)))

    effects = []
    common = _first(COMMON_SIDE_EFFECTS, classes)
    if common:
        effects.append(Statement(f"Common: {common[1]}", common[2]))
    seen = set()
    for warning in ingredient.boxed_warnings:
        plain = PLAIN_WARNINGS.get(warning["topic"])
        if plain and plain not in seen:
            seen.add(plain)
            effects.append(Statement(f"Serious: {plain}", warning["source"]))
    if effects:
        sections.append(Section("Side effects", tuple(effects)))

    missed = [Statement(*MISSED_DOSE)]
    hours = ingredient.half_life.get("hours")
    if hours is not None and hours < SHORT_HALF_LIFE_HOURS:
        missed.append(Statement(SHORT_HALF_LIFE, f"Half-life about {hours:g} h: {ingredient.half_life['source']}"))
    elif hours is not None and max(hours, ingredient.half_life.get("active_metabolite_hours") or 0) >= \
            LONG_HALF_LIFE_HOURS:
        missed.append(Statement(LONG_HALF_LIFE, f"Half-life: {ingredient.half_life['source']}"))
    if ingredient.name in RESTART:
        missed.append(Statement(*RESTART[ingredient.name]))
    sections.append(Section("If you miss a dose", tuple(missed)))

    avoid = []
    if ingredient.properties.get("cns_depressant") in ("moderate", "high"):
        avoid.append(Statement(ALCOHOL, ingredient.properties["source"]))
    if ingredient.properties.get("maoi") == "irreversible-nonselective":
        avoid.append(Statement(MAOI_DIET, MAOI_DIET_SOURCE))
    if ingredient.metabolism.get("substrate", {}).get("CYP3A4") == "sensitive":
        avoid.append(Statement(GRAPEFRUIT, f"{GRAPEFRUIT_SOURCE}; {ingredient.metabolism['source']}"))
    if avoid:
        sections.append(Section("What to avoid", tuple(avoid)))

    risk = ingredient.pregnancy.get("risk")
    if risk in PREGNANCY:
        sections.append(Section("Pregnancy", (Statement(PREGNANCY[risk], ingredient.pregnancy["source"]),)))

    text = "\n".join(s.text for section in sections for s in section.statements)
    return Handout(drug=ingredient.name, brands=ingredient.brands, sections=tuple(sections),
                   readability=flesch_kincaid_grade(text))
