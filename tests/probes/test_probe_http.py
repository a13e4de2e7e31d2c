"""http against local http.server instances answering like IIS in front of Exchange."""

import pytest
from probe_servers import plain_server

from engine.probes import run_probe
from engine.probes.web import challenges

IIS = [("X-Powered-By", "ASP.NET"), ("X-FEServer", "MBX01"), ("request-id", "6c3c9a9e")]
ROUTES = {
    "/EWS/Exchange.asmx": (401, [("WWW-Authenticate", "Negotiate"),
                                 ("WWW-Authenticate", "NTLM"), *IIS]),
    "/basic": (401, [("WWW-Authenticate", 'Basic realm="mail.contoso.com"')]),
    "/owa": (301, [("Location", "/owa/")]),
    "/owa/": (302, [("Location", "/owa/auth/logon.aspx?url=x")]),
    "/owa/auth/logon.aspx?url=x": (200, IIS),
    "/hop": (302, [("Location", "/owa")]),
    "/loop": (302, [("Location", "/loop")]),
    "/away": (302, [("Location", "https://login.example.invalid/")]),
}


@pytest.fixture
def http_server():
    from probe_servers import http_server
    with http_server(dict(ROUTES)) as server:
        yield server


@pytest.fixture
def https_server(pki):
    from probe_servers import http_server
    leaf = pki.intermediate.issue_cert("127.0.0.1", "mail.contoso.com")
    with http_server(dict(ROUTES), pki.context("https", leaf)) as server:
        yield server


def get(url, **options):
    return run_probe("http", url, timeout=10, **options)


def no_credentials_sent(server):
    assert all(not {k.lower() for k in h} & {"authorization", "cookie"}
               for h in server.headers_seen)


def test_iis_401_with_negotiate_and_ntlm_as_two_headers(http_server):
    result = get(f"http://127.0.0.1:{http_server.port}/EWS/Exchange.asmx")
    assert http_server.received == ["GET /EWS/Exchange.asmx"]
    no_credentials_sent(http_server)
    assert {o.name: o.value for o in result.observations} == {
        "http.status": 401, "http.final-url": f"http://127.0.0.1:{http_server.port}"
                                              "/EWS/Exchange.asmx",
        "http.redirects": 0, "http.server": "Microsoft-IIS/10.0",
        "http.auth-schemes": "Negotiate,NTLM", "http.ntlm": "yes", "http.negotiate": "yes",
        "http.basic": "no", "http.bearer": "no", "http.digest": "no", "http.exchange": "yes",
        "http.exchange-frontend": "MBX01"}
    assert result.verdicts == [f"HTTP 401 Unauthorized from http://127.0.0.1:{http_server.port}"
                               "/EWS/Exchange.asmx; authentication offered: Negotiate, NTLM"]


def test_basic_realm(http_server):
    result = get(f"http://127.0.0.1:{http_server.port}/basic")
    assert (result.value("http.auth-schemes"), result.value("http.basic"),
            result.value("http.ntlm")) == ("Basic", "yes", "no")
    detail = next(o.detail for o in result.observations if o.name == "http.auth-schemes")
    assert detail == 'Basic realm="mail.contoso.com"'


def test_redirects_on_the_same_host_are_followed_and_reported(http_server):
    base = f"http://127.0.0.1:{http_server.port}"
    result = get(f"{base}/hop")
    assert http_server.received == ["GET /hop", "GET /owa", "GET /owa/",
                                    "GET /owa/auth/logon.aspx?url=x"]
    redirects = [(o.name, o.value) for o in result.observations
                 if o.name.startswith("http.redirect")]
    assert redirects == [("http.redirect.1", f"302 {base}/owa"),
                         ("http.redirect.2", f"301 {base}/owa/"),
                         ("http.redirect.3", f"302 {base}/owa/auth/logon.aspx?url=x"),
                         ("http.redirects", 3)]
    assert (result.value("http.status"), result.value("http.final-url")) == (
        200, f"{base}/owa/auth/logon.aspx?url=x")


