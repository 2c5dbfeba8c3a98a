"""Who said what: rule-based quotation, speaker and mention extraction.

``quotes`` finds quoted spans, ``names`` finds people, organisations, pronouns
and role nouns, ``interview`` recognises Q&A transcripts, and
``generator.ingest.analyze`` ties them together with a small coreference step.
All vocabulary is generic (``lexicon``); facts about particular people live
in ``content/speakers.yaml``.
"""
