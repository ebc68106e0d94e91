"""Benchmarks: ``gfv bench ranker`` (this release); code and table benchmarks build on it."""
