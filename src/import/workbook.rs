//! A workbook someone sent, read without trusting it.
//!
//! An xlsx file is a zip of XML parts. A few kilobytes can unpack to
//! gigabytes (a "zip bomb"), claim a cell at `XFD1048576` or four billion
//! shared strings, and calamine then asks for that much memory at once: the
//! process aborts, which no `catch_unwind` can stop. So before calamine sees
//! the file, every part is unpacked here through a counter that stops at a
//! limit a response form never comes near, and the XML is scanned for the
//! numbers calamine would trust (cell references, the sheet's dimension,
//! shared-string counts, shared-formula indexes). Only then are the sheets
//! read, cell by cell into a map (never as a dense rectangle), with any panic
//! inside calamine turned into a refusal as a last resort.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, XlsxError};
use quick_xml::events::{BytesStart, Event};
use zip::result::ZipError;

use crate::error::{Error, Result, io_reason_sv};

/// The largest file read at all.
pub const FILE_MAX: u64 = 32 << 20;
/// The most parts in the zip (a form has about a dozen).
pub const PARTS_MAX: usize = 200;
/// The largest part other than a worksheet, unpacked.
pub const PART_MAX: u64 = 16 << 20;
/// The largest worksheet, unpacked, however large the form.
pub const SHEET_CAP: u64 = 64 << 20;
/// How many times its packed size a part of more than [`RATIO_FROM`] bytes
/// may unpack to. Spreadsheet XML packs about 5–20 times; runs of one
/// repeated character pack a thousand times.
pub const RATIO_MAX: u64 = 100;
/// Parts up to this size may pack as well as they like.
pub const RATIO_FROM: u64 = 1 << 20;
/// The most cells in any sheet, whatever the form.
pub const CELLS_CAP: usize = 1_000_000;

/// The largest row and column number Excel knows (`XFD1048576`).
const EXCEL_ROWS: u32 = 1_048_576;
const EXCEL_COLUMNS: u32 = 16_384;

/// How large the sheets of an acceptable workbook may be.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    /// Rows, counted from 1: no cell below this.
    pub rows: u32,
    /// Columns, counted from 1: no cell to the right of this.
    pub columns: u32,
}

impl Bounds {
    /// The most cells a sheet may have.
    pub fn cells(&self) -> usize {
        (self.rows as usize * self.columns as usize).min(CELLS_CAP)
    }

    /// The largest worksheet part, unpacked: generous for the cells a sheet
    /// may have (a filled form takes about 40 bytes a cell).
    pub fn sheet_bytes(&self) -> u64 {
        (1 << 20) + 128 * self.cells() as u64
    }
}

/// One cell as read: its value (the saved result for a formula) and
/// whether it holds a formula.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    /// The value, or the formula's saved result (empty when none was saved).
    pub data: Data,
    /// The cell holds a formula.
    pub formula: bool,
}

/// The cells of a sheet that hold something, by (row, column) from 0.
pub type Sheet = HashMap<(u32, u32), Value>;

/// Reads the file at `path`, at most [`FILE_MAX`] bytes.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|source| Error::File {
        action: "läsa",
        path: path.to_owned(),
        source,
    })?;
    let mut bytes = Vec::new();
    file.take(FILE_MAX + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| Error::File {
            action: "läsa",
            path: path.to_owned(),
            source,
        })?;
    if bytes.len() as u64 > FILE_MAX {
        return Err(Error::at(
            path.display().to_string(),
            format!(
                "filen är större än {} MB; ett svarsformulär är några tiotal kB. Är det rätt fil?",
                FILE_MAX >> 20
            ),
        ));
    }
    Ok(bytes)
}

/// Reads the sheets `names` of the workbook `bytes` (from the file `file`),
/// after checking the whole workbook against `bounds`; a sheet that is not
/// there is `None`.
pub fn read_sheets(
    bytes: &[u8],
    file: &str,
    bounds: Bounds,
    names: &[&str],
) -> Result<Vec<Option<Sheet>>> {
    let not_xml = check(bytes, file, bounds)?;
    // The checks above keep calamine from every panic known; this keeps an
    // unknown one from taking the app down with the file.
    catch_unwind(AssertUnwindSafe(|| stream_sheets(bytes, names)))
        .map_err(|_| {
            Error::at(
                file,
                "kunde inte läsas som en Excel-arbetsbok (xlsx): filen är trasig eller konstruerad (läsaren gav upp)",
            )
        })?
        .map_err(|(sheet, e)| calamine_error(file, sheet, not_xml.as_deref(), e))
}

