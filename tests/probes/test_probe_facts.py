"""Probes answer interview questions through the KB's probe maps (kb/probes.md): `triage probe
--json` reports the facts, `triage diagnose --probe` lets them answer questions, and the
interview records the probe as the facts' source. Local servers only."""

import json

from probe_servers import closed_port, tls_server
from support import KB, run_triage

from engine.inference import CompiledKB, Interview
from engine.inference.probing import probe_conclusions
from engine.kb import load_clean
from engine.probes import run_probe


def test_probe_json_reports_a_name_the_certificate_does_not_cover_as_facts(pki):
    leaf = pki.intermediate.issue_cert("other.contoso.com")
    with tls_server(pki.context("other", leaf)) as server:
        result = run_triage("probe", "tls", f"127.0.0.1:{server.port}", "--name",
                            "mail.contoso.com", "--ca", pki.root_file, "--json",
                            "--timeout", "20")
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)["facts"]
    assert facts["cert.host-name-covered"] == "no"
    assert facts["imp.gateway-status"] == "san-mismatch"
    assert facts["tls.error"] == "name-mismatch"
    assert "cert.trusted" not in facts                   # chains to the CA given with --ca


def test_an_unknown_ca_is_reported_untrusted(pki):
    leaf = pki.intermediate.issue_cert("mail.contoso.com")
    with tls_server(pki.context("mail", leaf)) as server:
        result = run_triage("probe", "tls", f"127.0.0.1:{server.port}", "--name",
                            "mail.contoso.com", "--json", "--timeout", "20")
    facts = json.loads(result.stdout)["facts"]
    assert facts["cert.trusted"] == "no" and "cert.host-name-covered" not in facts


def test_a_refused_imap_port_answers_the_telnet_question(tmp_path):
    port = closed_port()
    result = run_triage("probe", "imap", f"127.0.0.1:{port}", "--json")
    assert result.returncode == 1                        # the probe could not observe ...
    assert json.loads(result.stdout)["facts"]["uccx.telnet-143"] == "no"   # ... and says so


def test_diagnose_with_a_probe_is_confident_without_asking(tmp_path):
    port = closed_port()
    result = run_triage("diagnose", "--text", "Finesse agents cannot get their emails",
                        "--probe", f"imap:127.0.0.1:{port}", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    top = data["diagnoses"][0]
    assert top["id"] == "uccx-imap-port-unreachable"
    probe_fact = next(f for f in data["facts"] if f["name"] == "uccx.telnet-143")
    assert probe_fact["value"] == "no" and probe_fact["source"]["kind"] == "probe"
    assert probe_fact["source"]["ref"] == f"imap 127.0.0.1:{port}"
    assert "uccx.telnet-143" not in {q["id"] for q in data["next_questions"]}


def test_bad_probe_option_is_one_line():
    result = run_triage("diagnose", "--probe", "ping:host")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "KIND:TARGET" in result.stderr


def test_an_answer_outranks_the_probe(pki):
    leaf = pki.intermediate.issue_cert("other.contoso.com")
    with tls_server(pki.context("other2", leaf)) as server:
        probe = run_probe("tls", f"127.0.0.1:{server.port}", name="mail.contoso.com",
                          ca=pki.root_file, timeout=20)
    kb = load_clean(KB)
    assert {f.name: f.value for f in probe_conclusions(kb, probe)}["imp.gateway-status"] \
        == "san-mismatch"
    with CompiledKB(kb) as compiled, Interview(compiled) as session:
        session.answer("product", "imp")
        session.add_probe(probe)
        assert session.differential().top.id == "imp-cert-san-mismatch"
        session.answer("imp.gateway-status", "verified")     # the person saw otherwise
        values = session.state.values()["imp.gateway-status"]
        assert values == {"verified"}
        assert session.differential().top.id != "imp-cert-san-mismatch"
