"""Signals other apps listen to, so that studies need not know about them."""

from django.dispatch import Signal

# Sent after a participant withdraws consent, with `participant`. Apps holding derived results
# (opinion analyses, say) recompute them without that person.
consent_withdrawn = Signal()

# Sent when an evidence item's shown text changes (a story redacted at its privacy check), with
# `study`, `evidence_id`, `before` and `after` (personal_data.Redacted; `before` None when the
# original text was shown). Apps holding character offsets into the text move them.
evidence_text_changed = Signal()
