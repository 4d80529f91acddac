"""The browser extension's test bench: Debian's Chromium with the unpacked extension loaded, and
the platforms' hosts mapped by Chromium's host-resolver rules to a local stand-in that speaks TLS
with a throwaway self-signed certificate, so that no page leaves the machine."""

from __future__ import annotations

import datetime
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from .conftest import CHROMIUM, ROOT

EXTENSION = ROOT / "extension"
STAND_IN_TITLE = "Stand-in platform page"
#: The hosts mapped to the stand-in; every other name resolves to nothing.
MAPPED = ("facebook.com", "*.facebook.com", "instagram.com", "*.instagram.com")


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for the mapped hosts, made for this run and thrown away with it."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "stand-in.test")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(h) for h in MAPPED]), False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "stand-in.pem", folder / "stand-in.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class _StandIn(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path == "/favicon.ico":
            self.send_error(404)
            return
        self.server.requests.append(self.headers.get("Host", "") + self.path)
        body = (
            f"<!doctype html><html lang='en'><head><title>{STAND_IN_TITLE}</title></head>"
            f"<body><h1>{STAND_IN_TITLE}</h1><p id='path'>{self.path}</p></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@dataclass
class StandIn:
    port: int
    requests: list[str]


@pytest.fixture(scope="session")
def platform_stand_in(tmp_path_factory) -> Iterator[StandIn]:
    """An HTTPS server on 127.0.0.1 that answers for every platform page the tests open."""
    cert_file, key_file = self_signed(tmp_path_factory.mktemp("tls"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StandIn)
    server.requests = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, name="stand-in", daemon=True)
    thread.start()
    yield StandIn(server.server_port, server.requests)
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def extension_context(playwright, platform_stand_in, tmp_path):
    """Chromium with the unpacked extension, headless, in a fresh profile; the worker's URL
    gives the extension's id."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (never `playwright install`)")
    platform_stand_in.requests.clear()
    port = platform_stand_in.port
    rules = ", ".join(f"MAP {host} 127.0.0.1:{port}" for host in MAPPED)
    rules += ", MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        headless=True,
        ignore_https_errors=True,
        viewport={"width": 1280, "height": 900},
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            f"--disable-extensions-except={EXTENSION}",
            f"--load-extension={EXTENSION}",
            f"--host-resolver-rules={rules}",
        ],
    )
    yield context
    context.close()


def extension_worker(context):
    workers = context.service_workers or [context.wait_for_event("serviceworker")]
    return workers[0]


def extension_id(context) -> str:
    return extension_worker(context).url.split("/")[2]