/// The sheets, or calamine's error with the sheet it was reading (`None`
/// while it read the workbook's own parts).
fn stream_sheets<'a>(
    bytes: &[u8],
    names: &[&'a str],
) -> std::result::Result<Vec<Option<Sheet>>, (Option<&'a str>, XlsxError)> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| (None, e))?;
    let mut out = Vec::with_capacity(names.len());
    for &name in names {
        let mut cells = match book.worksheet_cells_reader(name) {
            Ok(cells) => cells,
            Err(XlsxError::WorksheetNotFound(_)) => {
                out.push(None);
                continue;
            }
            Err(e) => return Err((Some(name), e)),
        };
        let mut sheet = Sheet::new();
        while let Some(cell) = cells
            .next_cell_with_formula_metadata()
            .map_err(|e| (Some(name), e))?
        {
            let data = Data::from(cell.value);
            let formula = cell.formula.is_some();
            if formula || data != Data::Empty {
                sheet.insert(cell.pos, Value { data, formula });
            }
        }
        out.push(Some(sheet));
    }
    Ok(out)
}

/// The start of every OLE compound file: an old Excel workbook (xls), or
/// an xlsx workbook encrypted with a password.
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Why the zip reader refused `bytes` as an xlsx workbook (which is a zip
/// archive), in Swedish: a file of another kind is named by what it is.
fn zip_error(file: &str, bytes: &[u8], e: &ZipError) -> Error {
    let message = if bytes.is_empty() {
        "är ingen Excel-arbetsbok (xlsx): filen är tom (0 byte)".to_owned()
    } else if bytes.starts_with(OLE) {
        "är ingen Excel-arbetsbok i xlsx-format utan en äldre Excel-fil (xls) eller en lösenordsskyddad arbetsbok; spara den i Excel eller LibreOffice som Excel-arbetsbok (xlsx) utan lösenord och läs in den igen".to_owned()
    } else {
        match e {
            ZipError::InvalidArchive(_) if bytes.starts_with(b"PK") => {
                "är ingen hel Excel-arbetsbok (xlsx): filen är avkortad eller trasig (zip-arkivets innehållsförteckning saknas eller stämmer inte)".to_owned()
            }
            ZipError::InvalidArchive(_) => {
                "är ingen Excel-arbetsbok (xlsx): filen är inget zip-arkiv, vilket en xlsx-fil är"
                    .to_owned()
            }
            ZipError::UnsupportedArchive(_) | ZipError::CompressionMethodNotSupported(_) => {
                "är packad på ett sätt som inte stöds (zip-arkivets packningsmetod eller format); spara den som Excel-arbetsbok (xlsx) i Excel eller LibreOffice och läs in den igen".to_owned()
            }
            ZipError::InvalidPassword => {
                "är lösenordsskyddad; spara den utan lösenord och läs in den igen".to_owned()
            }
            ZipError::Io(e) => format!("kunde inte läsas: {}", io_reason_sv(e)),
            ZipError::FileNotFound => {
                "är ingen Excel-arbetsbok (xlsx): en del som arbetsboken hänvisar till saknas"
                    .to_owned()
            }
            other => format!("är ingen Excel-arbetsbok (xlsx) (zip: {other})"),
        }
    };
    Error::at(file, message)
}

/// Calamine's refusal of the workbook `file` (checked first, so a zip
/// archive), in Swedish: reading `sheet`, or its own parts when `None`;
/// `not_xml` is a part that [`check`] found not to be well-formed XML.
fn calamine_error(file: &str, sheet: Option<&str>, not_xml: Option<&str>, e: XlsxError) -> Error {
    let place = file;
    let broken = |what: &str| {
        let part = match (not_xml, sheet) {
            (Some(part), _) => format!("delen ”{}”", crate::import::loc::shorten(part)),
            (None, Some(name)) => format!("bladet ”{name}”"),
            (None, None) => "en av arbetsbokens delar".to_owned(),
        };
        Error::at(
            place,
            format!(
                "är en trasig Excel-arbetsbok: {part} {what}; spara om den i Excel eller LibreOffice"
            ),
        )
    };
    match e {
        XlsxError::Io(source) => Error::File {
            action: "läsa",
            path: PathBuf::from(file),
            source,
        },
        XlsxError::Zip(ZipError::FileNotFound) => Error::at(
            place,
            "är ingen Excel-arbetsbok (xlsx): en del som arbetsboken hänvisar till saknas",
        ),
        XlsxError::Zip(e) => zip_error(place, b"PK", &e),
        XlsxError::FileNotFound(part) => Error::at(
            place,
            format!(
                "är ingen Excel-arbetsbok (xlsx): delen ”{}” saknas",
                crate::import::loc::shorten(&part)
            ),
        ),
        XlsxError::RelationshipNotFound => Error::at(
            place,
            "är ingen Excel-arbetsbok (xlsx): arbetsbokens förteckning över sina delar (relationships) saknas eller är ofullständig",
        ),
        XlsxError::Password => Error::at(
            place,
            "är lösenordsskyddad; spara den utan lösenord och läs in den igen",
        ),
        XlsxError::NotAWorksheet(_) => Error::at(
            place,
            format!(
                "bladet ”{}” är inget kalkylblad (utan till exempel ett diagramblad)",
                sheet.unwrap_or_default()
            ),
        ),
        XlsxError::Xml(_)
        | XlsxError::XmlAttr(_)
        | XlsxError::XmlEof(_)
        | XlsxError::UnexpectedNode(_)
        | XlsxError::Unexpected(_)
        | XlsxError::Encoding(_) => broken("är ingen giltig XML"),
        XlsxError::CellTAttribute(_)
        | XlsxError::CellError(_)
        | XlsxError::Parse(_)
        | XlsxError::ParseFloat(_)
        | XlsxError::ParseInt(_) => broken("har en cell med ett värde som inte går att läsa"),
        XlsxError::Alphanumeric(_)
        | XlsxError::NumericColumn(_)
        | XlsxError::RangeWithoutColumnComponent
        | XlsxError::RangeWithoutRowComponent
        | XlsxError::ColumnNumberOverflow
        | XlsxError::RowNumberOverflow
        | XlsxError::DimensionCount(_) => broken("har en ogiltig cellreferens"),
        other => Error::at(
            place,
            format!("kunde inte läsas som en Excel-arbetsbok (xlsx) (calamine: {other})"),
        ),
    }
}

/// Why a workbook is refused before it is read.
fn refuse(file: &str, part: &str, message: impl Into<String>) -> Error {
    Error::at(format!("{file} (delen {part})"), message)
}

/// Checks every part of the workbook: sizes, packing, and the numbers in
/// its XML that calamine would trust. Returns the first XML part that is
/// not well-formed XML (calamine refuses it if it reads it).
pub fn check(bytes: &[u8], file: &str, bounds: Bounds) -> Result<Option<String>> {
    let not_xlsx = |e: &ZipError| zip_error(file, bytes, e);
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| not_xlsx(&e))?;
    if opendocument(&mut zip) {
        return Err(Error::at(
            file,
            "är ingen Excel-arbetsbok (xlsx) utan ett OpenDocument-kalkylark (ods); spara det i LibreOffice eller Excel som Excel-arbetsbok (xlsx) och läs in det igen",
        ));
    }
    let mut not_xml = None;
    if zip.len() > PARTS_MAX {
        return Err(Error::at(
            file,
            format!(
                "arbetsboken har {} delar (högst {PARTS_MAX}; ett svarsformulär har ett tiotal)",
                zip.len()
            ),
        ));
    }
    let part_max = PART_MAX.max(bounds.sheet_bytes().min(SHEET_CAP));
    // All parts together: the largest sheet and one more large part.
    let total_max = part_max + PART_MAX;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| not_xlsx(&e))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().map_err(|e| not_xlsx(&e))?.into_owned();
        let packed = entry.compressed_size();
        let declared = entry.size();
        let too_large = |n: u64, max: u64| {
            refuse(
                file,
                &name,
                format!(
                    "packas upp till {} (högst {}); ett svarsformulär är mycket mindre. Är det rätt fil?",
                    size(n),
                    size(max)
                ),
            )
        };
        if declared > part_max {
            return Err(too_large(declared, part_max));
        }
        // The sizes in the zip's directory may lie: count what comes out.
        let mut counted = Counting {
            inner: entry.take(part_max + 1),
            n: 0,
        };
        let mut sheet = false;
        if name.to_ascii_lowercase().ends_with(".xml") {
            match scan(BufReader::new(&mut counted), bounds) {
                Ok(found) => sheet = found,
                Err(Found::Refused(message)) => return Err(refuse(file, &name, message)),
                // Not XML this scan can read: calamine says so if it needs
                // the part; its size is still counted below.
                Err(Found::Xml) => {
                    not_xml.get_or_insert_with(|| name.clone());
                }
            }
        }
        io::copy(&mut counted, &mut io::sink()).map_err(|_| {
            refuse(
                file,
                &name,
                "kunde inte packas upp: delen är trasig, eller större än arbetsboken själv uppger",
            )
        })?;
        let n = counted.n;
        if n > part_max {
            return Err(too_large(n, part_max));
        }
        if !sheet && n > PART_MAX {
            return Err(refuse(
                file,
                &name,
                format!(
                    "packas upp till {} (högst {} för annat än kalkylblad)",
                    size(n),
                    size(PART_MAX)
                ),
            ));
        }
        if sheet && n > bounds.sheet_bytes() {
            return Err(too_large(n, bounds.sheet_bytes()));
        }
        if n > RATIO_FROM && n / packed.max(1) > RATIO_MAX {
            return Err(refuse(
                file,
                &name,
                format!(
                    "packas upp till {} gånger sin storlek (högst {RATIO_MAX}); så packas bara konstruerade filer, inte ett ifyllt formulär",
                    n / packed.max(1)
                ),
            ));
        }
        total += n;
        if total > total_max {
            return Err(Error::at(
                file,
                format!(
                    "arbetsboken packas upp till mer än {} (ett svarsformulär är några hundra kB)",
                    size(total_max)
                ),
            ));
        }
    }
    Ok(not_xml)
}

