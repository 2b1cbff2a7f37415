"""`python -m dosewise.clinical.kb`: regenerate the pre-compiled schema validators."""

from dosewise.clinical.kb import build_validators

for path in build_validators():
    print(path.name)
