# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The options of the replication_pairs inventory (source, destination, vars), checked before any AWS call.

``source`` and ``destination`` are the contract's sides (module_utils/contract.py), the source without
``bucket`` (the buckets are found) and with the selectors; ``destination.bucket`` is one bucket or a
pattern with ``{source_bucket}``. ``validate(config)`` answers the options with defaults applied, or
raises EstateOptionsError naming every misspelt, missing or invalid option and the fix.
"""

import copy
import string

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import contract
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns

PLUGIN_NAME = "s3_crossaccount.replication.replication_pairs"
GROUP = "replication_pairs"
PLACEHOLDER = "source_bucket"
DEFAULT_READ_WORKERS = 8
# Variables the inventory writes itself: in vars they would be overwritten or contradict a pair.
OWN_VARIABLES = ("replication_source", "replication_destination", "replication_destinations")

SELECTORS = dict(
    bucket_tags=dict(type="dict", default={}, description="Buckets carrying all of these tags (key: value)."),
    bucket_names=dict(type="list", elements="str", default=[], description="Buckets whose name matches one of these globs (fnmatch: *, ?, [...])."),
)
SOURCE_OPTIONS = dict(
    {name: option for name, option in contract.SOURCE_OPTIONS.items() if name != "bucket"},
    kms_key_arn=dict(contract.SOURCE_OPTIONS["kms_key_arn"], required=False,
                     description="The source key of every pair found; default each bucket's default-encryption key."),
    **SELECTORS,
)
DESTINATION_OPTIONS = dict(
    contract.DESTINATION_OPTIONS,
    bucket=dict(contract.DESTINATION_OPTIONS["bucket"], description="One bucket for every pair (fan-in), or a pattern such as {source_bucket}-replica."),
)
SPEC = dict(
    source=dict(type="dict", required=True, options=SOURCE_OPTIONS, mutually_exclusive=[["profile", "role_arn"]]),
    destination=dict(type="dict", required=True, options=DESTINATION_OPTIONS, mutually_exclusive=[["profile", "role_arn"]]),
    vars=dict(type="dict", default={}),
    read_workers=dict(type="int", default=DEFAULT_READ_WORKERS),
)
_VALIDATION_SPEC = contract.spec_without_descriptions(SPEC)


class EstateOptionsError(ValueError):
    """Options of the inventory file that cannot work; the message names each and its fix."""


def unknown_options(given, known):
    """Problems for the top-level keys of the inventory file that the plugin does not know, each with the closest known one."""
    return [
        f"{name} is not an option of {PLUGIN_NAME}{contract.suggestion(name, known)}: fix the name (ansible-doc -t inventory {PLUGIN_NAME})"
        for name in sorted(set(given) - set(known))
    ]


def validate(config):
    """The options of ``config`` ({source, destination, vars, read_workers}) with defaults applied; raises EstateOptionsError."""
    result = ArgumentSpecValidator(copy.deepcopy(_VALIDATION_SPEC)).validate({name: copy.deepcopy(config[name]) for name in SPEC if name in config})
    problems = [contract.readable(message) for message in result.error_messages]
    if not problems:
        values = result.validated_parameters
        problems = _source_problems(values["source"]) + _destination_problems(values["destination"]) + _vars_problems(values["vars"])
        if values["read_workers"] < 1:
            problems.append(f"read_workers is {values['read_workers']}: give how many reads may run at once, 1 or more (default {DEFAULT_READ_WORKERS})")
    if problems:
        raise EstateOptionsError(f"{PLUGIN_NAME}: " + "; ".join(problems))
    return result.validated_parameters


def _side_problems(label, side):
    problems = []
    for option, check in (("account_id", arns.validate_account_id), ("region", arns.validate_region), ("role_arn", arns.parse_role_arn),
                          ("kms_key_arn", arns.parse_kms_key_arn)):
        if side.get(option) is not None:
            try:
                check(side[option])
            except ValueError as error:
                problems.append(f"{label}.{option}: {error}")
    return problems


def _source_problems(source):
    problems = _side_problems("source", source)
    if not source["bucket_tags"] and not source["bucket_names"]:
        problems.append("source needs bucket_tags, bucket_names or both: which buckets of the account are to be replicated "
                        "(bucket_tags: {replicate-to: analytics}, bucket_names: ['stats-*'])")
    for name, value in source["bucket_tags"].items():
        if isinstance(value, (dict, list)) or value is None:
            problems.append(f"source.bucket_tags.{name} must be a tag value (text), not {value!r}")
    return problems


def _destination_problems(destination):
    problems = _side_problems("destination", destination)
    try:
        fields = [field for _text, field, _spec, _conversion in string.Formatter().parse(destination["bucket"]) if field is not None]
    except ValueError as error:
        return problems + [f"destination.bucket '{destination['bucket']}' is not a valid pattern ({error}): write {{{PLACEHOLDER}}} for the source bucket"]
    wrong = [field for field in fields if field != PLACEHOLDER]
    if wrong:
        problems.append(f"destination.bucket '{destination['bucket']}' names {', '.join('{' + field + '}' for field in wrong)}: the only placeholder is "
                        f"{{{PLACEHOLDER}}} (the source bucket's name), as in {{{PLACEHOLDER}}}-replica")
    elif not fields:
        try:
            arns.validate_bucket_name(destination["bucket"])
        except ValueError as error:
            problems.append(f"destination.bucket: {error}")
    return problems


def _vars_problems(variables):
    problems = [f"vars.{name} is set by the inventory from source and destination: remove it from vars" for name in OWN_VARIABLES if name in variables]
    problems += [f"vars: {problem}" for problem in contract.unknown_variables(variables)]
    return problems