def test_a_redirect_from_http_to_https_gets_the_tls_facts(http_server, https_server, pki):
    target = f"https://127.0.0.1:{https_server.port}/EWS/Exchange.asmx"
    http_server.routes["/ews"] = (301, [("Location", target)])
    result = get(f"http://127.0.0.1:{http_server.port}/ews", ca=pki.root_file)
    assert (http_server.received, https_server.received) == (
        ["GET /ews"], ["GET /EWS/Exchange.asmx"])
    assert (result.value("tls.trusted"), result.value("http.status"),
            result.value("http.final-url")) == ("yes", 401, target)


def test_more_than_five_redirects_stop(http_server):
    result = get(f"http://127.0.0.1:{http_server.port}/loop")
    assert http_server.received == ["GET /loop"] * 6
    assert result.value("http.redirects") == 6
    assert result.value("http.status") == 302
    assert "more than 5 redirects: stopped" in result.verdicts


def test_a_redirect_to_another_host_is_not_followed(http_server):
    result = get(f"http://127.0.0.1:{http_server.port}/away")
    assert http_server.received == ["GET /away"]
    assert result.value("http.redirect-not-followed") == "https://login.example.invalid/"
    assert result.value("http.status") == 302


def test_https_reports_tls_facts_then_http(https_server, pki):
    url = f"https://127.0.0.1:{https_server.port}/EWS/Exchange.asmx"
    result = get(url, ca=pki.root_file)
    assert result.error is None
    assert https_server.received == ["GET /EWS/Exchange.asmx"]
    no_credentials_sent(https_server)
    assert (result.value("tls.trusted"), result.value("tls.name-covered"),
            result.value("http.status"), result.value("http.auth-schemes")) == (
        "yes", "yes", 401, "Negotiate,NTLM")
    assert result.verdicts[:3] == [
        f"HTTP 401 Unauthorized from {url}; authentication offered: Negotiate, NTLM",
        "certificate covers 127.0.0.1 (SAN IP address 127.0.0.1)", "trusted: yes"]


def test_https_with_an_untrusted_certificate_still_gets_the_status(https_server):
    result = get(f"https://127.0.0.1:{https_server.port}/EWS/Exchange.asmx")
    assert (result.value("tls.trusted"), result.value("http.status")) == ("no", 401)


def test_https_to_a_plain_http_port_is_not_tls(http_server):
    result = get(f"https://127.0.0.1:{http_server.port}/")
    assert result.error_reason == "not-tls"


def test_a_port_that_is_not_http():
    with plain_server(b"220 mail.contoso.com ESMTP\r\n") as server:
        result = get(f"http://127.0.0.1:{server.port}/")
    assert result.error_reason == "protocol"
    assert result.error.startswith(f"127.0.0.1:{server.port} answers, but not with HTTP")


@pytest.mark.parametrize("url, message", [
    ("mail.contoso.com/EWS/Exchange.asmx", "not an http(s) URL"),
    ("ftp://mail.contoso.com/", "not an http(s) URL"),
    ("https://user:secret@mail.contoso.com/", "the URL carries a user name or password"),
    ("https://mail.contoso.com/owa/a b", "the URL has spaces or control characters"),
])
def test_bad_urls(url, message):
    from engine.probes import ProbeError
    with pytest.raises(ProbeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        get(url)


def test_challenge_parsing_handles_commas_in_quotes_and_token68():
    found = challenges([
        'Negotiate, NTLM, Basic realm="a, b", charset="UTF-8"',
        'Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers='
        '"00000001-0000-0000-c000-000000000000@*", token_types="app_asserted_user_v1 '
        'service_asserted_app_v1", authorization_uri="https://login.microsoftonline.com/'
        'common/oauth2/authorize"',
        "Negotiate oYGZMIGWoAMKAQ==",
    ])
    assert [(c.scheme, len(c.params)) for c in found] == [
        ("Negotiate", 0), ("NTLM", 0), ("Basic", 2), ("Bearer", 4), ("Negotiate", 1)]
    assert found[2].params == ['realm="a, b"', 'charset="UTF-8"']
    assert found[4].params == ["oYGZMIGWoAMKAQ=="]


def test_a_non_ascii_path_is_sent_percent_encoded(http_server):
    http_server.routes["/%C3%BCber"] = (200, [])
    result = get(f"http://127.0.0.1:{http_server.port}/über")
    assert (http_server.received, result.value("http.status")) == (["GET /%C3%BCber"], 200)
