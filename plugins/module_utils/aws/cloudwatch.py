# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The CloudWatch calls of this collection, one function per API call (see aws_calls)."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.calls import call
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.calls import paged
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import permissions
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.permissions import needs

# DescribeAlarms and DeleteAlarms take up to 100 names; GetMetricData up to 500 queries.
NAMES_PER_CALL = 100
QUERIES_PER_CALL = 500
ALARM_FIELDS = ("AlarmName", "AlarmArn", "AlarmDescription", "ActionsEnabled", "OKActions", "AlarmActions", "InsufficientDataActions", "StateValue",
                "MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Dimensions", "Period", "Unit", "EvaluationPeriods", "DatapointsToAlarm",
                "Threshold", "ComparisonOperator", "TreatMissingData", "EvaluateLowSampleCountPercentile")


def _chunks(items, size):
    items = list(items)
    return [items[start:start + size] for start in range(0, len(items), size)]


@needs("DescribeAlarms", "cloudwatch:DescribeAlarms", permissions.ALARM)
def describe_alarms(client, names):
    """{name: alarm (the fields this collection uses)} of the metric alarms among ``names`` that exist."""
    found = {}
    for chunk in _chunks(names, NAMES_PER_CALL):
        alarms = paged(client, "describe_alarms", "MetricAlarms", f"CloudWatch alarms {', '.join(chunk)}", AlarmNames=chunk, AlarmTypes=["MetricAlarm"])
        for alarm in alarms:
            found[alarm["AlarmName"]] = {field: alarm[field] for field in ALARM_FIELDS if field in alarm}
    return found


@needs("PutMetricAlarm", "cloudwatch:PutMetricAlarm", permissions.ALARM)
def put_metric_alarm(client, request):
    call(client, "put_metric_alarm", f"CloudWatch alarm {request['AlarmName']}", **request)


@needs("DeleteAlarms", "cloudwatch:DeleteAlarms", permissions.ALARM)
def delete_alarms(client, names):
    for chunk in _chunks(names, NAMES_PER_CALL):
        call(client, "delete_alarms", f"CloudWatch alarms {', '.join(chunk)}", AlarmNames=chunk)


@needs("GetMetricData", "cloudwatch:GetMetricData", permissions.ANY)
def get_metric_data(client, queries, start, end):
    """{query id: [(timestamp ISO text, value)] newest first} for ``queries`` (MetricDataQueries) between ``start`` and ``end``."""
    found = {}
    for chunk in _chunks(queries, QUERIES_PER_CALL):
        results = paged(client, "get_metric_data", "MetricDataResults", "CloudWatch metrics of AWS/S3 replication", MetricDataQueries=chunk,
                        StartTime=start, EndTime=end, ScanBy="TimestampDescending")
        for result in results:
            points = zip(result.get("Timestamps") or [], result.get("Values") or [])
            found.setdefault(result["Id"], []).extend((stamp.isoformat() if hasattr(stamp, "isoformat") else str(stamp), value) for stamp, value in points)
    return found


DASHBOARD_NOT_FOUND = ("ResourceNotFound",)


@needs("GetDashboard", "cloudwatch:GetDashboard", permissions.DASHBOARD)
def get_dashboard(client, name):
    """The body (JSON text) of the dashboard ``name``, or None when there is none."""
    answer = call(client, "get_dashboard", f"CloudWatch dashboard {name}", DASHBOARD_NOT_FOUND, DashboardName=name)
    return None if answer is None else answer.get("DashboardBody", "")


@needs("PutDashboard", "cloudwatch:PutDashboard", permissions.DASHBOARD)
def put_dashboard(client, name, body):
    """Writes the dashboard (``body``: JSON text); returns CloudWatch's validation messages (warnings: the dashboard was written)."""
    answer = call(client, "put_dashboard", f"CloudWatch dashboard {name}", DashboardName=name, DashboardBody=body)
    return [item.get("Message", "") for item in (answer or {}).get("DashboardValidationMessages") or []]


@needs("DeleteDashboards", "cloudwatch:DeleteDashboards", permissions.DASHBOARD)
def delete_dashboard(client, name):
    """Deletes the dashboard ``name``; one already gone is not an error."""
    call(client, "delete_dashboards", f"CloudWatch dashboard {name}", DASHBOARD_NOT_FOUND, DashboardNames=[name])
