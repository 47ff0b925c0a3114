# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Starts moto's server with the fidelity patches this project's tests depend on.

Usage: python moto_launcher.py PORT [--real-aws] [--principal-delay SECONDS]

Patches (test harness only, never shipped):

1. GetBucketReplication. moto 5.2.5 answers only ID/Priority/Status/Destination of each
   rule, with a hard-coded ``Filter {Prefix: ""}`` and ``DeleteMarkerReplication Disabled``,
   and drops ``SourceSelectionCriteria``. Real S3 returns the rules as they were written.
   We parse each PutBucketReplication body with botocore's own S3 model (so malformed input
   still fails the way moto already fails it) and answer GetBucketReplication with that.

2. With ``--real-aws``: moto refuses what AWS refuses, the document quotas and a new role as a
   principal for ``--principal-delay`` seconds after CreateRole (tests/harness/aws_limits.py).
"""

import argparse
import os
import sys

import botocore.parsers
import botocore.session
from moto.s3 import responses as s3_responses
from moto.server import main as moto_main

AS_WRITTEN = "__replication_configuration_as_written__"


def _replication_shape():
    model = botocore.session.get_session().get_service_model("s3")
    return model.operation_model("PutBucketReplication").input_shape.members["ReplicationConfiguration"]


REPLICATION_SHAPE = _replication_shape()


def parse_replication_body(body):
    """Parses a PutBucketReplication XML body into the boto3 shape of ReplicationConfiguration."""
    parser = botocore.parsers.RestXMLParser()
    root = parser._parse_xml_string_to_dom(body if isinstance(body, bytes) else body.encode("utf-8"))
    return parser._parse_shape(REPLICATION_SHAPE, root)


def patch_replication_round_trip():
    original_from_xml = s3_responses.S3Response._replication_config_from_xml
    original_get = s3_responses.S3Response.get_bucket_replication

    def replication_config_from_xml(self, xml):
        config = original_from_xml(self, xml)
        config[AS_WRITTEN] = parse_replication_body(xml)
        return config

    def get_bucket_replication(self):
        stored = self.backend.get_bucket_replication(self.bucket_name)
        if not stored or AS_WRITTEN not in stored:
            return original_get(self)
        self.data["Action"] = "GetBucketReplication"
        return self.serialized(s3_responses.ActionResult({"ReplicationConfiguration": stored[AS_WRITTEN]}))

    s3_responses.S3Response._replication_config_from_xml = replication_config_from_xml
    s3_responses.S3Response.get_bucket_replication = get_bucket_replication


def parse_arguments(argv):
    parser = argparse.ArgumentParser(prog="moto_launcher.py")
    parser.add_argument("port")
    parser.add_argument("--real-aws", action="store_true", help="refuse what AWS refuses (quotas, new roles as principals)")
    parser.add_argument("--principal-delay", type=float, default=0.0, help="seconds after CreateRole before a role is a valid principal")
    return parser.parse_args(argv[1:])


def main(argv):
    args = parse_arguments(argv)
    patch_replication_round_trip()
    if args.real_aws:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import aws_limits  # pylint: disable=import-outside-toplevel

        aws_limits.patch_real_aws(args.principal_delay)
    moto_main(["-H", "127.0.0.1", "-p", args.port])


if __name__ == "__main__":
    main(sys.argv)
