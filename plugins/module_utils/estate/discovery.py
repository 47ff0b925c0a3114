# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The source account's estate read once (reads only) and turned into pairs: ``find_pairs``.

Calls: GetCallerIdentity once; ListBuckets of the source region; GetBucketTagging per bucket whose
name matches (only when tags select or are wanted for groups); GetBucketEncryption per matching
bucket and DescribeKey per distinct key (only without ``source.kms_key_arn``). The per-bucket and
per-key reads run ``read_workers`` at a time (aws/parallel.py).
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import kms as aws_kms
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import s3 as aws_s3
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import sts as aws_sts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.parallel import run_all
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.estate import options as estate_options
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.estate import selection
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner import accounts


def find_pairs(clients, options, want_tags=False):
    """``{"pairs": [{bucket, tags, variables}], "warnings": [...]}`` for validated ``options``.

    ``clients``: {"s3", "kms", "sts"} acting in the source account (retrying wrappers). Raises
    EstateOptionsError when they act in another account. A matching bucket whose key cannot be used,
    or whose pair would break the vars contract, is left out with a warning.
    """
    source, workers = options["source"], options["read_workers"]
    _check_account(clients["sts"], source)
    names = [name for name in aws_s3.list_buckets(clients["s3"], source["region"]) if selection.name_matches(name, source["bucket_names"])]
    tags = {}
    if source["bucket_tags"] or want_tags:
        tags = dict(zip(names, run_all(lambda name: aws_s3.get_tags(clients["s3"], name, source["account_id"]), names, workers)))
        names = [name for name in names if selection.tags_match(tags[name], source["bucket_tags"])]
    keys, warnings = _source_keys(clients, source, names, workers)
    pairs = []
    for name in names:
        if name not in keys:
            continue
        variables = selection.pair_variables(options, name, keys[name])
        problems = selection.pair_problems(variables)
        if problems:
            warnings.append(selection.skip_warning(name, "its pair breaks the vars contract: " + "; ".join(problems), selection.CONTRACT_FIX))
            continue
        pairs.append({"bucket": name, "tags": tags.get(name, {}), "variables": variables})
    return {"pairs": pairs, "warnings": warnings}


def _check_account(sts, source):
    identity = aws_sts.caller_identity(sts)
    if identity["account_id"] != str(source["account_id"]):
        raise estate_options.EstateOptionsError(
            f"{estate_options.PLUGIN_NAME}: the source credentials ({accounts.credentials_text(source)}) act in account {identity['account_id']} "
            f"({identity['arn']}), but source.account_id is {source['account_id']}: fix source.account_id, or give a profile / role_arn "
            f"that acts in {source['account_id']}"
        )


def _source_keys(clients, source, names, workers):
    """({bucket: source key ARN}, warnings for the buckets left out)."""
    if source.get("kms_key_arn"):
        return {name: source["kms_key_arn"] for name in names}, []
    encryptions = run_all(lambda name: aws_s3.get_encryption(clients["s3"], name, source["account_id"]), names, workers)
    references, warnings = {}, []
    for name, encryption in zip(names, encryptions):
        reference, reason = selection.default_key(encryption, source)
        if reason:
            warnings.append(selection.skip_warning(name, reason))
        else:
            references[name] = reference
    distinct = sorted(set(references.values()))
    described = dict(zip(distinct, run_all(lambda key: aws_kms.describe_key(clients["kms"], key), distinct, workers)))
    keys = {}
    for name, reference in references.items():
        arn, reason = selection.key_arn(reference, described[reference])
        if reason:
            warnings.append(selection.skip_warning(name, reason))
        else:
            keys[name] = arn
    return keys, warnings
