"""Every package's tables, imported together so that the mappers and Alembic see one schema."""

from ripa_guard.accounts import models as accounts_models  # noqa: F401
from ripa_guard.applications import models as applications_models  # noqa: F401
from ripa_guard.core import idempotency as idempotency_models  # noqa: F401
from ripa_guard.core import models as core_models  # noqa: F401
from ripa_guard.council import models as council_models  # noqa: F401
from ripa_guard.notifications import models as notifications_models  # noqa: F401
from ripa_guard.oversight import models as oversight_models  # noqa: F401
from ripa_guard.oversight import reconciliation_models  # noqa: F401
from ripa_guard.viewing import capture_models  # noqa: F401
from ripa_guard.viewing import models as viewing_models  # noqa: F401
