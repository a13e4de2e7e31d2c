"""What the app tests share besides fixtures (tests/tui/conftest.py): the fixture KB, a seeded
secret, and ways to look at a running app. (Not in conftest.py: `from conftest import` would
pick whichever conftest was imported last.)"""

import io
import time
from pathlib import Path

from rich.console import Console

FIXTURE_KB = Path(__file__).resolve().parent.parent / "fixtures" / "tui-kb"
SIZE = (80, 24)

# IM and Presence's gateway status line (sig-imp-san-mismatch) and a secret next to it
SAN_MISMATCH = "SSL Connection/Certificate Verification Failed - SAN Mismatch"
SECRET = "Tr1age-S3cret!"
GATEWAY_PASTE = ("Presence Gateway: mail.contoso.com\n"
                 "Exchange Reachability (pingable)\n"
                 f"{SAN_MISMATCH}\n"
                 f"Set-ExchangeService -Password \"{SECRET}\" -Identity svc-imp\n")


def screen_text(app) -> str:
    """What the screen shows, as plain text (for assertions on the layout)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens))
    return console.export_text()


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


async def wait_for(pilot, condition, timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds (a worker finished, a screen opened)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)
