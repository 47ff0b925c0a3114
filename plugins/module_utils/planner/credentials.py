# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How the modules act in each account: the module defaults (amazon.aws auth options) per account.

An account of the plan (module_utils/planner) names a ``profile``, a ``role_arn`` assumed
from the controller's own credentials, or neither (the ambient credentials). A worker host assumes
the roles (amazon.aws.sts_assume_role, one loop item per account) and turns the answers into the
module defaults of each account with :func:`module_defaults`.
"""


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
                defaults[account["key"]] = {"failed": f"could not assume role_arn {credentials['role_arn']}: {answer.get('msg', 'no answer')}"}
                continue
            creds = answer["sts_creds"]
            options.update(access_key=creds["access_key"], secret_key=creds["secret_key"], session_token=creds["session_token"])
        defaults[account["key"]] = options
    return defaults
