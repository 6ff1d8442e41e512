//! The survey as plain Rust: the frame, units, target groups and their
//! breakdowns. No SQL, no UI, no file I/O here.

pub mod aggregate;
pub mod check;
pub mod compare;
pub mod coverage;
pub mod duplicate;
pub mod edit;
pub mod entry;
pub mod history;
pub mod identity;
pub mod merge;
pub mod notes;
pub mod review;
pub mod summary;
pub mod themes;
pub mod validate;
pub mod verification;

use aggregate::{SurveyTotals, Totals};
use check::Finding;

use std::fmt;

/// One number cell of a form: a head count, or blank.
///
/// Stored in four bytes (blank is `u32::MAX`) because a national survey holds
/// millions of them; use [`Cell::get`] and [`Cell::new`] rather than the raw
/// value.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Cell(u32);

impl Cell {
    /// A blank cell (the unit left it empty).
    pub const BLANK: Cell = Cell(u32::MAX);
    /// The largest number a cell can hold.
    pub const MAX: u32 = u32::MAX - 1;

    /// A filled cell. Panics on `u32::MAX`, which is reserved for blank; use
    /// [`Cell::try_new`] for numbers from outside.
    pub fn new(value: u32) -> Cell {
        assert!(value <= Self::MAX, "cell value out of range");
        Cell(value)
    }

    /// A filled cell, or `None` when the number is too large to hold.
    pub fn try_new(value: u64) -> Option<Cell> {
        (value <= u64::from(Self::MAX)).then_some(Cell(value as u32))
    }

    /// A cell from an optional number.
    pub fn from_option(value: Option<u32>) -> Cell {
        value.map_or(Cell::BLANK, Cell::new)
    }

    /// The number, or `None` when blank.
    #[inline]
    pub fn get(self) -> Option<u32> {
        (self.0 != u32::MAX).then_some(self.0)
    }

    /// The number, with blank read as zero (docs/survey-document.md: a blank beside filled
    /// cells reads as zero).
    #[inline]
    pub fn or_zero(self) -> u64 {
        if self.0 == u32::MAX {
            0
        } else {
            u64::from(self.0)
        }
    }

    /// Whether the cell was left blank.
    #[inline]
    pub fn is_blank(self) -> bool {
        self.0 == u32::MAX
    }
}

impl fmt::Debug for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.get() {
            Some(v) => write!(f, "{v}"),
            None => f.write_str("_"),
        }
    }
}

impl From<Option<u32>> for Cell {
    fn from(value: Option<u32>) -> Cell {
        Cell::from_option(value)
    }
}

/// The cells of a row, in a frame's [`Layout`]. Up to 16 cells (the 2005
/// frame has 14) sit inside the row itself rather than behind a pointer:
/// checks and totals over a national survey are bound by memory latency, and
/// one pointer less per group halves their cache misses.
pub type Cells = smallvec::SmallVec<[Cell; 16]>;

/// The breakdowns every target group has, one cell per category of the
/// survey's lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    /// Sex categories (`survey.sex`).
    Sex,
    /// Age bands.
    Age,
    /// Duration bands: how long the people have been known to the unit.
    Duration,
    /// "Also current at" each authority type; these need not sum to the count.
    AlsoAt,
}

impl Dimension {
    /// All dimensions, in the order cells are laid out.
    pub const ALL: [Dimension; 4] = [
        Dimension::Sex,
        Dimension::Age,
        Dimension::Duration,
        Dimension::AlsoAt,
    ];
    /// The dimensions whose parts should add up to the group's count.
    pub const PARTS: [Dimension; 3] = [Dimension::Sex, Dimension::Age, Dimension::Duration];

