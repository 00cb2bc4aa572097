"""Library permissions: everyone in the committee reads; the office imports and deletes."""

from xieshang.org import roles
from xieshang.org.rules import declare, has_role, in_committee

library_editors = has_role(roles.OFFICE_ADMIN, roles.INFO_EDITOR, roles.PROPOSAL_STAFF, roles.SYSADMIN)

declare("library.view_document", in_committee)
declare("library.add_document", library_editors)
declare("library.delete_document", library_editors)
