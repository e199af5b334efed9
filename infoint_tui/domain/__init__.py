"""Pure domain rules and records: no storage, no UI (enforced by tests/test_import_hygiene.py)."""
