#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: kms_key_access
short_description: Give principals operations on a KMS key without clobbering other access
version_added: 0.1.0
description:
  - Adds or removes one statement, identified by its Sid, in a KMS key's policy (O(mode=policy), the default),
    or one named KMS grant on the key (O(mode=grant)).
  - Also named C(s3_crossaccount.replication.kms_key_grant), the design's name for it. Both names are permanent and
    undeprecated; C(kms_key_access) says better that by default the module manages a key-policy statement, not a grant.
  - Several statements (O(statements)) are merged in one key-policy write, several grants (O(grants)) in one run;
    each item takes the same options as the single statement or grant.
  - Every other statement of the key policy and every other grant is left as it is. C(PutKeyPolicy)
    replaces the whole policy, so the module reads the policy, merges its statement by Sid and writes
    the result back.
  - The KMS lockout safety check is never bypassed, and the module refuses any change that would
    remove the key account's own administrative access (the statement granting C(kms:*) to
    C(arn:aws:iam::ACCOUNT:root)).
  - The key must exist, be enabled, be a symmetric encryption key (C(SYMMETRIC_DEFAULT)) and be
    customer managed; AWS-managed keys such as C(aws/s3) are refused.
  - Comparison is normalised the way AWS rewrites key policies (account ids become root ARNs,
    lists are reordered, one-element lists become strings), so reruns report no change.
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
options:
  key_id:
    description:
      - The key, as a key id, a full key ARN, an alias name (C(alias/NAME) or just C(NAME)) or an alias ARN.
      - The module works on the key the reference resolves to, in the account and region of the credentials.
    type: str
    required: true
    aliases: [key_arn]
  mode:
    description:
      - V(policy) manages the key-policy statement whose Sid is O(sid).
      - V(grant) manages the KMS grant called O(name).
    type: str
    choices: [policy, grant]
    default: policy
  state:
    description:
      - V(present) makes the statement or grant exist as described; V(absent) removes only it.
    type: str
    choices: [present, absent]
    default: present
  sid:
    description:
      - The Sid of the key-policy statement, letters and digits only.
      - Required when O(mode=policy), unless O(statements) is given. It must not be the Sid of the statement that gives the key's
        own account its access.
    type: str
  name:
    description:
      - The grant name (letters, digits, C(:), C(/), C(_), C(-)). Required when O(mode=grant), unless O(grants) is given.
      - A grant of this name whose settings differ is replaced; the new grant is created before the old one is revoked.
    type: str
  principals:
    description:
      - The AWS principals to give access, as IAM ARNs (for example a role in another account) or 12-digit account ids.
      - With O(mode=policy), one or more principals of the statement.
      - With O(mode=grant), exactly one, the grantee principal.
      - Required when O(state=present).
    type: list
    elements: str
  operations:
    description:
      - The KMS operations to allow, as C(Encrypt) or C(kms:Encrypt); wildcards are refused.
      - Required when O(state=present).
    type: list
    elements: str
  conditions:
    description:
      - With O(mode=policy), the statement's IAM C(Condition) block, mapping operators such as C(StringEquals) to
        condition keys such as C(kms:ViaService) or C(kms:EncryptionContext:aws:s3:arn) and their values (see the examples).
    type: dict
  merge_principals:
    description:
      - With O(mode=policy), for a statement several runs share (one statement per set of operations and conditions,
        the principals listed, under one Sid).
      - With O(state=present) the statement names O(principals) and the principals the statement of the same Sid already
        names; its operations and conditions are the given ones.
      - With O(state=absent) only O(principals) are taken out of the statement of that Sid, which goes when it names no
        principal any more; without O(principals) the statement is removed whole.
      - Principals that KMS shows as unique ids (C(AROA...)) in these statements, left by deleted roles, are dropped
        (with a warning), as they grant nothing and a role re-created with that name is another principal.
    type: bool
    default: false
    version_added: 0.3.0
  encryption_context_equals:
    description:
      - With O(mode=grant), the grant constraint C(EncryptionContextEquals).
    type: dict
  encryption_context_subset:
    description:
      - With O(mode=grant), the grant constraint C(EncryptionContextSubset).
    type: dict
  retiring_principal:
    description:
      - With O(mode=grant), the principal allowed to retire the grant (an IAM ARN or a 12-digit account id).
    type: str
  statements:
    description:
      - Several key-policy statements (O(mode=policy)), merged in one write, instead of O(sid) and its options.
    type: list
    elements: dict
    suboptions:
      sid:
        description: As O(sid).
        type: str
        required: true
      state:
        description: As O(state), for this statement.
        type: str
        choices: [present, absent]
        default: present
      principals:
        description: As O(principals).
        type: list
        elements: str
      operations:
        description: As O(operations).
        type: list
        elements: str
      conditions:
        description: As O(conditions).
        type: dict
      merge_principals:
        description: As O(merge_principals), for this statement.
        type: bool
        default: false
        version_added: 0.3.0
  grants:
    description:
      - Several named grants (O(mode=grant)) instead of O(name) and its options.
    type: list
    elements: dict
    suboptions:
      name:
        description: As O(name).
        type: str
        required: true
      state:
        description: As O(state), for this grant.
        type: str
        choices: [present, absent]
        default: present
      principals:
        description: As O(principals) (exactly one, the grantee).
        type: list
        elements: str
      operations:
        description: As O(operations).
        type: list
        elements: str
      encryption_context_equals:
        description: As O(encryption_context_equals).
        type: dict
      encryption_context_subset:
        description: As O(encryption_context_subset).
        type: dict
      retiring_principal:
        description: As O(retiring_principal).
        type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - s3_crossaccount.replication.attributes
