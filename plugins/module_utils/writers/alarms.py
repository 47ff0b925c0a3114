# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writer of s3_replication_alarm: CloudWatch alarms on a replication rule's metrics, by name (see module_utils/writers/runner).

Each alarm watches one metric of one rule (namespace AWS/S3, dimensions SourceBucket,
DestinationBucket, RuleId). PutMetricAlarm replaces an alarm's definition, so the settings this
writer does not manage (OK and insufficient-data actions, datapoints to alarm, unit) are carried
over from the alarm as read; its tags are never touched. Alarms are objects of their own: no other
writer's merge can lose them, so they are read back at once.
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import cloudwatch as aws_cloudwatch
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import replication_metrics
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import UNKNOWN
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import WriteRefused
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import make_plan
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import resource_header
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import Writer

MODULE = "s3_replication_alarm"
NAMESPACE = replication_metrics.NAMESPACE
METRICS = ["OperationsFailedReplication", "ReplicationLatency", "OperationsPendingReplication", "BytesPendingReplication"]
# The statistic that answers "is anything wrong in this period" for each metric.
STATISTICS = {"OperationsFailedReplication": "Sum", "ReplicationLatency": "Maximum", "OperationsPendingReplication": "Maximum",
              "BytesPendingReplication": "Maximum"}
COMPARISONS = ["GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"]
CARRIED_OVER = ("OKActions", "InsufficientDataActions", "DatapointsToAlarm", "Unit", "EvaluateLowSampleCountPercentile")
ALARM_OPTIONS = dict(
    name=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    metric=dict(type="str", choices=METRICS),
    source_bucket=dict(type="str"),
    destination_bucket=dict(type="str"),
    rule_id=dict(type="str"),
    threshold=dict(type="float"),
    comparison_operator=dict(type="str", choices=COMPARISONS, default="GreaterThanThreshold"),
    statistic=dict(type="str", choices=["Sum", "Maximum", "Average", "Minimum", "SampleCount"]),
    period=dict(type="int", default=300),
    evaluation_periods=dict(type="int", default=1),
    alarm_actions=dict(type="list", elements="str", default=[]),
    description=dict(type="str", default=""),
)
ARGUMENT_SPEC = dict(alarms=dict(type="list", elements="dict", required=True, options=ALARM_OPTIONS))
REQUIRED_PRESENT = ("metric", "source_bucket", "destination_bucket", "rule_id", "threshold")


def _checked(params):
    alarms = params["alarms"]
    if not alarms:
        raise WriteRefused("alarms is empty: give at least one alarm")
    names = [alarm["name"] for alarm in alarms]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise WriteRefused(f"alarms: the names {', '.join(repeated)} appear more than once; give each alarm its own name")
    for alarm in alarms:
        if not 1 <= len(alarm["name"]) <= 255:
            raise WriteRefused(f"alarms: name {alarm['name']!r} must be 1 to 255 characters")
        missing = [option for option in REQUIRED_PRESENT if alarm["state"] == "present" and alarm.get(option) in (None, "")]
        if missing:
            raise WriteRefused(f"alarms[{alarm['name']}]: {', '.join(missing)} required with state present")
        if alarm["state"] == "present" and (alarm["period"] < 60 or alarm["period"] % 60):
            raise WriteRefused(f"alarms[{alarm['name']}].period: {alarm['period']} is not a multiple of 60 seconds (S3 publishes these metrics per minute)")
    return alarms


