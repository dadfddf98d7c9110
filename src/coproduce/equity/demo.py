"""The demo study's voice equity and member checking (filled in below)."""
