# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The size quotas AWS enforces on the documents this collection writes, as data, and their sizing.

Every quota is one row of ``QUOTAS``: an id, the document it limits, the limit, how AWS counts
(``counting``), what AWS answers past it (``error_code``, ``error_message``, ``http_status``), where
AWS says so (``source``) and the fix a user can apply. docs/quotas.md is the same table for
readers; a unit test keeps both listing the same ids. The test harness's real-AWS mode
(tests/harness/aws_limits.py) refuses with these rows, so the emulator and the planner agree.

How AWS counts:

- IAM (inline policies of a role together, a managed policy, a trust policy): characters of the
  JSON document, whitespace not counted (IAM User Guide, "IAM and AWS STS quotas"). We count every
  character that is not whitespace, inside strings too: the documents of the policy model have
  no whitespace inside strings, and for other teams' documents the count errs on the low side by
  the spaces of their strings at most.
- S3 bucket policies, KMS key policies, SNS topic policies: bytes of the document as sent. The
  collection sends compact JSON (policy/documents.policy_to_json), so that is what is measured.
- A replication configuration: its number of rules; a role: its number of attached managed policies.

``quota_problems(predicted, touched)`` is the planner's check: the facts of every account as the
planned writes leave them (``{account key: s3_replication_info facts}``) and the documents the
writes touch; one message per document over its quota, counting what other teams have in it.
"""

import json
import re
from collections import namedtuple

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.facts import bucket_facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.facts import key_facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy.documents import policy_to_json
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy.model import ROLE_POLICY_NAME_PREFIX
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3.admission import MAX_RULES

Quota = namedtuple("Quota", "id document limit counting error_code error_message http_status wording source fix")
# ``wording``: AWS when users quote AWS's answer in these words; OURS where AWS documents the code (or nothing) but not the text.
AWS = "AWS"
OURS = "ours"

IAM_CHARACTERS = "characters without whitespace"
BYTES = "bytes as sent"
COUNT = "count"

# The kinds of document a planned write touches: (account key, kind, name) tuples name them.
ROLE = "role"
BUCKET_POLICY = "bucket_policy"
REPLICATION = "replication"
KEY_POLICY = "key_policy"
TOPIC_POLICY = "topic_policy"

SPLIT_ROLES = ("give the pairs of this role different replication_role_name values (one role per group of pairs), "
               "so each role's policies stay under the quota")
FEWER_ROLES = ("let fewer roles into this destination: pairs from one source account can share one replication_role_name, "
               "or split the sources over several destination buckets")

QUOTAS = (
    Quota("role-inline-policies", "the inline policies of one IAM role together", 10240, IAM_CHARACTERS,
          "LimitExceeded", "Maximum policy size of 10240 bytes exceeded for role {name}", 409, AWS,
          "IAM User Guide, IAM and AWS STS quotas (IAM and STS character limits: role policy size, whitespace not counted)",
          SPLIT_ROLES),
    Quota("managed-policy", "one customer-managed IAM policy", 6144, IAM_CHARACTERS,
          "LimitExceeded", "Cannot exceed quota for PolicySize: 6144", 409, AWS,
          "IAM User Guide, IAM and AWS STS quotas (managed policy size)",
          "split the statements over several managed policies"),
    Quota("managed-policies-per-role", "managed policies attached to one IAM role", 10, COUNT,
          "LimitExceeded", "Cannot exceed quota for PoliciesPerRole: 10", 409, AWS,
          "IAM User Guide, IAM and AWS STS quotas (managed policies attached to an IAM role: 10, raisable to 20 by Service Quotas)",
          "detach managed policies the role no longer needs, or ask AWS (Service Quotas) to raise the quota"),
    Quota("trust-policy", "the trust policy of one IAM role", 2048, IAM_CHARACTERS,
          "LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048", 409, AWS,
          "IAM User Guide, IAM and AWS STS quotas (role trust policy length: 2,048, raisable to 4,096)",
          "remove principals or conditions other teams added to the trust policy, or ask AWS (Service Quotas) to raise the quota"),
    Quota("bucket-policy", "an S3 bucket policy", 20480, BYTES,
          "PolicyTooLarge", "Policy exceeds the maximum allowed document size.", 400, AWS,
          "S3 User Guide, Adding a bucket policy (bucket policies are limited to 20 KB)",
          FEWER_ROLES),
    Quota("replication-rules", "the replication configuration of one S3 bucket", MAX_RULES, COUNT,
          "InvalidRequest", "The replication configuration cannot have more than 1000 rules.", 400, OURS,
          "S3 API reference, ReplicationConfiguration (Rules: up to 1,000); s3/admission.py max-rules",
          "remove rules of this bucket that no longer replicate anything (replication_rules with state: absent)"),
    Quota("key-policy", "a KMS key policy", 32768, BYTES,
          "LimitExceededException", "The key policy exceeds the maximum size of 32768 bytes.", 400, OURS,
          "KMS API reference, PutKeyPolicy and CreateKey (Policy: the key policy size quota is 32 kilobytes (32768 bytes); "
          "past it KMS returns LimitExceededException)",
          FEWER_ROLES + "; or give replication_destination key_access: grant (a KMS grant per role instead of a key-policy statement)"),
    Quota("topic-policy", "an SNS topic policy", 30720, BYTES,
          "InvalidParameter", "Invalid parameter: Policy exceeds the maximum size of 30 KB.", 400, OURS,
          "SNS Developer Guide, Amazon SNS API permissions: actions and resources reference (policy quotas: 30 kb, 100 statements)",
          "send the alerts of fewer buckets to this topic (replication_alerts topic per group of buckets)"),
)
QUOTA = {quota.id: quota for quota in QUOTAS}
WHITESPACE = re.compile(r"\s")


def _text(document):
    return document if isinstance(document, str) else policy_to_json(document)


def iam_size(document):
    """IAM's size of ``document`` (a dict or the JSON text): its characters, whitespace not counted."""
    return len(WHITESPACE.sub("", _text(document)))


