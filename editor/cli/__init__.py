"""The command-line shell over the headless core: ``gfv <command>``."""
