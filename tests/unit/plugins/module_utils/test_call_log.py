# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import json

import boto3
from botocore.awsrequest import AWSResponse

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import call_log
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import s3 as aws_s3


class _Raw:
    def __init__(self, body):
        self.body = body

    def stream(self, **_kwargs):
        yield self.body


def _answer(request, **_kwargs):
    """S3's answer, without a network: versioning Enabled, no buckets."""
    body = b"<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>" if "versioning" in request.url else \
        b"<ListAllMyBucketsResult><Buckets></Buckets></ListAllMyBucketsResult>"
    return AWSResponse(request.url, 200, {}, _Raw(body))


def _client(environ):
    session = boto3.session.Session(aws_access_key_id="a", aws_secret_access_key="b", region_name="us-east-1")
    call_log.register(session.events, environ)
    session.events.register("before-send", _answer)
    return session.client("s3")


class _Retrying:
    """What module.aws_client returns: the calls take aws_retry."""

    def __init__(self, client):
        self.client = client

    def __getattr__(self, name):
        method = getattr(self.client, name)
        return lambda aws_retry=False, **params: method(**params)


def test_each_call_is_recorded_with_the_wrapper_that_made_it(tmp_path):
    log = tmp_path / "calls.jsonl"
    client = _client({call_log.ENVIRONMENT_VARIABLE: str(log)})
    assert aws_s3.get_versioning(_Retrying(client), "b") == "Enabled"
    client.list_buckets()
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert lines == [{"service": "s3", "operation": "GetBucketVersioning", "wrapper": "s3.get_versioning"},
                     {"service": "s3", "operation": "ListBuckets", "wrapper": None}]


def test_nothing_is_recorded_without_the_variable(tmp_path):
    client = _client({})
    client.list_buckets()
    assert not list(tmp_path.iterdir())
