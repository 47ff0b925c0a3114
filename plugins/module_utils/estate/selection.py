# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which buckets of the estate become pairs, and the pair variables built from each (pure, no AWS call).

A bucket matches when its name matches one of ``source.bucket_names`` (when given) and it carries
every tag of ``source.bucket_tags`` (when given). Its source key is ``source.kms_key_arn``, else its
default encryption's key, which must be a customer managed SSE-KMS key: a bucket encrypted any
other way is left out, with the reason (``skip_reason``) and a warning naming it.
"""

import fnmatch

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.estate import options as estate_options
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import contract
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import kms_keys
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import bucket_settings

SIDE_SELECTORS = tuple(estate_options.SELECTORS)


def name_matches(bucket, globs):
    """True when ``bucket`` matches one of ``globs``, or there are none."""
    return not globs or any(fnmatch.fnmatchcase(bucket, pattern) for pattern in globs)


def tags_match(tags, wanted):
    """True when ``tags`` carry every tag of ``wanted`` with its value (compared as text: YAML may read 2024 as a number)."""
    return all(key in tags and tags[key] == str(value) for key, value in wanted.items())


def default_key(encryption_configuration, source):
    """``(key reference, None)`` for a bucket's GetBucketEncryption answer, or ``(None, why it cannot be used)``.

    The reference is an ARN as S3 keeps it (a key or an alias ARN): DescribeKey resolves it.
    """
    partition = arns.partition_of_region(source["region"])
    encryption = bucket_settings.encryption_settings(encryption_configuration, partition, source["region"], source["account_id"])
    if encryption is None:
        return None, "it has no default encryption"
    if encryption["algorithm"] != bucket_settings.KMS_ALGORITHM:
        return None, f"its default encryption is {encryption['algorithm']}, not SSE-KMS ({bucket_settings.KMS_ALGORITHM})"
    key = encryption["kms_key_arn"]
    if key is None or f":{kms_keys.AWS_MANAGED_ALIAS_PREFIX}" in key:
        return None, kms_keys.aws_managed_message(f"its default encryption key ({key or 'aws/s3'})")
    return key, None


def key_arn(reference, metadata):
    """``(key ARN, None)`` for DescribeKey's answer on a bucket's key ``reference``, or ``(None, why it cannot be used)``."""
    if metadata is None:
        return None, f"its default encryption key {reference} does not exist"
    reasons = kms_keys.key_refusal_reasons(metadata)
    if reasons:
        return None, f"its default encryption key {metadata.get('Arn') or reference} cannot be used: " + "; ".join(reasons)
    return metadata["Arn"], None


ENCRYPTION_FIX = "give it default encryption SSE-KMS with a customer managed key (aws s3api put-bucket-encryption), or set source.kms_key_arn"
CONTRACT_FIX = "fix destination.bucket or vars of the inventory file (docs/vars.md)"


def skip_warning(bucket, reason, fix=ENCRYPTION_FIX):
    """The warning for a matching bucket left out of the inventory: why, and the fix."""
    return f"{estate_options.PLUGIN_NAME}: bucket {bucket} matches but is left out of {estate_options.GROUP}: {reason}; {fix}"


def destination_bucket(pattern, source_bucket):
    """The destination bucket of ``source_bucket``: ``pattern`` with {source_bucket} filled in (validated options)."""
    return pattern.format(**{estate_options.PLACEHOLDER: source_bucket})


def pair_variables(options, bucket, kms_key):
    """The host variables of the pair of source ``bucket`` (key ``kms_key``): the contract's sides plus ``vars``."""
    source = {name: value for name, value in options["source"].items() if name not in SIDE_SELECTORS and value is not None}
    destination = {name: value for name, value in options["destination"].items() if value is not None}
    source.update(bucket=bucket, kms_key_arn=kms_key)
    destination["bucket"] = destination_bucket(destination["bucket"], bucket)
    return dict(options["vars"], replication_source=source, replication_destination=destination)


def pair_problems(variables):
    """What keeps a built pair from the playbooks: the contract's problems, and a destination name S3 refuses."""
    _values, problems = contract.validate(variables)
    problems = contract.unknown_variables(variables) + problems
    try:
        arns.validate_bucket_name(variables["replication_destination"]["bucket"])
    except ValueError as error:
        problems.append(f"replication_destination.bucket (from destination.bucket): {error}")
    return problems
