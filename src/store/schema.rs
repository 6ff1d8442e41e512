//! The schema, as numbered migrations keyed on `PRAGMA user_version`.
//!
//! Migration N takes a file from version N to N+1. A file is stamped with
//! [`APPLICATION_ID`] so that a foreign SQLite file is never mistaken for ours.

/// `PRAGMA application_id` of our files: "MALG" in ASCII.
pub const APPLICATION_ID: i32 = 0x4D41_4C47;

/// The schema version this program writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// Migrations in order; `MIGRATIONS[0]` creates version 1.
pub const MIGRATIONS: &[&str] = &[
    V1,
    V2,
    V3_COVERAGE,
    V4_HISTORY,
    V5_THEMES,
    V6_IDENTITY,
    V7_HISTORY_NEWEST,
];

/// Breakdown cells are kept on their group's row, one JSON array per
/// breakdown (`[31, 17]`, `null` for a blank cell, the column NULL when the
/// whole breakdown is blank) in the order of the survey's categories. One row
/// per group keeps import and load within their targets: one row per cell
/// (316,000 rows for a national survey) cost more to insert than the whole
/// import may take. SQLite's `json_each` still reaches every cell from SQL.
/// There is no CHECK on the arrays: it made SQLite parse every array on
/// insert (7 % of an import), and the loader refuses a malformed one anyway.
const V1: &str = r#"
CREATE TABLE survey (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    region  TEXT NOT NULL,
    period  TEXT NOT NULL,
    note    TEXT,
    about   TEXT
);

CREATE TABLE municipality (
    id        INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL,
    UNIQUE (survey_id, position),
    UNIQUE (survey_id, name)
);

CREATE TABLE authority (
    id        INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL,
    UNIQUE (survey_id, position),
    UNIQUE (survey_id, name)
);

CREATE TABLE band (
    survey_id INTEGER NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
    dimension INTEGER NOT NULL CHECK (dimension BETWEEN 0 AND 2),
    position  INTEGER NOT NULL,
    label     TEXT NOT NULL,
    PRIMARY KEY (survey_id, dimension, position),
    UNIQUE (survey_id, dimension, label)
) WITHOUT ROWID;

CREATE TABLE unit (
    id                  INTEGER PRIMARY KEY,
    survey_id           INTEGER NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    municipality_id     INTEGER REFERENCES municipality(id),
    area                TEXT,
    authority_id        INTEGER NOT NULL REFERENCES authority(id),
    name                TEXT NOT NULL,
    collaboration_today TEXT,
    preventive_measures TEXT,
    note                TEXT,
    CHECK ((municipality_id IS NULL) <> (area IS NULL))
);
CREATE INDEX unit_by_survey ON unit(survey_id, position);
CREATE INDEX unit_by_municipality ON unit(municipality_id);
CREATE INDEX unit_by_authority ON unit(authority_id);

CREATE TABLE key_figure (
    unit_id  INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name     TEXT NOT NULL,
    value    INTEGER NOT NULL CHECK (value >= 0),
    PRIMARY KEY (unit_id, position)
) WITHOUT ROWID;

-- The unit's own printed "Total" row, when it gave one.
CREATE TABLE reported_total (
    unit_id  INTEGER PRIMARY KEY REFERENCES unit(id) ON DELETE CASCADE,
    count    INTEGER CHECK (count >= 0),
    sex      TEXT,
    age      TEXT,
    duration TEXT,
    also_at  TEXT
);

CREATE TABLE target_group (
    id        INTEGER PRIMARY KEY,
    unit_id   INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    rank      INTEGER NOT NULL CHECK (rank >= 1),
    label     TEXT NOT NULL,
    count     INTEGER CHECK (count >= 0),
    estimated INTEGER NOT NULL DEFAULT 0 CHECK (estimated IN (0, 1)),
    sex       TEXT,
    age       TEXT,
    duration  TEXT,
    also_at   TEXT,
    note      TEXT
);
CREATE INDEX target_group_by_unit ON target_group(unit_id, position);

