"""Errors the clinical core raises for bad input.

The command line turns a `ClinicalInputError` into one line on stderr and exit status 2;
the application layer shows its message on the form.
"""


class ClinicalInputError(ValueError):
    """Raise for input a user can correct (unknown drug, malformed diplotype, bad dose)."""
