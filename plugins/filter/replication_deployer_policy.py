# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: replication_deployer_policy
short_description: The least-privilege IAM policy of the credentials that run the playbooks in one account
version_added: 0.2.0
author:
  - s3_crossaccount.replication contributors
description:
  - Given the variables of C(replicate.yml) (a vars.yml), returns the identity policy the deploying credentials of one
    account (C(replication_source) or C(replication_destination)) need to run every playbook of the collection, with
    the features the variables turn on (C(replication_alerts), C(replication_lock), C(replication_two_way)).
  - The actions come from the declarations of the collection's AWS call wrappers; the resources are narrowed to the
    variables' buckets, objects, keys, replication role, alert topic and alarms where IAM allows it. docs/permissions.md
    lists them per playbook.
options:
  _input:
    description: The variables of C(replicate.yml), as in a vars.yml.
    type: dict
    required: true
  side:
    description: Whose account.
    type: str
    choices: [source, destination]
    default: source
"""

EXAMPLES = r"""
- name: Write the deployer policy of the destination account
  ansible.builtin.copy:
    content: "{{ lookup('ansible.builtin.file', 'vars.yml') | from_yaml
                 | s3_crossaccount.replication.replication_deployer_policy(side='destination') | to_nice_json }}"
    dest: deployer-policy-destination.json
    mode: "0644"
"""

RETURN = r"""
_value:
  description: An IAM policy document (Version, Statement).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.deployer import policy
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.deployer import reach
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.plain_data import plain


def _replication_deployer_policy(variables, side="source"):
    variables = plain(variables)
    if side not in ("source", "destination") or not isinstance(variables, dict) or f"replication_{side}" not in variables:
        raise AnsibleFilterError(f"replication_deployer_policy: give the variables of replicate.yml (with replication_{side}) and side source or destination")
    return policy.deployer_policy(variables, side, reach.parse_collection())


class FilterModule:
    def filters(self):
        return {"replication_deployer_policy": _replication_deployer_policy}
