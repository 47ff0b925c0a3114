# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure validation and conversion of the names and ARNs this collection handles.

Every function raises ``ValueError`` with a message that names the problem and the fix;
callers prefix the name of the input they checked.
"""

import re

from ansible_collections.amazon.aws.plugins.module_utils.arn import parse_aws_arn

ACCOUNT_ID_PATTERN = re.compile(r"^\d{12}$")
REGION_PATTERN = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
KEY_ID_PATTERN = re.compile(r"^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")
BUCKET_NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
IPV4_PATTERN = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
ROLE_NAME_PATTERN = re.compile(r"^[\w+=,.@-]{1,64}$")
RESERVED_BUCKET_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
RESERVED_BUCKET_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3")


def validate_account_id(account_id):
    text = str(account_id)
    if not ACCOUNT_ID_PATTERN.match(text):
        raise ValueError(f"'{text}' is not an AWS account id: use the 12 digits, quoted in YAML so leading zeros survive")
    return text


def validate_region(region):
    if not region or not REGION_PATTERN.match(str(region)):
        raise ValueError(f"'{region}' is not an AWS region name such as us-east-1")
    return region


def validate_bucket_name(name):
    """Checks the S3 general purpose bucket naming rules."""
    problems = []
    if not BUCKET_NAME_PATTERN.match(name or ""):
        problems.append("3 to 63 characters of lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit")
    if ".." in (name or ""):
        problems.append("no two adjacent dots")
    if IPV4_PATTERN.match(name or ""):
        problems.append("not formatted as an IP address")
    if (name or "").startswith(RESERVED_BUCKET_PREFIXES) or (name or "").endswith(RESERVED_BUCKET_SUFFIXES):
        problems.append("none of the reserved prefixes " + ", ".join(RESERVED_BUCKET_PREFIXES) + " or suffixes " + ", ".join(RESERVED_BUCKET_SUFFIXES))
    if problems:
        raise ValueError(f"'{name}' is not a valid S3 bucket name: it needs " + "; ".join(problems))
    return name


def bucket_name(name_or_arn):
    """Accepts a bucket name or ``arn:aws:s3:::NAME`` and returns the validated name."""
    text = str(name_or_arn or "")
    if text.startswith("arn:"):
        details = parse_aws_arn(text)
        if not details or details["service"] != "s3" or details["region"] or details["account_id"] or "/" in details["resource"]:
            raise ValueError(f"'{text}' is not an S3 bucket ARN: use arn:aws:s3:::BUCKET or the plain bucket name")
        text = details["resource"]
    return validate_bucket_name(text)


def bucket_arn(name_or_arn, partition="aws"):
    return f"arn:{partition}:s3:::{bucket_name(name_or_arn)}"


def parse_kms_key_arn(arn):
    """Returns ``{"partition", "region", "account_id", "key_id"}`` for a full KMS key ARN.

    Key ids, aliases and alias ARNs are refused: across accounts only a full key ARN names
    the same key for both sides (an alias resolves in the caller's own account).
    """
    text = str(arn or "")
    if text.startswith("alias/") or ":alias/" in text:
        raise ValueError(
            f"'{text}' is a KMS alias: aliases resolve in the caller's own account, so give the full key ARN "
            "(arn:aws:kms:REGION:ACCOUNT:key/KEY_ID; `aws kms describe-key --key-id ALIAS` prints it)"
        )
    details = parse_aws_arn(text) if text.startswith("arn:") else None
    if not details or details["service"] != "kms" or details["resource_type"] != "key":
        raise ValueError(f"'{text}' is not a full KMS key ARN: use arn:aws:kms:REGION:ACCOUNT:key/KEY_ID, not a key id or alias")
    if not KEY_ID_PATTERN.match(details["resource_id"]):
        raise ValueError(f"'{text}' has no valid key id after key/: expected a UUID or an mrk- multi-Region key id")
    validate_region(details["region"])
    validate_account_id(details["account_id"])
    return {
        "partition": details["partition"],
        "region": details["region"],
        "account_id": details["account_id"],
        "key_id": details["resource_id"],
    }


def parse_role_arn(arn):
    """Returns ``{"partition", "account_id", "role_name", "path"}`` for an IAM role ARN."""
    text = str(arn or "")
    details = parse_aws_arn(text) if text.startswith("arn:") else None
    if not details or details["service"] != "iam" or details["resource_type"] != "role" or details["region"]:
        raise ValueError(f"'{text}' is not an IAM role ARN: use arn:aws:iam::ACCOUNT:role/NAME")
    validate_account_id(details["account_id"])
    path, _sep, name = details["resource_id"].rpartition("/")
    validate_role_name(name)
    return {"partition": details["partition"], "account_id": details["account_id"], "role_name": name, "path": f"/{path}/" if path else "/"}


def validate_role_name(name):
    if not ROLE_NAME_PATTERN.match(str(name or "")):
        raise ValueError(f"'{name}' is not a valid IAM role name: 1 to 64 letters, digits or +=,.@_-")
    return name


def role_arn(account_id, role_name, path="/", partition="aws"):
    return f"arn:{partition}:iam::{validate_account_id(account_id)}:role{path}{validate_role_name(role_name)}"


def account_root_arn(account_id, partition="aws"):
    return f"arn:{partition}:iam::{validate_account_id(account_id)}:root"


PARTITION_REGION_PREFIXES = {"aws-us-gov": "us-gov-", "aws-cn": "cn-"}


def partition_of_region(region):
    """The partition a region belongs to: aws-cn for cn-*, aws-us-gov for us-gov-*, else aws."""
    return next((partition for partition, prefix in PARTITION_REGION_PREFIXES.items() if str(region).startswith(prefix)), "aws")


TOPIC_NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
NOTIFICATION_SERVICES = ("sns", "sqs", "lambda")


def validate_topic_name(name):
    """A standard SNS topic name; S3 cannot publish to FIFO topics."""
    text = str(name or "")
    if text.endswith(".fifo"):
        raise ValueError(f"'{text}' is a FIFO topic: S3 event notifications go to standard topics only, give a name without .fifo")
    if not TOPIC_NAME_PATTERN.match(text):
        raise ValueError(f"'{text}' is not an SNS topic name: 1 to 256 letters, digits, hyphens and underscores")
    return text


def parse_topic_arn(arn):
    """Returns ``{"partition", "region", "account_id", "name"}`` for a standard SNS topic ARN."""
    text = str(arn or "")
    details = parse_aws_arn(text) if text.startswith("arn:") else None
    if not details or details["service"] != "sns" or not details["region"] or ":" in details["resource"]:
        raise ValueError(f"'{text}' is not an SNS topic ARN: use arn:aws:sns:REGION:ACCOUNT:NAME")
    validate_region(details["region"])
    validate_account_id(details["account_id"])
    return {"partition": details["partition"], "region": details["region"], "account_id": details["account_id"],
            "name": validate_topic_name(details["resource"])}


def topic_arn(account_id, region, name, partition="aws"):
    return f"arn:{partition}:sns:{validate_region(region)}:{validate_account_id(account_id)}:{validate_topic_name(name)}"


def notification_service(arn):
    """sns, sqs or lambda: the kind of destination an S3 event notification sends to."""
    details = parse_aws_arn(str(arn or "")) if str(arn or "").startswith("arn:") else None
    if not details or details["service"] not in NOTIFICATION_SERVICES or not details["region"] or not details["account_id"]:
        raise ValueError(f"'{arn}' is not the ARN of an SNS topic, SQS queue or Lambda function: S3 event notifications go to those only")
    return details["service"]
