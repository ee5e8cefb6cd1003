"""Fixtures for tests/indexing: none shared yet; each test builds its own SQLite file in tmp_path."""
