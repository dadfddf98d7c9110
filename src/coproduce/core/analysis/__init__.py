"""The pure analysis core: plain data in, plain data out, no Django (an import-linter contract)."""
