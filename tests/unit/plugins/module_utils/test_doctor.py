# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import copy

import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import doctor
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import policy_model

SRC = "211258069784"
DST = "880161310235"
SRC_KEY = f"arn:aws:kms:us-east-1:{SRC}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
DST_KEY = f"arn:aws:kms:us-east-1:{DST}:key/0987dcba-09fe-87dc-65ba-ab0987654321"
SPEC = {
    "source": {"account_id": SRC, "bucket": "stats-data-src", "kms_key_arn": SRC_KEY, "region": "us-east-1", "bucket_key_enabled": False},
    "destination": {"account_id": DST, "bucket": "stats-data-tgt", "kms_key_arn": DST_KEY, "region": "us-east-1", "bucket_key_enabled": True},
    "role_name": "s3-replication-role",
    "owner_override": True,
    "replicate_unencrypted_objects": True,
}
MODEL = policy_model.replication_policies(SPEC)
ROLE = MODEL["role_arn"]


def root_statement(account):
    return {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "kms:*", "Resource": "*"}


def key(arn, account, *statements, **metadata):
    return {
        "reference": arn,
        "exists": True,
        "metadata": dict(
            {"Arn": arn, "KeyState": "Enabled", "KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT"}, **metadata
        ),
        "policy": {"Version": "2012-10-17", "Statement": [root_statement(account)] + list(statements)},
        "grants": [],
        "errors": {},
    }


def rule(**changes):
    base = {
        "ID": "all-objects",
        "Priority": 1,
        "Status": "Enabled",
        "Filter": {},
        "DeleteMarkerReplication": {"Status": "Disabled"},
        "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
        "Destination": {
            "Bucket": "arn:aws:s3:::stats-data-tgt",
            "Account": DST,
            "AccessControlTranslation": {"Owner": "Destination"},
            "EncryptionConfiguration": {"ReplicaKmsKeyID": DST_KEY},
        },
    }
    base.update(changes)
    return base


def bucket(name, key_arn, bucket_key, **changes):
    base = {
        "name": name,
        "exists": True,
        "region": "us-east-1",
        "versioning": "Enabled",
        "encryption": {"algorithm": "aws:kms", "kms_key_arn": key_arn, "bucket_key_enabled": bucket_key},
        "object_ownership": "BucketOwnerEnforced",
        "object_lock": False,
        "policy": None,
        "replication": None,
        "has_objects": False,
        "errors": {},
    }
    base.update(changes)
    return base


def converged():
    """Facts of a setup exactly as playbooks/replicate.yml converges it."""
    role = {
        "name": "s3-replication-role",
        "exists": True,
        "arn": ROLE,
        "trust_policy": MODEL["trust_policy"],
        "inline_policies": {MODEL["role_policy_name"]: MODEL["role_policy"]},
        "managed_policies": [],
        "permissions_boundary": None,
        "errors": {},
    }
    source = bucket("stats-data-src", SRC_KEY, False, replication={"Role": ROLE, "Rules": [rule()]})
    destination = bucket("stats-data-tgt", DST_KEY, True, policy={"Version": "2012-10-17", "Statement": MODEL["destination_bucket_statements"]})
    return copy.deepcopy(
        {
            "source": {"account_id": SRC, "buckets": {"stats-data-src": source}, "roles": {"s3-replication-role": role}, "keys": {SRC_KEY: key(SRC_KEY, SRC)}},
            "destination": {
                "account_id": DST,
                "buckets": {"stats-data-tgt": destination},
                "roles": {},
                "keys": {DST_KEY: key(DST_KEY, DST, MODEL["destination_key_statement"])},
            },
        }
    )


def diagnose(facts, spec=None, rule_ids=("all-objects",)):
    spec = SPEC if spec is None else spec
    return doctor.diagnose(facts, spec, list(rule_ids))


def not_ok(result):
    found = {}
    for item in result["findings"]:
        if item["status"] != doctor.OK:
            found[item["id"]] = max(found.get(item["id"], doctor.OK), item["status"], key=doctor.STATUS_ORDER.get)
    return found


def one(result, finding_id):
    matches = [f for f in result["findings"] if f["id"] == finding_id]
    assert len(matches) == 1, matches
    return matches[0]


