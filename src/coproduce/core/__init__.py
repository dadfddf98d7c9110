"""The pure core: analysis, formats and publishing renderers; plain data in, plain data out.

Nothing here imports Django, rules or ninja (an import-linter contract checks it), so the core
runs and is tested without a database, and the apps and the CLI share it.
"""
