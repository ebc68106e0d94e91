"""Candidate generators: n-gram beam search, document cache and templates."""
