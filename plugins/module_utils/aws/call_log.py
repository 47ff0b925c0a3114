# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""An opt-in record of every AWS call a module makes, and which declared wrapper made it (tests only).

With ``S3_CROSSACCOUNT_CALL_LOG`` naming a file, every boto3 session of the collection's modules
appends one JSON line per API call (botocore's ``before-call`` event):
``{"service": "s3", "operation": "GetBucketReplication", "wrapper": "s3.get_replication"}``; the
wrapper is the innermost function on the stack that declares its IAM actions (aws/permissions),
``CREDENTIAL_PROVIDER`` for botocore's own calls while it gets a profile's credentials (assuming its
role), None for a call made outside both. The
integration suite checks the record against the declarations. Without the variable nothing is registered.
"""

import json
import os
import sys

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import permissions

ENVIRONMENT_VARIABLE = "S3_CROSSACCOUNT_CALL_LOG"
CREDENTIAL_PROVIDER = "<credential provider>"


def calling_wrapper(frame):
    """The name of the innermost declared wrapper among ``frame`` and its callers (or the credential provider), or None."""
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module == "botocore.credentials":
            return CREDENTIAL_PROVIDER
        name = permissions.wrapper_name(module, frame.f_code.co_name)
        if name in permissions.DECLARED:
            return name
        frame = frame.f_back
    return None


def _recorder(path):
    def record(model, **_kwargs):
        line = {"service": model.service_model.service_name, "operation": model.name, "wrapper": calling_wrapper(sys._getframe(1))}
        # One short write with O_APPEND: lines of concurrent module processes never interleave.
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, (json.dumps(line) + "\n").encode("utf-8"))
        finally:
            os.close(descriptor)

    return record


def register(events, environ=None):
    """Registers the recorder on a boto3 session's ``events`` when the environment names a log file."""
    path = (os.environ if environ is None else environ).get(ENVIRONMENT_VARIABLE)
    if path:
        events.register("before-call", _recorder(path))
