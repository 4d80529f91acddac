"""Packs the browser extension (extension/) for a council: its server address written in.

The zip holds extension/ as it is, with two changes: config.json names the council's server and
carries the listed platforms (law/profile_identity.py, the one list), so that the extension stands
in front of them from its first start, before it has asked the server; and manifest.json's
homepage_url is the server. A council's IT can still set the address by policy (managed storage,
extension/schema.json), which wins over the packed one (README, "The browser extension").
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import with_appcontext

from ripa_guard.law import profile_identity

#: extension/ beside the package, in a checkout or an unpacked source distribution.
SOURCE = Path(__file__).resolve().parents[2] / "extension"
#: Written in by the packing, never kept in extension/ itself.
PACKED_FILES = ("config.json", "manifest.json")


class PackingProblem(ValueError):
    """Why the extension could not be packed, in words for the person running the command."""


def server_address(text: str) -> str:
    """The server's address as the extension needs it: scheme and host (and port), no path."""
    parts = urlsplit((text or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PackingProblem(
            f"The server address must be like https://ripa.council.gov.uk, not {text!r}"
        )
    path = parts.path.rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{path}"


def platform_list() -> list[dict]:
    hosts = profile_identity.platform_hosts()
    return [
        {"id": slug, "name": name, "hosts": hosts[slug]}
        for slug, name in profile_identity.PLATFORM_NAMES.items()
    ]


def pack_extension(
    output: Path, server: str, source: Path = SOURCE, update_url: str | None = None
) -> list[str]:
    """Write the extension to `output` (a zip) with `server` written in; the names packed.
    `update_url`: where a self-hosted update manifest is (README), for packing as a CRX."""
    address = server_address(server)
    manifest_file = source / "manifest.json"
    if not manifest_file.is_file():
        raise PackingProblem(f"No extension to pack: {manifest_file} is missing")
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest["homepage_url"] = address
    if update_url:
        manifest["update_url"] = server_address(update_url)
    config = {"server": address, "platforms": platform_list()}
    names = []
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as packed:
        packed.writestr("manifest.json", json.dumps(manifest, indent=2) + "\n")
        packed.writestr("config.json", json.dumps(config, indent=2) + "\n")
        names += list(PACKED_FILES)
        for path in sorted(source.rglob("*")):
            name = path.relative_to(source).as_posix()
            if path.is_dir() or name in PACKED_FILES or name.startswith("."):
                continue
            packed.write(path, name)
            names.append(name)
    return names


@click.command("extension")
@click.option(
    "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The zip"
)
@click.option("--server", default=None, help="The server's address; default: SERVICE_URL")
@click.option("--update-url", default=None, help="A self-hosted update manifest's address")
@with_appcontext
def extension(output: Path, server: str | None, update_url: str | None) -> None:
    """Pack the browser extension with the council's server address written in."""
    address = server or current_app.config.get("SERVICE_URL") or ""
    try:
        names = pack_extension(output, address, update_url=update_url)
    except PackingProblem as problem:
        raise click.ClickException(str(problem)) from problem
    click.echo(f"Packed {len(names)} files into {output}, for {server_address(address)}")
    click.echo("Force-install it by policy: README, 'The browser extension'.")