notes:
  - Cross-account use of a key needs the key policy statement or grant in the key's account
    and an IAM permission in the caller's account.
"""

EXAMPLES = r"""
# What replicate.yml writes for the pair stats-data-src -> stats-data-tgt (policy_model.py): the replica key lets
# the source account's replication role encrypt replicas (kms:Decrypt and kms:GenerateDataKey too, for Bucket Keys
# and unencrypted sources), only through S3 and only for the destination bucket.
- name: Let the source account's replication role encrypt replicas with the destination key
  s3_crossaccount.replication.kms_key_access:
    key_id: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
    sid: S3ReplDestinationKeyfd03b07cca
    principals:
      - arn:aws:iam::211258069784:role/s3-replication-role
    operations: [kms:Decrypt, kms:Encrypt, kms:GenerateDataKey]
    conditions:
      StringEquals:
        kms:ViaService: s3.us-east-1.amazonaws.com
      StringLike:
        kms:EncryptionContext:aws:s3:arn:
          - arn:aws:s3:::stats-data-tgt
          - arn:aws:s3:::stats-data-tgt/*

- name: The same access as a named grant (replication_destination.key_access=grant)
  s3_crossaccount.replication.kms_key_access:
    key_id: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
    mode: grant
    name: s3-crossaccount-replication-fd03b07cca
    principals: [arn:aws:iam::211258069784:role/s3-replication-role]
    operations: [Decrypt, Encrypt, GenerateDataKey]

- name: Remove the statement again (other statements stay)
  s3_crossaccount.replication.kms_key_access:
    key_id: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
    sid: S3ReplDestinationKeyfd03b07cca
    state: absent

- name: One statement for every source role of the key (other runs add theirs), replacing a per-role statement
  s3_crossaccount.replication.kms_key_access:
    key_id: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
    statements:
      - sid: S3ReplDestinationKey7c1e90a4b2
        merge_principals: true
        principals:
          - arn:aws:iam::211258069784:role/s3-replication-role
          - arn:aws:iam::211258069784:role/other-replication-role
        operations: [kms:Decrypt, kms:Encrypt]
        conditions:
          StringEquals:
            kms:ViaService: s3.us-east-1.amazonaws.com
          StringLike:
            kms:EncryptionContext:aws:s3:arn: [arn:aws:s3:::stats-data-tgt, arn:aws:s3:::stats-data-tgt/*]
      - sid: S3ReplDestinationKeyfd03b07cca
        state: absent

- name: Take one role out of the shared statement (the statement goes with its last principal)
  s3_crossaccount.replication.kms_key_access:
    key_id: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
    sid: S3ReplDestinationKey7c1e90a4b2
    state: absent
    merge_principals: true
    principals: [arn:aws:iam::211258069784:role/other-replication-role]
"""

RETURN = r"""
key_arn:
  description: The ARN of the key the reference resolved to.
  returned: always
  type: str
  sample: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
statement:
  description: The key-policy statement with Sid O(sid) after the run, or null when absent.
  returned: when O(mode=policy) and O(sid) is given
  type: dict
  sample:
    Sid: ReplicationRoleEncrypt
    Effect: Allow
    Principal: {AWS: arn:aws:iam::211258069784:role/s3-replication-role}
    Action: [kms:Encrypt]
    Resource: "*"
policy:
  description: The whole key policy after the run (what it would be in check mode).
  returned: when O(mode=policy)
  type: dict
  sample:
    Version: "2012-10-17"
    Statement:
      - Sid: Enable IAM User Permissions
        Effect: Allow
        Principal: {AWS: arn:aws:iam::880161310235:root}
        Action: kms:*
        Resource: "*"
grant:
  description:
    - The grant called O(name) after the run, in ListGrants shape, or null when absent.
    - C(GrantId) is missing when check mode would create the grant.
  returned: when O(mode=grant) and O(name) is given
  type: dict
  sample:
    GrantId: 0c237476b39f8bc44e45212e08498fbe3151305030726c0590dd8d3e9f3d6a60
    Name: s3-replication-role-encrypt
    GranteePrincipal: arn:aws:iam::211258069784:role/s3-replication-role
    Operations: [Encrypt]
    RetiringPrincipal: arn:aws:iam::880161310235:root
statements:
  description: With O(mode=policy), each managed statement after the run (absent ones are left out).
  returned: when O(mode=policy)
  type: list
  elements: dict
grants:
  description: With O(mode=grant), each managed grant after the run (absent ones are left out).
  returned: when O(mode=grant)
  type: list
  elements: dict
revoked_grant_ids:
  description: Ids of the grants called O(name) (or named in O(grants)) that were (or in check mode would be) revoked.
  returned: when O(mode=grant)
  type: list
  elements: str
  sample: [ab4e2f1a9c0d...]
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import run_module
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import key_access


def main():
    run_module(key_access.WRITER, AnsibleS3CrossAccountModule)


if __name__ == "__main__":
    main()