CREATE TABLE extra_table (
    id       INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES target_group(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title    TEXT NOT NULL
);
CREATE INDEX extra_table_by_group ON extra_table(group_id, position);

-- axis 0: row labels, axis 1: column labels.
CREATE TABLE extra_label (
    table_id INTEGER NOT NULL REFERENCES extra_table(id) ON DELETE CASCADE,
    axis     INTEGER NOT NULL CHECK (axis IN (0, 1)),
    position INTEGER NOT NULL,
    label    TEXT NOT NULL,
    PRIMARY KEY (table_id, axis, position)
) WITHOUT ROWID;

CREATE TABLE extra_cell (
    table_id INTEGER NOT NULL REFERENCES extra_table(id) ON DELETE CASCADE,
    row      INTEGER NOT NULL,
    col      INTEGER NOT NULL,
    value    INTEGER NOT NULL CHECK (value >= 0),
    PRIMARY KEY (table_id, row, col)
) WITHOUT ROWID;
"#;

/// Version 2: review marks. A mark names its finding by group position
/// (NULL for the unit's printed total row), subject (`count`,
/// `breakdown:1`, `category:3:2`, `extra:0`), kind and number; it goes
/// with its unit.
const V2: &str = r#"
CREATE TABLE review (
    unit_id        INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    group_position INTEGER CHECK (group_position >= 0),
    subject        TEXT NOT NULL,
    kind           TEXT NOT NULL,
    amount         INTEGER,
    comment        TEXT NOT NULL
);
CREATE INDEX review_by_unit ON review(unit_id);
"#;

/// Double entry and coverage: a unit's verification (who, when, how many
/// cells differed, a digest of the numbers as verified; it goes with its
/// unit), and the units the frame plans to survey, by name, place and
/// authority.
const V3_COVERAGE: &str = r#"
CREATE TABLE verification (
    unit_id  INTEGER PRIMARY KEY REFERENCES unit(id) ON DELETE CASCADE,
    user     TEXT NOT NULL,
    time     TEXT NOT NULL,
    differed INTEGER NOT NULL CHECK (differed >= 0),
    digest   INTEGER NOT NULL
);

CREATE TABLE planned_unit (
    id              INTEGER PRIMARY KEY,
    survey_id       INTEGER NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    name            TEXT NOT NULL,
    municipality_id INTEGER REFERENCES municipality(id),
    area            TEXT,
    authority_id    INTEGER NOT NULL REFERENCES authority(id),
    CHECK ((municipality_id IS NULL) <> (area IS NULL))
);
CREATE INDEX planned_unit_by_survey ON planned_unit(survey_id, position);
"#;

/// The change history: one row per field changed, appended in the same
/// transaction as the change, never rewritten (the triggers refuse). Rows
/// name the survey by id without a foreign key, so they outlive what they
/// describe (a deleted unit's history stays); unit, group and field are
/// kept by name as they were, so the history reads the same after later
/// changes. `time` is UTC, ISO 8601 with milliseconds. The index serves
/// the history of one cell and of one unit.
const V4_HISTORY: &str = r#"
CREATE TABLE history (
    id        INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL,
    time      TEXT NOT NULL,
    user      TEXT NOT NULL,
    unit      TEXT,
    rank      INTEGER,
    label     TEXT,
    field     TEXT NOT NULL,
    old       TEXT,
    new       TEXT,
    how       TEXT NOT NULL
);
CREATE INDEX history_by_cell ON history(survey_id, unit, label, field);
CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'historiken kan inte ändras i efterhand'); END;
CREATE TRIGGER history_is_append_only_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'historiken kan inte ändras i efterhand'); END;
"#;

/// Themes (gemensamma målgrupper): the frame's list, and each group's
/// themes as a JSON list of theme positions on its row (NULL when none),
/// like its breakdowns.
const V5_THEMES: &str = r#"
CREATE TABLE theme (
    survey_id INTEGER NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL,
    keywords  TEXT,
    PRIMARY KEY (survey_id, position),
    UNIQUE (survey_id, name)
) WITHOUT ROWID;
ALTER TABLE target_group ADD COLUMN themes TEXT;
"#;

/// Stable identity (docs/survey-document.md): a random id on every unit and
/// target group, the revisions each unit has had (`unit_revision`, kept
/// after the unit is deleted) and the units deleted (`unit_deleted`), so that
/// a merge can tell which side changed or deleted a unit. Existing rows get
/// ids made from their row numbers, so that two copies of one older file,
/// upgraded each on its own computer, give their units the same ids; their
/// revisions are recorded when the file is opened after the upgrade
/// (`store::identity::record_missing`).
const V6_IDENTITY: &str = r#"
ALTER TABLE unit ADD COLUMN uid TEXT;
ALTER TABLE target_group ADD COLUMN uid TEXT;
UPDATE unit SET uid = printf('%016x%016x', survey_id, id);
UPDATE target_group SET uid = printf('%016x%016x', unit_id, id);
CREATE UNIQUE INDEX unit_by_uid ON unit(survey_id, uid);

CREATE TABLE unit_revision (
    survey_id INTEGER NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
    uid       TEXT NOT NULL,
    revision  TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    PRIMARY KEY (survey_id, uid, revision)
) WITHOUT ROWID;

CREATE TABLE unit_deleted (
    survey_id INTEGER NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
    uid       TEXT NOT NULL,
    PRIMARY KEY (survey_id, uid)
) WITHOUT ROWID;
"#;

/// The history window reads the newest entries of one cell (or one unit)
/// a page at a time. `history_by_cell_newest` holds every column the window
/// reads, ordered by `id` within a cell, so a page is one contiguous run of
/// the index, newest first, without a visit to the table or a sort (the
/// history of one cell among 1,000,000 entries in a few milliseconds, see
/// BENCHMARKS.md); it replaces `history_by_cell`, its prefix.
/// `history_by_unit_newest` does the same for a unit's page. (IF EXISTS:
/// tests make older files by taking a later version's parts out again.)
const V7_HISTORY_NEWEST: &str = r#"
CREATE INDEX IF NOT EXISTS history_by_cell_newest
    ON history(survey_id, unit, label, field, id, time, user, rank, old, new, how);
DROP INDEX IF EXISTS history_by_cell;
CREATE INDEX IF NOT EXISTS history_by_unit_newest ON history(survey_id, unit, id);
"#;
