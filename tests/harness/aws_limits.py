# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The harness's real-AWS mode: moto refuses what AWS refuses (test harness only, never shipped).

moto 5.2.5 accepts documents of any size and any principal. In this mode (``moto_launcher.py PORT
--real-aws [--principal-delay S]``) its backends refuse, with AWS's error codes and messages:

- the document quotas of ``plugins/module_utils/policy/quotas.py`` (the collection's one table:
  the harness and the planner cannot disagree), sized as AWS counts them: IAM PutRolePolicy past
  10,240 characters for the role's inline policies together, CreatePolicy/CreatePolicyVersion past
  6,144, CreateRole/UpdateAssumeRolePolicy past 2,048, AttachRolePolicy of an 11th managed policy;
  S3 PutBucketPolicy past 20 KB, PutBucketReplication past 1,000 rules; KMS CreateKey/PutKeyPolicy
  past 32 KB; SNS SetTopicAttributes (Policy) past 30 KB.
- IAM eventual consistency: a role ARN named as a principal (Principal.AWS) in a key policy, a
  bucket policy, a trust policy or a topic policy is invalid when no such role exists (always, as
  on AWS) or when the role was created less than ``principal_delay`` seconds ago: KMS answers
  MalformedPolicyDocumentException, S3 MalformedPolicy, IAM MalformedPolicyDocument naming the
  principal, SNS InvalidParameter (PrincipalNotFound). Other principals (accounts, services,
  users, unique ids) are not checked.
"""

import datetime
import json
import os
import re
import sys

from moto.core.exceptions import JsonRESTError
from moto.iam import exceptions as iam_errors
from moto.iam import models as iam_models
from moto.kms import models as kms_models
from moto.s3 import exceptions as s3_errors
from moto.s3 import models as s3_models
from moto.sns import exceptions as sns_errors
from moto.sns import models as sns_models
from moto.utilities.utils import get_partition

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS = os.path.join(ROOT, ".build", "collections")
LINK = os.path.join(COLLECTIONS, "ansible_collections", "s3_crossaccount", "replication")
if not os.path.exists(LINK):
    os.makedirs(os.path.dirname(LINK), exist_ok=True)
    os.symlink(ROOT, LINK)
if COLLECTIONS not in sys.path:
    sys.path.insert(0, COLLECTIONS)

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import quotas  # noqa: E402  pylint: disable=wrong-import-position

ROLE_ARN = re.compile(r"^arn:(aws[a-z-]*):iam::(\d{12}):role/")
KMS_INVALID_PRINCIPALS = "Policy contains a statement with one or more invalid principals."
INVALID_PRINCIPAL = "Invalid principal in policy"
SNS_INVALID_PRINCIPAL = "Invalid parameter: Policy Error: PrincipalNotFound"
DEFAULT_PRINCIPAL_DELAY = 0.0


class Settings:
    """What the mode enforces; ``principal_delay``: seconds after CreateRole during which the role is not a valid principal."""

    principal_delay = DEFAULT_PRINCIPAL_DELAY


# --- sizes ------------------------------------------------------------------------------------------


def quota_error(quota_id, **names):
    """``(code, message)`` of AWS's answer past quota ``quota_id``."""
    quota = quotas.QUOTA[quota_id]
    return quota.error_code, quota.error_message.format(**names)


def inline_total_after(role, policy_name, policy_json):
    """The role's inline policies together as IAM counts them, once ``policy_name`` is ``policy_json``."""
    others = {name: text for name, text in role.policies.items() if name != policy_name}
    return sum(quotas.iam_size(text) for text in others.values()) + quotas.iam_size(policy_json)


def parsed(text):
    try:
        return json.loads(text.decode("utf-8") if isinstance(text, bytes) else text)
    except (ValueError, UnicodeDecodeError):
        return None


# --- principals -------------------------------------------------------------------------------------


def aws_principals(document):
    """Every ``Principal.AWS`` value of the document's statements."""
    statements = (document or {}).get("Statement") or []
    found = []
    for statement in statements if isinstance(statements, list) else [statements]:
        principal = statement.get("Principal") if isinstance(statement, dict) else None
        values = principal.get("AWS") if isinstance(principal, dict) else None
        found.extend(values if isinstance(values, list) else [values] if values else [])
    return found


def role_of(arn):
    """The moto role named by ``arn``, or None."""
    match = ROLE_ARN.match(arn)
    backend = iam_models.iam_backends[match.group(2)][get_partition(match.group(1))]
    return next((role for role in backend.get_roles() if role.arn == arn), None)


def role_age(role, now=None):
    created = role.create_date if role.create_date.tzinfo else role.create_date.replace(tzinfo=datetime.timezone.utc)
    return ((now or datetime.datetime.now(datetime.timezone.utc)) - created).total_seconds()


