# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How the modules act in each account: the module defaults (amazon.aws auth options) per account.

An account of the plan (module_utils/planner) names a ``profile``, a ``role_arn`` assumed
from the controller's own credentials, or neither (the ambient credentials). A worker host assumes
the roles (amazon.aws.sts_assume_role, one loop item per account) and turns the answers into the
module defaults of each account with :func:`module_defaults`.
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import credential_errors


def assume_role_problem(role_arn, answer):
    """Why the sts_assume_role task did not assume ``role_arn`` (its registered ``answer``), and the fix."""
    error = answer.get("error") or {}
    if answer.get("skipped") or not answer:
        return f"could not assume {role_arn}: its host stopped before the role was assumed (see the task that failed above)"
    code = error.get("code") or ("AccessDenied" if "AccessDenied" in str(answer.get("msg")) else "")
    reason = error.get("message") or answer.get("msg") or "sts_assume_role failed without a message"
    return f"could not assume {role_arn} from the controller's credentials: {credential_errors.explain(code, reason, role_arn=role_arn)}"


def module_defaults(assumed_results, accounts):
    """{account key: amazon.aws options} for ``accounts`` (the plan's), given the sts_assume_role loop results.

    An account whose role could not be assumed maps to ``{"failed": message}``.
    """
    answers = {(result.get("item") or {}).get("key"): result for result in assumed_results or []}
    defaults = {}
    for account in accounts:
        options = {"region": account["region"]}
        credentials = account.get("credentials") or {}
        answer = answers.get(account["key"]) or {}
        if credentials.get("profile"):
            options["profile"] = credentials["profile"]
        elif credentials.get("role_arn"):
            if not answer.get("sts_creds"):
                defaults[account["key"]] = {"failed": assume_role_problem(credentials["role_arn"], answer)}
                continue
            creds = answer["sts_creds"]
            options.update(access_key=creds["access_key"], secret_key=creds["secret_key"], session_token=creds["session_token"])
        defaults[account["key"]] = options
    return defaults
