"""bot.config: defaults, strict validation with user-facing errors, resolution order."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config, ConfigError, Secrets, load_config, parse_config

REPO_CONFIG = Path(__file__).resolve().parents[1] / "config.yaml"

pytestmark = pytest.mark.usefixtures("isolated_env")


def write(tmp_path: Path, text: str, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_any_file():
    # GIVEN no path, no $AIOPS_CONFIG and no ./config.yaml (cwd is empty)
    # WHEN the config is loaded
    config = load_config()
    # THEN every section has its documented default
    assert config == Config()
    assert config.aws.regions == ["us-east-1"]
    assert config.analysis.time_window == 6
    assert config.analysis.cache_retention == 30
    assert config.monitoring.poll_interval == 300
    assert set(config.monitoring.services) == {"ec2", "lambda", "rds", "ecs", "apigateway", "alb"}
    assert config.llm.provider == "anthropic"


def test_empty_file_gives_defaults(tmp_path):
    # GIVEN an empty YAML file WHEN loaded THEN defaults apply
    assert load_config(write(tmp_path, "")) == Config()


def test_valid_file_overrides_defaults(tmp_path):
    # GIVEN a file setting a few keys
    path = write(tmp_path, "aws:\n  regions: [eu-west-1, us-east-2]\nanalysis:\n  time_window: 3\n"
                           "monitoring:\n  metrics:\n    lambda:\n      Errors: {threshold: 5, period: 120}\n")
    # WHEN loaded
    config = load_config(path)
    # THEN they are taken, the rest stays default
    assert config.aws.regions == ["eu-west-1", "us-east-2"]
    assert config.analysis.time_window == 3
    assert config.monitoring.metrics["lambda"]["Errors"].period == 120
    assert config.analysis.log_query_limit == 10000


def test_unknown_key_names_key_and_file(tmp_path):
    # GIVEN a typo in a nested key
    path = write(tmp_path, "analysis:\n  time_windw: 3\n")
    # WHEN loaded THEN one ConfigError names the key and the file
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "analysis.time_windw" in str(err.value)
    assert "unknown key" in str(err.value)
    assert str(path) in str(err.value)


def test_unknown_top_level_section(tmp_path):
    with pytest.raises(ConfigError, match=r"unknown key 'alerts'"):
        load_config(write(tmp_path, "alerts: {}\n"))


def test_wrong_type_names_key(tmp_path):
    # GIVEN a string where a number is expected
    path = write(tmp_path, "analysis:\n  time_window: lots\n")
    # WHEN loaded THEN the error names the key
    with pytest.raises(ConfigError, match=r"'analysis\.time_window'") as err:
        load_config(path)
    assert str(path) in str(err.value)


@pytest.mark.parametrize("text, key", [
    ("analysis:\n  time_window: -2\n", "analysis.time_window"),
    ("analysis:\n  time_window: 0\n", "analysis.time_window"),
    ("aws:\n  regions: [useast1]\n", "aws.regions"),
    ("aws:\n  regions: []\n", "aws.regions"),
    ("aws:\n  regions: [us-east-99]\n", "aws.regions"),
    ("slack:\n  approvers: [bob]\n", "slack.approvers"),
    ("aws:\n  accounts: [{name: prod, role_arn: 'arn:aws:iam::123456789012:user/bob'}]\n",
     "aws.accounts.0.role_arn"),
    ("analysis:\n  log_query_limit: 50000\n", "analysis.log_query_limit"),
    ("aws:\n  regions: [xx-foo-1]\n", "aws.regions"),
    ("aws:\n  regions: [us-east-1, us-east-1]\n", "aws.regions"),
    ("monitoring:\n  metrics:\n    lambda:\n      Errors: {period: 90}\n", "monitoring.metrics.lambda.Errors.period"),
    ("monitoring:\n  poll_interval: 5\n", "monitoring.poll_interval"),
    ("monitoring:\n  services:\n    kafka: {}\n", "monitoring.services"),
    ("slack:\n  digest_hour_utc: 24\n", "slack.digest_hour_utc"),
    ("aws:\n  endpoint_url: not a url\n", "aws.endpoint_url"),
    ("aws:\n  endpoint_url: 'http://localhost:port'\n", "aws.endpoint_url"),
])
def test_impossible_values_are_rejected(tmp_path, text, key):
    # GIVEN a value that cannot work WHEN loaded THEN ConfigError names the key
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    assert f"'{key}'" in str(err.value)


def test_period_error_explains_the_rule(tmp_path):
    with pytest.raises(ConfigError, match="multiple of 60"):
        load_config(write(tmp_path, "monitoring:\n  metrics:\n    rds:\n      CPUUtilization: {period: 90}\n"))


def test_bad_region_message_is_readable(tmp_path):
    with pytest.raises(ConfigError, match="not an AWS region name"):
        load_config(write(tmp_path, "aws:\n  regions: [virginia]\n"))


@pytest.mark.parametrize("text, key", [
    ("slack:\n  bot_token: xoxb-123\n", "slack.bot_token"),
    ("llm:\n  api_key: sk-ant-123\n", "llm.api_key"),
    ("aws:\n  aws_secret_access_key: abc\n", "aws.aws_secret_access_key"),
])
def test_secret_in_file_is_rejected(tmp_path, text, key):
    # GIVEN a secret-looking key with a value in the file
    # WHEN loaded THEN it is refused, naming the key and pointing at environment variables
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    message = str(err.value)
    assert key in message and "environment" in message
    assert "xoxb-123" not in message and "sk-ant-123" not in message


def test_invalid_yaml_reports_line_number(tmp_path):
    # GIVEN a file whose 3rd line is broken YAML
    path = write(tmp_path, "aws:\n  regions: [us-east-1]\n  endpoint_url: [unclosed\nanalysis: {}\n")
    # WHEN loaded THEN the error gives the file and a line number, not a traceback
    with pytest.raises(ConfigError, match=r"not valid YAML at line \d+") as err:
        load_config(path)
    assert str(path) in str(err.value)
    assert err.value.__cause__ is None


def test_missing_file(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError, match="config file not found") as err:
        load_config(missing)
    assert str(missing) in str(err.value)


def test_top_level_must_be_mapping(tmp_path):
    with pytest.raises(ConfigError, match="top level must be a mapping"):
        load_config(write(tmp_path, "- aws\n- monitoring\n"))


def test_resolution_env_variable_then_cwd(tmp_path, monkeypatch):
    # GIVEN ./config.yaml and a different file named by $AIOPS_CONFIG
    write(tmp_path, "analysis:\n  time_window: 2\n")
    other = write(tmp_path, "analysis:\n  time_window: 9\n", name="other.yaml")
    # WHEN nothing is set THEN ./config.yaml is used
    assert load_config().analysis.time_window == 2
    # WHEN $AIOPS_CONFIG is set THEN it wins over ./config.yaml
    monkeypatch.setenv("AIOPS_CONFIG", str(other))
    assert load_config().analysis.time_window == 9
    # WHEN an explicit path is given THEN it wins over the environment
    assert load_config(tmp_path / "config.yaml").analysis.time_window == 2


def test_env_variable_pointing_nowhere_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("AIOPS_CONFIG", str(tmp_path / "missing.yaml"))
    with pytest.raises(ConfigError, match="not found"):
        load_config()


def test_parse_config_accepts_none_and_is_frozen():
    config = parse_config(None)
    with pytest.raises(Exception):
        config.analysis.time_window = 1  # type: ignore[misc]


def test_secrets_come_from_environment_and_are_not_in_repr():
    # GIVEN secrets in the environment mapping
    secrets = Secrets.from_env({"SLACK_BOT_TOKEN": "xoxb-secret", "ANTHROPIC_API_KEY": "sk-ant-secret",
                                "SLACK_APP_TOKEN": ""})
    # THEN they are read, empty ones are None, and repr never shows them
    assert secrets.slack_bot_token == "xoxb-secret"
    assert secrets.anthropic_api_key == "sk-ant-secret"
    assert secrets.slack_app_token is None
    assert "secret" not in repr(secrets)


@pytest.mark.skipif(not REPO_CONFIG.exists(), reason="the repository's config.yaml is not written yet")
def test_repository_config_yaml_loads():
    # GIVEN the config.yaml shipped in the repository WHEN loaded THEN it validates
    config = load_config(REPO_CONFIG)
    assert config.aws.regions


@pytest.mark.parametrize("pattern,why", [("([unclosed", "is not a regular expression"),
                                         (".*", "matches the empty string")])
def test_a_custom_redaction_pattern_that_cannot_work_is_refused_at_load(tmp_path, pattern, why):
    path = tmp_path / "config.yaml"
    path.write_text(f"redaction:\n  extra_patterns: ['{pattern}']\n")
    with pytest.raises(ConfigError, match=why):
        load_config(path)


def test_a_self_referring_alias_is_a_config_error(tmp_path):
    # GIVEN a YAML alias that contains itself WHEN loaded THEN one clear error, not a recursion crash
    with pytest.raises(ConfigError, match="an alias refers to itself"):
        load_config(write(tmp_path, "a: &a [*a]\n"))
