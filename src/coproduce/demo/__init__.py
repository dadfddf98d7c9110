"""The demo study: each app contributes its own part through one registry."""
