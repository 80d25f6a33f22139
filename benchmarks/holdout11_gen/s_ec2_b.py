"""EC2/ALB incidents (part B): t3 credits, security group vs health checks, bot surge, a blip."""
from __future__ import annotations

import numpy as np

from . import logfmt as L
from . import metricsets as M
from .common import Scenario, ar1, after, between, clip, counts, daily, ramp, T
from .s_ec2_a import ELB_HC, UA


def h06(seed=1106):
    region = "ap-south-1"
    sc = Scenario("h11-06-crm-t3-credits", "CRM pages very slow for the Mumbai sales team; response time "
                  "alarm on the CRM load balancer.", region, seed)
    rng, ids = sc.rng, sc.ids
    lb, tg = "app/crm-alb/9d0e2f4a6b8c1357", "targetgroup/crm-app/1b3d5f7a9c0e2468"
    app_i, wrk_i = ("i-0d3f5b7a9c1e24680", "crm-app-1"), ("i-06a8c0e2b4d6f1357", "crm-worker-1")
    sc.resource("ec2", app_i[0], name=app_i[1], instance_type="t3.large", log_groups=["/crm/rails", "/crm/nginx-access"])
    sc.resource("ec2", wrk_i[0], name=wrk_i[1], instance_type="t3.medium", log_groups=["/crm/sidekiq"])
    sc.resource("alb", lb, name="crm-alb", targets=[app_i[0]])
    sc.change(-13020, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "crm/sidekiq-prod", "jenkins")
    sc.change(-4700, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", app_i[0], "cost-tagger")
    # t3.large: 2 vCPU, baseline 30 %, earns 0.6 credits/min; demand ~52 % drains the balance
    demand = clip(ar1(rng, 52, 3) + daily(4), 5, 100)
    bal, b = [], 163.0
    for d in demand:
        b = float(np.clip(b + 0.6 - 2 * d / 100.0, 0.0, 576.0))
        bal.append(b)
    bal = np.array(bal)
    capped = bal <= 0.05
    cpu = np.where(capped, 30.0 + rng.normal(0, 0.25, len(T)), demand)
    usage = 2 * cpu / 100.0
    pressure = clip(demand / 30.0 - 1, 0) * capped
    steal = np.where(capped, clip(demand - 30 + ar1(rng, 8, 2), 0), clip(ar1(rng, 0.4, 0.2), 0))
    idle = clip(100 - cpu - steal, 0.5)
    M.ec2(sc, app_i[0], cpu=cpu, credit_balance=bal, credit_usage=usage, mem_level=63,
          extra_cwagent=[("cpu_usage_idle", "Percent", idle), ("cpu_usage_steal", "Percent", steal),
                         ("cpu_usage_user", "Percent", cpu * 0.82)])
    wcpu = clip(ar1(rng, 9, 1.5) + 55 * between(-8400, -8100), 0.5, 100)
    wb = np.clip(480 + np.cumsum(0.4 - 2 * wcpu / 100.0 + 0.4), 0, 576)
    M.ec2(sc, wrk_i[0], cpu=wcpu, credit_balance=wb, credit_usage=2 * wcpu / 100.0, mem_level=55)
    req = counts(rng, 95 + daily(15) + ar1(rng, 0, 5))
    lat = clip(ar1(rng, 0.24, 0.025) + pressure * (2.6 + ar1(rng, 0, 0.2)), 0.02)
    elb5 = counts(rng, 0.02 + capped * req * 0.008)
    M.alb(sc, lb, req, elb_5xx=elb5, latency=lat)
    M.target_group(sc, lb, tg, req, np.ones(len(T)), latency=lat)

    def rails_req(t):
        k = max(np.searchsorted(T, t) - 1, 0)
        ms = int(rng.gamma(3, 70) * (1 + pressure[k] * rng.uniform(6, 11)))
        req_id, pid = ids.uuid(), int(rng.choice([3301, 3307]))
        path = str(rng.choice(["/leads", "/leads/%d" % rng.integers(1, 90000), "/accounts/%d/timeline" % rng.integers(1, 9000), "/reports/pipeline"]))
        out = [(t, L.rails(t, "INFO", f'Started GET "{path}" for {ids.ip("10.8")} at {L.wall(t).strftime("%Y-%m-%d %H:%M:%S +0000")}', req_id, pid))]
        out.append((t + ms / 1000, L.rails(t + ms / 1000, "INFO", f"Completed 200 OK in {ms}ms (Views: {ms * 0.4:.1f}ms | ActiveRecord: {ms * 0.15:.1f}ms | Allocations: {rng.integers(9000, 60000)})", req_id, pid)))
        if rng.random() < 0.04:
            out.append((t + 0.01, L.rails(t + 0.01, "WARN", "DEPRECATION WARNING: `ActiveRecord::Base.connection` is deprecated in favor of `lease_connection` (called from block in <class:Lead> at /srv/crm/app/models/lead.rb:18)", req_id, pid)))
        return out
    ev = []
    for t in L.poisson_times(rng, -10800, 0, 6):
        ev += rails_req(t)
    sc.log("/crm/rails", app_i[0], ev)
    sc.log("/crm/nginx-access", app_i[0], L.emit(rng, -10800, 0, 5, lambda t: L.nginx_access(
        t, ids.ip("10.8"), "GET", "/leads", 200, rng.integers(2000, 40000), rng.uniform(0.1, 0.4) * (1 + 9 * pressure[max(np.searchsorted(T, t) - 1, 0)]), str(rng.choice(UA)))))
    sc.log("/crm/sidekiq", wrk_i[0], L.emit(rng, -10800, 0, 3, lambda t: f"{L.iso(t)} pid=2207 tid={ids.hexs(4)} class={rng.choice(['LeadScoreJob', 'MailSyncJob', 'CrmSyncJob'])} jid={ids.hexs(24)} elapsed={rng.uniform(0.1, 4):.3f} INFO: done"))

    a = sc.alarm("crm-alb-target-response-time", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb, "TargetGroup": tg},
                 "Average", 60, 5, 1.5, "GreaterThanThreshold", description="CRM response time above 1.5 s")
    sc.set_expect(a["name"], "cpu_saturation", [app_i[0], app_i[1]],
                  [("AWS/EC2", "CPUCreditBalance", {"InstanceId": app_i[0]}), ("CWAgent", "cpu_usage_steal", {"InstanceId": app_i[0], "cpu": "cpu-total"})])
    sc.meta = dict(alarm_on="front (ALB target group latency)", decoys="CreateDeployment on the sidekiq worker 3.6 h "
                   "earlier; CreateTags on the app instance; worker CPU spike; constant Rails deprecation warnings",
                   story="crm-app-1 is a t3.large in standard credit mode. Since before the window it has run at "
                   "~52 % CPU, above its 30 % baseline, so CPUCreditBalance drained steadily and reached zero about "
                   f"{int(-T[np.argmax(capped)] // 60)} minutes ago. From then on the hypervisor caps it at the baseline: CPUUtilization sits "
                   "flat at 30 %, steal time inside the guest jumps, every request takes several times longer and "
                   "the ALB response-time alarm fires.")
    return sc


