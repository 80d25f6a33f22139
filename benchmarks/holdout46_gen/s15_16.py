"""Scenarios 15-16: .NET Lambda bad deployment behind API Gateway; Go Lambda failing because the EC2 host of
its downstream GeoIP service is impaired."""
from __future__ import annotations

import datetime as dt
import json

from .core import UTC, Scenario
from .infra import Streams, apigw_exec, ec2_metrics, slog
from .lam import LambdaFn, apigw_front, fn_minutes

JSONEX = ("System.Text.Json.JsonException: The JSON value could not be converted to OrderIntake.Contracts.Money. Path: "
          "$.lines[{i}].discount | LineNumber: 0 | BytePositionInLine: {b}.\n"
          "   at System.Text.Json.ThrowHelper.ThrowJsonException_DeserializeUnableToConvertValue(Type propertyType)\n"
          "   at System.Text.Json.Serialization.Converters.ObjectDefaultConverter`1.OnTryRead(Utf8JsonReader& reader, Type "
          "typeToConvert, JsonSerializerOptions options, ReadStack& state, T& value)\n"
          "   at System.Text.Json.Serialization.JsonConverter`1.TryRead(Utf8JsonReader& reader, Type typeToConvert, "
          "JsonSerializerOptions options, ReadStack& state, T& value, Boolean& isPopulatedValue)\n"
          "   at System.Text.Json.JsonSerializer.ReadFromSpan[TValue](ReadOnlySpan`1 utf8Json, JsonTypeInfo`1 jsonTypeInfo, "
          "Nullable`1 actualByteCount)\n"
          "   at OrderIntake.Function.FunctionHandler(APIGatewayProxyRequest request, ILambdaContext context) in "
          "/src/OrderIntake/Function.cs:line 64\n"
          "   at lambda_method1(Closure, Stream, ILambdaContext, Stream)\n"
          "   at Amazon.Lambda.RuntimeSupport.HandlerWrapper.<>c__DisplayClass8_0.<GetHandlerWrapper>b__0(InvocationRequest invocation)\n"
          "   at Amazon.Lambda.RuntimeSupport.LambdaBootstrap.InvokeOnceAsync(CancellationToken cancellationToken)")