/// Whether the zip archive is an OpenDocument file (its first part,
/// `mimetype`, says so).
fn opendocument(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> bool {
    let Ok(part) = zip.by_name("mimetype") else {
        return false;
    };
    let mut head = Vec::new();
    part.take(64).read_to_end(&mut head).is_ok()
        && head.starts_with(b"application/vnd.oasis.opendocument")
}

/// Bytes for people.
fn size(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{} MB", n >> 20)
    } else {
        format!("{} kB", n.div_ceil(1024))
    }
}

/// A reader that counts what passes through it.
struct Counting<R> {
    inner: R,
    n: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n += k as u64;
        Ok(k)
    }
}

/// What a scan found wrong.
enum Found {
    /// A number calamine must not see, with the reason.
    Refused(String),
    /// The part is not XML this scan reads.
    Xml,
}

/// A cell reference such as `C12` as (row, column) from 0, if it is one
/// Excel could have written.
fn cell_ref(s: &str) -> Option<(u32, u32)> {
    let letters = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (col, row) = s.split_at(letters);
    if !(1..=3).contains(&letters)
        || row.is_empty()
        || row.len() > 7
        || !row.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let col = col.bytes().fold(0u32, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
    });
    let row: u32 = row.parse().ok()?;
    ((1..=EXCEL_ROWS).contains(&row) && (1..=EXCEL_COLUMNS).contains(&col))
        .then(|| (row - 1, col - 1))
}

