# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure logic for entries of a bucket's notification configuration, merged by Id.

PutBucketNotificationConfiguration replaces the whole configuration: every topic, queue and
Lambda entry and the EventBridge setting. Managing one entry means: read the configuration,
replace or add the entry with our Id (in the list of its destination's kind), drop the entries
removed by Id, and write everything else back exactly as read, EventBridgeConfiguration included.

Configurations use the boto3 (S3 API) shape; an entry of this module's options is
``{id, destination_arn, events, filter_prefix, filter_suffix, state}``.
"""

import copy
import re

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import Refused

# The destination's service, the configuration's list of that kind and the entry's ARN field.
KINDS = {
    "sns": ("TopicConfigurations", "TopicArn"),
    "sqs": ("QueueConfigurations", "QueueArn"),
    "lambda": ("LambdaFunctionConfigurations", "LambdaFunctionArn"),
}
LISTS = tuple(name for name, _field in KINDS.values())
EVENTBRIDGE = "EventBridgeConfiguration"
EVENT_PATTERN = re.compile(r"^s3:[A-Za-z]+(:[A-Za-z*]+)?$")
ID_PATTERN = re.compile(r"^[\x20-\x7e]{1,255}$")


class NotificationEntryError(Refused):
    """An entry this module cannot write; the message names the option and the fix."""


def validate_entry(entry):
    """Checks one entry of the ``entries`` option; returns its destination service."""
    if not ID_PATTERN.match(str(entry.get("id") or "")):
        raise NotificationEntryError(f"entries: id {entry.get('id')!r} must be 1 to 255 printable characters")
    if entry.get("state", "present") == "absent":
        return None
    try:
        service = arns.notification_service(entry.get("destination_arn"))
    except ValueError as error:
        raise NotificationEntryError(f"entries[{entry['id']}].destination_arn: {error}") from None
    events = entry.get("events") or []
    if not events:
        raise NotificationEntryError(f"entries[{entry['id']}].events: give at least one event type, for example s3:Replication:OperationFailedReplication")
    bad = [event for event in events if not EVENT_PATTERN.match(str(event))]
    if bad:
        raise NotificationEntryError(f"entries[{entry['id']}].events: {', '.join(bad)} are not S3 event types (s3:Category:Name or s3:Category:*)")
    return service


def validate_entries(entries):
    if not entries:
        raise NotificationEntryError("entries is empty: give at least one entry")
    ids = [str(entry.get("id")) for entry in entries]
    repeated = sorted({entry_id for entry_id in ids if ids.count(entry_id) > 1})
    if repeated:
        raise NotificationEntryError(f"entries: the ids {', '.join(repeated)} appear more than once; each entry is merged by its id, give each its own")
    for entry in entries:
        validate_entry(entry)


def s3_entry(entry):
    """The entry in the S3 API shape (its list's item)."""
    _list, field = KINDS[arns.notification_service(entry["destination_arn"])]
    item = {"Id": entry["id"], field: entry["destination_arn"], "Events": list(entry["events"])}
    rules = [{"Name": name, "Value": entry[f"filter_{name}"]} for name in ("prefix", "suffix") if entry.get(f"filter_{name}")]
    if rules:
        item["Filter"] = {"Key": {"FilterRules": rules}}
    return item


def all_entries(configuration):
    """[(list name, item)] of every topic, queue and Lambda entry of the configuration."""
    return [(name, item) for name in LISTS for item in (configuration or {}).get(name) or []]


def find_entry(configuration, entry_id):
    return next((item for _name, item in all_entries(configuration) if item.get("Id") == entry_id), None)


def destination_of(item):
    return next((item[field] for _list, field in KINDS.values() if field in item), None)


def merged(configuration, entries):
    """The configuration with ``entries`` applied by Id; every other entry and setting copied as read."""
    after = copy.deepcopy(configuration or {})
    for entry in entries:
        for name in LISTS:
            if name in after:
                after[name] = [item for item in after[name] if item.get("Id") != entry["id"]]
        if entry.get("state", "present") == "present":
            name = KINDS[arns.notification_service(entry["destination_arn"])][0]
            after.setdefault(name, []).append(s3_entry(entry))
    return {name: value for name, value in after.items() if value != [] or name == EVENTBRIDGE}


def _filter_values(item):
    rules = ((item.get("Filter") or {}).get("Key") or {}).get("FilterRules") or []
    values = {str(rule.get("Name", "")).lower(): rule.get("Value", "") for rule in rules}
    return values.get("prefix", ""), values.get("suffix", "")


def canonical(configuration):
    """A comparable form: lists sorted by Id, events sorted, filter names lower-case."""
    found = {}
    for name, item in all_entries(configuration):
        prefix, suffix = _filter_values(item)
        found.setdefault(name, []).append((item.get("Id") or "", destination_of(item), sorted(item.get("Events") or []), prefix, suffix))
    view = {name: sorted(items) for name, items in found.items()}
    if EVENTBRIDGE in (configuration or {}):
        view[EVENTBRIDGE] = True
    return view


def same_configuration(first, second):
    return canonical(first) == canonical(second)


def _events_overlap(first, second):
    def covers(pattern, event):
        return pattern == event or (pattern.endswith(":*") and event.startswith(pattern[:-1]))

    return sorted({a for a in first for b in second if covers(a, b) or covers(b, a)})


def _keys_overlap(first, second):
    (prefix_a, suffix_a), (prefix_b, suffix_b) = first, second
    return (prefix_a.startswith(prefix_b) or prefix_b.startswith(prefix_a)) and (suffix_a.endswith(suffix_b) or suffix_b.endswith(suffix_a))


def overlaps(configuration, entries):
    """Messages for our present entries that share an event type and keys with another entry: S3 refuses such a configuration."""
    problems = []
    ours = {entry["id"] for entry in entries}
    for entry in entries:
        if entry.get("state", "present") != "present":
            continue
        item = s3_entry(entry)
        for _name, other in all_entries(configuration):
            if other.get("Id") in ours:
                continue
            shared = _events_overlap(item["Events"], other.get("Events") or [])
            if shared and _keys_overlap(_filter_values(item), _filter_values(other)):
                problems.append(
                    f"entry {other.get('Id')} (to {destination_of(other)}) already receives {', '.join(shared)} for keys that entry {entry['id']} "
                    "also covers: S3 refuses two entries of one bucket for the same event type and overlapping keys (Configurations overlap); "
                    f"remove or narrow that entry, or send entry {entry['id']}'s events to {destination_of(other)} instead"
                )
    return problems


def delivering(configuration, event, key_prefix=""):
    """The entries that send ``event`` for keys under ``key_prefix`` (no suffix filter), as (Id, destination ARN)."""
    found = []
    for _name, item in all_entries(configuration):
        prefix, suffix = _filter_values(item)
        if _events_overlap([event], item.get("Events") or []) and key_prefix.startswith(prefix) and not suffix:
            found.append((item.get("Id"), destination_of(item)))
    return found
