""""Check it": a read-only probe answers the question on display. The dialog asks for the
target once per session (prefilled from what the evidence names), says exactly what will be
contacted and how, runs the probe in a worker, and returns its result (None if cancelled)."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, LoadingIndicator, Static
from textual.worker import get_current_worker

from engine.kb.models import ProbeMap
from engine.probes import DESCRIPTIONS, ProbeError, ProbeResult, run_probe
from engine.sessions import TicketSession

PREFILL_CAPTURES = ("host", "server", "exchange", "fqdn")


class ProbeDialog(ModalScreen[ProbeResult | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, probe_map: ProbeMap, session: TicketSession):
        super().__init__()
        self.map = probe_map
        self.session = session
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog--wide"):
            yield Label(Content(f"Check it: {self.map.title}"), classes="dialog-title")
            yield Static(Content(self.map.description), id="probe-about")
            yield Label(Content(self.map.target[:1].upper() + self.map.target[1:] + ":"))
            yield Input(self.default_target(), id="probe-target",
                        placeholder="a host name, e.g. mail.contoso.com")
            yield Static("", id="probe-plan")
            yield LoadingIndicator(id="probe-busy")
            yield Static(Content("Enter checks it · Esc cancels. Nothing is changed and no "
                                 "password is sent."), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#probe-busy", LoadingIndicator).display = False
        self.show_plan()
        self.query_one("#probe-target", Input).focus()

    def default_target(self) -> str:
        remembered = self.session.targets.get(self.map.target)
        if remembered:
            return remembered
        captures = self.session.interview.captures()
        return next((captures[name] for name in PREFILL_CAPTURES if captures.get(name)), "")

    def address(self) -> str:
        target = self.query_one("#probe-target", Input).value.strip()
        return self.map.address.replace("{target}", target) if target else ""

    def show_plan(self) -> None:
        address = self.address()
        plan = (f"Will contact {address}: {DESCRIPTIONS[self.map.probe]}."
                if address else "Type the host name to check.")
        self.query_one("#probe-plan", Static).update(Content(plan))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_plan()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.running or not self.address():
            return
        self.session.targets[self.map.target] = event.value.strip()
        self.running = True
        self.query_one("#probe-busy", LoadingIndicator).display = True
        self.query_one("#probe-target", Input).disabled = True
        self.check(self.address())

    @work(thread=True, exclusive=True, group="probe")
    def check(self, address: str) -> None:
        options = {name: (value.split(",") if name == "ports" else value)
                   for name, value in self.map.options}
        try:
            result = run_probe(self.map.probe, address, **options)
        except ProbeError as exc:
            self.app.call_from_thread(self.failed, str(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.dismiss, result)

    def failed(self, message: str) -> None:
        self.running = False
        self.query_one("#probe-busy", LoadingIndicator).display = False
        target = self.query_one("#probe-target", Input)
        target.disabled = False
        target.focus()
        self.query_one("#probe-plan", Static).update(Content(f"Cannot check that: {message}"))

    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "probe")
        self.dismiss(None)
