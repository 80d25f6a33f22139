"""The ordered list of scenario builders and their seeds (file name prefix h8-NN matches the seed)."""
from __future__ import annotations

from . import s_data, s_data_b, s_hosts, s_hosts_b, s_lambda_a, s_lambda_b, s_lambda_c, s_traffic

BUILDERS = [
    (s_hosts.ecs_memory_leak, 1),
    (s_hosts.ec2_disk_full, 2),
    (s_lambda_a.retry_storm, 3),
    (s_hosts_b.one_target_cpu, 4),
    (s_lambda_a.canary_version, 5),
    (s_lambda_a.env_db_user, 6),
    (s_data.ssm_password_rotation, 7),
    (s_lambda_b.iam_detach, 8),
    (s_lambda_b.account_concurrency, 9),
    (s_data_b.dynamodb_ceiling, 10),
    (s_data.connection_leak, 11),
    (s_data_b.noisy_neighbour, 12),
    (s_traffic.ecs_bad_deploy, 13),
    (s_traffic.marketing_surge, 14),
    (s_lambda_b.export_timeout, 15),
    (s_lambda_c.dotnet_parse_error, 16),
    (s_lambda_c.latency_blip, 17),
    (s_hosts_b.dependency_instance_down, 18),
]
