"""The ranking model: fetch the pinned default GGUF, locate and check a model file."""
