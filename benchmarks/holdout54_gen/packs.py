"""Standard CloudWatch metric sets per service, built from expected-value functions."""

GB = 1024.0 ** 3


def alb(S, lb, req, rt, t5xx, e5xx=lambda t: 0.03, healthy=4, unhealthy=None, t4xx=None):
    d = {"LoadBalancer": lb}
    S.count("AWS/ApplicationELB", "RequestCount", d, req)
    S.gauge("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt, noise=0.08, digits=4)
    S.count("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, t5xx)
    S.count("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, e5xx)
    if t4xx is not None:
        S.count("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, t4xx)
    h = healthy if callable(healthy) else (lambda t: healthy)
    S.gauge("AWS/ApplicationELB", "HealthyHostCount", d, "Count", h, noise=0.0, digits=0)
    u = unhealthy or (lambda t: 0.0)
    S.gauge("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", u, noise=0.0, digits=0)


def ecs(S, cluster, service, cpu, mem, running=None, noise=0.06):
    d = {"ClusterName": cluster, "ServiceName": service}
    S.gauge("AWS/ECS", "CPUUtilization", d, "Percent", cpu, noise=noise, hi=100.0)
    S.gauge("AWS/ECS", "MemoryUtilization", d, "Percent", mem, noise=noise / 3, hi=100.0)
    if running is not None:
        S.gauge("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running, noise=0.0, digits=0)


def rds(S, db, cpu, conns, free_gb, read_lat=lambda t: 0.0012, write_lat=lambda t: 0.0018,
        freeable_gb=lambda t: 6.0, read_iops=None, write_iops=None, conn_noise=0.04):
    d = {"DBInstanceIdentifier": db}
    S.gauge("AWS/RDS", "CPUUtilization", d, "Percent", cpu, noise=0.07, hi=100.0)
    S.gauge("AWS/RDS", "DatabaseConnections", d, "Count", conns, noise=conn_noise, digits=0)
    S.gauge("AWS/RDS", "FreeStorageSpace", d, "Bytes", lambda t: free_gb(t) * GB, noise=0.0004, digits=0)
    S.gauge("AWS/RDS", "ReadLatency", d, "Seconds", read_lat, noise=0.12, digits=5)
    S.gauge("AWS/RDS", "WriteLatency", d, "Seconds", write_lat, noise=0.12, digits=5)
    S.gauge("AWS/RDS", "FreeableMemory", d, "Bytes", lambda t: freeable_gb(t) * GB, noise=0.01, digits=0)
    if read_iops is not None:
        S.gauge("AWS/RDS", "ReadIOPS", d, "Count/Second", read_iops, noise=0.1, digits=2)
    if write_iops is not None:
        S.gauge("AWS/RDS", "WriteIOPS", d, "Count/Second", write_iops, noise=0.1, digits=2)


def sqs(S, queue, visible, age, sent=None, deleted=None):
    d = {"QueueName": queue}
    S.gauge("AWS/SQS", "ApproximateNumberOfMessagesVisible", d, "Count", visible, noise=0.05, digits=0)
    S.gauge("AWS/SQS", "ApproximateAgeOfOldestMessage", d, "Seconds", age, noise=0.05, digits=0)
    if sent is not None:
        S.count("AWS/SQS", "NumberOfMessagesSent", d, sent)
    if deleted is not None:
        S.count("AWS/SQS", "NumberOfMessagesDeleted", d, deleted)


def ec2(S, iid, cpu, net_in, step_s=60, mem=None, disk=None, status=None, status_system=None,
        cpu_noise=0.08, skip=None):
    d = {"InstanceId": iid}
    S.gauge("AWS/EC2", "CPUUtilization", d, "Percent", cpu, noise=cpu_noise, hi=100.0, step_s=step_s, skip=skip)
    S.gauge("AWS/EC2", "NetworkIn", d, "Bytes", net_in, noise=0.1, digits=0, step_s=step_s, skip=skip)
    S.gauge("AWS/EC2", "StatusCheckFailed", d, "Count", status or (lambda t: 0.0), noise=0.0, digits=0,
            step_s=step_s)
    if status_system is not None:
        S.gauge("AWS/EC2", "StatusCheckFailed_System", d, "Count", status_system, noise=0.0, digits=0,
                step_s=step_s)
    if mem is not None:
        S.gauge("CWAgent", "mem_used_percent", d, "Percent", mem, noise=0.01, hi=100.0, step_s=step_s, skip=skip)
    if disk is not None:
        S.gauge("CWAgent", "disk_used_percent", dict(d, path="/", fstype="xfs"), "Percent", disk,
                noise=0.002, hi=100.0, step_s=step_s, skip=skip)


def apigw(S, api, count, e4, e5, latency, integ=None, stage=None):
    d = {"ApiName": api}
    if stage:
        d["Stage"] = stage
    S.count("AWS/ApiGateway", "Count", d, count)
    S.count("AWS/ApiGateway", "4XXError", d, e4)
    S.count("AWS/ApiGateway", "5XXError", d, e5)
    S.gauge("AWS/ApiGateway", "Latency", d, "Milliseconds", latency, noise=0.08, digits=2)
    if integ is not None:
        S.gauge("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", integ, noise=0.08, digits=2)
