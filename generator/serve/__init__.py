"""``digest serve``: watch the inputs, rebuild what changed, reload the open pages."""
from generator.serve.classify import Changes, classify
from generator.serve.session import ServeSession
from generator.serve.watch import ContentHashes, Watcher, is_ignored

__all__ = ["Changes", "ContentHashes", "ServeSession", "Watcher", "classify", "is_ignored"]
