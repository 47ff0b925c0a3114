"""The harness's one fidelity patch: GetBucketReplication answers the rules as written."""

import importlib.util
import os

import botocore.session
from botocore.serialize import create_serializer

HERE = os.path.dirname(__file__)
LAUNCHER = os.path.join(HERE, "..", "..", "harness", "moto_launcher.py")

CONFIGURATION = {
    "Role": "arn:aws:iam::211258069784:role/s3-replication-role",
    "Rules": [
        {
            "ID": "ours",
            "Priority": 7,
            "Status": "Enabled",
            "Filter": {"And": {"Prefix": "logs/", "Tags": [{"Key": "team", "Value": "a"}, {"Key": "env", "Value": "prod"}]}},
            "DeleteMarkerReplication": {"Status": "Disabled"},
            "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}, "ReplicaModifications": {"Status": "Enabled"}},
            "Destination": {
                "Bucket": "arn:aws:s3:::stats-data-tgt",
                "Account": "880161310235",
                "StorageClass": "STANDARD_IA",
                "AccessControlTranslation": {"Owner": "Destination"},
                "EncryptionConfiguration": {"ReplicaKmsKeyID": "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321"},
                "Metrics": {"Status": "Enabled", "EventThreshold": {"Minutes": 15}},
                "ReplicationTime": {"Status": "Enabled", "Time": {"Minutes": 15}},
            },
        },
        {
            "ID": "theirs",
            "Priority": 1,
            "Status": "Disabled",
            "Filter": {"Tag": {"Key": "k", "Value": "v"}},
            "DeleteMarkerReplication": {"Status": "Disabled"},
            "Destination": {"Bucket": "arn:aws:s3:::other"},
        },
    ],
}


def load_launcher():
    spec = importlib.util.spec_from_file_location("moto_launcher", LAUNCHER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def put_body(configuration):
    model = botocore.session.get_session().get_service_model("s3")
    serializer = create_serializer("rest-xml")
    request = serializer.serialize_to_request(
        {"Bucket": "stats-data-src", "ReplicationConfiguration": configuration}, model.operation_model("PutBucketReplication")
    )
    return request["body"]


def test_put_body_parses_back_to_the_configuration_as_written():
    launcher = load_launcher()
    assert launcher.parse_replication_body(put_body(CONFIGURATION)) == CONFIGURATION


def test_the_patch_replaces_only_the_replication_read_and_parse():
    launcher = load_launcher()
    from moto.s3 import responses

    before = dict(vars(responses.S3Response))
    launcher.patch_replication_round_trip()
    changed = {name for name, value in vars(responses.S3Response).items() if before.get(name) is not value}
    assert changed == {"_replication_config_from_xml", "get_bucket_replication"}
