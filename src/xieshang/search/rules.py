"""Search permissions. Searching itself needs no rule: results are filtered per kind by the owning app's rules."""

from xieshang.org import roles
from xieshang.org.rules import declare, has_role

dictionary_managers = has_role(roles.OFFICE_ADMIN, roles.PROPOSAL_STAFF, roles.INFO_EDITOR, roles.SYSADMIN)
proposal_office = has_role(roles.OFFICE_ADMIN, roles.PROPOSAL_STAFF, roles.SYSADMIN)

declare("search.manage_dictionary", dictionary_managers)
declare("search.decide_suggestion", proposal_office)
