"""`triage serve`: textual-serve with a token, and a page that works from other desks.

Whoever reaches the app in a browser gets every saved session, and the evidence and save
dialogs read and write files on the server as the user who started it. textual-serve has no
authentication of its own, so this server requires a token (given, or generated and printed
at start): the first visit opens `URL/?token=...`, which sets an HttpOnly, SameSite=Strict
cookie and redirects to the bare URL (the token leaves the address bar and the history); every
request after that, the page's assets and its websocket, must carry the cookie. A websocket
whose Origin is another site is refused (cross-site websocket hijacking).

textual-serve points the page's assets and websocket at `public_url`; bound to 0.0.0.0 it
would point them at 0.0.0.0, which no browser on another desk can reach, so the public URL
defaults to this machine's name (or the address given), and `--public-url` names what a
reverse proxy presents (https://triage.corp.example).
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
from urllib.parse import urlsplit

COOKIE = "triage_token"
TOKEN_ENV = "TRIAGE_SERVE_TOKEN"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def default_public_url(host: str, port: int) -> str:
    """What browsers should use: the address as given, or this machine's name when bound to
    every address (0.0.0.0, ::), which is not an address a browser can open."""
    shown = host
    if host in ("0.0.0.0", "::", "", "*"):
        shown = socket.getfqdn() or socket.gethostname()
    elif ":" in host and not host.startswith("["):
        shown = f"[{host}]"                     # an IPv6 address in a URL
    return f"http://{shown}:{port}"


def build_server(command: str, host: str, port: int, public_url: str, token: str):
    """A textual-serve Server whose every route needs the token (imported here: only
    `triage serve` needs aiohttp)."""
    from aiohttp import web
    from textual_serve.server import Server

    origin = "{0.scheme}://{0.netloc}".format(urlsplit(public_url))
    secure = public_url.startswith("https:")

    def authorised(request: web.Request) -> bool:
        given = request.cookies.get(COOKIE, "")
        return bool(given) and hmac.compare_digest(given.encode(), token.encode())

    @web.middleware
    async def require_token(request: web.Request, handler):
        offered = request.query.get("token")
        if offered is not None:
            if not hmac.compare_digest(offered.encode(), token.encode()):
                raise web.HTTPForbidden(text="triage: wrong token\n")
            response = web.HTTPSeeOther(location=request.path)
            response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", secure=secure,
                                path="/")
            raise response
        if not authorised(request):
            raise web.HTTPUnauthorized(text="triage: open the address printed by 'triage serve', "
                                            "with its token\n")
        if request.path == "/ws":
            sent = request.headers.get("Origin")
            host_origin = f"{request.scheme}://{request.host}"
            if sent is not None and sent not in (origin, host_origin):
                raise web.HTTPForbidden(text="triage: websocket from another site refused\n")
        return await handler(request)

    class TokenServer(Server):
        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(require_token)
            return app

        async def on_startup(self, app: web.Application) -> None:
            pass            # the command line says where to go (with the token), not the logo

    return TokenServer(command, host=host, port=port, title="triage", public_url=public_url)
