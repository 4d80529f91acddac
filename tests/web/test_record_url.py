"""record_url builds a record's address as url_for does, from a pattern it keeps."""

from __future__ import annotations

import pytest
from flask import url_for

from ripa_guard.web import fixed_url, record_url


@pytest.mark.parametrize("root", ["http://localhost/", "http://localhost/council/ripa/"])
def test_record_url_gives_url_for_s_address_under_any_root(app, root):
    with app.test_request_context("/", base_url=root):
        for application_id, renewal_id in [(1, 2), (7, 7), (123456, 70000000000001)]:
            assert record_url(
                "authorisations.decide_renewal",
                application_id=application_id,
                renewal_id=renewal_id,
            ) == url_for(
                "authorisations.decide_renewal",
                application_id=application_id,
                renewal_id=renewal_id,
            )
        assert record_url("investigations.show", investigation_id=9) == url_for(
            "investigations.show", investigation_id=9
        )
        assert fixed_url("register.index") == url_for("register.index")


def test_record_url_takes_only_whole_numbers(app):
    with app.test_request_context("/"), pytest.raises(ValueError):
        record_url("investigations.show", investigation_id="1/../../admin")
