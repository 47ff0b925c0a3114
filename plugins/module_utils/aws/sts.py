# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Who the credentials act as (see aws_calls)."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.calls import call
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import permissions
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.permissions import needs


@needs("GetCallerIdentity", (), permissions.ANY)
def caller_identity(client):
    """{account_id, arn, partition} of the credentials."""
    answer = call(client, "get_caller_identity", "these credentials (which AWS account they act in)")
    return {"account_id": answer["Account"], "arn": answer["Arn"], "partition": answer["Arn"].split(":")[1]}