def document_bytes(document):
    """S3's, KMS's and SNS's size of ``document``: the bytes of its compact JSON (what the collection sends)."""
    parsed = json.loads(document) if isinstance(document, str) else document
    return len(policy_to_json(parsed).encode("utf-8"))


def role_inline_size(role):
    """The inline policies of one role together (role facts), as IAM counts them against its 10,240."""
    return sum(iam_size(document) for document in (role.get("inline_policies") or {}).values() if document)


def over_quota(quota_id, size):
    return size > QUOTA[quota_id].limit


def _message(quota_id, account, resource, size, detail=""):
    quota = QUOTA[quota_id]
    unit = "" if quota.counting == COUNT else f" {quota.counting}"
    return (f"quota {quota_id} (account {account}, {resource}): {quota.document} would be {size:,}{unit}, over AWS's {quota.limit:,}{detail}. "
            f"AWS would refuse the write with {quota.error_code}, after the writes before it. Fix: {quota.fix}")


def _inline_detail(inline):
    theirs = {name: iam_size(document) for name, document in sorted(inline.items()) if document and not name.startswith(ROLE_POLICY_NAME_PREFIX)}
    ours = sum(iam_size(document) for name, document in inline.items() if document and name.startswith(ROLE_POLICY_NAME_PREFIX))
    detail = f" ({len(inline)} inline policies: this collection's {ours:,}"
    return detail + "".join(f", {name} {size:,}" for name, size in theirs.items()) + ")"


def _role_problems(account, name, role):
    if not role or role.get("exists") is False:
        return []
    where = f"IAM role {name}"
    problems = []
    inline = role.get("inline_policies") or {}
    total = role_inline_size(role)
    if over_quota("role-inline-policies", total):
        problems.append(_message("role-inline-policies", account, where, total, _inline_detail(inline)))
    if role.get("trust_policy") and over_quota("trust-policy", iam_size(role["trust_policy"])):
        problems.append(_message("trust-policy", account, where + " trust policy", iam_size(role["trust_policy"])))
    managed = role.get("managed_policies") or []
    if over_quota("managed-policies-per-role", len(managed)):
        problems.append(_message("managed-policies-per-role", account, where, len(managed)))
    for attached in managed:
        if attached.get("document") and over_quota("managed-policy", iam_size(attached["document"])):
            problems.append(_message("managed-policy", account, f"managed policy {attached.get('arn')} of {where}", iam_size(attached["document"])))
    return problems


def _policy_problems(quota_id, label):
    """The check of a resource policy (``facts["policy"]``) against quota ``quota_id``; ``label`` names it from the resource name."""

    def check(account, name, facts):
        policy = (facts or {}).get("policy")
        if not policy or not over_quota(quota_id, document_bytes(policy)):
            return []
        return [_message(quota_id, account, label.format(name=name), document_bytes(policy), _statements_note(policy))]

    return check


def _replication_problems(account, name, bucket):
    rules = ((bucket or {}).get("replication") or {}).get("Rules") or []
    return [_message("replication-rules", account, f"replication configuration of {name}", len(rules))] if over_quota("replication-rules", len(rules)) else []


def _statements_note(policy):
    parsed = json.loads(policy) if isinstance(policy, str) else policy
    statements = parsed.get("Statement") or []
    return f" ({len(statements) if isinstance(statements, list) else 1} statements)"


CHECKS = {
    ROLE: (lambda facts, name: (facts.get("roles") or {}).get(name), _role_problems),
    BUCKET_POLICY: (bucket_facts, _policy_problems("bucket-policy", "bucket policy of {name}")),
    REPLICATION: (bucket_facts, _replication_problems),
    KEY_POLICY: (key_facts, _policy_problems("key-policy", "key policy of {name}")),
    TOPIC_POLICY: (lambda facts, name: (facts.get("topics") or {}).get(name), _policy_problems("topic-policy", "policy of topic {name}")),
}


def quota_problems(predicted, touched):
    """One message per touched document over its AWS quota, in the state the planned writes leave it.

    ``predicted``: ``{account key: facts}`` as the writes leave them (planner ``predicted_facts``).
    ``touched``: ``[(account key, kind, name)]``, kind one of ROLE, BUCKET_POLICY, REPLICATION,
    KEY_POLICY (name: the key ARN, or the reference it was read with), TOPIC_POLICY (name: the topic ARN).
    The account is named by its id (the account key's part before the "/").
    """
    problems = []
    for account_key, kind, name in dict.fromkeys(tuple(item) for item in touched):
        find, check = CHECKS[kind]
        facts = find(predicted.get(account_key) or {}, name)
        problems.extend(problem for problem in check(account_key.split("/")[0], name, facts) if problem not in problems)
    return problems
