# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Packing grants exactly what the separate documents grant, no more: every request evaluated (policy/evaluation.py)
against the per-pair documents and against the packed one gets the same answer."""

import itertools
import json
import random

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import evaluation as pe
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import model
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import packing
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import shared

EXAMPLES = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SRC, DST = "211258069784", "880161310235"
ROLE = f"arn:aws:iam::{SRC}:role/s3-replication-role"
BUCKETS = ("src-a", "src-b", "src-c")
DESTINATIONS = ("dst-a", "dst-b")
REGIONS = ("us-east-1", "eu-west-1")


def key_arn(account, region, number):
    return f"arn:aws:kms:{region}:{account}:key/{number:08d}-1111-2222-3333-444444444444"


def spec(source, destination, region="us-east-1", source_key=0, source_bucket_keys=None, destination_bucket_keys=None, **flags):
    return {"source": {"account_id": SRC, "bucket": source, "region": region, "kms_key_arn": key_arn(SRC, region, source_key),
                       "bucket_key_enabled": source_bucket_keys},
            "destination": {"account_id": DST, "bucket": destination, "region": "us-east-1", "kms_key_arn": key_arn(DST, "us-east-1", 9),
                            "bucket_key_enabled": destination_bucket_keys},
            **flags}


pairs = st.lists(
    st.builds(
        spec,
        st.sampled_from(BUCKETS),
        st.sampled_from(DESTINATIONS),
        region=st.sampled_from(REGIONS),
        source_key=st.integers(0, 2),
        source_bucket_keys=st.sampled_from([None, True, False]),
        destination_bucket_keys=st.sampled_from([None, True, False]),
        owner_override=st.booleans(),
        object_lock=st.booleans(),
        replicate_unencrypted_objects=st.booleans(),
    ),
    min_size=1,
    max_size=4,
)


def requests():
    """Every request the policies could be asked about: each action, on each resource, in each encryption context."""
    actions = sorted({a for p in model.required_permissions(spec("src-a", "dst-a", owner_override=True, object_lock=True, replicate_unencrypted_objects=True))
                      for a in p["actions"]} | {"s3:GetObject"})
    buckets = ("src-a", "src-b", "dst-a", "elsewhere")
    objects = [f"arn:aws:s3:::{b}" for b in buckets] + [f"arn:aws:s3:::{b}/reports/x.csv" for b in buckets]
    keys = [key_arn(SRC, region, number) for region in REGIONS for number in (0, 1)] + [key_arn(DST, "us-east-1", 9), key_arn(DST, "us-east-1", 1)]
    for action in actions:
        if not action.startswith("kms:"):
            yield from (pe.make_request(action, resource, ROLE) for resource in objects)
            continue
        for resource, region, context in itertools.product(keys, REGIONS, objects):
            yield pe.make_request(action, resource, ROLE, context={"kms:ViaService": f"s3.{region}.amazonaws.com", model.CONTEXT_KEY: context})


REQUESTS = list(requests())


def allows(documents, request):
    return any(pe.evaluate_policy(document, request, "identity")["allowed_by"] for document in documents)


def differences(separate, packed):
    return [(r["action"], r["resource"], r["context"]) for r in REQUESTS if allows(separate, r) != allows([packed], r)]


@EXAMPLES
@given(pairs)
def test_the_packed_role_policy_grants_exactly_what_the_per_pair_policies_granted(specs):
    separate = [model.replication_policies(s)["role_policy"] for s in specs]
    packed = shared.packed_policy(separate)
    assert differences(separate, packed) == []
    assert len(packed["Statement"]) <= sum(len(d["Statement"]) for d in separate)


@EXAMPLES
@given(pairs, pairs)
def test_merging_into_what_is_there_grants_the_union_and_removing_gives_back_the_rest(theirs, ours):
    existing = shared.packed_policy([model.replication_policies(s)["role_policy"] for s in theirs])
    our_policies = [model.replication_policies(s)["role_policy"] for s in ours]
    merged = shared.merged_policy(existing, shared.packed_policy(our_policies))
    assert differences([existing] + our_policies, merged) == []
    assert shared.merged_policy(merged, shared.packed_policy(our_policies)) == merged
    reduced = shared.reduced_policy(merged, shared.packed_policy(our_policies))
    # What is left is what the others need and we do not share with them: never more than theirs.
    assert [r for r in REQUESTS if reduced and allows([reduced], r) and not allows([existing], r)] == []


def test_batch_replication_policies_pack_exactly_too():
    batch = {"report_bucket": "reports", "report_prefix": "batch"}
    separate = [model.replication_policies(dict(spec(b, "dst-a"), batch_replication=batch))["batch_role_policy"] for b in BUCKETS]
    packed = shared.packed_policy(separate)
    assert differences(separate, packed) == [] and len(packed["Statement"]) == 4


def test_thirty_sources_sharing_a_role_and_key_pack_into_one_small_policy_whatever_their_order():
    specs = [spec(f"fanin-src-{n:02d}", "fanin-central") for n in range(30)]
    separate = [model.replication_policies(s)["role_policy"] for s in specs]
    packed = shared.packed_policy(separate)
    shuffled = list(separate)
    random.Random(7).shuffle(shuffled)
    assert shared.packed_policy(shuffled) == packed
    sids = sorted(statement["Sid"] for statement in packed["Statement"])
    assert sids == ["S3ReplDestinationKey1", "S3ReplObjects1", "S3ReplSourceBucket1", "S3ReplSourceKey1", "S3ReplSourceObjects1"]
    decrypt = next(statement for statement in packed["Statement"] if statement["Sid"] == "S3ReplSourceKey1")
    assert len(decrypt["Condition"]["StringLike"][model.CONTEXT_KEY]) == 60 and decrypt["Resource"] == key_arn(SRC, "us-east-1", 0)
    size = len("".join(json.dumps(packed).split()))
    assert size < 5000 < sum(len("".join(json.dumps(d).split())) for d in separate) / 8


def test_statements_that_cannot_be_cut_are_carried_over_as_they_are():
    negated = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::x/*",
               "Condition": {"StringNotEquals": {"aws:SourceVpc": ["vpc-1", "vpc-2"]}}}
    not_action = {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}
    packed = packing.pack_policy([negated, not_action, dict(negated, Resource="arn:aws:s3:::y/*")])
    assert negated in packed["Statement"] and not_action in packed["Statement"] and len(packed["Statement"]) == 3


def test_different_keys_with_different_contexts_are_never_crossed():
    first = {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:k1", "Condition": {"StringLike": {"c": "a"}}}
    second = {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:k2", "Condition": {"StringLike": {"c": "b"}}}
    assert len(packing.pack_policy([first, second])["Statement"]) == 2
    same_key = dict(second, Resource="arn:k1")
    assert packing.pack_policy([first, same_key])["Statement"] == [dict(first, Condition={"StringLike": {"c": ["a", "b"]}})]


def test_resource_statements_of_several_roles_become_one_under_a_stable_sid():
    statements = [s for n in range(3) for s in model.replication_policies(dict(spec("src-a", "dst-a"), role_name=f"role-{n}"))["destination_bucket_statements"]]
    packed = shared.shared_statements(statements)
    assert len(packed) == 2 and all(len(s["Principal"]["AWS"]) == 3 for s in packed)
    alone = shared.shared_statements(statements[:2])
    assert [s["Sid"] for s in alone] == [s["Sid"] for s in packed] and all(shared.is_our_sid(s["Sid"]) for s in packed)
    without_override = model.replication_policies(dict(spec("src-a", "dst-a"), owner_override=False))["destination_bucket_statements"]
    assert {s["Sid"] for s in shared.shared_statements(without_override)} != {s["Sid"] for s in packed}


VALUES = ("a", "b", "c")
statements = st.builds(
    lambda actions, resources, condition: dict({"Effect": "Allow", "Action": actions, "Resource": resources},
                                               **({"Condition": condition} if condition else {})),
    st.lists(st.sampled_from(["s3:GetObject", "s3:PutObject"]), min_size=1, max_size=2, unique=True),
    st.lists(st.sampled_from(["arn:aws:s3:::x/1", "arn:aws:s3:::x/2", "arn:aws:s3:::y/1"]), min_size=1, max_size=2, unique=True),
    st.dictionaries(st.sampled_from(["StringEquals", "StringLike"]),
                    st.dictionaries(st.sampled_from(["aws:k1", "aws:k2"]), st.lists(st.sampled_from(VALUES), min_size=1, max_size=2, unique=True),
                                    min_size=1, max_size=2), max_size=2),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(statements, min_size=1, max_size=6))
def test_any_identity_statements_pack_into_a_policy_granting_exactly_the_same(given_statements):
    packed = packing.pack_policy(given_statements)
    separate = {"Version": "2012-10-17", "Statement": given_statements}
    for action, resource, first, second in itertools.product(["s3:GetObject", "s3:PutObject"], ["arn:aws:s3:::x/1", "arn:aws:s3:::x/2", "arn:aws:s3:::y/1"],
                                                             VALUES + (None,), VALUES + (None,)):
        context = {key: value for key, value in (("aws:k1", first), ("aws:k2", second)) if value}
        request = pe.make_request(action, resource, ROLE, context=context)
        assert allows([separate], request) == allows([packed], request), (action, resource, context)
    assert packing.pack_policy(list(reversed(given_statements))) == packed
