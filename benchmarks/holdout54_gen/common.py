"""Small shared vocab: tenants, user agents, paths, expect/meta helpers."""
import datetime as _dt

UTC = _dt.timezone.utc

TENANTS = ["t_0012", "t_0031", "t_0047", "t_0102", "t_0118", "t_0151", "t_0203", "t_0219",
           "t_0240", "t_0288", "t_0305", "t_0342", "t_0377", "t_0391", "t_0420", "t_0466",
           "t_0503", "t_0517", "t_0562", "t_0588", "t_0611", "t_0649", "t_0702", "t_0731"]

UAS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
       "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
       "python-requests/2.32.3", "okhttp/4.12.0", "Go-http-client/2.0", "axios/1.7.7",
       "PostmanRuntime/7.42.0"]


def clock(y, mo, d, h, mi):
    return _dt.datetime(y, mo, d, h, mi, 0, tzinfo=UTC)


def expect(S, alarm, category, resources, anomalies):
    S.expect = {"alarm": alarm,
                "root_cause": {"category": category, "resource": list(resources)},
                "anomalies": [{"namespace": ns, "name": n, "dimensions": dict(d)} for ns, n, d in anomalies]}


def meta(S, category, origin, front, decoys, story):
    S.meta = {"category": category, "origin": origin, "front": front, "decoys": decoys, "story": story}


def pick(S, seq):
    return S.rng.choice(seq)