    /// Position in [`Dimension::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The key used in the survey document and the command line's JSON.
    pub fn key(self) -> &'static str {
        match self {
            Dimension::Sex => "sex",
            Dimension::Age => "age",
            Dimension::Duration => "duration",
            Dimension::AlsoAt => "also_at",
        }
    }

    /// The dimension's name in Swedish, for people.
    pub fn name_sv(self) -> &'static str {
        match self {
            Dimension::Sex => "kön",
            Dimension::Age => "ålder",
            Dimension::Duration => "tid som aktuell",
            Dimension::AlsoAt => "aktuell hos",
        }
    }
}

/// The survey's frame: what was asked, of whom, in which categories. Its
/// fields are the document's `survey` object (docs/survey-document.md) as they stand.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Frame {
    /// The survey's name; unique within a database file.
    pub name: String,
    /// The region surveyed.
    pub region: String,
    /// The period of the survey, as text ("januari-mars 2005").
    pub period: String,
    /// Municipalities, in report order.
    pub municipalities: Vec<String>,
    /// Authority types, in order; also the order of `also_at`.
    pub authorities: Vec<String>,
    /// Sex categories.
    pub sex: Vec<String>,
    /// Age band labels.
    pub age_bands: Vec<String>,
    /// Duration band labels.
    pub duration_bands: Vec<String>,
    /// A note on the frame.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The units planned to be surveyed (optional; docs/survey-document.md).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub planned_units: Vec<coverage::PlannedUnit>,
    /// Themes (gemensamma målgrupper) the groups of all units may carry, in
    /// report order; groups refer to them by position.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<Theme>,
}

/// A theme shared across units ("Arbetslösa unga"), with words that suggest
/// it for a group whose label holds one of them.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// The theme's name, unique within the frame.
    pub name: String,
    /// Words that suggest the theme (never applied without the user's word).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
}

impl Frame {
    /// The category labels of a dimension.
    pub fn labels(&self, dimension: Dimension) -> &[String] {
        match dimension {
            Dimension::Sex => &self.sex,
            Dimension::Age => &self.age_bands,
            Dimension::Duration => &self.duration_bands,
            Dimension::AlsoAt => &self.authorities,
        }
    }

    /// The cell layout of groups in this frame.
    pub fn layout(&self) -> Layout {
        Layout::new([
            self.sex.len(),
            self.age_bands.len(),
            self.duration_bands.len(),
            self.authorities.len(),
        ])
    }
}

/// How the cells of all dimensions are laid out in one flat slice: sex, then
/// age, duration and also-at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    starts: [usize; 5],
}

impl Layout {
    /// A layout with the given number of categories per dimension.
    pub fn new(lens: [usize; 4]) -> Layout {
        let mut starts = [0; 5];
        for i in 0..4 {
            starts[i + 1] = starts[i] + lens[i];
        }
        Layout { starts }
    }

    /// Total number of cells.
    pub fn len(&self) -> usize {
        self.starts[4]
    }

    /// Whether there are no cells at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Cells of a dimension.
    pub fn range(&self, dimension: Dimension) -> std::ops::Range<usize> {
        let i = dimension.index();
        self.starts[i]..self.starts[i + 1]
    }

    /// Number of categories of a dimension.
    pub fn dim_len(&self, dimension: Dimension) -> usize {
        self.range(dimension).len()
    }

    /// An all-blank set of cells.
    pub fn blank(&self) -> Cells {
        smallvec::smallvec![Cell::BLANK; self.len()]
    }
}

/// Where a unit works: one municipality, or a region-wide area.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    /// Index into `frame.municipalities`.
    Municipality(usize),
    /// A unit that covers several municipalities or the whole region.
    Area(String),
}

