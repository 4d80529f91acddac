"""Signing in with the council's account (OpenID Connect), and the SRO's page that says which
value of the provider's roles claim gives which role."""

from __future__ import annotations

from authlib.integrations.base_client.errors import OAuthError
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from joserfc.errors import JoseError
from requests import RequestException

from ripa_guard.accounts import sign_in as security
from ripa_guard.accounts import single_sign_on as sign_on
from ripa_guard.accounts.auth import roles_required
from ripa_guard.accounts.forms import SignOnRoleForm
from ripa_guard.accounts.models import Role, SignOnRole
from ripa_guard.accounts.views import _safe_next
from ripa_guard.core import clock, db
from ripa_guard.core.fields import ConfirmForm
from ripa_guard.core.records import record_or_404

bp = Blueprint("sso", __name__)

#: Where to go after the provider sends the person back.
NEXT = "sign_on_next"


@bp.route("/sign-in/council")
def start():
    """Off to the council's provider; Authlib keeps a state and a nonce in the session."""
    if not sign_on.is_configured():
        return _not_set_up()
    # ?again=1: a signed-in person proves at the provider that they are still there.
    again = request.args.get("again") == "1" and current_user.is_authenticated
    if current_user.is_authenticated and not again:
        return redirect(url_for("main.dashboard"))
    session[NEXT] = _safe_next(request.args.get("next"))
    extra = {"prompt": "login", "max_age": 0} if again else {}
    try:
        return sign_on.client().authorize_redirect(url_for("sso.callback", _external=True), **extra)
    except RequestException:
        return _refused(_provider_silent(), 503)


@bp.route("/sign-in/council/callback")
def callback():
    """Back from the provider: the state, the ID token's signature, issuer, audience, nonce and
    expiry are checked (OpenID Connect Core 1.0 s.3.1.3.7) before anyone is let in."""
    if not sign_on.is_configured():
        return _not_set_up()
    try:
        token = sign_on.client().authorize_access_token()
    except OAuthError as error:
        current_app.logger.info("single sign-on refused: %s", error)
        return _refused(
            "The answer from your council's sign-in service did not match a sign-in started "
            "here (or it said no). Go back to the sign-in page and try again."
        )
    except JoseError as error:
        current_app.logger.info("single sign-on ID token refused: %s", error)
        return _refused(_bad_token())
    except RequestException:
        return _refused(_provider_silent(), 503)
    claims = token.get("userinfo")
    if not claims or sign_on.expired(claims, clock.now()):
        return _refused(_bad_token())
    try:
        arrival = sign_on.arrive(db.session(), dict(claims), clock.now())
    except sign_on.SignOnRefused as refusal:
        return _refused(str(refusal), 403)
    user = arrival.user
    next_url = session.pop(NEXT, None) or url_for("main.dashboard")
    if not user.roles and next_url == url_for("main.dashboard"):
        flash(
            "You are signed in. Your senior responsible officer must give you a role before "
            "you can use the service",
            "info",
        )
        next_url = url_for("account.index")
    return security.password_accepted(user, next_url)


def _not_set_up():
    flash("Signing in with your council account is not set up: use your password", "info")
    return redirect(url_for("auth.sign_in"))


def _bad_token() -> str:
    return (
        "The sign-in from your council's sign-in service could not be trusted: it was out of "
        "date or not for this sign-in. Go back to the sign-in page and try again."
    )


def _provider_silent() -> str:
    return "Your council's sign-in service did not answer. Try again in a few minutes."


def _refused(detail: str, code: int = 400):
    session.pop(NEXT, None)
    return render_template(
        "errors/error.html", code=code, title="You could not be signed in", detail=detail
    ), code


@bp.route("/admin/sign-on-roles", methods=["GET", "POST"])
@roles_required(Role.SRO)
def roles():
    """Which value of the provider's claim gives which role in ripa_guard."""
    form = SignOnRoleForm()
    if form.validate_on_submit():
        try:
            sign_on.add_mapping(
                db.session(), current_user, form.claim_value.data, Role(form.role.data)
            )
        except sign_on.SignOnRefused as error:
            form.claim_value.errors.append(str(error))
        else:
            flash(f"{form.claim_value.data} now gives its role at the next sign-in", "success")
            return redirect(url_for("sso.roles"))
    return render_template(
        "admin/sign_on_roles.html",
        form=form,
        mappings=sign_on.mappings(db.session()),
        remove_form=ConfirmForm(),
        configured=sign_on.is_configured(),
    )


@bp.route("/admin/sign-on-roles/<int:mapping_id>/remove", methods=["POST"])
@roles_required(Role.SRO)
def remove_role(mapping_id: int):
    mapping = record_or_404(SignOnRole, mapping_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    sign_on.remove_mapping(db.session(), current_user, mapping)
    flash("The mapping has been removed", "success")
    return redirect(url_for("sso.roles"))


@bp.record_once
def _register_provider(state) -> None:
    # Each app registers the provider its own settings name.
    sign_on.init_app(state.app)
