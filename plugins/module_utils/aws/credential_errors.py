# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Why credentials did not work, and the fix: one decider for every credential problem.

botocore says what failed (``The config profile (prod) could not be found``, ``InvalidClientTokenId``,
``AccessDenied`` on AssumeRole ...) but not what to do. :func:`explain` turns botocore's reason
(:func:`problem_of` an exception, or the code and message an amazon.aws module returned) into one
sentence: the reason as botocore gave it, then the fix for the profile or role in question.
"""

PROFILE_NOT_FOUND = "ProfileNotFound"
NO_CREDENTIALS = ("NoCredentialsError", "PartialCredentialsError", "CredentialRetrievalError")
INVALID_KEYS = ("InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException", "InvalidAccessKeyId", "AuthFailure",
                "IncompleteSignature", "InvalidSignatureException")
EXPIRED = ("ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired", "SSOTokenLoadError", "UnauthorizedSSOTokenError",
           "TokenRetrievalError", "InvalidGrantException")
UNREACHABLE = ("EndpointConnectionError", "ConnectTimeoutError", "ConnectionClosedError", "ReadTimeoutError", "ProxyConnectionError")
ASSUME_ROLE_REFUSED = ("AccessDenied", "AccessDeniedException", "NoSuchEntity")


def problem_of(error):
    """{code, reason} of a botocore exception: the ClientError's code (else the exception's class name) and botocore's own text."""
    response = getattr(error, "response", None)
    if isinstance(response, dict) and response.get("Error"):
        details = response["Error"]
        return {"code": str(details.get("Code", "")), "reason": str(details.get("Message") or error)}
    return {"code": type(error).__name__, "reason": str(error)}


def explain(code, reason, profile=None, role_arn=None, config_file="~/.aws/config", config_file_exists=True, known_profiles=None):
    """``REASON. Fix: ...`` for a credential problem of ``profile`` (a named profile) and/or ``role_arn`` (the role to assume)."""
    fix = _fix(code, reason, profile, role_arn, config_file, config_file_exists, known_profiles)
    return f"{reason.rstrip('.')}. Fix: {fix}"


def _fix(code, reason, profile, role_arn, config_file, config_file_exists, known_profiles):
    configure = f"`aws configure --profile {profile}`" if profile else "`aws configure`"
    if code == PROFILE_NOT_FOUND:
        if not config_file_exists:
            return (f"{config_file} does not exist: create the profile with {configure} (or `aws configure sso --profile {profile}`), "
                    "or point AWS_CONFIG_FILE at the file that has it")
        names = ", ".join(sorted(known_profiles)) if known_profiles else "none"
        return (f"correct the profile's name in vars.yml to one of {config_file}'s profiles ({names}), "
                f"or add it with {configure}")
    if code in ASSUME_ROLE_REFUSED and (role_arn or "AssumeRole" in reason):
        role = role_arn or "the role"
        return (f"let the calling identity assume {role}: the role's trust policy must allow it sts:AssumeRole (and name its ExternalId "
                "if one is required), the caller's own policy must allow sts:AssumeRole on the role, and the role's ARN must be spelt right")
    if code in INVALID_KEYS:
        where = f"profile '{profile}'" if profile else "the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)"
        return f"the access key of {where} is wrong, deactivated or deleted: put an active key there with {configure}"
    if code in EXPIRED:
        login = f"`aws sso login --profile {profile}`" if profile else "`aws sso login`"
        return f"the session has expired: log in again ({login}) or get new temporary credentials, then rerun"
    if code in NO_CREDENTIALS:
        return f"give this account credentials: {configure}, or name a profile or role_arn in vars.yml"
    if code in UNREACHABLE:
        return "AWS could not be reached: check the network, the proxy (HTTPS_PROXY) and any endpoint_url / AWS_ENDPOINT_URL"
    subject = f"profile '{profile}'" if profile else (role_arn or "the credentials")
    return f"check that {subject} can sign in (`aws sts get-caller-identity{' --profile ' + profile if profile else ''}`)"
