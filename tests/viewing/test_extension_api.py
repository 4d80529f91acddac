"""What the browser extension needs of the server (issue 16): the listed platforms and their
hosts from the one list, the officer's investigations with their subjects, and the extension
packed with the council's server address by `ripa-guard extension`."""

# Fixtures are imported from viewing_setup, so test arguments share their names.
# ruff: noqa: F811

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from datetime import date

import pytest

from ripa_guard.accounts.models import User
from ripa_guard.core import db
from ripa_guard.law import profile_identity
from ripa_guard.viewing import investigations
from ripa_guard.viewing.extension_package import SOURCE, PackingProblem, pack_extension
from tests.viewing.test_viewing_api import make_token
from tests.viewing_setup import PROFILE_URL, SUBJECT


def get(client, path, token):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.client.get(path, headers=headers)


def test_the_platforms_come_from_the_identity_rules_with_every_host(client, app, officer):
    answer = get(client, "/api/v1/platforms", make_token(app, officer)).get_json()
    platforms = {p["id"]: p for p in answer["platforms"]}
    assert set(platforms) == set(profile_identity.PLATFORM_NAMES)
    assert platforms["facebook"]["name"] == "Facebook"
    assert {"facebook.com", "fb.com"} <= set(platforms["facebook"]["hosts"])
    assert {"twitter.com", "x.com"} <= set(platforms["x"]["hosts"])
    every_host = {h for p in answer["platforms"] for h in p["hosts"]}
    assert every_host == set(profile_identity.DOMAINS)


@pytest.mark.parametrize("token", [None, "rgv_not-a-real-token"])
def test_the_platforms_need_a_token_that_works(client, token):
    response = get(client, "/api/v1/platforms", token)
    assert response.status_code == 401
    assert "token" in response.get_json()["error"]


@pytest.mark.parametrize(
    ("url", "profile"),
    [
        ("https://www.facebook.com/", False),
        ("https://www.facebook.com/login", False),
        ("https://www.facebook.com/search/top?q=bargain%20bags", False),
        ("https://www.instagram.com/explore/", False),
        (PROFILE_URL, True),
        ("https://m.facebook.com/BargainBags.Example?fbclid=x", True),
        ("https://shop.example.net/about", False),
    ],
)
def test_the_gate_asks_only_about_addresses_that_name_a_profile(client, app, officer, url, profile):
    response = client.client.post(
        "/api/v1/addresses",
        json={"url": url},
        headers={"Authorization": f"Bearer {make_token(app, officer)}"},
    )
    assert response.status_code == 200
    assert response.get_json()["profile"] is profile


def test_asking_about_an_address_needs_a_token_and_an_address(client, app, officer):
    assert client.client.post("/api/v1/addresses", json={"url": PROFILE_URL}).status_code == 401
    response = client.client.post(
        "/api/v1/addresses",
        json={},
        headers={"Authorization": f"Bearer {make_token(app, officer)}"},
    )
    assert response.status_code == 400
    assert response.get_json()["fields"]["url"] == "Enter the web address"


def test_the_officers_investigations_carry_their_subjects_for_the_extension(client, app, officer):
    with app.app_context():
        s = db.session()
        opened = investigations.open_investigation(
            s,
            s.get(User, officer.id),
            reference="TS/2026/0412",
            title="Counterfeit handbags",
            offences="Trade Marks Act 1994 s.92",
            subjects=[investigations.SubjectGiven(SUBJECT, [PROFILE_URL])],
            officer_ids=[],
            today=date(2026, 1, 1),
        )
        opened_id = opened.id
    answer = get(client, "/api/v1/investigations", make_token(app, officer)).get_json()
    (listed,) = answer["investigations"]
    assert listed["id"] == opened_id and listed["case_reference"] == "TS/2026/0412"
    assert listed["subjects"] == [{"name": SUBJECT, "addresses": [PROFILE_URL]}]


def test_the_packed_extension_names_the_councils_server_and_the_platforms(tmp_path):
    output = tmp_path / "ripa-guard-extension.zip"
    names = pack_extension(output, "https://ripa.borsetshire.gov.uk/")
    with zipfile.ZipFile(output) as packed:
        assert sorted(packed.namelist()) == sorted(names)
        manifest = json.loads(packed.read("manifest.json"))
        config = json.loads(packed.read("config.json"))
        assert {"background.js", "gate.html", "schema.json", "options.html"} <= set(names)
    assert manifest["manifest_version"] == 3
    assert manifest["homepage_url"] == "https://ripa.borsetshire.gov.uk"
    assert manifest["storage"]["managed_schema"] == "schema.json"
    assert config["server"] == "https://ripa.borsetshire.gov.uk"
    hosts = {h for p in config["platforms"] for h in p["hosts"]}
    assert hosts == set(profile_identity.DOMAINS)


