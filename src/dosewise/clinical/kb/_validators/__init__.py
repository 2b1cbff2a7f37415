"""Validators generated from kb/schema/ by build_validators."""
