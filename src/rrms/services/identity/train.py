"""`rrms link-train`: train the linkage model on a site's own data, as a new version.

The model shipped with RRMS learnt from a synthetic register. A site whose lists and
register differ (other sending states, other spelling habits, more or fewer
duplicates) trains its own: on its register (an administrator's audited read of
every person but those of confidential cases) or on a file in the list form.
Training needs no labels: expectation maximisation finds the matches by itself.
The result is a new model file under a version of the site's choosing; the shipped
model is never changed, and `rrms link --model FILE` (or `RRMS_LINKAGE_MODEL`) uses
the new one.
"""

from __future__ import annotations

from pathlib import Path

from rrms.domain.messages import N_
from rrms.services.core import audit
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import Forbidden
from rrms.services.identity.engine import train
from rrms.services.identity.link import register_records
from rrms.services.identity.model import LinkageModel, check_version, shipped_model
from rrms.services.identity.records import read_identity_list
from rrms.storage.unit_of_work import UnitOfWork

__all__ = ["train_on_file", "train_on_register"]


def train_on_file(
    path: Path, *, name: str, version: str, engine: str = "duckdb", threshold: float | None = None
) -> LinkageModel:
    """A model trained on the records of one list (in the manifest form)."""
    check_version(version)
    listed = read_identity_list(path)
    return train(
        listed.records,
        name=name,
        version=version,
        threshold=threshold or shipped_model().threshold,
        source=f"file {listed.name}",
        engine=engine,
    )


def train_on_register(
    uow: UnitOfWork,
    actor: Actor,
    *,
    name: str,
    version: str,
    engine: str = "duckdb",
    threshold: float | None = None,
) -> LinkageModel:
    """A model trained on the register's persons; administrators only, audited."""
    authorize(actor, "persons", "read")
    if actor.role != "administrator":
        raise Forbidden(N_("only an administrator may train the linkage model on the register"))
    check_version(version)
    records = register_records(uow)
    model = train(
        records,
        name=name,
        version=version,
        threshold=threshold or shipped_model().threshold,
        source="register",
        engine=engine,
    )
    audit.record(
        uow,
        actor,
        "read",
        "persons",
        "linkage-training",
        after={"persons": len(records), "model": model.label},
    )
    uow.commit()
    return model
