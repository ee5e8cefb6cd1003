"""Tests of the Elasticsearch backend that need no server: mappings, query bodies,
connection errors against real closed ports and real non-Elasticsearch servers.
The backend's behaviour is tested by tests/test_store_contract.py with SMOKE_ES_URL."""
