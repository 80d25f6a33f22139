"""Lambda incidents caused by what runs: bad deployment, config change, lost permission, poison input."""
from __future__ import annotations

from . import content, decoys
from .builder import Scenario
from .common import after_onset, alarm_from_data, errors_alarm, lambda_deploy, lead_time, main_function
from .data_kits import emit_api
from .lambda_sim import Outcome, SimResult, emit
from .names import ACCOUNT, role_arn_session


def front_with_api(sc: Scenario, fn_name: str, result: SimResult, domain: str) -> tuple[str, dict]:
    """Put a REST API in front of the function; returns (api name, metric refs)."""
    api = sc.namer.api(domain)
    return api, emit_api(sc, api, sc.namer.api_id(), result, fn_name)


def bad_deployment_lambda(sc: Scenario, with_api: bool = False) -> None:
    domain = sc.namer.domain()
    fn = main_function(sc, domain)
    deployed = lead_time(sc, 5, 20)
    fn.restarts = [deployed + 15]
    exc, message, frames = content.regression(sc, domain, fn.runtime)
    fn.faults.append(after_onset(sc, sc.uniform(0.35, 0.85), lambda r: Outcome("error", [r.exception(exc, message, frames)]),
                                 ramp_s=sc.uniform(30, 240)))
    lambda_deploy(sc, fn.name, deployed)
    result, refs = emit(sc, fn)
    anomalies = [refs["Errors"]]
    alarm = errors_alarm(sc, fn.name, refs["Errors"])
    if with_api:
        api, api_refs = front_with_api(sc, fn.name, result, domain)
        anomalies.append(api_refs["5XXError"])
        if sc.chance(0.5):
            sc.alarms.pop()
            alarm = alarm_from_data(sc, f"{api}-5xx", api_refs["5XXError"], "Sum", description=f"{api} 5XX errors")
    obj, _ = content.domain_object(domain)
    sc.description = sc.pick([f"{fn.name} errors paging on-call; some {obj} requests fail.",
                              f"Errors alarm on {fn.name}. Customers report failed {obj}s."])
    decoys.add_background(sc)
    sc.set_expect(alarm, "bad_deployment", [fn.name], anomalies)


MISSING = ["PAYMENT_API_URL", "LEDGER_TABLE_NAME", "ORDERS_QUEUE_URL", "FRAUD_SERVICE_ENDPOINT", "SMTP_RELAY_HOST",
           "PRICING_CACHE_URL", "TAX_SERVICE_URL", "EVENT_BUS_NAME"]
INVALID = [("MAX_BATCH_SIZE", "ten"), ("REQUEST_TIMEOUT_MS", "2s"), ("RETRY_LIMIT", "three"), ("CURRENCY_DEFAULT", "")]


def config_change_lambda(sc: Scenario) -> None:
    domain = sc.namer.domain()
    fn = main_function(sc, domain)
    changed = lead_time(sc, 2, 12)
    fn.restarts = [changed + 5]
    env = {"LOG_LEVEL": "INFO", "STAGE": "prod", "TABLE_NAME": f"{domain}-{sc.namer.table().lower()}"}
    if sc.chance(0.6):
        setting = sc.pick(MISSING)
        if fn.runtime.startswith("nodejs"):
            exc, message = "Error", f"environment variable {setting} is not set"
            code = f"throw new Error(`environment variable {setting} is not set`)"
        else:
            exc, message, code = "KeyError", f"'{setting}'", f"url = os.environ['{setting}']"
    else:
        setting, bad = sc.pick(INVALID)
        env[setting] = bad
        exc = "Error" if fn.runtime.startswith("nodejs") else "ValueError"
        message = f"invalid value for setting {setting}: '{bad}'"
        code = f"settings.{setting.lower()} = parse_setting('{setting}')"
    frames = content.frames(domain, "load_settings" if not fn.runtime.startswith("nodejs") else "loadSettings",
                            code, sc.randint(12, 60), fn.runtime)
    fn.properties["environment"] = env
    fn.faults.append(after_onset(sc, sc.uniform(0.6, 1.0),
                                 lambda r: Outcome("error", [r.exception(exc, message, frames)]),
                                 ramp_s=sc.uniform(10, 90)))
    sc.add_change(changed, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
                  fn.name, sc.namer.user(human=sc.chance(0.6)))
    result, refs = emit(sc, fn)
    anomalies = [refs["Errors"]]
    alarm = errors_alarm(sc, fn.name, refs["Errors"])
    if sc.chance(0.5):
        anomalies.append(front_with_api(sc, fn.name, result, domain)[1]["5XXError"])
    sc.description = f"{fn.name} failing; error rate alarm fired."
    decoys.add_background(sc)
    sc.set_expect(alarm, "config_change", [fn.name], anomalies)