def src_bucket(facts):
    return facts["source"]["buckets"]["stats-data-src"]


def dst_bucket(facts):
    return facts["destination"]["buckets"]["stats-data-tgt"]


def the_rule(facts):
    return src_bucket(facts)["replication"]["Rules"][0]


def role(facts):
    return facts["source"]["roles"]["s3-replication-role"]


def role_policy(facts):
    return role(facts)["inline_policies"][MODEL["role_policy_name"]]


def drop_action(document, action):
    for statement in document["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        statement["Action"] = [a for a in actions if a != action]


def test_converged_setup_is_all_ok():
    result = diagnose(converged())
    assert not_ok(result) == {}
    assert result["status"] == "ok" and result["summary"]["fail"] == 0
    ids = {f["id"] for f in result["findings"]}
    for permission in MODEL["required_permissions"]:
        assert any(i.startswith(permission["id"] + ".") for i in ids), permission["id"]


def test_every_finding_has_the_contract_fields():
    for item in diagnose(converged())["findings"]:
        assert set(item) == {"id", "status", "side", "account", "resource", "message", "fix"}
        assert item["status"] in ("ok", "info", "warn", "fail") and item["side"] in ("source", "destination")
        assert item["account"] == (SRC if item["side"] == "source" else DST)


def _break_and_expect(breaker, expected):
    facts = converged()
    breaker(facts)
    result = diagnose(facts)
    assert not_ok(result) == expected, [f for f in result["findings"] if f["status"] != "ok"]
    for finding_id, status in expected.items():
        if status != "ok":
            assert all(f["fix"] for f in result["findings"] if f["id"] == finding_id and f["status"] != "ok")
    return result


THRESHOLD_WITHOUT_RTC = {"Bucket": "arn:aws:s3:::logs-archive-tgt", "Metrics": {"Status": "Enabled", "EventThreshold": {"Minutes": 15}}}


def other_team_rule(**changes):
    """Another team's rule towards another bucket, without SSE-KMS."""
    base = rule(ID="analytics-team-logs", Priority=10, Filter={"Prefix": "logs/"}, Destination={"Bucket": "arn:aws:s3:::logs-archive-tgt"})
    del base["SourceSelectionCriteria"]
    base.update(changes)
    return base


def add_rule(facts, new_rule):
    src_bucket(facts)["replication"]["Rules"].append(new_rule)


BREAKS = {
    "source bucket missing": (lambda f: src_bucket(f).update(exists=False), {"source-bucket": "fail"}),
    "destination bucket missing": (lambda f: dst_bucket(f).update(exists=False), {"destination-bucket": "fail"}),
    "source versioning suspended": (lambda f: src_bucket(f).update(versioning="Suspended"), {"source-versioning": "fail"}),
    "destination never versioned": (lambda f: dst_bucket(f).update(versioning="Disabled"), {"destination-versioning": "fail"}),
    "no configuration": (lambda f: src_bucket(f).update(replication=None), {"replication-configuration": "fail"}),
    "another role": (lambda f: src_bucket(f)["replication"].update(Role=f"arn:aws:iam::{SRC}:role/x"), {"replication-role": "fail"}),
    "rule disabled": (lambda f: the_rule(f).update(Status="Disabled"), {"replication-rules": "fail"}),
    "rule elsewhere": (lambda f: the_rule(f)["Destination"].update(Bucket="arn:aws:s3:::other"), {"replication-rules": "fail"}),
    "no sse-kms selection": (lambda f: the_rule(f).pop("SourceSelectionCriteria"), {"sse-kms-selection": "fail"}),
    "no replica key": (lambda f: the_rule(f)["Destination"].pop("EncryptionConfiguration"), {"replica-key": "fail"}),
    "replica key as id": (
        lambda f: the_rule(f)["Destination"]["EncryptionConfiguration"].update(ReplicaKmsKeyID="0987dcba-09fe-87dc-65ba-ab0987654321"),
        {"replica-key-arn": "fail"},
    ),
    "replica key as alias": (
        lambda f: the_rule(f)["Destination"]["EncryptionConfiguration"].update(ReplicaKmsKeyID="alias/replicas"),
        {"replica-key-arn": "fail"},
    ),
    "replica key of another region": (
        lambda f: the_rule(f)["Destination"]["EncryptionConfiguration"].update(ReplicaKmsKeyID=DST_KEY.replace("us-east-1", "eu-west-1")),
        {"replica-key-arn": "fail"},
    ),
    "rtc without metrics": (
        lambda f: the_rule(f)["Destination"].update(ReplicationTime={"Status": "Enabled", "Time": {"Minutes": 15}}),
        {"replication-time-control": "fail"},
    ),
    "owner override without account": (lambda f: the_rule(f)["Destination"].pop("Account"), {"ownership": "fail"}),
    "owner override to another account": (lambda f: the_rule(f)["Destination"].update(Account="444455556666"), {"ownership": "fail"}),
    "replica key disabled": (
        lambda f: f["destination"]["keys"][DST_KEY]["metadata"].update(KeyState="Disabled"),
        {"replica-key-state": "fail"},
    ),
    "replica key pending deletion": (
        lambda f: f["destination"]["keys"][DST_KEY]["metadata"].update(KeyState="PendingDeletion"),
        {"replica-key-state": "fail"},
    ),
    "replica key asymmetric": (lambda f: f["destination"]["keys"][DST_KEY]["metadata"].update(KeySpec="RSA_2048"), {"replica-key-state": "fail"}),
    "replica key aws-managed": (lambda f: f["destination"]["keys"][DST_KEY]["metadata"].update(KeyManager="AWS"), {"replica-key-state": "fail"}),
    "replica key gone": (lambda f: f["destination"]["keys"][DST_KEY].update(exists=False, metadata=None, policy=None), {"replica-key-state": "fail"}),
    "source key disabled": (lambda f: f["source"]["keys"][SRC_KEY]["metadata"].update(KeyState="Disabled"), {"source-key-state": "fail"}),
    "role missing": (lambda f: role(f).update(exists=False), {"replication-role-exists": "fail"}),
    "trust for ec2": (
        lambda f: role(f)["trust_policy"]["Statement"][0].update(Principal={"Service": "ec2.amazonaws.com"}),
        {"assume-role.trust-policy": "fail"},
    ),
    "trust misspelt": (
        lambda f: role(f)["trust_policy"]["Statement"][0].update(Principal={"Service": "s3:amazonaws.com"}),
        {"assume-role.trust-policy": "fail", "trust-principal": "fail"},
    ),
    "principal in identity policy": (
        lambda f: role_policy(f)["Statement"][0].update(Principal={"AWS": ROLE}),
        {"identity-policy-principal": "fail"},
    ),
    "identity without source read": (
        lambda f: drop_action(role_policy(f), "s3:GetObjectVersionForReplication"),
        {"source-objects.identity": "fail"},
    ),
    "identity without configuration read": (
        lambda f: drop_action(role_policy(f), "s3:GetReplicationConfiguration"),
        {"source-bucket.identity": "fail"},
    ),
    "identity without replicate tags": (lambda f: drop_action(role_policy(f), "s3:ReplicateTags"), {"destination-objects.identity": "fail"}),
    "identity without owner override": (
        lambda f: drop_action(role_policy(f), "s3:ObjectOwnerOverrideToBucketOwner"),
        {"destination-objects.identity": "fail"},
    ),
    "identity without encrypt": (lambda f: drop_action(role_policy(f), "kms:Encrypt"), {"destination-key.identity": "fail"}),
    "identity without decrypt": (
        lambda f: drop_action(role_policy(f), "kms:Decrypt"),
        {"source-key.identity": "fail", "destination-key.identity": "fail"},
    ),
    "bucket policy without replicate tags": (
        lambda f: drop_action(dst_bucket(f)["policy"], "s3:ReplicateTags"),
        {"destination-objects.bucket-policy": "fail"},
    ),
    "bucket policy without versioning read": (
        lambda f: drop_action(dst_bucket(f)["policy"], "s3:GetBucketVersioning"),
        {"destination-bucket.bucket-policy": "fail"},
    ),
    "no bucket policy": (
        lambda f: dst_bucket(f).update(policy=None),
        {"destination-objects.bucket-policy": "fail", "destination-bucket.bucket-policy": "fail"},
    ),
    "destination key without the role": (
        lambda f: f["destination"]["keys"][DST_KEY]["policy"]["Statement"].pop(),
        {"destination-key.key-policy": "fail"},
    ),
    "source key without delegation": (
        lambda f: f["source"]["keys"][SRC_KEY]["policy"].update(Statement=[]),
        {"source-key.key-policy": "fail"},
    ),
    "source objects": (lambda f: src_bucket(f).update(has_objects=True), {"existing-objects": "info"}),
    # S3's admission rules (docs/s3-rules.md) over every rule of the configuration read
    "another team's rule with a threshold and no RTC": (
        lambda f: add_rule(f, other_team_rule(Destination=THRESHOLD_WITHOUT_RTC)),
        {"rules.s3-admission": "fail"},
    ),
    "our rule with a threshold and no RTC": (
        lambda f: the_rule(f)["Destination"].update(Metrics={"Status": "Enabled", "EventThreshold": {"Minutes": 15}}),
        {"replication-time-control": "fail"},
    ),
    "duplicate priorities": (lambda f: add_rule(f, other_team_rule(Priority=1)), {"rules.s3-admission": "fail"}),
    "delete markers with a tag filter": (
        lambda f: the_rule(f).update(Filter={"Tag": {"Key": "team", "Value": "stats"}}, DeleteMarkerReplication={"Status": "Enabled"}),
        {"rules.s3-admission": "fail"},
    ),
    "v1 rule beside v2 rules": (
        lambda f: add_rule(f, {"ID": "old", "Prefix": "old/", "Status": "Enabled", "Destination": {"Bucket": "arn:aws:s3:::old-tgt"}}),
        {"rules.s3-admission": "fail"},
    ),
    "existing object replication": (lambda f: the_rule(f).update(ExistingObjectReplication={"Status": "Enabled"}), {"rules.s3-admission": "warn"}),
    "object lock on the source only": (
        lambda f: src_bucket(f).update(object_lock=True),
        {"rules.s3-admission": "fail", "source-objects.identity": "fail"},
    ),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_each_break_fails_exactly_its_finding(name):
    breaker, expected = BREAKS[name]
    _break_and_expect(breaker, expected)


def test_disabled_key_names_the_failure_code():
    facts = converged()
    facts["destination"]["keys"][DST_KEY]["metadata"]["KeyState"] = "Disabled"
    assert "DstKmsKeyInvalidState" in one(diagnose(facts), "replica-key-state")["message"]


def test_named_rule_missing():
    result = diagnose(converged(), rule_ids=["all-objects", "reports"])
    assert "rule reports does not exist" in one(result, "replication-rules")["message"]


def test_explicit_deny_in_an_identity_policy_is_named():
    facts = converged()
    role(facts)["managed_policies"].append(
        {
            "arn": "arn:aws:iam::aws:policy/Guardrail",
            "name": "Guardrail",
            "document": {"Statement": [{"Sid": "NoKms", "Effect": "Deny", "Action": "kms:*", "Resource": "*"}]},
        }
    )
    result = diagnose(facts)
    assert not_ok(result) == {"source-key.identity": "fail", "destination-key.identity": "fail"}
    assert "managed policy arn:aws:iam::aws:policy/Guardrail: Sid NoKms" in one(result, "destination-key.identity")["message"]


def test_key_policy_deny_wins_over_its_allow():
    facts = converged()
    facts["destination"]["keys"][DST_KEY]["policy"]["Statement"].append(
        {"Sid": "NoSrc", "Effect": "Deny", "Principal": {"AWS": f"arn:aws:iam::{SRC}:root"}, "Action": "kms:Encrypt", "Resource": "*"}
    )
    result = diagnose(facts)
    assert not_ok(result) == {"destination-key.key-policy": "fail"}


def test_permissions_boundary_limits_the_role():
    facts = converged()
    role(facts)["permissions_boundary"] = {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    result = diagnose(facts)
    assert set(not_ok(result)) == {"source-key.identity", "destination-key.identity"}


def test_unevaluable_condition_warns_instead_of_passing():
    facts = converged()
    dst_bucket(facts)["policy"]["Statement"].append(
        {
            "Sid": "OrgOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": "arn:aws:s3:::stats-data-tgt/*",
            "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc"}},
        }
    )
    result = diagnose(facts)
    assert not_ok(result) == {"destination-objects.bucket-policy": "warn"}
    assert "aws:PrincipalOrgID" in one(result, "destination-objects.bucket-policy")["message"]


def test_unevaluable_allow_warns_when_it_is_the_only_way():
    facts = converged()
    for statement in role_policy(facts)["Statement"]:
        if "kms:Encrypt" in statement["Action"]:
            statement["Condition"] = {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
    result = diagnose(facts)
    assert not_ok(result)["destination-key.identity"] == "warn"


def test_vpc_endpoint_deny_blocks_replication():
    facts = converged()
    src_bucket(facts)["policy"] = {
        "Statement": [
            {
                "Sid": "VpceOnly",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": ["arn:aws:s3:::stats-data-src", "arn:aws:s3:::stats-data-src/*"],
                "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}},
            }
        ]
    }
    assert not_ok(diagnose(facts)) == {"source-bucket.bucket-policy": "fail", "source-objects.bucket-policy": "fail"}


def test_same_account_bucket_policy_can_grant_instead_of_identity():
    facts = converged()
    drop_action(role_policy(facts), "s3:GetObjectVersionForReplication")
    src_bucket(facts)["policy"] = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": ROLE},
                "Action": "s3:GetObjectVersionForReplication",
                "Resource": "arn:aws:s3:::stats-data-src/*",
            }
        ]
    }
    assert not_ok(diagnose(facts)) == {}


def test_grant_stands_in_for_the_destination_key_statement():
    facts = converged()
    dst_key = facts["destination"]["keys"][DST_KEY]
    dst_key["policy"]["Statement"].pop()
    grant = MODEL["destination_key_grant"]
    dst_key["grants"] = [
        {"Name": grant["name"], "GranteePrincipal": grant["grantee_principal"], "Operations": grant["operations"], "Constraints": grant["constraints"]}
    ]
    assert not_ok(diagnose(facts)) == {}


def test_source_key_statement_for_the_role_needs_no_iam_permission():
    facts = converged()
    facts["source"]["keys"][SRC_KEY]["policy"]["Statement"] = [MODEL["source_key_statement"]]
    drop_action(role_policy(facts), "kms:Decrypt")
    assert not_ok(diagnose(facts)) == {"destination-key.identity": "fail"}


def test_bucket_keys_on_the_source_change_the_encryption_context():
    facts = converged()
    src_bucket(facts)["encryption"]["bucket_key_enabled"] = True
    # The converged role policy allows only object contexts (bucket_key_enabled was false); the
    # doctor follows what the bucket really does.
    assert not_ok(diagnose(facts)) == {"source-key.identity": "fail"}


def test_rule_prefix_is_used_for_sample_objects():
    facts = converged()
    the_rule(facts)["Filter"] = {"Prefix": "reports/"}
    for statement in role_policy(facts)["Statement"]:
        if statement["Resource"] == "arn:aws:s3:::stats-data-src/*":
            statement["Resource"] = "arn:aws:s3:::stats-data-src/reports/*"
    assert not_ok(diagnose(facts)) == {}


def test_ownership_warns_when_replicas_keep_the_source_owner():
    facts = converged()
    the_rule(facts)["Destination"].pop("AccessControlTranslation")
    dst_bucket(facts)["object_ownership"] = "BucketOwnerPreferred"
    assert not_ok(diagnose(facts)) == {"ownership": "warn"}


def test_without_owner_override_the_permission_is_not_required():
    facts = converged()
    the_rule(facts)["Destination"].pop("AccessControlTranslation")
    drop_action(role_policy(facts), "s3:ObjectOwnerOverrideToBucketOwner")
    assert not_ok(diagnose(facts)) == {}


def test_replica_key_other_than_configured_is_used_and_warned():
    facts = converged()
    other = DST_KEY.replace("0987dcba", "aaaaaaaa")
    the_rule(facts)["Destination"]["EncryptionConfiguration"]["ReplicaKmsKeyID"] = other
    result = diagnose(facts)
    assert not_ok(result)["replica-key"] == "warn"
    assert one(result, "replica-key-state")["resource"] == other


def test_encryption_warnings():
    facts = converged()
    dst_bucket(facts)["encryption"] = {"algorithm": "AES256", "kms_key_arn": None, "bucket_key_enabled": False}
    src_bucket(facts)["encryption"]["kms_key_arn"] = SRC_KEY.replace("1234abcd", "bbbbbbbb")
    found = not_ok(diagnose(facts))
    assert found["destination-encryption"] == "warn" and found["source-encryption"] == "warn"


def test_read_errors_warn():
    facts = converged()
    dst_bucket(facts).update(policy=None, errors={"policy": "AccessDenied: no"})
    src_bucket(facts).update(versioning=None, errors={"versioning": "AccessDenied: no"})
    facts["destination"]["keys"][DST_KEY].update(exists=None, metadata=None, policy=None, errors={"metadata": "AccessDenied: no"})
    found = not_ok(diagnose(facts))
    assert found["destination-objects.bucket-policy"] == "warn"
    assert found["source-versioning"] == "warn"
    assert found["replica-key-state"] == "warn"


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


def test_bad_input():
    with pytest.raises(doctor.DoctorError, match="source"):
        doctor.diagnose({"source": {}}, SPEC)
    with pytest.raises(doctor.DoctorError, match="spec is invalid"):
        doctor.diagnose(converged(), dict(SPEC, source=dict(SPEC["source"], kms_key_arn="alias/x")))


def test_report_and_render():
    facts = converged()
    dst_bucket(facts)["versioning"] = "Suspended"
    result = diagnose(facts)
    assert result["status"] == "fail" and result["summary"]["fail"] == 1
    text = doctor.render(result)
    assert text.splitlines()[0].startswith("Replication doctor: FAIL (1 fail")
    source_header, destination_header = text.index(f"== source account {SRC}"), text.index(f"== destination account {DST}")
    assert source_header < destination_header
    section = text[destination_header:]
    assert section.index("[FAIL] destination-versioning") < section.index("[OK  ]")
    assert "fix: enable versioning" in section
    assert "[OK" not in doctor.render(result, show_ok=False)
    assert doctor.report([])["status"] == "ok"


def test_objects_older_than_the_rule_are_information_pointing_to_backfill():
    facts = converged()
    src_bucket(facts)["has_objects"] = True
    result = diagnose(facts)
    assert result["status"] == "ok" and result["summary"]["info"] == 1 and result["summary"]["warn"] == 0
    text = doctor.render(result, show_ok=False)
    assert text.splitlines()[0] == "Replication doctor: OK (0 fail, 0 warn, 1 info, " + str(result["summary"]["ok"]) + " ok)"
    assert "[INFO] existing-objects (" in text and "fix: to copy them, run playbooks/backfill.yml" in text
    dst_bucket(facts)["versioning"] = "Suspended"
    assert diagnose(facts)["status"] == "fail"


def test_facts_are_not_modified():
    facts = converged()
    before = copy.deepcopy(facts)
    diagnose(facts)
    assert facts == before


def test_admission_finding_names_the_rule_and_s3s_error():
    facts = converged()
    add_rule(facts, other_team_rule(Destination=THRESHOLD_WITHOUT_RTC))
    item = one(diagnose(facts), "rules.s3-admission")
    assert item["message"].startswith("rule analytics-team-logs: metrics_event_threshold_minutes is set but replication_time_control is false")
    assert "Metrics cannot contain an event threshold" in item["message"]
    assert "docs/s3-rules.md" in item["fix"]


def test_admission_finding_is_ok_on_the_converged_setup_and_absent_without_configuration():
    assert one(diagnose(converged()), "rules.s3-admission")["status"] == doctor.OK
    facts = converged()
    src_bucket(facts).update(replication=None)
    assert not [f for f in diagnose(facts)["findings"] if f["id"] == "rules.s3-admission"]
