"""The search index: one row per published lesson or drill, written at publish time.

``search_entries`` holds what the results page shows (title, plain text for the
snippet) and the segmented words. The full-text index proper depends on the
database:

* SQLite: the FTS5 table ``search_fts`` (rowid = entry id; columns title,
  objectives, body, grams), created with the table (see `create_fts`);
* PostgreSQL: the ``tsv`` column (weights A title, B objectives, C body,
  D single characters) with a GIN index.

Whether a result may be shown is decided at query time by joining the live
``modules``/``scenarios`` row (published), never by the index alone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, Index, String, Text, UniqueConstraint, event
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from academy.dbtypes import UTCDateTime
from academy.extensions import db
from academy.timeutil import utcnow

#: lesson (a module) or drill (a scenario)
LESSON = "lesson"
DRILL = "drill"

FTS_TABLE = "search_fts"
CREATE_FTS = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "title, objectives, body, grams, tokenize = 'unicode61 remove_diacritics 2')"
)
DROP_FTS = f"DROP TABLE IF EXISTS {FTS_TABLE}"


class SearchEntry(db.Model):
    __tablename__ = "search_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(120))  # modules.key or scenarios.slug
    source_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    # What the snippet is cut from: objectives and body as plain text (no markup).
    text: Mapped[str] = mapped_column(Text)
    # Segmented words (space separated), the same on both databases.
    title_terms: Mapped[str] = mapped_column(Text)
    objectives_terms: Mapped[str] = mapped_column(Text)
    body_terms: Mapped[str] = mapped_column(Text)
    grams: Mapped[str] = mapped_column(Text)
    tsv: Mapped[str | None] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"))
    indexed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("kind", "key", name="uq_search_entries_kind_key"),
        Index("ix_search_entries_tsv", "tsv", postgresql_using="gin"),
    )

    def __repr__(self) -> str:
        return f"<SearchEntry {self.kind}:{self.key}>"


# create_all / drop_all (tests, `academy init` on a new SQLite file) build the FTS table too.
event.listen(SearchEntry.__table__, "after_create", DDL(CREATE_FTS).execute_if(dialect="sqlite"))
event.listen(SearchEntry.__table__, "before_drop", DDL(DROP_FTS).execute_if(dialect="sqlite"))


def include_in_autogenerate(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's comparison skips the FTS5 table and its shadow tables (not in the models)."""
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLE))
