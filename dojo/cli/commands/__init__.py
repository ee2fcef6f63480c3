"""One module per command-line verb; see ``dojo.cli``."""
