"""Load the named test people (tests/conftest.py) for every test directory, src/ included."""

pytest_plugins = ["tests.conftest"]
