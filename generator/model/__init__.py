"""The content model: ``content/`` loaded, validated and indexed, in memory, pure data.

``load_site(content_dir)`` is the one entry point; everything it returns is plain
dataclasses and dicts that templates and the page planner read but never mutate.
"""
from generator.model.load import ContentErrors, load_site
from generator.model.types import Article, Quote, Site, Source, Speaker, Topic

__all__ = ["Article", "ContentErrors", "Quote", "Site", "Source", "Speaker", "Topic", "load_site"]
