# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The CloudWatch metrics S3 publishes per replication rule (with replication metrics on the rule), as status.yml reads them
and the dashboard graphs them."""

NAMESPACE = "AWS/S3"
# The metric, the statistic that answers for a period, and how the periods of a window add up.
METRICS = (
    ("failed_operations", "OperationsFailedReplication", "Sum", "sum"),
    ("pending_operations", "OperationsPendingReplication", "Maximum", "latest"),
    ("pending_bytes", "BytesPendingReplication", "Maximum", "latest"),
    ("latency_seconds", "ReplicationLatency", "Maximum", "max"),
)


def dimensions(source_bucket, destination_bucket, rule_id):
    """A rule's metric dimensions, as GetMetricData and alarms take them."""
    return [{"Name": "SourceBucket", "Value": source_bucket}, {"Name": "DestinationBucket", "Value": destination_bucket},
            {"Name": "RuleId", "Value": rule_id}]