def invalid_principals(document, delay=None, now=None):
    """Role ARNs of ``document`` that are not (yet) valid principals: no such role, or created less than ``delay`` s ago."""
    delay = Settings.principal_delay if delay is None else delay
    invalid = []
    for arn in aws_principals(document):
        if not isinstance(arn, str) or not ROLE_ARN.match(arn):
            continue
        role = role_of(arn)
        if role is None or role_age(role, now) < delay:
            invalid.append(arn)
    return invalid


# --- the patches -------------------------------------------------------------------------------------


def _checked(original, check):
    """``original`` preceded by ``check(self, *args, **kwargs)``, which raises AWS's error to refuse."""

    def checked(self, *args, **kwargs):
        check(self, *args, **kwargs)
        return original(self, *args, **kwargs)

    checked.__wrapped__ = original
    return checked


def _iam_limit(quota_id, **names):
    return iam_errors.LimitExceededException(*quota_error(quota_id, **names)[1:])


def _check_trust(policy_document):
    if quotas.over_quota("trust-policy", quotas.iam_size(policy_document)):
        raise _iam_limit("trust-policy")
    invalid = invalid_principals(parsed(policy_document))
    if invalid:
        raise iam_errors.MalformedPolicyDocument(f'{INVALID_PRINCIPAL}: "AWS":"{invalid[0]}"')


def _check_put_role_policy(self, role_name, policy_name, policy_json):
    if quotas.over_quota("role-inline-policies", inline_total_after(self.get_role(role_name), policy_name, policy_json)):
        raise _iam_limit("role-inline-policies", name=role_name)


def _check_managed_policy(policy_document):
    if quotas.over_quota("managed-policy", quotas.iam_size(policy_document)):
        raise _iam_limit("managed-policy")


def _check_attach(self, policy_arn, role_name):
    attached = self.get_role(role_name).managed_policies
    if policy_arn not in attached and quotas.over_quota("managed-policies-per-role", len(attached) + 1):
        raise _iam_limit("managed-policies-per-role")


def _check_bucket_policy(self, bucket_name, policy):
    document = parsed(policy)
    if document is None:
        return
    if quotas.over_quota("bucket-policy", quotas.document_bytes(document)):
        raise s3_errors.S3ClientError(*quota_error("bucket-policy"))
    if invalid_principals(document):
        raise s3_errors.S3ClientError("MalformedPolicy", INVALID_PRINCIPAL)


def _check_replication(self, bucket_name, replication):
    rules = replication.get("Rule") or []
    if quotas.over_quota("replication-rules", len(rules) if isinstance(rules, list) else 1):
        raise s3_errors.S3ClientError(*quota_error("replication-rules"))


def _check_key_policy(policy):
    if not policy:
        return
    if quotas.over_quota("key-policy", len(policy.encode("utf-8"))):
        raise JsonRESTError(*quota_error("key-policy"))
    if invalid_principals(parsed(policy)):
        raise JsonRESTError("MalformedPolicyDocumentException", KMS_INVALID_PRINCIPALS)


def _check_topic_attribute(self, topic_arn, attribute_name, attribute_value):
    if attribute_name != "policy" or parsed(attribute_value) is None:
        return
    if quotas.over_quota("topic-policy", quotas.document_bytes(parsed(attribute_value))):
        raise sns_errors.SNSInvalidParameter(quota_error("topic-policy")[1])
    if invalid_principals(parsed(attribute_value)):
        raise sns_errors.SNSInvalidParameter(SNS_INVALID_PRINCIPAL)


# (backend class, method, check): every refusal of the mode.
PATCHES = (
    (iam_models.IAMBackend, "put_role_policy", _check_put_role_policy),
    (iam_models.IAMBackend, "create_role", lambda self, role_name, assume_role_policy_document, *a, **k: _check_trust(assume_role_policy_document)),
    (iam_models.IAMBackend, "update_assume_role_policy", lambda self, role_name, policy_document: _check_trust(policy_document)),
    (iam_models.IAMBackend, "create_policy", lambda self, description, path, policy_document, *a, **k: _check_managed_policy(policy_document)),
    (iam_models.IAMBackend, "create_policy_version", lambda self, policy_arn, policy_document, *a, **k: _check_managed_policy(policy_document)),
    (iam_models.IAMBackend, "attach_role_policy", _check_attach),
    (s3_models.S3Backend, "put_bucket_policy", _check_bucket_policy),
    (s3_models.S3Backend, "put_bucket_replication", _check_replication),
    (kms_models.KmsBackend, "create_key", lambda self, policy, *a, **k: _check_key_policy(policy)),
    (kms_models.KmsBackend, "put_key_policy", lambda self, key_id, policy: _check_key_policy(policy)),
    (sns_models.SNSBackend, "set_topic_attribute", _check_topic_attribute),
)


def patch_real_aws(principal_delay=DEFAULT_PRINCIPAL_DELAY, setter=setattr):
    """Applies every patch of PATCHES (``setter``: setattr, or a test's monkeypatch.setattr that undoes them)."""
    Settings.principal_delay = float(principal_delay)
    for cls, name, check in PATCHES:
        setter(cls, name, _checked(getattr(cls, name), check))
