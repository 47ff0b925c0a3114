# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Controller side of s3_crossaccount.replication.replication_plan (docs in plugins/modules/replication_plan.py).

Gathers the inputs (every play host's variables of this collection, or the accounts' reads) and
hands them to the pure planner, module_utils/planner. No AWS call, no module process.
"""

import getpass
import socket
import uuid

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import contract
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import planner as replication_plan
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.plain_data import plain

STAGES = ("variables", "pairs", "writes")
VARIABLES_VAR = "__replicate_variables"
PLAYBOOKS = tuple(replication_plan.PLAYBOOKS)


def run_owner(task_vars):
    """Names this run in its lock: a fresh id, the user and the controller, and the playbook's directory."""
    return f"run {uuid.uuid4().hex[:12]} by {getpass.getuser()}@{socket.gethostname()} ({task_vars.get('playbook_dir', '')})"


def _failure_text(result):
    """The message of a failed module result; a module that crashed has none, so the last line of its traceback or stderr."""
    if result.get("msg") and not str(result["msg"]).startswith("MODULE FAILURE"):
        return result["msg"]
    for text in (result.get("exception"), result.get("module_stderr"), result.get("module_stdout")):
        lines = [line for line in str(text or "").splitlines() if line.strip()]
        if lines:
            return f"the module failed: {lines[-1].strip()}"
    return result.get("msg") or "the module failed without a message (rerun with -vvv to see its output)"


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self._task.args
        stage, playbook = args.get("stage", "pairs"), args.get("playbook", "replicate")
        if stage not in STAGES or playbook not in PLAYBOOKS:
            raise AnsibleActionFail(f"replication_plan: stage must be one of {', '.join(STAGES)} and playbook one of {', '.join(PLAYBOOKS)}")
        if stage == "variables":
            planned = {"variables": self._own_variables(task_vars)}
        elif stage == "pairs":
            if args.get("role") is not None and args["role"] not in contract.ROLE_PREFIXES:
                raise AnsibleActionFail(f"replication_plan: role must be one of {', '.join(contract.ROLE_PREFIXES)}")
            planned = replication_plan.plan_pairs(self._hosts(task_vars, args), playbook, limited=bool(task_vars.get("ansible_limit")),
                                                  run_owner=run_owner(task_vars))
            if args.get("role"):
                planned["refused"] = {host: [contract.role_words(args["role"], problem) for problem in problems]
                                      for host, problems in planned["refused"].items()}
            planned["add_hosts"] = self._add_hosts(planned, task_vars)
        else:
            stage_one = plain(args.get("plan") or {})
            if not stage_one.get("pairs") and not stage_one.get("refused"):
                raise AnsibleActionFail("replication_plan: stage writes needs plan, the result of stage pairs")
            reads = plain(args["reads"]) if args.get("reads") is not None else self._reads(stage_one, task_vars, args.get("reads_var", "__replicate_read"))
            planned = replication_plan.plan_writes(stage_one, reads, args.get("sides"))
            if args.get("role"):
                planned["refused"] = {host: [contract.role_words(args["role"], problem) for problem in problems]
                                      for host, problems in planned["refused"].items()}
        result.update(planned, changed=False)
        return result

    def _own_variables(self, task_vars):
        """This host's variables of the collection's prefixes, as the task sees them (inventory, play and extra vars)."""
        return {name: plain(self._templar.template(task_vars[name])) for name in task_vars if str(name).startswith(contract.PREFIXES)}

    def _hosts(self, task_vars, args):
        """``[(host, variables)]``: the given variables (a role's one pair), else every play host's.

        A play host's are what its own ``stage: variables`` task registered (play vars are not in hostvars);
        without that task, the current host's own and the other hosts' host variables.
        """
        if args.get("role") is not None:
            variables = {name: self._templar.template(task_vars[name]) for name in task_vars if str(name).startswith(contract.ROLE_PREFIXES[args["role"]])}
            return [(task_vars.get("inventory_hostname", "localhost"), contract.from_role(args["role"], plain(variables)))]
        if args.get("variables") is not None:
            return [(task_vars.get("inventory_hostname", "localhost"), plain(args["variables"]))]
        hostvars = task_vars["hostvars"]
        hosts = []
        for host in task_vars.get("ansible_play_hosts") or [task_vars.get("inventory_hostname")]:
            collected = plain((hostvars[host].get(VARIABLES_VAR) or {}).get("variables"))
            if collected is None and host == task_vars.get("inventory_hostname"):
                collected = self._own_variables(task_vars)
            elif collected is None:
                variables = hostvars[host]
                collected = {name: plain(variables[name]) for name in variables.keys() if str(name).startswith(contract.PREFIXES)}
            hosts.append((host, collected))
        return hosts

    @staticmethod
    def _add_hosts(planned, task_vars):
        interpreter = task_vars.get("ansible_playbook_python")
        hosts = []
        for host, worker in planned["workers"].items():
            accounts = [planned["accounts"][key] for key in worker["accounts"]]
            host_vars = {"__replicate_worker": {"accounts": accounts}}
            if worker["added"]:
                host_vars.update(ansible_connection="local", ansible_python_interpreter=interpreter)
            hosts.append({"name": host, "groups": [replication_plan.WORKER_GROUP], "vars": host_vars})
        return hosts

    @staticmethod
    def _reads(stage_one, task_vars, reads_var):
        """{account key: what s3_replication_info returned there} from every worker's registered loop."""
        hostvars = task_vars["hostvars"]
        reads = {}
        for host in stage_one.get("workers", {}):
            for item in (plain(hostvars[host].get(reads_var) or {})).get("results", []):
                account = item.get("item") or {}
                if account.get("key") and not item.get("skipped"):
                    reads[account["key"]] = item if "account_id" in item else {"failed": True, "msg": _failure_text(item)}
            for item in (plain(hostvars[host].get(reads_var + "_more") or {})).get("results", []):
                key = (item.get("item") or {}).get("key")
                if key in reads and "keys" in item:
                    reads[key].setdefault("keys", {}).update(item["keys"])
            for key, aws in (plain(hostvars[host].get("__replicate_aws") or {})).items():
                if aws.get("failed"):
                    reads[key] = {"failed": True, "msg": aws["failed"]}
        return reads
