"""Ordered list of (seed, builder) for every scenario in the set."""
from .apigw_a import apigw_lambda_config, apigw_unknown_blip, apigw_usage_plan
from .apigw_b import lambda_app_error, lambda_java_deploy, lambda_timeout
from .ec2_a import ec2_cpu_pegged, ec2_jvm_heap
from .ec2_b import ec2_disk_full, ec2_rds_io_latency
from .ecs_db import rds_conn_storm, rds_storage_full
from .ecs_deploy_oom import ecs_bad_image, ecs_oom
from .ecs_deps import ecs_external_api, ecs_permission_denied
from .ecs_misc import ecs_ssm_config, ecs_traffic_surge

BUILDERS = [
    (1, ecs_bad_image),
    (2, ecs_oom),
    (3, ecs_external_api),
    (4, apigw_lambda_config),
    (5, apigw_usage_plan),
    (6, ec2_cpu_pegged),
    (7, rds_storage_full),
    (8, rds_conn_storm),
    (9, apigw_unknown_blip),
    (10, ecs_permission_denied),
    (11, lambda_timeout),
    (12, ecs_traffic_surge),
    (13, lambda_app_error),
    (14, ec2_jvm_heap),
    (15, lambda_java_deploy),
    (16, ec2_disk_full),
    (17, ecs_ssm_config),
    (18, ec2_rds_io_latency),
]
