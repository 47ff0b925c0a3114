# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import botocore.exceptions
import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import credential_errors
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.credentials import assume_role_problem
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.credentials import module_defaults

ROLE = "arn:aws:iam::211258069784:role/deployer"


def client_error(code, message, operation="GetCallerIdentity"):
    return botocore.exceptions.ClientError({"Error": {"Code": code, "Message": message}}, operation)


def test_botocore_reasons_are_kept_word_for_word():
    assert credential_errors.problem_of(botocore.exceptions.ProfileNotFound(profile="prod")) == {
        "code": "ProfileNotFound", "reason": "The config profile (prod) could not be found"}
    assert credential_errors.problem_of(client_error("ExpiredToken", "The security token included in the request is expired")) == {
        "code": "ExpiredToken", "reason": "The security token included in the request is expired"}


def test_a_missing_config_file_is_named_with_the_command_that_creates_the_profile():
    text = credential_errors.explain("ProfileNotFound", "The config profile (prod) could not be found", profile="prod",
                                     config_file="/home/ops/.aws/config", config_file_exists=False)
    assert text.startswith("The config profile (prod) could not be found. Fix: /home/ops/.aws/config does not exist")
    assert "`aws configure --profile prod`" in text and "AWS_CONFIG_FILE" in text


def test_a_misspelt_profile_lists_the_profiles_of_the_file():
    text = credential_errors.explain("ProfileNotFound", "The config profile (analytic) could not be found", profile="analytic",
                                     config_file="/c", known_profiles=["prod", "analytics"])
    assert "correct the profile's name in vars.yml to one of /c's profiles (analytics, prod)" in text
    assert "`aws configure --profile analytic`" in text


@pytest.mark.parametrize("code", ["InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException"])
def test_a_wrong_key_says_which_profile_to_reconfigure(code):
    text = credential_errors.explain(code, "The security token included in the request is invalid.", profile="prod")
    assert text == ("The security token included in the request is invalid. Fix: the access key of profile 'prod' is wrong, deactivated "
                    "or deleted: put an active key there with `aws configure --profile prod`")


def test_an_expired_session_says_to_log_in_again():
    text = credential_errors.explain("ExpiredToken", "The security token included in the request is expired", profile="sso-prod")
    assert "log in again (`aws sso login --profile sso-prod`)" in text


def test_a_refused_assume_role_points_at_the_trust_policy_of_the_role():
    text = credential_errors.explain("AccessDenied", f"User: u is not authorized to perform: sts:AssumeRole on resource: {ROLE}", role_arn=ROLE)
    assert f"let the calling identity assume {ROLE}: the role's trust policy must allow it sts:AssumeRole" in text


def test_access_denied_elsewhere_is_not_blamed_on_a_role():
    text = credential_errors.explain("AccessDenied", "not authorized to perform: sts:GetCallerIdentity", profile="prod")
    assert "trust policy" not in text and "aws sts get-caller-identity --profile prod" in text


def test_no_credentials_at_all():
    text = credential_errors.explain("NoCredentialsError", "Unable to locate credentials")
    assert text == "Unable to locate credentials. Fix: give this account credentials: `aws configure`, or name a profile or role_arn in vars.yml"


def test_an_account_whose_role_was_refused_fails_with_the_reason_and_the_fix():
    accounts = [{"key": "211258069784/us-east-1", "region": "us-east-1", "credentials": {"role_arn": ROLE}},
                {"key": "880161310235/us-east-1", "region": "us-east-1", "credentials": {"profile": "analytics"}}]
    refused = {"item": {"key": "211258069784/us-east-1"}, "failed": True, "msg": "Unable to assume role: An error occurred (AccessDenied)",
               "error": {"code": "AccessDenied", "message": f"User: u is not authorized to perform: sts:AssumeRole on resource: {ROLE}"}}
    defaults = module_defaults([refused], accounts)
    assert defaults["880161310235/us-east-1"] == {"region": "us-east-1", "profile": "analytics"}
    failed = defaults["211258069784/us-east-1"]["failed"]
    assert failed.startswith(f"could not assume {ROLE} from the controller's credentials: User: u is not authorized")
    assert "trust policy" in failed


def test_a_role_never_tried_says_its_host_stopped():
    assert "its host stopped" in assume_role_problem(ROLE, {})
