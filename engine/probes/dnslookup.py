"""The dns probe: what a mail client and Exchange's integrations look up for one domain.

NAME is the e-mail domain (contoso.com; user@contoso.com is taken as contoso.com). Six queries,
each once (dnspython's own retries stay within the timeout): NAME A and AAAA, NAME MX,
autodiscover.NAME A and CNAME, _autodiscover._tcp.NAME SRV. With --server IP[:PORT] only that
server is asked; without it, the system's resolvers. A name that does not exist (NXDOMAIN), a
name without that record (no-answer), a refusal (servfail) and a time-out are observations; only
a server that answers none of the first query is an error.
"""

from __future__ import annotations

import dns.exception
import dns.name
import dns.resolver

from engine.probes.models import ProbeError, ProbeResult, yes_no
from engine.probes.targets import is_ip, parse_host_port, to_ascii

NXDOMAIN, NO_ANSWER, TIMEOUT, SERVFAIL = "nxdomain", "no-answer", "timeout", "servfail"
STATUSES = {NXDOMAIN, NO_ANSWER, TIMEOUT, SERVFAIL}


def make_resolver(server: str | None, timeout: float) -> tuple[dns.resolver.Resolver, str]:
    if server:
        hp = parse_host_port(server, 53)
        if not hp.is_ip:
            raise ProbeError(f"--server takes an IP address, not '{hp.host}'", "bad-target")
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [hp.host]
        resolver.port = hp.port
        where = str(hp)
    else:
        try:
            resolver = dns.resolver.Resolver()
        except dns.resolver.NoResolverConfiguration:
            raise ProbeError("this machine has no DNS server configured: give --server IP",
                             "unresolved") from None
        where = "system (" + ", ".join(map(str, resolver.nameservers)) + ")"
    resolver.timeout = resolver.lifetime = timeout
    resolver.cache = None
    return resolver, where


def query(resolver: dns.resolver.Resolver, name: str, rdtype: str) -> list[str] | str:
    """The answer's records as text, or one of the status words."""
    try:
        answer = resolver.resolve(dns.name.from_text(name), rdtype, search=False)
    except dns.resolver.NXDOMAIN:
        return NXDOMAIN
    except dns.resolver.NoAnswer:
        return NO_ANSWER
    except dns.resolver.NoNameservers:
        return SERVFAIL
    except dns.exception.Timeout:
        return TIMEOUT
    records = list(answer)
    if rdtype == "MX":
        records.sort(key=lambda r: (r.preference, str(r.exchange)))
        return [f"{r.preference} {r.exchange.to_text(omit_final_dot=True)}" for r in records]
    if rdtype == "SRV":
        records.sort(key=lambda r: (r.priority, -r.weight))
        return [f"{r.priority} {r.weight} {r.port} {r.target.to_text(omit_final_dot=True)}"
                for r in records]
    if rdtype == "CNAME":
        return [r.target.to_text(omit_final_dot=True) for r in records]
    return [r.to_text() for r in records]


def as_value(answer: list[str] | str) -> str:
    return answer if isinstance(answer, str) else ",".join(answer)


def domain_of(target: str) -> str:
    name = target.strip().rpartition("@")[2]
    if is_ip(name):
        raise ProbeError(f"the dns probe takes a domain name (contoso.com), not an address: "
                         f"'{name}'", "bad-target")
    return to_ascii(name)


def probe_dns(result: ProbeResult, target: str, server: str | None = None,
              timeout: float = 5.0) -> None:
    domain = domain_of(target)
    resolver, where = make_resolver(server, timeout)
    result.add("dns.server", where)
    a = query(resolver, domain, "A")
    if a == TIMEOUT:
        raise ProbeError(f"no answer from the DNS server {where} within {timeout:g} s",
                         "timeout")
    aaaa = query(resolver, domain, "AAAA")
    mx = query(resolver, domain, "MX")
    auto_name, srv_name = f"autodiscover.{domain}", f"_autodiscover._tcp.{domain}"
    auto = query(resolver, auto_name, "A")
    cname = query(resolver, auto_name, "CNAME")
    srv = query(resolver, srv_name, "SRV")

    resolves = isinstance(a, list) or isinstance(aaaa, list)
    auto_resolves = isinstance(auto, list)
    result.add("dns.a", as_value(a), domain)
    result.add("dns.aaaa", as_value(aaaa), domain)
    result.add("dns.resolves", yes_no(resolves))
    result.add("dns.mx", as_value(mx), f"{domain}, by preference")
    result.add("dns.autodiscover", as_value(auto), auto_name)
    result.add("dns.autodiscover-cname", "none" if cname == NO_ANSWER else as_value(cname),
               auto_name)
    result.add("dns.autodiscover-resolves", yes_no(auto_resolves), auto_name)
    result.add("dns.autodiscover-srv", as_value(srv), srv_name)
    if isinstance(srv, list):
        _priority, _weight, port, host = srv[0].split()
        result.add("dns.autodiscover-srv-target", f"{host}:{port}", "the preferred record")

    lines = result.verdicts
    lines.append(f"{domain}: " + ("resolves" if resolves else f"does not resolve ({as_value(a)})"))
    lines.append(f"MX: {as_value(mx)}")
    lines.append(f"{auto_name}: " + (f"resolves ({as_value(auto)})" if auto_resolves
                                     else f"does not resolve ({as_value(auto)})"))
    lines.append(f"{srv_name} SRV: {as_value(srv)}")
