"""The hub's tests; their helpers are in tests.support, their data in tests/data."""