/// One responding unit: one authority's office or team.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// The unit's stable id; renaming keeps it.
    pub id: identity::Id,
    /// The revisions the unit has had in its file (for merging).
    pub lineage: identity::Lineage,
    /// The municipality or area covered.
    pub place: Place,
    /// Index into `frame.authorities`.
    pub authority: usize,
    /// The unit's name as the report prints it.
    pub name: String,
    /// Open answer: how collaboration works today.
    pub collaboration_today: Option<String>,
    /// Open answer: wished preventive measures.
    pub preventive_measures: Option<String>,
    /// A note on the unit.
    pub note: Option<String>,
    /// Named numbers the unit gave, never added into totals.
    pub key_figures: Vec<KeyFigure>,
    /// The ranked target groups, in the unit's order.
    pub groups: Vec<TargetGroup>,
    /// The unit's own printed "Total" row, when it gave one.
    pub reported_totals: Option<Row>,
    /// Findings a reviewer has checked with the unit.
    pub reviews: Vec<review::Review>,
    /// Double entry: who verified the unit, when (see [`verification`]).
    pub verification: Option<verification::Verification>,
}

impl Unit {
    /// A new unit with nothing entered yet: a fresh id, its name, authority
    /// and place.
    pub fn empty(name: String, authority: usize, place: Place) -> Unit {
        Unit {
            id: identity::Id::random(),
            lineage: Default::default(),
            place,
            authority,
            name,
            collaboration_today: None,
            preventive_measures: None,
            note: None,
            key_figures: Vec::new(),
            groups: Vec::new(),
            reported_totals: None,
            reviews: Vec::new(),
            verification: None,
        }
    }
}

/// A named number a unit gave ("Listade personer": 7711).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyFigure {
    /// What is counted.
    pub name: String,
    /// The number.
    pub value: u64,
}

/// A count with its breakdowns, in the frame's [`Layout`]: a target group's
/// numbers, or a unit's printed total row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Number of people, blank when not given.
    pub count: Cell,
    /// Cells of all dimensions, laid out by the frame's [`Layout`].
    pub cells: Cells,
}

/// The sum of the filled cells of sex, age and duration, `None` where a
/// breakdown is all blank. Checks and totals both start from these; the app
/// computes them once per group.
pub type PartSums = [Option<u64>; 3];

/// Sum of the filled cells, `None` when all are blank.
#[inline]
pub fn filled_sum(cells: &[Cell]) -> Option<u64> {
    // Without branches: blank and filled cells are mixed at random in real
    // forms, and a mispredicted branch per cell cost more than the sum.
    let mut filled = 0u32;
    let mut sum = 0u64;
    for c in cells {
        filled += u32::from(!c.is_blank());
        sum += c.or_zero();
    }
    (filled > 0).then_some(sum)
}

impl Row {
    /// The sums of the parts that should add up to the count.
    #[inline]
    pub fn part_sums(&self, layout: &Layout) -> PartSums {
        Dimension::PARTS.map(|d| filled_sum(self.part(layout, d)))
    }

    /// A row with everything blank.
    pub fn blank(layout: &Layout) -> Row {
        Row {
            count: Cell::BLANK,
            cells: layout.blank(),
        }
    }

    /// The cells of one dimension.
    pub fn part(&self, layout: &Layout, dimension: Dimension) -> &[Cell] {
        &self.cells[layout.range(dimension)]
    }

    /// The cells of one dimension, to edit.
    pub fn part_mut(&mut self, layout: &Layout, dimension: Dimension) -> &mut [Cell] {
        &mut self.cells[layout.range(dimension)]
    }
}

/// A target group a unit named, with its numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetGroup {
    /// The group's stable id; renaming keeps it.
    pub id: identity::Id,
    /// 1 is the unit's first priority.
    pub rank: u32,
    /// Free text naming the group.
    pub label: String,
    /// Whether the count is an estimate ("ca 300").
    pub estimated: bool,
    /// The count and the breakdowns.
    pub row: Row,
    /// Tables in the unit's own layout. Most groups have none; a thin vector
    /// keeps the empty case to one pointer (a national survey has millions
    /// of groups).
    pub extra: thin_vec::ThinVec<ExtraTable>,
    /// A note on the group; boxed for the same reason.
    pub note: Option<Box<str>>,
    /// The themes the group carries: positions in `frame.themes`, ascending,
    /// each once.
    pub themes: thin_vec::ThinVec<u16>,
}

