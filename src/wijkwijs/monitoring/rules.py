"""Who may do what in the area monitor (django-rules)."""

import rules

from wijkwijs.accounts.rules import can_read_internal, is_administrator, is_municipal_staff

rules.add_perm("monitoring.view_impressions", can_read_internal)
rules.add_perm("monitoring.add_impression", is_municipal_staff)

# Uploads (M1/M2): CBS files add areas to the register, so only the administrator; own
# indicators (GGD, police, surveys) also municipal staff.
rules.add_perm("monitoring.import_cbs", is_administrator)
rules.add_perm("monitoring.import_observations", is_municipal_staff)

# The priority ranking labels areas by need: a working instrument for staff and the council,
# not public (the index and the change report are public, with small-number suppression).
rules.add_perm("monitoring.view_ranking", can_read_internal)
