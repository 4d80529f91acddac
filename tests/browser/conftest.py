"""Browser tests: the app under a real WSGI server on 127.0.0.1, driven by Debian's Chromium.

`make test-browser` runs them; a plain `pytest` leaves them out (see tests/conftest.py).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from ripa_guard.accounts.models import Role

from .visit import Visit

ROOT = Path(__file__).resolve().parents[2]
#: Debian's Chromium, installed by .ci/run; Playwright never downloads a browser of its own.
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
README_SCREENSHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (never `playwright install`)")
    return {
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A laptop-sized window; pictures of each step are taken at this size.
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The test app (its database, CSRF on) served by werkzeug on a free port of 127.0.0.1."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """pytest-playwright gives every browser context this base URL."""
    return live_server


@pytest.fixture
def visit(page) -> Iterator[Callable[[str], Visit]]:
    """visit("journey-name") -> a Visit: the page, checked and photographed at every step."""
    visits: list[Visit] = []
    # RIPA_GUARD_README_SCREENSHOTS=1 also refreshes the README's pictures in docs/screenshots/.
    readme = README_SCREENSHOTS if os.environ.get("RIPA_GUARD_README_SCREENSHOTS") == "1" else None

    def start(journey: str) -> Visit:
        v = Visit(page, SCREENSHOTS / journey, readme)
        visits.append(v)
        return v

    yield start
    for v in visits:
        v.finish()


@pytest.fixture
def people(create_user) -> dict:
    """One person in each role the journeys need; each one's password is tests.conftest.PASSWORD."""
    return {
        "officer": create_user(Role.OFFICER, name="Olive Oakes", grade="Trading Standards Officer"),
        "authoriser": create_user(
            Role.AUTHORISING_OFFICER,
            name="Arthur Ash",
            grade="Head of Regulatory Services",
            service="Regulatory Services",
        ),
        "coordinator": create_user(
            Role.COORDINATOR, name="Cora Cobb", grade="RIPA Coordinator", service="Legal Services"
        ),
        "sro": create_user(
            Role.SRO, name="Sam Senior", grade="Director of Law and Governance", service="Legal"
        ),
        "inspector": create_user(
            Role.INSPECTOR, name="Ivor Ince", grade="Inspector, IPCO", service="IPCO"
        ),
    }