/// A breakdown table in the unit's own layout, kept as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtraTable {
    /// The table's title.
    pub title: String,
    /// Row labels.
    pub rows: Vec<String>,
    /// Column labels.
    pub columns: Vec<String>,
    /// Cells, row by row (`rows.len() * columns.len()`).
    pub cells: Vec<Cell>,
}

impl ExtraTable {
    /// The cell at row `r`, column `c`.
    pub fn cell(&self, r: usize, c: usize) -> Cell {
        self.cells[r * self.columns.len() + c]
    }
}

/// A whole survey: its frame and its units.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Survey {
    /// Provenance of the data.
    pub about: Option<String>,
    /// What was asked, of whom.
    pub frame: Frame,
    /// The responding units, in order.
    pub units: Vec<Unit>,
    /// Units deleted, remembered for merging.
    pub deleted: identity::Deleted,
}

impl Survey {
    /// The cell layout of this survey's groups.
    pub fn layout(&self) -> Layout {
        self.frame.layout()
    }

    /// The name of a place for people: the municipality or the area.
    pub fn place_name<'a>(&'a self, place: &'a Place) -> &'a str {
        match place {
            Place::Municipality(m) => &self.frame.municipalities[*m],
            Place::Area(area) => area,
        }
    }

    /// The units at `place`, with their positions, in survey order.
    pub fn units_at(&self, place: &Place) -> Vec<(usize, &Unit)> {
        self.units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.place == *place)
            .collect()
    }

    /// Number of target groups in all units.
    pub fn group_count(&self) -> usize {
        self.units.iter().map(|u| u.groups.len()).sum()
    }
}

/// Everything a reviewer and a report need: the findings and the totals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Analysis {
    /// Every finding, unit by unit, group by group.
    pub findings: Vec<Finding>,
    /// Every total.
    pub totals: SurveyTotals,
}

/// Findings and totals in one pass over the groups: each group is read from
/// memory once, not once per question. Gives the same as
/// [`check::check_survey`] and [`aggregate::survey_totals`].
pub fn analyse(survey: &Survey) -> Analysis {
    let mut findings = Vec::with_capacity(survey.group_count() * 5 / 4);
    let units = analyse_units(survey, &mut findings, Vec::new());
    Analysis {
        findings,
        totals: aggregate::roll_up(survey, units),
    }
}

impl Analysis {
    /// Recomputes everything after an edit, reusing this analysis's memory
    /// (the app does this on every edit).
    pub fn recompute(&mut self, survey: &Survey) {
        self.findings.clear();
        let units = std::mem::take(&mut self.totals.units);
        let units = analyse_units(survey, &mut self.findings, units);
        self.totals = aggregate::roll_up(survey, units);
    }
}

/// Below this many groups one thread is faster than two (a thread costs
/// tens of microseconds to start).
const PARALLEL_FROM: usize = 10_000;

/// Whether this machine has a second core to share the work with.
fn two_cores() -> bool {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get())) >= 2
}

/// Checks every group into `findings` and returns the totals per unit
/// (filled into `units`, cleared first). A large survey is split in two
/// halves by groups, the second checked on another thread; the results are
/// joined in unit order, so they are the same either way.
fn analyse_units(
    survey: &Survey,
    findings: &mut Vec<Finding>,
    mut units: Vec<Totals>,
) -> Vec<Totals> {
    let layout = survey.layout();
    units.clear();
    let same = check::UnitDuplicates::of(survey);
    let same = &same;
    let groups = survey.group_count();
    let split = if groups >= PARALLEL_FROM && two_cores() {
        let mut seen = 0;
        survey
            .units
            .iter()
            .position(|u| {
                seen += u.groups.len();
                seen >= groups / 2
            })
            .map_or(survey.units.len(), |i| i + 1)
    } else {
        survey.units.len()
    };
    let (first, second) = survey.units.split_at(split);
    std::thread::scope(|scope| {
        let other = (!second.is_empty()).then(|| {
            scope.spawn(|| {
                let mut findings = Vec::with_capacity(groups * 5 / 8);
                let mut units = Vec::with_capacity(second.len());
                analyse_range(&layout, second, split, same, &mut findings, &mut units);
                (findings, units)
            })
        });
        analyse_range(&layout, first, 0, same, findings, &mut units);
        if let Some(other) = other {
            let (more_findings, more_units) = other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            findings.extend(more_findings);
            units.extend(more_units);
        }
    });
    units
}

