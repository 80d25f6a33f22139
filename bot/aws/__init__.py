"""The AWS adapter: the only package that imports boto3/botocore."""
from .clients import AwsError, ClientFactory
from .cloudwatch import AlarmTransition, MetricQuery
from .gateway import AwsGateway, GatewayProvider
from .logs import InsightsResult

__all__ = ["AwsError", "ClientFactory", "AlarmTransition", "MetricQuery", "AwsGateway", "GatewayProvider",
           "InsightsResult"]
