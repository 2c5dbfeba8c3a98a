"""Thin command layer: parse nothing, print little, call the pipeline."""