/// Checks and totals of `units`, the first of which is unit `offset` of the
/// survey; `same` tells which units of the survey are duplicates.
fn analyse_range(
    layout: &Layout,
    units: &[Unit],
    offset: usize,
    same: &check::UnitDuplicates,
    findings: &mut Vec<Finding>,
    totals: &mut Vec<Totals>,
) {
    totals.extend(units.iter().enumerate().map(|(i, unit)| {
        let u = offset + i;
        let mut t = Totals::new(layout);
        same.check_into(u, findings);
        let ranks = check::RankDuplicates::of(unit);
        for (g, group) in unit.groups.iter().enumerate() {
            ranks.check_into(u, g, findings);
            let sums = group.row.part_sums(layout);
            t.add_group_with(group, &sums);
            check::check_group_with(layout, group, &sums, |subject, kind| {
                findings.push(Finding::in_group(u, g, subject, kind))
            });
        }
        check::check_reported_into(layout, u, unit, &t, findings);
        t
    }));
}

/// Whether a survey's frame may change from `old` to `new`. Names, region
/// and period may change freely; municipalities and authorities may be
/// renamed or added at the end, and removed from the end only when no unit
/// refers to them (units refer to them by position); authorities are also
/// the "aktuell hos" cells of every group, so their number is fixed once
/// there is data, like the bands; the sex, age and duration bands may change only while no
/// unit has a target group or a printed total row, since every cell is kept
/// by band position and would silently change meaning. The reason in
/// Swedish when refused.
pub fn check_frame_change(old: &Frame, new: &Frame, survey: &Survey) -> Result<(), String> {
    themes::check_change(&old.themes, &new.themes, survey)?;
    let used = |i: usize, municipality: bool| {
        survey.units.iter().any(|u| {
            if municipality {
                u.place == Place::Municipality(i)
            } else {
                u.authority == i
            }
        })
    };
    for (what, before, after, municipality) in [
        ("kommuner", &old.municipalities, &new.municipalities, true),
        ("myndigheter", &old.authorities, &new.authorities, false),
    ] {
        if let Some(i) = (after.len()..before.len()).find(|i| used(*i, municipality)) {
            return Err(format!(
                "{what} kan inte tas bort ur ramen när enheter hör till dem (”{}”); byt namn eller lägg till i stället",
                before[i]
            ));
        }
    }
    let has_data = survey
        .units
        .iter()
        .any(|u| !u.groups.is_empty() || u.reported_totals.is_some());
    if has_data && new.authorities.len() != old.authorities.len() {
        return Err(
            "myndigheter kan inte läggas till eller tas bort när kartläggningen har uppgifter: varje målgrupp har en cell ”aktuell hos” per myndighet. Byt namn, eller exportera, ändra dokumentet och importera"
                .to_owned(),
        );
    }
    if has_data {
        for (d, after) in [
            (Dimension::Sex, &new.sex),
            (Dimension::Age, &new.age_bands),
            (Dimension::Duration, &new.duration_bands),
        ] {
            if old.labels(d) != after.as_slice() {
                return Err(format!(
                    "indelningen i {} kan inte ändras: kartläggningen har redan uppgifter, och varje cell hör till sin grupp på sin plats. Exportera, ändra dokumentet och importera om du behöver en ny indelning",
                    d.name_sv()
                ));
            }
        }
    }
    Ok(())
}