def request(alarm, current=None):
    """The PutMetricAlarm request of an alarm option item, with the unmanaged settings of ``current`` (as read) carried over."""
    wanted = {
        "AlarmName": alarm["name"],
        "AlarmDescription": alarm["description"],
        "ActionsEnabled": True,
        "AlarmActions": sorted(alarm["alarm_actions"]),
        "MetricName": alarm["metric"],
        "Namespace": NAMESPACE,
        "Statistic": alarm.get("statistic") or STATISTICS[alarm["metric"]],
        "Dimensions": replication_metrics.dimensions(alarm["source_bucket"], alarm["destination_bucket"], alarm["rule_id"]),
        "Period": alarm["period"],
        "EvaluationPeriods": alarm["evaluation_periods"],
        "Threshold": float(alarm["threshold"]),
        "ComparisonOperator": alarm["comparison_operator"],
        "TreatMissingData": "notBreaching",
    }
    for field in CARRIED_OVER:
        if (current or {}).get(field) not in (None, []):
            wanted[field] = current[field]
    return wanted


def _comparable(definition):
    view = {field: definition.get(field) for field in ("AlarmDescription", "ActionsEnabled", "MetricName", "Namespace", "Statistic", "Period",
                                                       "EvaluationPeriods", "ComparisonOperator", "TreatMissingData")}
    view["AlarmDescription"] = view["AlarmDescription"] or ""
    view["AlarmActions"] = sorted(definition.get("AlarmActions") or [])
    view["Dimensions"] = {item["Name"]: item["Value"] for item in sorted(definition.get("Dimensions") or [], key=lambda item: item["Name"])}
    view["Threshold"] = float(definition["Threshold"]) if definition.get("Threshold") is not None else None
    return view


class AlarmsWriter(Writer):
    MODULE = MODULE
    ARGUMENT_SPEC = ARGUMENT_SPEC
    MERGED = True

    def read_state(self, aws, params):
        alarms = _checked(params)
        found = facts.alarms(aws.client("cloudwatch"), [alarm["name"] for alarm in alarms], strict=True)
        return {"alarms": {name: entry["alarm"] for name, entry in found.items()}, "account_id": aws.account_id}

    def state_from_facts(self, account_facts, params):
        known = account_facts.get("alarms") or {}
        names = [alarm["name"] for alarm in params["alarms"]]
        if any(name not in known or known[name].get("exists") is None for name in names):
            return UNKNOWN
        return {"alarms": {name: known[name]["alarm"] for name in names}, "account_id": account_facts.get("account_id")}

    def document(self, state):
        return {name: _comparable(alarm) if alarm else None for name, alarm in sorted(state["alarms"].items())}

    def settles(self, _params, _planned):
        return False

    def plan(self, params, state):
        alarms = _checked(params)
        put, delete, before, after = [], [], {}, {}
        for alarm in alarms:
            current = state["alarms"].get(alarm["name"])
            if current:
                before[alarm["name"]] = _comparable(current)
            if alarm["state"] == "absent":
                if current:
                    delete.append(alarm["name"])
                continue
            wanted = request(alarm, current)
            after[alarm["name"]] = _comparable(wanted)
            if not current or _comparable(current) != _comparable(wanted):
                put.append(wanted)
        changed = bool(put or delete)
        header = resource_header(state.get("account_id"), "CloudWatch alarms " + ", ".join(alarm["name"] for alarm in alarms))
        note = "; ".join(part for part in (f"put {len(put)}" if put else "", f"deleted {len(delete)}" if delete else "") if part) or None
        return make_plan(changed, before or None, after or None, header, result={"alarms": sorted(after)}, note=note, put=put, delete=delete)

    def apply(self, aws, params, planned):
        cloudwatch = aws.client("cloudwatch")
        for wanted in planned["put"]:
            aws_cloudwatch.put_metric_alarm(cloudwatch, wanted)
        if planned["delete"]:
            aws_cloudwatch.delete_alarms(cloudwatch, planned["delete"])
        return {}

    def applied(self, account_facts, params, planned):
        alarms = account_facts.setdefault("alarms", {})
        for request in planned["put"]:
            alarms[request["AlarmName"]] = {"name": request["AlarmName"], "exists": True, "alarm": request, "errors": {}}
        for name in planned["delete"]:
            alarms[name] = {"name": name, "exists": False, "alarm": None, "errors": {}}


WRITER = AlarmsWriter()
