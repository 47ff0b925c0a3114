# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writer of s3_replication_dashboard: the replication dashboard of features/dashboard, by name (see module_utils/writers/runner).

PutDashboard replaces a dashboard's whole body, so a dashboard is written only when it is ours (its text widget
carries features/dashboard's marker) or missing; another's dashboard of the same name is refused, and kept by
``state: absent``. The body is compared as data with what GetDashboard answers, so a converged rerun writes nothing.
"""

import json

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import cloudwatch as aws_cloudwatch
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import dashboard as replication_dashboard
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import UNKNOWN
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import WriteRefused
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import Writer
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import make_plan
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import resource_header

MODULE = "s3_replication_dashboard"
RULE_OPTIONS = dict(
    source_bucket=dict(type="str", required=True),
    destination_bucket=dict(type="str", required=True),
    rule_id=dict(type="str", required=True),
    region=dict(type="str"),
)
ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    rules=dict(type="list", elements="dict", default=[], options=RULE_OPTIONS),
    runbook_url=dict(type="str"),
)


def _checked(params):
    problem = replication_dashboard.name_problem(params["name"])
    if problem:
        raise WriteRefused(f"name: {problem}")
    if params["state"] == "present":
        if not params["rules"]:
            raise WriteRefused("rules is empty: give at least one rule whose metrics the dashboard graphs")
        problem = replication_dashboard.rule_count_problem(len(params["rules"]))
        if problem:
            raise WriteRefused(f"rules: {problem}")
    return params


def wanted_body(params, region):
    rules = [dict(rule, region=rule.get("region") or region) for rule in params["rules"]]
    return replication_dashboard.body(rules, params.get("runbook_url"))


class DashboardWriter(Writer):
    MODULE = MODULE
    ARGUMENT_SPEC = ARGUMENT_SPEC

    def read_state(self, aws, params):
        _checked(params)
        found = facts.dashboard(aws.client("cloudwatch"), params["name"], strict=True)
        return {"dashboard": found, "account_id": aws.account_id, "region": aws.region}

    def state_from_facts(self, account_facts, params):
        found = (account_facts.get("dashboards") or {}).get(params["name"])
        if not found or found.get("exists") is None:
            return UNKNOWN
        return {"dashboard": found, "account_id": account_facts.get("account_id"), "region": account_facts.get("region")}

    def plan(self, params, state):
        params = _checked(params)
        name, current = params["name"], state["dashboard"]
        ours = current["exists"] and replication_dashboard.is_ours(current["body"])
        header = resource_header(state.get("account_id"), f"CloudWatch dashboard {name}")
        before = current["body"] if current["exists"] else None
        if current["exists"] and not ours:
            if params["state"] == "present":
                raise WriteRefused(replication_dashboard.not_ours_message(name, state.get("account_id")))
            return make_plan(False, None, None, header, result={"name": name}, warnings=[replication_dashboard.not_ours_message(name, state.get("account_id"))])
        if params["state"] == "absent":
            return make_plan(bool(before), before, None, header, result={"name": name}, note="deleted" if before else None, delete=bool(before))
        after = wanted_body(params, state.get("region"))
        url = replication_dashboard.console_url(name, state.get("region"))
        return make_plan(before != after, before, after, header, result={"name": name, "url": url})

    def apply(self, aws, params, planned):
        cloudwatch = aws.client("cloudwatch")
        if planned.get("delete"):
            aws_cloudwatch.delete_dashboard(cloudwatch, params["name"])
            return {}
        planned["warnings"] += [f"CloudWatch dashboard {params['name']}: {message}"
                                for message in aws_cloudwatch.put_dashboard(cloudwatch, params["name"], json.dumps(planned["after"]))]
        return {}

    def applied(self, account_facts, params, planned):
        if planned["changed"]:
            exists = planned["after"] is not None
            account_facts.setdefault("dashboards", {})[params["name"]] = {"name": params["name"], "exists": exists, "body": planned["after"], "errors": {}}


WRITER = DashboardWriter()
