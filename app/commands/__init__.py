"""Command-line commands, one module per subject."""
