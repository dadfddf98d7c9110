"""Signals other apps listen to, so that studies need not know about them."""

from django.dispatch import Signal

# Sent after a participant withdraws consent, with `participant`. Apps holding derived results
# (opinion analyses, say) recompute them without that person.
consent_withdrawn = Signal()
