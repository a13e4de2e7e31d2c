"""Local servers for the probe tests: all on 127.0.0.1, ephemeral ports, background threads.

Each is a context manager that yields the server with `.port` and, where it matters, what it
received (`.received`), so tests can assert that a probe never sent credentials.
"""

from __future__ import annotations

import base64
import http.server
import socket
import socketserver
import ssl
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

HOST = "127.0.0.1"
WAIT = 10          # seconds a server waits for a client: generous, never asserted


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, handler, **attributes):
        self.__dict__.update(attributes)
        self.received: list[str] = []
        super().__init__((HOST, 0), handler)

    @property
    def port(self) -> int:
        return self.server_address[1]


@contextmanager
def serving(server):
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(WAIT)


# --- TLS ------------------------------------------------------------------------------------

class _TLSHandler(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.settimeout(WAIT)
        try:
            with self.server.context.wrap_socket(self.request, server_side=True) as tls:
                while tls.recv(1024):
                    pass
        except OSError:        # the client's verifying handshake refusing us, or a reset
            pass


def server_context(cert_files: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*map(str, cert_files))
    return context


def tls_server(context: ssl.SSLContext):
    return serving(_Server(_TLSHandler, context=context))


def write_chain(directory: Path, name: str, pems: list[bytes], key_pem: bytes) -> tuple[Path, Path]:
    """Files for load_cert_chain: the certificates the server sends, and the key."""
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    cert.write_bytes(b"".join(pems))
    key.write_bytes(key_pem)
    return cert, key


def self_signed(names: list[str]) -> tuple[bytes, bytes]:
    """(certificate PEM, key PEM): a self-signed server certificate, like Exchange's own."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), False)
            .sign(key, hashes.SHA256()))
    return (cert.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()))


class _PlainHandler(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.settimeout(WAIT)
        try:
            if self.server.greeting:
                self.request.sendall(self.server.greeting)
            while self.request.recv(1024):
                pass
        except OSError:
            pass


def plain_server(greeting: bytes = b""):
    """A TCP port that is not TLS: greets (or stays silent) and reads until the client leaves."""
    return serving(_Server(_PlainHandler, greeting=greeting))


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --- IMAP, POP3, SMTP -----------------------------------------------------------------------

def exchange_server_name(fqdn: str) -> str:
    return base64.b64encode(fqdn.encode("utf-16-le")).decode("ascii")


class _LineHandler(socketserver.StreamRequestHandler):
    """Greets, then answers each line from the server's script; closes after a goodbye."""

    def handle(self):
        self.request.settimeout(WAIT)
        try:
            self.wfile.write(self.server.greeting)
            while line := self.rfile.readline(4096):
                text = line.decode("ascii", "replace").rstrip("\r\n")
                self.server.received.append(text)
                reply, goodbye = self.server.answer(text)
                self.wfile.write(reply)
                if goodbye:
                    return
        except OSError:
            pass


def line_server(greeting: bytes, answer):
    """`answer(line) -> (reply bytes, close after it?)`."""
    return serving(_Server(_LineHandler, greeting=greeting, answer=answer))


# --- HTTP -----------------------------------------------------------------------------------

class _HTTPHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Microsoft-IIS/10.0"
    sys_version = ""

    def do_GET(self):
        self.server.received.append(f"{self.command} {self.path}")
        self.server.headers_seen.append(dict(self.headers))
        status, headers = self.server.routes.get(self.path, (404, []))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, routes, context=None):
        self.routes, self.received, self.headers_seen = routes, [], []
        self.context = context
        super().__init__((HOST, 0), _HTTPHandler)

    def get_request(self):
        sock, address = super().get_request()
        if self.context is not None:
            sock.settimeout(WAIT)
            sock = self.context.wrap_socket(sock, server_side=True)
        return sock, address

    def handle_error(self, request, client_address):
        pass        # a client refusing our certificate is not a test failure

    @property
    def port(self) -> int:
        return self.server_address[1]


def http_server(routes: dict, context: ssl.SSLContext | None = None):
    """routes: {path: (status, [(header, value)...])}; anything else is 404."""
    return serving(_HTTPServer(routes, context))


# --- DNS ------------------------------------------------------------------------------------

def dns_server(zone: str, servfail: tuple[str, ...] = ()):
    """A UDP DNS server (dnslib) answering from `zone`: NXDOMAIN for names not in it, an empty
    answer for a name without the type asked, CNAMEs followed, SERVFAIL for `servfail`."""
    from dnslib import QTYPE, RCODE, RR
    from dnslib.server import BaseResolver, DNSLogger, DNSServer

    records = RR.fromZone(zone)

    class Zone(BaseResolver):
        def resolve(self, request, handler):
            reply = request.reply()
            name, qtype = request.q.qname, request.q.qtype
            if str(name).rstrip(".") in servfail:
                reply.header.rcode = RCODE.SERVFAIL
                return reply
            if not any(rr.rname == name for rr in records):
                reply.header.rcode = RCODE.NXDOMAIN
                return reply
            for _ in range(5):
                alias = [rr for rr in records if rr.rname == name and rr.rtype == QTYPE.CNAME]
                if not alias or qtype == QTYPE.CNAME:
                    break
                reply.add_answer(alias[0])
                name = alias[0].rdata.label
            for rr in records:
                if rr.rname == name and rr.rtype == qtype:
                    reply.add_answer(rr)
            return reply

    quiet = DNSLogger("-recv,-send,-request,-reply,-truncated,-error,-data")
    server = DNSServer(Zone(), address=HOST, port=0, logger=quiet)

    @contextmanager
    def running():
        server.start_thread()
        try:
            server.port = server.server.server_address[1]
            yield server
        finally:
            server.stop()
            server.server.server_close()
    return running()


@contextmanager
def silent_udp_port():
    """A UDP port that receives and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((HOST, 0))
        yield sock.getsockname()[1]
