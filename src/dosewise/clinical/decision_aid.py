"""What a shared-decision aid may say when comparing candidate medicines, each statement with its source.

Only comparisons that could be checked against the papers' abstracts are stated; everything else
is shown from the drug's label (the formulary facts and their cited sections), or said to be
unknown here. In particular:

- Cipriani A et al., Lancet 2018;391:1357-1366 (21 antidepressants, acute treatment of adult
  major depression): the abstract's head-to-head grouping (more effective / least effective)
  and its three acceptability odds ratios against placebo (agomelatine 0.84, 95% CrI 0.72-0.97;
  fluoxetine 0.88, 0.80-0.96; clomipramine 1.30, 1.01-1.68; the others did not differ from
  placebo). The per-drug efficacy odds ratios are not shown: they could not be checked here.
- Pillinger T et al., Lancet Psychiatry 2020;7:64-77 (18 antipsychotics, metabolic effects):
  the abstract's interpretation (olanzapine and clozapine the worst metabolic profiles;
  aripiprazole, brexpiprazole, cariprazine, lurasidone and ziprasidone the most benign).
- Huhn M et al., Lancet 2019;394:939-951 (32 antipsychotics): no figure could be checked here,
  so none is shown; the aid says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dosewise.clinical.kb import KnowledgeBase, load_kb
from dosewise.clinical.monitoring import monitoring_plan

PRIORITIES = {
    "weight": ("Weight gain", "Will it make me gain weight?"),
    "sexual": ("Sexual side effects", "Will it affect my sex life?"),
    "sedation": ("Sleepiness", "Will it make me sleepy?"),
    "activation": ("Restlessness or feeling wired", "Will it make me restless?"),
    "withdrawal": ("Stopping it later", "What happens if I miss doses or stop?"),
    "cost": ("Cost and generic versions", "How much will it cost?"),
    "monitoring": ("Blood tests and checks", "Will I need blood tests or heart checks?"),
    "pregnancy": ("Pregnancy or breastfeeding plans", "Is it safe if I get pregnant or breastfeed?"),
    "effect": ("How well it works", "How likely is it to help?"),
}

CIPRIANI = "Cipriani A et al. Lancet 2018;391:1357-1366 (abstract)"
CIPRIANI_STUDIED = frozenset({
    "agomelatine", "amitriptyline", "bupropion", "citalopram", "clomipramine", "desvenlafaxine", "duloxetine",
    "escitalopram", "fluoxetine", "fluvoxamine", "levomilnacipran", "milnacipran", "mirtazapine", "nefazodone",
    "paroxetine", "reboxetine", "sertraline", "trazodone", "venlafaxine", "vilazodone", "vortioxetine"})
CIPRIANI_MORE_EFFECTIVE = frozenset({"agomelatine", "amitriptyline", "escitalopram", "mirtazapine", "paroxetine",
                                     "venlafaxine", "vortioxetine"})
CIPRIANI_LEAST_EFFECTIVE = frozenset({"fluoxetine", "fluvoxamine", "reboxetine", "trazodone"})
CIPRIANI_ACCEPTABILITY = {"agomelatine": "0.84 (0.72-0.97)", "fluoxetine": "0.88 (0.80-0.96)",
                          "clomipramine": "1.30 (1.01-1.68)"}
PILLINGER = "Pillinger T et al. Lancet Psychiatry 2020;7:64-77 (abstract)"
PILLINGER_WORST = frozenset({"olanzapine", "clozapine"})
PILLINGER_MOST_BENIGN = frozenset({"aripiprazole", "brexpiprazole", "cariprazine", "lurasidone", "ziprasidone"})
HUHN_NOTE = ("Huhn M et al. Lancet 2019;394:939-951 compared 32 antipsychotics; its figures could not be checked "
             "here, so none is shown.")
NOT_HERE = "No sourced comparison in Dosewise's data; discuss it with the patient from the label and experience."


@dataclass(frozen=True)
class Statement:
    text: str
    plain: str  # the same for the patient, in plain words
    source: str = ""


@dataclass(frozen=True)
class Candidate:
    drug: str
    known: bool
    statements: dict[str, list[Statement]] = field(default_factory=dict)


def _effect(drug: str, classes: tuple[str, ...]) -> list[Statement]:
    out = []
    if drug in CIPRIANI_STUDIED:
        if drug in CIPRIANI_MORE_EFFECTIVE:
            out.append(Statement("Among the more effective in head-to-head trials of 21 antidepressants.",
                                 "In studies comparing depression medicines, this one helped a bit more often "
                                 "than most.", CIPRIANI))
        elif drug in CIPRIANI_LEAST_EFFECTIVE:
            out.append(Statement("Among the least effective in head-to-head trials of 21 antidepressants.",
                                 "In studies comparing depression medicines, this one helped a bit less often "
                                 "than most.", CIPRIANI))
        else:
            out.append(Statement("More effective than placebo; in the middle of the 21 antidepressants compared.",
                                 "In studies it helped more than a dummy pill, about as often as most others.",
                                 CIPRIANI))
        if drug in CIPRIANI_ACCEPTABILITY:
            fewer = drug != "clomipramine"
            out.append(Statement(f"Acceptability (dropouts) odds ratio against placebo {CIPRIANI_ACCEPTABILITY[drug]}: "
                                 f"{'fewer' if fewer else 'more'} dropouts than placebo.",
                                 f"People stopped it {'less' if fewer else 'more'} often than a dummy pill.",
                                 CIPRIANI))
        else:
            out.append(Statement("Dropouts did not differ from placebo.",
                                 "People stopped it about as often as a dummy pill.", CIPRIANI))
    elif "antipsychotic" in classes:
        out.append(Statement(HUHN_NOTE, "We have no checked comparison of how well it works to show you."))
    return out


def _weight(drug: str, classes: tuple[str, ...]) -> list[Statement]:
    if drug in PILLINGER_WORST:
        return [Statement("Among the worst metabolic profiles of 18 antipsychotics (weight, glucose, lipids).",
                          "Weight gain and changes in blood sugar and fats are more likely than with most "
                          "similar medicines.", PILLINGER)]
    if drug in PILLINGER_MOST_BENIGN:
        return [Statement("Among the most benign metabolic profiles of 18 antipsychotics.",
                          "Weight gain and changes in blood sugar and fats are less likely than with most similar "
                          "medicines.", PILLINGER)]
    return []


def _label(entry, key: str) -> list[Statement]:
    props = entry.properties or {}
    source = str(props.get("source", ""))
    if key == "sedation":
        level = props.get("cns_depressant")
        if level and level != "none":
            return [Statement(f"Nervous-system depressant ({level}): sleepiness is possible.",
                              "It can make you sleepy, most of all at first." if level != "low"
                              else "It can make some people a little sleepy.", source)]
        if level == "none":
            return [Statement("Not a nervous-system depressant in the label.", "It is not expected to make you sleepy.",
                              source)]
    if key == "activation" and props.get("sympathomimetic"):
        return [Statement("Sympathomimetic: can raise heart rate and blood pressure and cause restlessness.",
                          "It can make you feel wired or restless.", source)]
    if key == "withdrawal" and entry.half_life:
        hours = entry.half_life.get("hours")
        if hours:
            return [Statement(f"Half-life about {hours:g} hours"
                              + (f" (active metabolite {entry.half_life['active_metabolite_hours']:g} h)"
                                 if entry.half_life.get("active_metabolite_hours") else "")
                              + ": the shorter it is, the faster levels fall after a missed dose or a stop.",
                              "Stop only with your care team's plan, in small steps.",
                              str(entry.half_life.get("source", "")))]
    if key == "pregnancy":
        out = []
        for label, group in (("Pregnancy", entry.pregnancy), ("Breastfeeding", entry.lactation)):
            if group and group.get("risk"):
                out.append(Statement(f"{label}: {group['risk']}; {group.get('note', '')}".rstrip("; "),
                                     f"{label}: talk with us before; {group.get('note', '')}".rstrip("; "),
                                     str(group.get("source", ""))))
        return out
    return []


def compare_candidates(drugs: list[str], priorities: list[str], kb: KnowledgeBase | None = None) -> list[Candidate]:
    """Return, for each candidate drug, what may be said on each of the patient's priorities."""
    kb = kb or load_kb()
    out = []
    for drug in drugs:
        entry = kb.ingredients.get(drug)
        if entry is None:
            out.append(Candidate(drug, False))
            continue
        statements: dict[str, list[Statement]] = {}
        for key in priorities:
            if key == "effect":
                found = _effect(drug, entry.classes)
            elif key == "weight":
                found = _weight(drug, entry.classes)
            elif key == "monitoring":
                plan = monitoring_plan([drug])
                found = [Statement(f"{item.test}: {item.indications[0].reason}", f"Regular checks: {item.test}.",
                                   "; ".join(sorted({s for ind in item.indications for s in ind.sources})))
                         for item in plan]
                if not plan:
                    found = [Statement("No routine laboratory monitoring in Dosewise's rules.",
                                       "No regular blood tests are planned for it.", "Dosewise monitoring rules")]
            elif key == "cost":
                found = []
            else:
                found = _label(entry, key)
            statements[key] = found
        out.append(Candidate(drug, True, statements))
    return out
