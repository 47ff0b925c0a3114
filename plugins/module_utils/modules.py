# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AnsibleAWSModule with this collection's name in the boto3 user agent, and one boto3 session per module run.

amazon.aws builds a new boto3 session for every client, and with a profile that assumes a role
each new session assumes it again and loads the service models again. Here every client of one
module run comes from one session per profile (one AssumeRole), each client is made once per
service and region, and made under a lock so that threads of one module can share them.
"""

import os
import threading

try:
    import boto3
    import botocore.config
    import botocore.exceptions
    import botocore.session
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import get_aws_connection_info
from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.common import COLLECTION_NAME
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.common import COLLECTION_VERSION
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.retries import transient_retry
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import call_log
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import credential_errors

try:
    from ansible_collections.amazon.aws.plugins.module_utils.botocore import _get_user_agent_string as user_agent
except ImportError:  # amazon.aws without it: botocore's own user agent

    def user_agent():
        return None


class AnsibleS3CrossAccountModule(AnsibleAWSModule):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        set_collection_info(collection_name=COLLECTION_NAME, collection_version=COLLECTION_VERSION)
        self._sessions = {}
        self._clients = {}
        self._client_lock = threading.Lock()
        self._session_lock = threading.Lock()

    def _should_inject_warnings(self):
        """amazon.aws 10.1 passes ``warn()``'s warnings to ``exit_json`` again, which ansible-core 2.19 deprecates (one
        DEPRECATION WARNING per run of a module that warned); core already returns them."""
        return False

    def client(self, service, retry_decorator=None, **extra_params):
        """A client of ``service`` wrapped in ``retry_decorator`` (default: the collection's transient retry)."""
        return self._make_client(service, retry_decorator or transient_retry(), extra_params.pop("region", None), extra_params)

    def aws_client(self, service, region=None, extra_codes=()):
        """The run's one client of ``service`` in ``region`` (default: the module's), retrying transient errors and ``extra_codes``."""
        cache_key = (service, region, tuple(extra_codes))
        with self._client_lock:
            if cache_key not in self._clients:
                self._clients[cache_key] = self._make_client(service, transient_retry(catch_extra_error_codes=list(extra_codes)), region, {})
            return self._clients[cache_key]

    def _make_client(self, service, retry, region, extra_params):
        module_region, endpoint_url, connect = get_aws_connection_info(self)
        profile = connect.pop("profile_name", None)
        config = self._config(connect)
        with self._session_lock:  # boto3 sessions are not thread-safe; the clients they make are
            if profile not in self._sessions:
                self._sessions[profile] = boto3.session.Session(profile_name=profile)
                call_log.register(self._sessions[profile].events)
            raw = self._sessions[profile].client(
                service, region_name=region or module_region, endpoint_url=endpoint_url, config=config, **connect, **extra_params
            )
        return RetryingBotoClientWrapper(raw, retry)

    @staticmethod
    def _config(connect):
        config = botocore.config.Config(user_agent=user_agent())
        for name in ("config", "aws_config"):
            extra = connect.pop(name, None)
            if extra:
                config = config.merge(extra if isinstance(extra, botocore.config.Config) else botocore.config.Config(**extra))
        return config

    def credential_problem(self, error):
        """Why this module's credentials did not work, and the fix (aws.credential_errors), from botocore's exception."""
        profile = self.params.get("profile") or os.environ.get("AWS_PROFILE") or os.environ.get("AWS_DEFAULT_PROFILE")
        config_file = os.path.expanduser(os.environ.get("AWS_CONFIG_FILE") or "~/.aws/config")
        try:
            profiles = botocore.session.Session(profile=None).full_config.get("profiles", {}) if os.path.isfile(config_file) else {}
        except botocore.exceptions.BotoCoreError:  # a config file botocore cannot parse: its error is the one to show
            profiles = {}
        role_arn = (profiles.get(profile) or {}).get("role_arn") if profile else None
        problem = credential_errors.problem_of(error)
        return credential_errors.explain(problem["code"], problem["reason"], profile=profile, role_arn=role_arn, config_file=config_file,
                                         config_file_exists=os.path.isfile(config_file), known_profiles=list(profiles))