@pytest.mark.parametrize("address", ["", "ripa.borsetshire.gov.uk", "ftp://ripa.example"])
def test_packing_refuses_an_address_that_is_not_a_web_address(tmp_path, address):
    with pytest.raises(PackingProblem, match="server address must be like"):
        pack_extension(tmp_path / "x.zip", address)


def test_the_extension_command_packs_with_the_server_given_or_the_service_url(app, tmp_path):
    runner = app.test_cli_runner()
    output = tmp_path / "packed.zip"
    result = runner.invoke(args=["extension", "--output", str(output)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(output) as packed:
        assert json.loads(packed.read("config.json"))["server"] == app.config["SERVICE_URL"]
    result = runner.invoke(
        args=["extension", "--output", str(output), "--server", "https://ripa.example.gov.uk"]
    )
    assert result.exit_code == 0, result.output
    assert "https://ripa.example.gov.uk" in result.output
    with zipfile.ZipFile(output) as packed:
        manifest = json.loads(packed.read("manifest.json"))
    assert manifest["homepage_url"] == "https://ripa.example.gov.uk"
    assert "update_url" not in manifest
    update = "https://intranet.borsetshire.gov.uk/ripa-guard/updates.xml"
    result = runner.invoke(args=["extension", "--output", str(output), "--update-url", update])
    with zipfile.ZipFile(output) as packed:
        assert json.loads(packed.read("manifest.json"))["update_url"] == update
    bad = runner.invoke(args=["extension", "--output", str(output), "--server", "nonsense"])
    assert bad.exit_code != 0 and "server address must be like" in bad.output


def test_the_tokens_page_tells_the_officer_how_to_sign_in_the_extension(client, officer):
    client.sign_in(officer)
    text = client.get("/viewings/tokens").get_text(" ")
    assert "Signing in the RIPA guard browser extension" in text
    assert "http://localhost" in text  # the server's address, to type in if it asks


def test_every_file_the_manifest_names_is_in_the_extension():
    manifest = json.loads((SOURCE / "manifest.json").read_text(encoding="utf-8"))
    named = [
        manifest["background"]["service_worker"],
        manifest["options_ui"]["page"],
        manifest["action"]["default_popup"],
        manifest["storage"]["managed_schema"],
        *[r for entry in manifest["web_accessible_resources"] for r in entry["resources"]],
    ]
    assert [name for name in named if not (SOURCE / name).is_file()] == []
    schema = json.loads((SOURCE / "schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["server"]["type"] == "string"


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is needed to parse the scripts")
@pytest.mark.parametrize("script", sorted(p.name for p in SOURCE.glob("*.js")))
def test_the_extensions_scripts_parse_as_modules(script):
    checked = subprocess.run(
        ["node", "--experimental-default-type=module", "--check", str(SOURCE / script)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr


def test_listing_investigations_with_subjects_costs_the_same_for_one_or_many(
    client, app, officer, count_queries
):
    def open_some(first: int, how_many: int) -> None:
        with app.app_context():
            s = db.session()
            for n in range(first, first + how_many):
                investigations.open_investigation(
                    s,
                    s.get(User, officer.id),
                    reference=f"TS/2026/{n:04d}",
                    title="Counterfeit handbags",
                    offences="Trade Marks Act 1994 s.92",
                    subjects=[investigations.SubjectGiven(f"Seller {n}", [PROFILE_URL])],
                    officer_ids=[],
                    today=date(2026, 1, 1),
                )

    token = make_token(app, officer)
    open_some(1, 1)
    with count_queries() as one:
        assert len(get(client, "/api/v1/investigations", token).get_json()["investigations"]) == 1
    open_some(2, 9)
    with count_queries() as ten:
        assert len(get(client, "/api/v1/investigations", token).get_json()["investigations"]) == 10
    print(f"\nGET /api/v1/investigations: {one.count} queries for 1, {ten.count} for 10")
    assert ten.count == one.count
