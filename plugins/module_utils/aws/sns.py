# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The SNS calls of this collection, one function per API call (see aws_calls)."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import documents as policy_documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.calls import call
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.calls import paged
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import permissions
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.permissions import needs

NOT_FOUND = ("NotFound", "NotFoundException")


def _what(topic_arn):
    return f"SNS topic {topic_arn}"


@needs("GetTopicAttributes", "sns:GetTopicAttributes", permissions.TOPIC)
def get_topic_attributes(client, topic_arn):
    """The topic's attributes (Policy, KmsMasterKeyId, ...), or None when there is no such topic."""
    answer = call(client, "get_topic_attributes", _what(topic_arn), NOT_FOUND, TopicArn=topic_arn)
    return None if answer is None else dict(answer.get("Attributes") or {})


@needs("ListSubscriptionsByTopic", "sns:ListSubscriptionsByTopic", permissions.TOPIC)
def list_subscriptions(client, topic_arn):
    """[{protocol, endpoint, arn}] of the topic; ``arn`` is PendingConfirmation until the endpoint confirms."""
    found = paged(client, "list_subscriptions_by_topic", "Subscriptions", _what(topic_arn), TopicArn=topic_arn)
    return [{"protocol": item.get("Protocol"), "endpoint": item.get("Endpoint"), "arn": item.get("SubscriptionArn")} for item in found]


@needs("ListTagsForResource", "sns:ListTagsForResource", permissions.TOPIC)
def list_tags(client, topic_arn):
    answer = call(client, "list_tags_for_resource", _what(topic_arn), ResourceArn=topic_arn)
    return {tag["Key"]: tag.get("Value", "") for tag in answer.get("Tags") or []}


@needs("CreateTopic", ("sns:CreateTopic", "sns:TagResource"), permissions.TOPIC)
def create_topic(client, name, tags):
    """Creates the topic (CreateTopic answers the existing topic's ARN when it exists); returns its ARN."""
    answer = call(client, "create_topic", f"SNS topic {name}", Name=name, Tags=[{"Key": key, "Value": value} for key, value in tags.items()])
    return answer["TopicArn"]


@needs("SetTopicAttributes", "sns:SetTopicAttributes", permissions.TOPIC)
def set_policy(client, topic_arn, policy):
    call(client, "set_topic_attributes", _what(topic_arn), TopicArn=topic_arn, AttributeName="Policy", AttributeValue=policy_documents.policy_to_json(policy))


@needs("Subscribe", "sns:Subscribe", permissions.TOPIC)
def subscribe(client, topic_arn, protocol, endpoint):
    call(client, "subscribe", f"{protocol} subscription {endpoint} of {_what(topic_arn)}", TopicArn=topic_arn, Protocol=protocol, Endpoint=endpoint)


@needs("Unsubscribe", "sns:Unsubscribe", permissions.TOPIC)
def unsubscribe(client, subscription_arn):
    call(client, "unsubscribe", f"subscription {subscription_arn}", NOT_FOUND, SubscriptionArn=subscription_arn)


@needs("DeleteTopic", "sns:DeleteTopic", permissions.TOPIC)
def delete_topic(client, topic_arn):
    call(client, "delete_topic", _what(topic_arn), NOT_FOUND, TopicArn=topic_arn)
