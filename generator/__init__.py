"""digest: raw news page dumps in, a cross-linked site of who said what out."""

__version__ = "0.1.0"
