"""The note templates Dosewise ships, one per kind of note; a clinic adds its own as data.

The initial evaluation follows the domains of the APA Practice Guideline for the Psychiatric
Evaluation of Adults, 3rd ed. (2016), guideline statements 1-9 (psychiatric review of systems,
substance use, medical history, suicide and violence risk, cultural factors, quantitative
measures); its safety plan follows the Stanley-Brown Safety Planning Intervention (Stanley &
Brown, Cognitive and Behavioral Practice 2012;19:256-264): warning signs, internal coping
strategies, people and places for distraction, people to ask for help, professionals and
agencies, making the environment safe.
"""

from __future__ import annotations

APA_SOURCE = "APA Practice Guideline for the Psychiatric Evaluation of Adults, 3rd ed. (2016), guidelines I-IX"
STANLEY_BROWN_SOURCE = "Stanley B, Brown GK. Cognitive and Behavioral Practice 2012;19:256-264"


def _section(key: str, label: str, help_text: str = "", *, prefill: str = "", review: bool = False) -> dict:
    return {"key": key, "label": label, "help": help_text, "prefill": prefill, "review": review}


EVALUATION_SECTIONS = [
    _section("referral_hpi", "Reason for referral and history of present illness",
             "Who referred, why now, onset and course of the current episode.", review=True),
    _section("review_of_systems", "Psychiatric review of systems",
             "Mood, anxiety, psychosis, cognition, trauma; the scores on file are filled in.",
             prefill="symptom_scores", review=True),
    _section("past_psychiatric", "Past psychiatric history",
             "Diagnoses, treatments, hospitalisations, emergency visits, self-harm and suicide attempts.",
             prefill="past_psychiatric", review=True),
    _section("substance_use", "Substance use", "Alcohol, tobacco, cannabis, other drugs; AUDIT-C and AUDIT scores.",
             prefill="substance_use", review=True),
    _section("medical", "Medical history and current non-psychiatric medicines",
             "Conditions, allergies, kidney and liver function, pregnancy, other medicines.",
             prefill="medical", review=True),
    _section("family", "Family history", "Psychiatric illness, suicide and substance use in relatives.",
             review=True),
    _section("social", "Social history and lifestyle",
             "Sleep, exercise, work, relationships, supports, culture and language.", review=True),
    _section("mental_status", "Mental status examination",
             "Appearance, behaviour, speech, mood and affect, thought process and content, perception, "
             "cognition, insight and judgement.", review=True),
    _section("risk", "Suicide and violence risk assessment",
             "Ideation, intent, plan, access to means, past attempts; risk and protective factors.",
             prefill="risk_screen", review=True),
    _section("safety_warning_signs", "Safety plan: warning signs", "Thoughts, moods or situations that come before "
             "a crisis, in the patient's words.", review=True),
    _section("safety_coping", "Safety plan: things I can do on my own", "Internal coping strategies.", review=True),
    _section("safety_contacts", "Safety plan: people and places that help me take my mind off things",
             review=True),
    _section("safety_help", "Safety plan: people I can ask for help", "Names and phone numbers.", review=True),
    _section("safety_professionals", "Safety plan: professionals and crisis lines",
             "Clinic, clinician, 988 Suicide & Crisis Lifeline, local emergency services.", review=True),
    _section("safety_means", "Safety plan: making my environment safe",
             "Firearms, medicines and other means, and who will hold them.", review=True),
    _section("formulation", "Formulation", "Biological, psychological and social factors; why this person, why now.",
             review=True),
    _section("diagnoses", "Diagnoses", "ICD-10-CM; add each to the problem list below.", prefill="problems",
             review=True),
    _section("plan", "Plan", "Medicines, therapy, monitoring, safety, follow-up.", review=True),
]

FOLLOW_UP_SECTIONS = [
    _section("interval_history", "Interval history", "How things have gone since the last visit, in the "
             "patient's words; the record's summary since then is shown above."),
    _section("mental_status", "Mental status examination"),
    _section("risk", "Risk assessment", "Suicidal and violent ideation, intent, plan, means; protective factors.",
             prefill="risk_screen"),
    _section("assessment", "Assessment", "Response so far, side effects, adherence; what the scores show."),
    _section("plan", "Plan", "Medicine changes, monitoring ordered, therapy, safety; the follow-up interval below."),
]

SHIPPED_TEMPLATES = [
    {"key": "initial-evaluation", "name": "Initial psychiatric evaluation", "kind": "initial_evaluation",
     "description": f"Domains of the {APA_SOURCE}; safety plan after {STANLEY_BROWN_SOURCE}.",
     "sections": EVALUATION_SECTIONS},
    {"key": "follow-up", "name": "Medication-management follow-up", "kind": "follow_up",
     "description": "Pre-filled from the record since the last visit: scores, medicine changes and today's "
                    "orders, side effects, adherence, monitoring, plan steps.",
     "sections": FOLLOW_UP_SECTIONS},
    {"key": "brief-check", "name": "Brief check", "kind": "brief_check",
     "description": "A short visit: the interval summary, what was discussed, the plan.",
     "sections": [_section("interval_history", "What was discussed"),
                  _section("risk", "Risk", prefill="risk_screen"),
                  _section("plan", "Plan")]},
    {"key": "telephone", "name": "Telephone contact", "kind": "telephone",
     "description": "A call with the patient or about them.",
     "sections": [_section("caller", "Who called and why"), _section("discussion", "What was discussed"),
                  _section("plan", "Advice given and plan")]},
    {"key": "letter", "name": "Summary or referral letter", "kind": "letter",
     "description": "A letter to a care-team member (primary care, therapist), filled from the chart.",
     "sections": [_section("reason", "Reason for writing"),
                  _section("summary", "Summary", "Diagnoses, current medicines, recent scores.",
                           prefill="letter_summary"),
                  _section("request", "What we ask of you"), _section("plan", "Our plan")]},
]