/// A range such as `A1:T40` (or one cell), start before end.
fn range_ref(s: &str) -> Option<()> {
    let mut parts = s.split(':');
    let start = cell_ref(parts.next()?)?;
    let end = match parts.next() {
        Some(p) => cell_ref(p)?,
        None => start,
    };
    (parts.next().is_none() && start.0 <= end.0 && start.1 <= end.1).then_some(())
}

/// A reference for messages: `XFD1048576`.
fn name_of(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!(
        "{}{}",
        String::from_utf8_lossy(&letters),
        u64::from(row) + 1
    )
}

fn attr(e: &BytesStart, key: &str) -> std::result::Result<Option<String>, Found> {
    e.try_get_attribute(key)
        .map(|a| a.map(|a| a.value.into_owned()))
        .map_err(|_| Found::Xml)
}

/// A count in an attribute: `None` when absent or not digits (calamine
/// ignores those), the number otherwise, `u64::MAX` when it overflows.
fn count_attr(e: &BytesStart, key: &str) -> std::result::Result<Option<u64>, Found> {
    Ok(attr(e, key)?.and_then(|v| {
        (!v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .then(|| v.parse().unwrap_or(u64::MAX))
    }))
}

/// Scans one XML part the way calamine reads it; true when it was a
/// worksheet.
fn scan(part: impl BufRead, bounds: Bounds) -> std::result::Result<bool, Found> {
    let mut xml = quick_xml::Reader::from_reader(part);
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let cells_max = bounds.cells();
    let last = name_of(bounds.rows - 1, bounds.columns - 1);
    let mut buf = Vec::new();
    let (mut in_data, mut sheet) = (false, false);
    let (mut row, mut col, mut cells) = (0u32, 0u32, 0usize);
    let (mut unique, mut strings) = (None, 0u64);
    // The number cell being read, and whether its value is being read.
    let (mut number, mut in_value) = (None, None);
    let bad_ref = |what: &str, r: &str| {
        Found::Refused(format!(
            "{what} ”{}” är ingen cellreferens som Excel skriver",
            crate::import::loc::shorten(r)
        ))
    };
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(|_| Found::Xml)? {
            Event::Start(e) => match e.local_name().as_ref() {
                "dimension" if !in_data => {
                    if let Some(r) = attr(&e, "ref")? {
                        range_ref(&r).ok_or_else(|| bad_ref("bladets storlek (dimension)", &r))?;
                    }
                }
                "sheetData" => {
                    in_data = true;
                    sheet = true;
                }
                "row" if in_data => {
                    if let Some(r) = attr(&e, "r")? {
                        let n: u32 = r
                            .parse()
                            .ok()
                            .filter(|n| (1..=EXCEL_ROWS).contains(n))
                            .ok_or_else(|| bad_ref("radnumret", &r))?;
                        row = n - 1;
                    }
                    col = 0;
                }
                "c" if in_data => {
                    if let Some(r) = attr(&e, "r")? {
                        let (r0, c0) = cell_ref(&r).ok_or_else(|| bad_ref("cellen", &r))?;
                        row = r0;
                        col = c0;
                    }
                    if row >= bounds.rows || col >= bounds.columns {
                        return Err(Found::Refused(format!(
                            "cellen {} ligger utanför svarsformulärets yta (A1:{last}); formuläret läses inte",
                            name_of(row, col)
                        )));
                    }
                    cells += 1;
                    if cells > cells_max {
                        return Err(Found::Refused(format!(
                            "bladet har fler än {cells_max} ifyllda celler; ett svarsformulär har färre"
                        )));
                    }
                    number =
                        matches!(attr(&e, "t")?.as_deref(), None | Some("n")).then(|| (row, col));
                    col += 1;
                }
                "v" if in_data => in_value = number,
                "f" if in_data => {
                    if let Some(r) = attr(&e, "ref")? {
                        range_ref(&r).ok_or_else(|| bad_ref("formelns område", &r))?;
                    }
                    if let Some(si) = count_attr(&e, "si")?
                        && si > cells_max as u64
                    {
                        return Err(Found::Refused(format!(
                            "en delad formel har nummer {si} (högst {cells_max})"
                        )));
                    }
                }
                "sst" => unique = count_attr(&e, "uniqueCount")?,
                "si" => strings += 1,
                _ => {}
            },
            Event::Text(t) => {
                if let Some((r, c)) = in_value
                    && crate::model::validate::underflows_to_zero(t.as_ref())
                {
                    return Err(Found::Refused(format!(
                        "cellen {} har talet {}, som skulle läsas som 0; skriv ett heltal",
                        name_of(r, c),
                        crate::import::loc::shorten(t.as_ref().trim())
                    )));
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "v" => in_value = None,
                "c" => number = None,
                "row" if in_data => {
                    row = row.saturating_add(1);
                    col = 0;
                }
                "sheetData" => in_data = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(unique) = unique
        && unique > strings.max(cells_max as u64)
    {
        return Err(Found::Refused(format!(
            "uppger {unique} olika texter (uniqueCount) men har {strings}; formuläret läses inte"
        )));
    }
    Ok(sheet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_are_read_as_excel_writes_them() {
        assert_eq!(cell_ref("A1"), Some((0, 0)));
        assert_eq!(cell_ref("c12"), Some((11, 2)));
        assert_eq!(cell_ref("XFD1048576"), Some((1_048_575, 16_383)));
        for bad in [
            "",
            "A",
            "1",
            "A0",
            "XFE1",
            "A1048577",
            "AAAA1",
            "A99999999999",
            "A1B",
            "Å1",
        ] {
            assert_eq!(cell_ref(bad), None, "{bad}");
        }
        assert_eq!(range_ref("A1:T40"), Some(()));
        assert_eq!(range_ref("B2:A1"), None);
        assert_eq!(range_ref("A1:B2:C3"), None);
        assert_eq!(name_of(1_048_575, 16_383), "XFD1048576");
        assert_eq!(name_of(0, 26), "AA1");
    }
}
