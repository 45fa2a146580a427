"""Who may do what in the area register (django-rules, loaded by AutodiscoverRulesConfig)."""

import rules

from wijkwijs.accounts.rules import can_read_internal, is_administrator, is_area_manager, is_municipal_staff

rules.add_perm("areas.view_clusterings", can_read_internal)
rules.add_perm("areas.manage_clusterings", is_administrator | is_area_manager)
rules.add_perm("areas.view_private_contacts", is_municipal_staff)
rules.add_perm("areas.import_boundaries", is_administrator)
