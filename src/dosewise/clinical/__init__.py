"""The clinical core: a pure library (no Django import, no I/O but its own data files).

Every judgement Dosewise makes about medicines, scores and plans comes from here; the
application layer stores and shows the results.
"""
