"""KenLM n-gram models over Python token streams: build tools, train, query."""
