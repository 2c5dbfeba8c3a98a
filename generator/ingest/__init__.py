"""Ingest: raw page dumps in ``seeds/`` become ``content/articles/<slug>.md``."""
