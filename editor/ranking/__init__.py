"""Rankers: the Qwen log-likelihood ranker and the n-gram fallback."""
