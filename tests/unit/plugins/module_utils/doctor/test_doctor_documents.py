# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import re

from doctor_facts import DST_KEY
from doctor_facts import MODEL
from doctor_facts import ROLE
from doctor_facts import SRC
from doctor_facts import SRC_KEY
from doctor_facts import break_and_expect
from doctor_facts import converged
from doctor_facts import diagnose
from doctor_facts import dst_bucket
from doctor_facts import not_ok
from doctor_facts import role
from doctor_facts import role_policy
from doctor_facts import view
import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import doctor
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor import documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.known_actions import ACTION_HINTS
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.known_actions import KNOWN_ACTIONS

BREAKS = {
    "trust misspelt": (
        lambda f: role(f)["trust_policy"]["Statement"][0].update(Principal={"Service": "s3:amazonaws.com"}),
        {"assume-role.trust-policy": "fail", "trust-principal": "fail"},
    ),
    "principal in identity policy": (
        lambda f: role_policy(f)["Statement"][0].update(Principal={"AWS": ROLE}),
        {"identity-policy-principal": "fail"},
    ),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_each_break_fails_exactly_its_finding(name):
    breaker, expected = BREAKS[name]
    break_and_expect(breaker, expected)


def test_policy_content_checks():
    facts = converged()
    role_policy(facts)["Statement"].append(
        {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:ReEncrypt", "s3:*Object", "s3:List*"], "Resource": [SRC_KEY, DST_KEY]}
    )
    result = diagnose(facts)
    found = not_ok(result)
    assert found == {"unknown-actions": "warn", "broad-actions": "warn", "kms-conditions": "warn"}
    unknown = [f for f in result["findings"] if f["id"] == "unknown-actions" and f["status"] == "warn"][0]
    assert "kms:ReEncryptFrom" in unknown["message"]


def test_bucket_policy_granting_the_source_root():
    facts = converged()
    dst_bucket(facts)["policy"]["Statement"].append(
        {
            "Sid": "Owner",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{SRC}:root"},
            "Action": "s3:ObjectOwnerOverrideToBucketOwner",
            "Resource": "arn:aws:s3:::stats-data-tgt/*",
        }
    )
    assert not_ok(diagnose(facts)) == {"destination-bucket-policy-principal": "warn"}


@pytest.mark.parametrize(
    "action, problem",
    [
        ("kms:ReEncrypt", "did you mean kms:ReEncryptFrom"),
        ("s3:ReplicateObjects", "did you mean s3:ReplicateObject"),
        ("s3:*Objekt", "matches no s3 action"),
        ("s3 GetObject", "not of the form"),
        ("sts:AssumeRoles", "not a sts action"),
    ],
)
def test_unknown_actions(action, problem):
    assert problem in doctor.unknown_action(action)


@pytest.mark.parametrize("action", ["*", "s3:*", "s3:Get*", "kms:Decrypt", "KMS:decrypt", "sts:AssumeRole", "ec2:Whatever"])
def test_known_actions(action):
    assert doctor.unknown_action(action) is None


# --- the table of known actions ----------------------------------------------------------------------


@pytest.mark.parametrize("service", sorted(KNOWN_ACTIONS))
def test_the_table_lists_each_action_once_by_its_api_name(service):
    names = KNOWN_ACTIONS[service].split()
    assert len(names) == len({name.lower() for name in names})
    assert all(re.match(r"^[A-Z][A-Za-z0-9]+$", name) for name in names)


def test_every_hint_points_to_actions_of_the_table_and_a_misspelling_that_is_not():
    for misspelling, hint in ACTION_HINTS.items():
        assert doctor.unknown_action(misspelling) is not None
        for action in hint.split(" / "):
            assert doctor.unknown_action(action) is None, action


# --- each check on its own -----------------------------------------------------------------------------


def test_every_document_read_is_checked_for_unknown_actions():
    facts = converged()
    role(facts)["permissions_boundary"] = {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    labels = sorted(f["message"].split(":")[0] for f in documents.check_unknown_actions(view(facts)))
    assert labels == ["bucket policy", f"inline policy {MODEL['role_policy_name']}", "key policy", "key policy", "permissions boundary", "trust policy"]


def test_wildcards_in_a_permissions_boundary_or_a_trust_policy_are_not_breadth():
    facts = converged()
    role(facts)["permissions_boundary"] = {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    role(facts)["trust_policy"]["Statement"][0]["Action"] = "sts:*"
    assert documents.check_broad_actions(view(facts)) == []


def test_not_action_in_a_resource_policy_naming_the_role_is_broad():
    facts = converged()
    dst_bucket(facts)["policy"]["Statement"].append(
        {"Sid": "Everything", "Effect": "Allow", "Principal": {"AWS": ROLE}, "NotAction": "s3:DeleteBucket", "Resource": "*"})
    (found,) = documents.check_broad_actions(view(facts))
    assert found["resource"] == "stats-data-tgt" and "Sid Everything: NotAction allows everything else" in found["message"]


def test_a_key_policy_naming_its_own_account_root_only_delegates():
    facts = converged()
    facts["source"]["keys"][SRC_KEY]["policy"]["Statement"].append(
        {"Sid": "Delegate", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{SRC}:root"}, "Action": "kms:Decrypt", "Resource": "*"})
    assert documents.check_kms_conditions(view(facts)) == []


def test_a_key_policy_giving_the_source_account_kms_use_without_via_service_is_loose():
    facts = converged()
    facts["destination"]["keys"][DST_KEY]["policy"]["Statement"].append(
        {"Sid": "SourceAccount", "Effect": "Allow", "Principal": {"AWS": SRC}, "Action": "kms:Encrypt", "Resource": "*"})
    (found,) = documents.check_kms_conditions(view(facts))
    assert found["side"] == "destination" and "Sid SourceAccount" in found["message"]


def test_document_checks_wait_for_the_role():
    facts = converged()
    role(facts).update(exists=False)
    doctor_view = view(facts)
    assert documents.check_trust_principals(doctor_view) == [] and documents.check_identity_principal(doctor_view) == []


def test_the_bucket_policy_check_needs_a_bucket_policy():
    facts = converged()
    dst_bucket(facts)["policy"] = None
    assert documents.check_bucket_policy_principals(view(facts)) == []