ACTIONS = [
    ("dynamodb", "PutItem", "table/{table}"),
    ("dynamodb", "Query", "table/{table}/index/by-customer"),
    ("sqs", "SendMessage", "{domain}-events"),
    ("secretsmanager", "GetSecretValue", "secret:prod/{domain}/db-AbC12x"),
    ("kms", "Decrypt", "key/3f6c2b1e-8d4a-4c1f-9e2b-{hex}"),
    ("sns", "Publish", "{domain}-notifications"),
]
IAM_EVENTS = ["DetachRolePolicy", "PutRolePolicy", "DeleteRolePolicy"]


def permission_denied_lambda(sc: Scenario) -> None:
    domain = sc.namer.domain()
    fn = main_function(sc, domain)
    role = sc.pick([f"{fn.name}-role", f"{fn.name}-exec-role", f"svc-{domain}-lambda",
                    f"{sc.pick(['shared', 'platform', 'backend'])}-lambda-exec"])
    service, action, resource = sc.pick(ACTIONS)
    resource = resource.format(table=sc.namer.table(), domain=domain, hex=sc.namer.hex(12))
    arn = f"arn:aws:{service}:{sc.region}:{ACCOUNT}:{resource}"
    code = {"dynamodb": "AccessDeniedException", "sqs": "AccessDenied", "secretsmanager": "AccessDeniedException",
            "kms": "AccessDeniedException", "sns": "AuthorizationError"}[service]
    text = (f"An error occurred ({code}) when calling the {action} operation: User: "
            f"{role_arn_session(role, fn.name)} is not authorized to perform: {service}:{action} on resource: {arn} "
            f"because no identity-based policy allows the {service}:{action} action")
    if fn.runtime.startswith("nodejs"):
        exc, message = code, text.split(": ", 1)[1]
        frames = content.frames(domain, "persist", f"await client.send(new {action}Command(params))",
                                sc.randint(20, 90), fn.runtime)
    else:
        exc, message = "botocore.exceptions.ClientError", text
        frames = content.frames(domain, "persist", f"client.{_snake(action)}(**params)", sc.randint(20, 90)) + [
            ("/var/runtime/botocore/client.py", 1023, "_make_api_call", "raise error_class(parsed_response, operation_name)")]
    fn.properties["role"] = role
    fn.faults.append(after_onset(sc, sc.uniform(0.6, 1.0), lambda r: Outcome("error", [r.exception(exc, message, frames)]),
                                 ramp_s=sc.uniform(20, 120)))
    changed = lead_time(sc, 1, 12)
    sc.add_change(changed, "iam.amazonaws.com", sc.pick(IAM_EVENTS), "AWS::IAM::Role", role,
                  sc.pick(["terraform", sc.namer.user(human=True), "iam-cleanup-bot"]))
    _, refs = emit(sc, fn)
    alarm = errors_alarm(sc, fn.name, refs["Errors"])
    sc.description = f"{fn.name} errors alarm; downstream writes appear to be missing."
    decoys.add_background(sc)
    sc.set_expect(alarm, "permission_denied", [fn.name, role], [refs["Errors"]])


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


POISON = [
    ("ValueError", "invalid literal for int() with base 10: 'N/A'", "quantity = int(record['qty'])"),
    ("json.decoder.JSONDecodeError", "Expecting value: line 1 column 1 (char 0)", "body = json.loads(record['body'])"),
    ("decimal.InvalidOperation", "[<class 'decimal.ConversionSyntax'>]", "amount = Decimal(record['amount'])"),
    ("UnicodeDecodeError", "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
     "text = raw.decode('utf-8')"),
    ("IndexError", "list index out of range", "first = record['lines'][0]"),
]


def application_error_lambda(sc: Scenario) -> None:
    domain = sc.namer.domain()
    fn = main_function(sc, domain, runtime=sc.pick(["python3.12", "python3.11"]))
    exc, message, code = sc.pick(POISON)
    frames = content.frames(domain, f"parse_{content.domain_object(domain)[0]}", code, sc.randint(30, 160))
    message_id = sc.namer.request_id()
    lead = lambda r: r.line("INFO", f"Processing SQS message {message_id} (receive count {int(r.rng.integers(2, 9))})")
    fn.faults.append(after_onset(sc, sc.uniform(0.3, 0.7),
                                 lambda r: Outcome("error", [lead(r), r.exception(exc, message, frames, offset=0.08)]),
                                 ramp_s=30))
    _, refs = emit(sc, fn)
    alarm = errors_alarm(sc, fn.name, refs["Errors"])
    sc.description = f"{fn.name} Errors alarm; queue backlog growing."
    decoys.add_background(sc, "lambda", deploy=True)
    sc.set_expect(alarm, "application_error", [fn.name], [refs["Errors"]])


__all__ = ["bad_deployment_lambda", "config_change_lambda", "permission_denied_lambda", "application_error_lambda"]
