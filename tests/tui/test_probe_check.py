""""Check it" in the interview: a read-only probe answers the IM and Presence gateway question,
against a TLS server on 127.0.0.1 whose certificate does not cover the name checked."""

import sys
from pathlib import Path

import pytest
import trustme
from tui_support import notices

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "probes"))
from probe_servers import server_context, tls_server, write_chain  # noqa: E402

from engine.probes import ProbeResult  # noqa: E402
from engine.sessions import SessionStore  # noqa: E402

TICKET = "Jabber does not show anyone in a meeting any more, the Outlook calendars are fine"


@pytest.fixture(scope="module")
def cert_files(tmp_path_factory):
    ca = trustme.CA()
    leaf = ca.issue_cert("mail.contoso.com")
    folder = tmp_path_factory.mktemp("tls")
    return write_chain(folder, "mail", [p.bytes() for p in leaf.cert_chain_pems],
                       leaf.private_key_pem.bytes())


async def test_a_probe_answers_the_gateway_question_and_the_fix_opens(make_app, store_path,
                                                                     cert_files):
    from tui.screens.probe_dialog import ProbeDialog
    from tui.screens.result import ResultScreen

    app = make_app()
    with tls_server(server_context(cert_files)) as server:
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.press("n")
            app.screen.query_one("#ticket").text = TICKET
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press(product_key(app.screen.current))
            assert app.screen.current.id == "imp.gateway-status"
            await pilot.press("k")
            await pilot.pause()
            assert isinstance(app.screen, ProbeDialog)
            app.screen.query_one("#probe-target").value = f"127.0.0.1:{server.port}"
            await pilot.press("enter")
            for _ in range(200):                    # the probe runs in a worker
                await pilot.pause(0.05)
                if not isinstance(app.screen, ProbeDialog):
                    break
            assert isinstance(app.screen, ResultScreen)
            assert app.screen.entry_id == "imp-cert-san-mismatch"
            assert any("imp.gateway-status = san-mismatch" in n for n in notices(app))
            interview = app.screen.session.interview
            fact = next(f for f in interview.facts() if f.name == "imp.gateway-status")
            assert fact.source.kind == "probe"
            assert fact.source.ref == f"tls 127.0.0.1:{server.port}"
    with SessionStore(store_path) as store:
        session = store.sessions()[0].id
        kinds = [e.kind for e in store.events(session)]
    assert "probe" in kinds                          # written down, replayed on resume


async def test_no_check_where_no_probe_answers_or_probes_are_off(make_app):
    app = make_app(allow_probes=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("n")
        app.screen.query_one("#ticket").text = TICKET
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press(product_key(app.screen.current))
        assert app.screen.current.id == "imp.gateway-status"
        assert app.screen.check_action("check", ()) is False
        await pilot.press("k")
        assert not any(type(s).__name__ == "ProbeDialog" for s in app.screen_stack)


def product_key(question) -> str:
    """The number key of IM and Presence on the product question."""
    assert question.id == "product"
    return str([value for value, _ in question.options()].index("imp") + 1)


def canned(target: str) -> ProbeResult:
    """What the probe of a certificate for mail.contoso.com reports when asked for another
    name (for the snapshot, which must not show a random port)."""
    result = ProbeResult("tls", target, "2026-12-04T10:00:00+00:00")
    result.add("tls.name", "exchange01.contoso.com")
    result.add("tls.name-covered", "no", "SAN DNS: mail.contoso.com")
    result.add("tls.trusted", "no", "unable to get local issuer certificate (20)")
    result.verdicts.append("certificate does not cover exchange01.contoso.com")
    return result


def test_snapshot_after_a_check(snap_compare, make_app, monkeypatch):
    import tui.screens.probe_dialog as dialog

    monkeypatch.setattr(dialog, "run_probe", lambda kind, target, **options: canned(target))

    async def check(pilot):
        await pilot.press("n")
        pilot.app.screen.query_one("#ticket").text = TICKET
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press(product_key(pilot.app.screen.current), "k")
        await pilot.pause()
        pilot.app.screen.query_one("#probe-target").value = "exchange01.contoso.com"
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.05)
            if type(pilot.app.screen).__name__ == "ResultScreen":
                break
        await pilot.pause(0.3)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=check)
