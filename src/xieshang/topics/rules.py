"""Topic permissions.

- ``topics.view_topics`` (a committee): anyone in the committee reads its list of topics;
- ``topics.manage_topics`` (a committee): the working office roles (office admin, proposal staff, information
  editor) and the system administrator create, rename, reorder and deactivate topics; the auditor and the
  committee's leaders only read;
- ``topics.view_counts`` (a committee): the office roles that read every proposal and report of the committee
  see the counts by topic (so a count never covers an item its reader may not open).

Who may tag an object is the owning app's rule on that object (``targets.may_tag``), not a rule here.
"""

from xieshang.org import roles
from xieshang.org.rules import declare, has_role, in_committee

topic_managers = has_role(roles.OFFICE_ADMIN, roles.PROPOSAL_STAFF, roles.INFO_EDITOR, roles.SYSADMIN)
office_readers = has_role(*roles.OFFICE_ROLES, roles.SYSADMIN)

declare("topics.view_topics", in_committee)
declare("topics.manage_topics", topic_managers)
declare("topics.view_counts", office_readers)