def h09(seed=1109):
    region = "ca-central-1"
    sc = Scenario("h11-09-partner-gw-sg", "Partner gateway has no healthy targets; partners getting 504s.", region, seed)
    rng, ids = sc.rng, sc.ids
    lb, tg = "app/partner-gw-alb/41c7e9a3b5d2f806", "targetgroup/partner-gw-tg/7e9a1c3b5d2f4068"
    gw = [("i-0c9e1a3b5d7f24680", "partner-gw-1"), ("i-07b9d1f3a5c7e2468", "partner-gw-2")]
    sg = "sg-0b7d9f1a3c5e72468"
    for iid, name in gw:
        sc.resource("ec2", iid, name=name, instance_type="m7g.large", security_groups=["partner-gw-instances"],
                    log_groups=["/partner-gw/app"])
    sc.resource("alb", lb, name="partner-gw-alb", targets=[i for i, _ in gw])
    t_c = -1720
    sc.change(t_c, "ec2.amazonaws.com", "RevokeSecurityGroupIngress", "AWS::EC2::SecurityGroup", sg, "terraform-ci")
    sc.change(t_c + 2, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", sg, "terraform-ci")
    sc.change(-8400, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", "sg-0f1e2d3c4b5a69788", "k.tremblay")
    sc.change(-11040, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "partner-gw/prod", "github-actions-oidc")
    down = after(t_c + 75)
    req = counts(rng, 210 + daily(30) + ar1(rng, 0, 7))
    healthy = np.where(down > 0, 0.0, 2.0)
    healthy[np.searchsorted(T, t_c + 15)] = 1.0
    lat = np.where(down > 0, np.nan, clip(ar1(rng, 0.07, 0.008), 0.01))
    elb5 = counts(rng, 0.03 + down * req * 0.97)
    M.alb(sc, lb, req, target_5xx=np.where(down > 0, 0, counts(rng, req * 0.0005)), elb_5xx=elb5, latency=lat)
    M.target_group(sc, lb, tg, req, healthy, 2 - healthy, target_5xx=np.where(down > 0, 0, counts(rng, req * 0.0005)), latency=lat)
    for k, (iid, name) in enumerate(gw):
        cpu = clip(ar1(rng, 21, 2) + daily(3) - down * 17 + (k == 1) * 30 * between(-6600, -6300), 0.5, 100)
        M.ec2(sc, iid, cpu=cpu, net_in=clip((1 - 0.96 * down) * rng.normal(2.1e7, 1.5e6, len(T)), 1e4), mem_level=38)

    for iid, name in gw:
        def line(t):
            if rng.random() < 0.25:
                return L.go_json(t, "info", "request", caller="httpx/log.go:31", method="GET", path="/healthz", status=200,
                                 dur_ms=0, remote=f"10.60.{rng.integers(0, 3)}.{rng.integers(2, 250)}", ua=ELB_HC)
            if rng.random() < 0.05:
                return L.go_json(t, "warn", "partner rate limit near quota", caller="quota/limiter.go:64",
                                 partner=str(rng.choice(["acme-logistics", "northwind"])), used_pct=int(rng.integers(80, 95)))
            return L.go_json(t, "info", "request", caller="httpx/log.go:31", method=str(rng.choice(["GET", "POST"])),
                             path=str(rng.choice(["/v1/shipments", "/v1/rates", "/v1/labels"])), status=200,
                             dur_ms=int(rng.gamma(3, 20)), remote=f"10.60.{rng.integers(0, 3)}.{rng.integers(2, 250)}",
                             partner=str(rng.choice(["acme-logistics", "northwind", "globex"])))
        ev = L.emit(rng, -10800, t_c + 3, 9, line)
        ev += L.emit(rng, t_c + 3, 0, 0.25, lambda t: L.go_json(t, "info", "cache refresh", caller="rates/cache.go:88", entries=int(rng.integers(4000, 4200))))
        sc.log("/partner-gw/app", iid, ev)

    dims = {"LoadBalancer": lb, "TargetGroup": tg}
    a = sc.alarm("partner-gw-no-healthy-hosts", "AWS/ApplicationELB", "HealthyHostCount", dims, "Minimum", 60, 2, 1,
                 "LessThanThreshold", description="partner gateway target group has no healthy targets")
    sc.set_expect(a["name"], "config_change", [sg, "partner-gw-instances", gw[0][0], gw[0][1], gw[1][0], gw[1][1]],
                  [("AWS/ApplicationELB", "HealthyHostCount", dims), ("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb})])
    sc.meta = dict(alarm_on="front (ALB target group)", decoys="AuthorizeSecurityGroupIngress on the bastion SG 1.9 h "
                   "earlier; CreateDeployment to the gateway 3 h earlier (healthy afterwards); partner-gw-2 CPU spike; "
                   "constant rate-limit warnings",
                   story="A Terraform refactor revoked the ingress rule on the instances' security group "
                   "(partner-gw-instances) that allowed the ALB on tcp/8080 and authorised tcp/8443 instead. Health "
                   "checks and traffic from the ALB can no longer reach the instances: both targets go unhealthy, the "
                   "ALB fails open and its requests time out as 504s, and the application logs simply go quiet - "
                   "the processes and instances are healthy.")
    return sc


def h10(seed=1110):
    region = "sa-east-1"
    sc = Scenario("h11-10-loja-bot-surge", "Loja BR catalogue slow; response-time alarm on the catalogue "
                  "target group.", region, seed)
    rng, ids = sc.rng, sc.ids
    cluster = "loja"
    lb = "app/loja-br-alb/2f4a6c8e0b1d3579"
    tg_c, tg_k = "targetgroup/catalog-web/6a8c0e2f4b1d3579", "targetgroup/checkout-api/0e2a4c6b8d1f3579"
    sc.resource("ecs", f"{cluster}/catalog-web", cluster=cluster, launch_type="FARGATE", task_definition="catalog-web:203", desired_count=4, cpu=1024, memory=2048)
    sc.resource("ecs", f"{cluster}/checkout-api", cluster=cluster, launch_type="FARGATE", task_definition="checkout-api:77", desired_count=3, cpu=1024, memory=2048)
    sc.resource("alb", lb, name="loja-br-alb", scheme="internet-facing")
    t0 = -2460
    sc.change(-6480, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "checkout-api", "gitlab-deployer")
    sc.change(-6450, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/checkout-api", "gitlab-deployer")
    for t in (-2160, -1790):
        sc.change(t, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/catalog-web", "AWSServiceRoleForApplicationAutoScaling_ECSService")
    surge = ramp(t0, t0 + 240) * (1 + 0.1 * np.sin((T - t0) / 400.0))
    human = 880 + daily(160) + ar1(rng, 0, 25)
    bot = surge * (4300 + ar1(rng, 0, 250))
    req_c = counts(rng, human + bot)
    desired = 4 + 2 * after(-2160) + 2 * after(-1790)
    running = desired - 2 * between(-2160, -2040) - 2 * between(-1790, -1680)
    load = (req_c / (running * 230.0))
    cpu = clip(ar1(rng, 0, 2.5) + 36 * np.minimum(load, 2.0), 1, 99)
    lat = clip(ar1(rng, 0.17, 0.015) + clip(load - 1.0, 0) * 1.6 + ar1(rng, 0, 0.04) * (load > 1.2), 0.02)
    t5 = counts(rng, req_c * (0.0004 + clip(load - 1.5, 0) * 0.01))
    M.ecs(sc, cluster, "catalog-web", cpu=cpu, mem=clip(ar1(rng, 41, 1, 0.9) + 9 * surge, 1, 100), running=running, desired=desired)
    M.ecs(sc, cluster, "checkout-api", cpu_level=24, mem_level=62, tasks=3)
    req_k = counts(rng, 130 + daily(25))
    elb5 = counts(rng, 0.04 + req_c * clip(load - 1.6, 0) * 0.004)
    M.alb(sc, lb, req_c + req_k, target_5xx=t5, elb_5xx=elb5, latency=clip((lat * req_c + 0.11 * req_k) / (req_c + req_k)))
    M.target_group(sc, lb, tg_c, req_c, running, target_5xx=t5, latency=lat)
    M.target_group(sc, lb, tg_k, req_k, np.full(len(T), 3.0), lat_level=0.11)

    bot_ua = ["Mozilla/5.0 (compatible; Bytespider; spider-feedback@bytedance.com)",
              "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36"]
    bot_net = [f"45.{rng.integers(130, 140)}" for _ in range(6)]
    terms = ["tenis", "geladeira", "notebook", "fone bluetooth", "cafeteira", "colchao"]
    def acc(t):
        k = max(np.searchsorted(T, t) - 1, 0)
        rt = max(rng.gamma(3, 0.05) + clip(load[k] - 1, 0) * rng.uniform(0.8, 2.6), 0.005)
        frac_bot = bot[k] / max(human[k] + bot[k], 1)
        if rng.random() < frac_bot:
            return L.nginx_access(t, f"{rng.choice(bot_net)}.{rng.integers(1, 255)}.{rng.integers(1, 255)}", "GET",
                                  f"/busca?q={rng.choice(terms).replace(' ', '+')}&pagina={rng.integers(1, 400)}&ordem=preco",
                                  200, rng.integers(30000, 90000), rt, str(rng.choice(bot_ua)), rt - 0.001)
        return L.nginx_access(t, ids.pub_ip(), "GET", str(rng.choice(["/", "/p/%d" % rng.integers(10000, 99999), "/c/eletro", "/busca?q=" + rng.choice(terms).replace(' ', '+')])),
                              200, rng.integers(5000, 90000), rt, str(rng.choice(UA)), rt - 0.001)
    for i in range(4):
        task = ids.hexs(32)
        ev = L.emit(rng, -10800, 0, lambda t: 6 * (1 + bot[max(np.searchsorted(T, t) - 1, 0)] / 900), acc)
        ev += L.emit(rng, -10800, 0, 0.5, lambda t: L.fpm(t, "WARNING", f'[pool www] child {rng.integers(100, 900)} said into stderr: "NOTICE: PHP message: PHP Deprecated:  strftime() is deprecated in /var/www/loja/src/View/Date.php on line 31"'))
        ev += L.emit(rng, t0 + 300, 0, 0.8, lambda t: L.fpm(t, "WARNING", "[pool www] server reached pm.max_children setting (24), consider raising it"))
        sc.log("/ecs/catalog-web", L.ecs_stream("catalog", "nginx-php", task), ev)
    for i in range(3):
        sc.log("/ecs/checkout-api", L.ecs_stream("checkout", "checkout-api", ids.hexs(32)), L.emit(rng, -10800, 0, 3, lambda t: L.spring(
            t, "INFO", f"http-nio-8080-exec-{rng.integers(1, 50)}", "b.c.l.checkout.CheckoutController", f"pedido {rng.integers(10**6, 10**7)} confirmado pix=true", "checkout-api")))

    dims = {"LoadBalancer": lb, "TargetGroup": tg_c}
    a = sc.alarm("catalog-web-response-time", "AWS/ApplicationELB", "TargetResponseTime", dims, "Average", 60, 5, 1.0,
                 "GreaterThanThreshold", description="Catalogue response time above 1 s")
    sc.set_expect(a["name"], "traffic_surge", [lb, "loja-br-alb", f"{cluster}/catalog-web", "catalog-web"],
                  [("AWS/ApplicationELB", "RequestCount", dims)])
    sc.meta = dict(alarm_on="front (ALB target group latency)", decoys="checkout-api deploy 1.1 h earlier; autoscaling "
                   "UpdateService on catalog-web after the onset (a consequence); constant PHP strftime deprecation",
                   story="A scraper spread over a few 45.x networks (Bytespider and a spoofed Chrome 114 UA) started "
                   "crawling the search pages (/busca?...&pagina=N) at ~4,300 requests/min on top of ~900/min of real "
                   "users. catalog-web's PHP-FPM pools hit pm.max_children, CPU climbs, autoscaling adds tasks too "
                   "slowly and the target response time crosses 1 s. Nothing changed in the service itself.")
    return sc


def h11(seed=1111):
    region = "us-east-1"
    sc = Scenario("h11-11-internal-alb-blip", "ELB 5XX alarm on the internal API load balancer.", region, seed)
    rng, ids = sc.rng, sc.ids
    cluster = "core-svc"
    lb = "app/api-internal/5c7e9a1b3d5f2048"
    tg_a, tg_p = "targetgroup/accounts-api/3b5d7f9a1c2e4068", "targetgroup/profile-api/8d0f2b4a6c1e3579"
    sc.resource("ecs", f"{cluster}/accounts-api", cluster=cluster, launch_type="FARGATE", desired_count=3)
    sc.resource("ecs", f"{cluster}/profile-api", cluster=cluster, launch_type="FARGATE", desired_count=2)
    sc.resource("alb", lb, name="api-internal", scheme="internal")
    sc.change(-17100, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "profile-api", "ci-ecs-deploy")
    sc.change(-17080, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/profile-api", "ci-ecs-deploy")
    sc.change(-9300, "elasticloadbalancing.amazonaws.com", "ModifyListener", "AWS::ElasticLoadBalancingV2::Listener",
              "app/api-internal/5c7e9a1b3d5f2048/listener-443", "n.ferreira")
    req_a, req_p = counts(rng, 1500 + daily(200) + ar1(rng, 0, 40)), counts(rng, 620 + daily(80))
    elb5 = counts(rng, np.full(len(T), 0.05))
    elb5[-3:] = [13, 17, 12]
    M.ecs(sc, cluster, "accounts-api", cpu_level=33, mem_level=52, tasks=3)
    M.ecs(sc, cluster, "profile-api", cpu=clip(ar1(rng, 21, 2) + 44 * between(-6060, -5760), 1, 100), mem_level=47, tasks=2)
    M.alb(sc, lb, req_a + req_p, elb_5xx=elb5, lat_level=0.045)
    M.target_group(sc, lb, tg_a, req_a, np.full(len(T), 3.0), lat_level=0.05)
    M.target_group(sc, lb, tg_p, req_p, np.full(len(T), 2.0), lat_level=0.035)
    for svc, n, rate in (("accounts-api", 3, 6), ("profile-api", 2, 4)):
        for _ in range(n):
            def line(t, svc=svc):
                if svc == "accounts-api" and rng.random() < 0.08:
                    return L.go_json(t, "warn", "jwks cache stale, refreshing", caller="auth/jwks.go:73", kid=ids.hexs(8))
                return L.go_json(t, "info", "request", caller="server/log.go:22", method="GET",
                                 path="/v1/" + ("accounts/" if svc == "accounts-api" else "profiles/") + ids.hexs(12),
                                 status=int(rng.choice([200, 200, 200, 404])), dur_ms=int(rng.gamma(2, 12)))
            sc.log(f"/ecs/{svc}", L.ecs_stream("ecs", svc, ids.hexs(32)), L.emit(rng, -10800, 0, rate, line))

    a = sc.alarm("api-internal-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 2, 10,
                 "GreaterThanThreshold", description="Internal API load balancer generated 5xx")
    sc.set_expect(a["name"], "unknown", [lb, "api-internal"], [("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb})])
    sc.meta = dict(alarm_on="front (ALB-wide ELB 5XX)", decoys="profile-api deploy 4.75 h earlier; ModifyListener 2.6 h "
                   "earlier; profile-api CPU spike; constant JWKS warnings",
                   story="Three minutes of ALB-generated 5xx (13, 17, 12 per minute out of ~2,100 requests) on the internal "
                   "load balancer. Targets are healthy, target 5xx and response time are flat, no task restarted, the "
                   "application logs show nothing unusual and nothing changed recently. There is no evidence of a cause "
                   "in the account; the honest answer is unknown.")
    return sc