def s15():
    s = Scenario(15, "order-intake-dotnet-deploy", "ap-southeast-2", dt.datetime(2026, 3, 27, 1, 30, tzinfo=UTC), 4615,
                 "Some orders from the web shop are rejected with 502; OrderIntakeApi 5XX alarm fired.", log_start=-5400)
    r = s.rng
    api, name = "OrderIntakeApi", "OrderIntakeFunction"
    s.resource("apigateway", api, stage="prod", integrations=[f"{name}:live", "OrderStatusFunction"])
    fn = LambdaFn(s, name, "dotnet8", memory=1024, timeout=15, mem_used=(118, 140), init_ms=(850, 1400),
                  generations=[(-99999, "56"), (-2610, "57")], alias_live="57")
    st = LambdaFn(s, "OrderStatusFunction", "dotnet8", memory=512, timeout=10, mem_used=(92, 104), init_ms=(800, 1200),
                  generations=[(-2500, "$LATEST")], environment={"LOG_LEVEL": "Debug"})
    for t, ev in ((-2640, "UpdateFunctionCode20150331v2"), (-2625, "PublishVersion20150331"), (-2610, "UpdateAlias20150331")):
        s.change(t, "lambda.amazonaws.com", ev, "AWS::Lambda::Function", name, "gh-actions-oidc-deploy")
    s.change(-2500, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "OrderStatusFunction", "AWSReservedSSO_SupportEngineer_71ab/t.wallace")
    fn4, gw4 = {}, {}
    for m in s.minutes():
        gw4[m] = s.pois(0.9)
        for t in s.spread(m, s.pois(26 * s.diurnal(m, lo=0.2, peak=13))):
            oid = f"ORD-{r.randint(4000000, 4999999)}"
            nlines, disc = r.randint(1, 6), r.random() < 0.42
            lines = [(6, "info", f"Received order {oid} channel={r.choice(['web', 'web', 'app', 'pos-legacy'])} lines={nlines}")]
            if r.random() < 0.05:
                lines.append((30, "warn", f"Validation failed for {oid}: customerEmail is not a valid e-mail address; returning 400"))
                fn.add(t, s.jit(45, 0.2), lines=lines)
                fn4[(t // 60) * 60] = fn4.get((t // 60) * 60, 0) + 1
                continue
            if disc and t >= -2600:
                lines.append((28, "fail", JSONEX.format(i=r.randint(0, nlines - 1), b=r.randint(140, 900))))
                fn.add(t, s.jit(34, 0.2), "error", lines)
                continue
            lines.append((r.uniform(80, 160), "info", f"Order {oid} accepted, total {r.uniform(12, 480):.2f} AUD, "
                                                      f"published to orders-intake-prod"))
            fn.add(t, s.jit(175, 0.2), lines=lines)
        for t in s.spread(m, s.pois(14 * s.diurnal(m, lo=0.2, peak=13))):
            oid = f"ORD-{r.randint(4000000, 4999999)}"
            ls = [(10, "info", f"Status lookup {oid}: {r.choice(['PACKING', 'SHIPPED', 'DELIVERED'])}")]
            if t >= -2500:
                ls.insert(0, (4, "dbug", f"DynamoDB GetItem orders-status key={oid} consistentRead=false"))
            st.add(t, s.jit(38, 0.2), lines=ls)
    fn.finish()
    st.finish()
    fm = fn_minutes(fn)
    for m, v in fn_minutes(st).items():
        a = fm.get(m, (0, 0, 0, None))
        fm[m] = (a[0] + v[0], a[1] + v[1], a[2], a[3] if a[3] is not None else v[3])
    apigw_front(s, api, fm, extra_4xx=gw4, fn_4xx=fn4)
    s.alarm("OrderIntakeApi-5XX", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 2,
            description="Order intake API 5XX")
    s.readme = dict(pos="front (API Gateway, 1 hop)", decoys="OrderStatusFunction (same API) configuration change "
                    "(LOG_LEVEL=Debug) at -2500 s; steady 400 validation warnings from the legacy POS channel",
                    story="OrderIntakeFunction got new code at -2640 s, published as version 57 and moved the 'live' alias "
                    "at -2610 s. From the first invocations of version 57 every order that carries a line discount (about two "
                    "in five) dies with System.Text.Json.JsonException: cannot convert $.lines[n].discount to Money, an error "
                    "never seen on version 56; API Gateway answers 502. The neighbour's configuration change only adds debug "
                    "lines to a function that stays healthy, and the validation 400s predate the deploy at a constant rate. "
                    "New error signature right after a code deployment: bad_deployment on OrderIntakeFunction.")
    return s.build("OrderIntakeApi-5XX", "bad_deployment", [name],
                   [("AWS/Lambda", "Errors", {"FunctionName": name}), ("AWS/ApiGateway", "5XXError", {"ApiName": api})])


def s16():
    s = Scenario(16, "geoip-host-impaired", "us-east-1", dt.datetime(2026, 3, 28, 13, 5, tzinfo=UTC), 4616,
                 "Geo personalisation failing; geo resolver Lambda Errors alarm fired.", log_start=-5400)
    r = s.rng
    name, iid, ip, T = "svc-geo-resolver", "i-0a9b8c7d6e5f40312", "10.20.4.17", -1700
    s.resource("apigateway", "svc-geo-api", stage="v1", integrations=[name])
    s.resource("ec2", iid, name="geoip-db-1", instance_type="t3.large", private_ip=ip, log_groups=["/geoip/app"])
    s.resource("ec2", "i-0e9f8a7b6c5d43210", name="ci-runner-2", instance_type="c6i.xlarge")
    fn = LambdaFn(s, name, "provided.al2023", memory=256, timeout=10, mem_used=(28, 36), init_ms=(60, 110),
                  environment={"GEOIP_ENDPOINT": f"http://{ip}:8080", "GEOIP_TIMEOUT": "1500ms"})
    tiles = LambdaFn(s, "svc-geo-tiles-publisher", "provided.al2023", memory=512, timeout=120, mem_used=(60, 80),
                     generations=[(-1760, "$LATEST")])
    s.change(-1760, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "svc-geo-tiles-publisher",
             "github-actions-deploy")
    geo = Streams(s, "/geoip/app")
    cities = [("AU", "Sydney"), ("US", "Austin"), ("GB", "Leeds"), ("DE", "Berlin"), ("BR", "Recife"), ("JP", "Osaka")]
    for m in s.minutes():
        for t in s.spread(m, s.pois(36 * s.diurnal(m, lo=0.35, peak=12))):
            cip = f"{r.randint(1, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
            if r.random() < 0.03:
                fn.add(t, s.jit(2, 0.3), lines=[(1, None, slog(s, t + 0.001, "WARN", "ip not routable, skipping lookup",
                                                               ip=f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"))])
                continue
            cc, city = r.choice(cities)
            if r.random() < 0.3:
                fn.add(t, s.jit(3, 0.3), lines=[(2, None, slog(s, t + 0.002, "INFO", "resolved", ip=cip, country=cc, city=city, cache=True))])
                continue
            if t >= T:
                url = f"http://{ip}:8080/v1/city?ip={cip}"
                err = f'Get "{url}": dial tcp {ip}:8080: i/o timeout'
                fn.add(t, s.jit(1508, 0.005), "error",
                       [(1503, None, slog(s, t + 1.503, "ERROR", "geoip lookup failed", ip=cip, err=err)),
                        (1505, None, json.dumps({"errorMessage": f"geoip lookup failed: {err}", "errorType": "wrapError"}))])
                continue
            ms = r.uniform(1.5, 6)
            fn.add(t, ms + 2.5, lines=[(ms + 1, None, slog(s, t + ms / 1000, "INFO", "resolved", ip=cip, country=cc, city=city,
                                                             cache=False, upstream_ms=round(ms, 1)))])
            if t >= s.log_start and r.random() < 0.25:
                geo.add(iid, t + 0.001, f'{s.ip("10.20")} - - [{s.stamp(t, "%d/%b/%Y:%H:%M:%S +0000")}] "GET /v1/city?ip={cip} '
                        f'HTTP/1.1" 200 {r.randint(180, 260)} {ms * 0.4:.1f}ms')
        if m < T and m >= s.log_start:
            for t in s.spread(m, s.pois(0.7)):
                geo.add(iid, t, f"{s.stamp(t, '%Y/%m/%d %H:%M:%S')} lookup miss ip={r.randint(1, 223)}.{r.randint(0, 255)}.0.1 "
                        "(not in GeoLite2-City 2026-03-24)")
        if m % 300 == 0:
            tiles.add(m + r.uniform(1, 9), s.jit(38000, 0.1), lines=[(37000, None, slog(s, m + 38, "INFO", "tiles published",
                      zoom="4-9", count=r.randint(1800, 2400), bucket="acme-geo-tiles-prod"))])
    fn.finish()
    tiles.finish()
    geo.flush()
    apigw_front(s, "svc-geo-api", fn_minutes(fn))
    down = lambda t: t >= T  # noqa: E731
    ec2_metrics(s, iid, step=300, cpu=lambda t: None if down(t) else s.jit(17 + 9 * s.diurnal(t, lo=0.35, peak=12), 0.08),
                mem=lambda t: None if down(t) else s.jit(61, 0.01), disk=lambda t: None if down(t) else 58.2,
                net_in=lambda t: None if down(t) else s.jit(3.3e6 * s.diurnal(t, lo=0.35, peak=12), 0.07),
                status=lambda t: 1.0 if t >= T - 100 else 0.0)
    s.series("AWS/EC2", "StatusCheckFailed_System", {"InstanceId": iid}, "Count", lambda t: 1.0 if t >= T - 100 else 0.0, 300)
    s.series("AWS/EC2", "StatusCheckFailed_Instance", {"InstanceId": iid}, "Count", lambda t: 0.0, 300)
    ec2_metrics(s, "i-0e9f8a7b6c5d43210", cpu=lambda t: s.jit(97.5, 0.01) if -2000 <= t < -1400 else s.jit(4, 0.3),
                mem=lambda t: s.jit(55, 0.03), net_in=lambda t: s.jit(1.1e6, 0.3))
    s.alarm("svc-geo-resolver-errors", "AWS/Lambda", "Errors", {"FunctionName": name}, "Sum", 60, 3, 10,
            description="Geo resolver errors")
    s.readme = dict(pos="front (the calling Lambda, 1 hop)", decoys="svc-geo-tiles-publisher deploy at -1760 s; ci-runner-2 "
                    "at 97 % CPU from -2000 s to -1400 s; steady 'ip not routable' WARN and GeoIP lookup-miss lines",
                    story="At about -1700 s the EC2 host geoip-db-1 (10.20.4.17) fails its system status check "
                    "(StatusCheckFailed_System = 1); its CPU, network and CloudWatch-agent metrics stop and its application "
                    "log goes silent. Every uncached lookup in svc-geo-resolver now fails after the 1.5 s client timeout with "
                    "'dial tcp 10.20.4.17:8080: i/o timeout' (cache hits still succeed). The function itself is unchanged and "
                    "well within its 10 s timeout; the tiles publisher deploy and the CI runner spike are unrelated. Timeouts "
                    "from a downstream dependency that is down rather than exhausted: dependency_failure on geoip-db-1.")
    return s.build("svc-geo-resolver-errors", "dependency_failure", [iid, "geoip-db-1"],
                   [("AWS/Lambda", "Errors", {"FunctionName": name}),
                    ("AWS/EC2", "StatusCheckFailed_System", {"InstanceId": iid})])
