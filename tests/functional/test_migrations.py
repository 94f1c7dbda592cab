"""The migrations produce exactly the models' schema (what `alembic check` checks)."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bassin_cms.models import Base


def test_no_drift_between_models_and_migrations(dbengine):
    with dbengine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
