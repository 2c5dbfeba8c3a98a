"""Live reload: serve the built site locally and push rebuild events to open pages.

Self-contained (standard library only) and independent of how the site is
built: ``serve`` owns the watching and rebuilding and calls ``publish``.
"""
from generator.livereload.client import EVENTS_PATH, MARKER, inject
from generator.livereload.paths import Resolved, normalize_prefix, resolve
from generator.livereload.server import EventHub, LiveReloadServer

__all__ = ["EVENTS_PATH", "MARKER", "EventHub", "LiveReloadServer", "Resolved", "inject",
           "normalize_prefix", "resolve"]
