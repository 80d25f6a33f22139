"""The AWS adapter: the only package that imports boto3/botocore."""
from .clients import AwsError, ClientFactory
from .cloudwatch import AlarmTransition, MetricQuery
from .gateway import AccountsProvider, AwsGateway, GatewayProvider, account_problem, accounts_of, gateway_of
from .logs import InsightsResult

__all__ = ["AwsError", "ClientFactory", "AlarmTransition", "MetricQuery", "AwsGateway", "GatewayProvider",
           "AccountsProvider", "account_problem", "accounts_of", "gateway_of", "InsightsResult"]
