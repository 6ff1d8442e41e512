//! Why a file operation failed, in Swedish. The operating system's own text
//! (and that of the libraries around it) is English; the user reads the
//! reason from here instead, chosen by the error's kind, or by its raw code
//! where the kind is too coarse. What is not known still gets a Swedish
//! sentence, with the system's code.

use std::io::{Error as IoError, ErrorKind};

/// An I/O error whose text is written here, in Swedish, and shown as it is.
#[derive(Debug)]
struct Swedish(String);

impl std::fmt::Display for Swedish {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Swedish {}

/// An I/O error of `kind` whose reason, as [`io_reason_sv`] shows it, is
/// `text` (Swedish).
pub fn io_error_sv(kind: ErrorKind, text: impl Into<String>) -> IoError {
    IoError::new(kind, Swedish(text.into()))
}

/// The reason for `e`, in Swedish, without the file's name (the caller
/// names the place): "disken är full", "behörighet saknas", … An error
/// this does not know becomes "fel från operativsystemet (kod N)", or,
/// when it carries no code, a Swedish sentence with the original text in
/// parentheses.
pub fn io_reason_sv(e: &IoError) -> String {
    if let Some(Swedish(text)) = e.get_ref().and_then(|inner| inner.downcast_ref()) {
        return text.clone();
    }
    let code = os_code(e);
    if let Some(text) = code.and_then(by_code) {
        return text.to_owned();
    }
    if let Some(text) = by_kind(e) {
        return text.to_owned();
    }
    match code {
        Some(code) => format!("fel från operativsystemet (kod {code})"),
        None => match e.get_ref() {
            Some(inner) => format!("in- eller utmatningsfel ({inner})"),
            None => "in- eller utmatningsfel".to_owned(),
        },
    }
}

/// The system's error code of `e`. Some libraries (tempfile) wrap the
/// system's error in their own, which keeps the kind but hides the code
/// except in the text ("… (os error 24) at path …").
fn os_code(e: &IoError) -> Option<i32> {
    if let Some(code) = e.raw_os_error() {
        return Some(code);
    }
    let text = e.get_ref()?.to_string();
    let (_, rest) = text.split_once("(os error ")?;
    rest.split_once(')')?.0.parse().ok()
}

/// Reasons that the error's kind does not tell apart (on Linux and macOS;
/// Windows' codes come through their kinds).
#[cfg(unix)]
fn by_code(code: i32) -> Option<&'static str> {
    Some(match code {
        libc::ENOSPC => "disken är full",
        libc::EDQUOT => "diskkvoten är slut",
        libc::EFBIG => "filen blir för stor (större än systemet tillåter)",
        libc::ENAMETOOLONG => "namnet är för långt",
        libc::EMFILE => "programmet har för många filer öppna",
        libc::ENFILE => "systemet har för många filer öppna",
        libc::EIO => "in- eller utmatningsfel på disken (disken kan vara skadad eller frånkopplad)",
        libc::ELOOP => "för många symboliska länkar i rad (en slinga?)",
        libc::ENXIO | libc::ENODEV => "enheten finns inte",
        libc::EXDEV => "filen kan inte flyttas till en annan disk",
        libc::EROFS => "skrivskyddat filsystem",
        libc::EACCES | libc::EPERM => "behörighet saknas",
        _ => return None,
    })
}

#[cfg(not(unix))]
fn by_code(_code: i32) -> Option<&'static str> {
    None
}

/// The reason by the error's kind (kinds stable in Rust 1.95).
fn by_kind(e: &IoError) -> Option<&'static str> {
    use ErrorKind as K;
    Some(match e.kind() {
        K::NotFound => "filen eller mappen finns inte",
        K::PermissionDenied => "behörighet saknas",
        K::AlreadyExists => "filen finns redan",
        K::NotADirectory => "en del av sökvägen är ingen mapp",
        K::IsADirectory => "det är en mapp, ingen fil",
        K::DirectoryNotEmpty => "mappen är inte tom",
        K::ReadOnlyFilesystem => "skrivskyddat filsystem",
        K::StorageFull => "disken är full",
        K::QuotaExceeded => "diskkvoten är slut",
        K::FileTooLarge => "filen blir för stor (större än systemet tillåter)",
        K::InvalidFilename => "ogiltigt filnamn (för långt eller med otillåtna tecken)",
        K::CrossesDevices => "filen kan inte flyttas till en annan disk",
        K::TooManyLinks => "för många länkar till filen",
        K::ResourceBusy => "filen eller enheten används av något annat",
        K::ExecutableFileBusy => "filen är ett program som körs just nu",
        K::WouldBlock => "filen är låst av ett annat program",
        K::Deadlock => "låsningen skulle låsa fast programmen (dödläge)",
        K::StaleNetworkFileHandle => {
            "filen finns inte längre på servern (inaktuell nätverksfil); öppna den igen"
        }
        K::NotSeekable => "det går inte att hoppa i filen (ingen vanlig fil)",
        K::TimedOut => "tidsgränsen överskreds",
        K::Interrupted => "avbrutet",
        K::BrokenPipe => "mottagaren slutade läsa (bruten pipe)",
        K::UnexpectedEof => "filen tog slut för tidigt",
        K::WriteZero => "det gick inte att skriva alla byte",
        K::InvalidData if is_utf8_error(e) => "ogiltig UTF-8 (texten är inte kodad som UTF-8)",
        K::InvalidData => "ogiltiga data",
        K::InvalidInput => "ogiltigt argument till operativsystemet",
        K::OutOfMemory => "minnet räcker inte",
        K::Unsupported => "stöds inte av operativsystemet eller filsystemet",
        K::ArgumentListTooLong => "argumentlistan är för lång",
        K::ConnectionRefused => "anslutningen nekades",
        K::ConnectionReset => "anslutningen bröts av den andra sidan",
        K::ConnectionAborted => "anslutningen avbröts",
        K::NotConnected => "ingen anslutning",
        K::HostUnreachable => "datorn går inte att nå",
        K::NetworkUnreachable => "nätverket går inte att nå",
        K::NetworkDown => "nätverket är nere",
        K::AddrInUse => "adressen används redan",
        K::AddrNotAvailable => "adressen finns inte",
        _ => return None,
    })
}

/// Whether `e` says that text was not UTF-8 (as `read_to_string` does).
fn is_utf8_error(e: &IoError) -> bool {
    e.get_ref().is_some_and(|inner| {
        inner.is::<std::str::Utf8Error>() || inner.is::<std::string::FromUtf8Error>()
    }) || e.to_string().contains("UTF-8")
}

/// serde_json's description of a syntax error (`detail`, as it prints
/// it: "expected value at line 1 column 5"), in Swedish and without the
/// place, which the caller gives. A text not known here is shown as it is.
pub fn json_syntax_sv(detail: &str) -> String {
    let what = detail.split(" at line ").next().unwrap_or(detail);
    let sv = match what {
        "EOF while parsing a list" => "filen tar slut mitt i en lista (saknas ”]”?)",
        "EOF while parsing an object" => "filen tar slut mitt i ett objekt (saknas ”}”?)",
        "EOF while parsing a string" => {
            "filen tar slut mitt i en text (saknas ett avslutande ”\"”?)"
        }
        "EOF while parsing a value" => "filen tar slut där ett värde skulle komma (är filen tom?)",
        "expected `:`" => "väntade ”:” efter namnet",
        "expected `,` or `]`" => "väntade ”,” eller ”]”",
        "expected `,` or `}`" => "väntade ”,” eller ”}”",
        "expected ident" => "väntade true, false eller null",
        "expected value" => "väntade ett värde (text, tal, lista, objekt, true, false eller null)",
        "expected `\"`" => "väntade ett namn inom citattecken",
        "invalid escape" => "ogiltig teckenkod efter \\ i en text",
        "invalid number" => "ogiltigt tal",
        "number out of range" => "talet är för stort",
        "invalid unicode code point" => "ogiltigt Unicode-tecken",
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "ett styrtecken (U+0000–U+001F) står direkt i en text; skriv det som \\u-kod"
        }
        "key must be a string" => "ett namn måste stå inom citattecken",
        "lone leading surrogate in hex escape" => "ogiltig \\u-kod (ensamt surrogattecken)",
        "trailing comma" => "kommatecken före ”]” eller ”}”",
        "trailing characters" => "tecken efter dokumentets slut",
        "unexpected end of hex escape" => "ofullständig \\u-kod",
        "recursion limit exceeded" => "för djupt nästlat (fler än 128 nivåer)",
        _ => return detail.to_owned(),
    };
    sv.to_owned()
}

/// serde's description of a document of the wrong shape (`detail`, as
/// serde_json prints it: "invalid type: string \"x\", expected u32 at line 3
/// column 9"), in Swedish and without the place, which the caller gives.
/// A syntax error goes to [`json_syntax_sv`]; a text known to neither
/// (this program's own messages are Swedish already) is shown as it is.
pub fn json_data_sv(detail: &str) -> String {
    let what = detail
        .rsplit_once(" at line ")
        .map_or(detail, |(what, _)| what);
    if let Some(rest) = what.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.rsplit_once(", expected ")
    {
        return format!(
            "väntade {}, fick {}",
            expected_sv(expected),
            unexpected_sv(found)
        );
    }
    if let Some(rest) = what.strip_prefix("invalid value: ")
        && let Some((found, expected)) = rest.rsplit_once(", expected ")
    {
        return format!(
            "ogiltigt värde {}; väntade {}",
            unexpected_sv(found),
            expected_sv(expected)
        );
    }
    if let Some(rest) = what.strip_prefix("invalid length ")
        && let Some((n, expected)) = rest.split_once(", expected ")
    {
        return format!("fel antal värden ({n}); väntade {}", expected_sv(expected));
    }
    if let Some(rest) = what.strip_prefix("missing field ") {
        return format!("fältet ”{}” saknas", quoted(rest).join(""));
    }
    if let Some(rest) = what.strip_prefix("duplicate field ") {
        return format!("fältet ”{}” står två gånger", quoted(rest).join(""));
    }
    for (prefix, what_sv, known_sv) in [
        ("unknown field ", "okänt fält", "kända fält"),
        ("unknown variant ", "okänt värde", "tillåtna värden"),
    ] {
        if let Some(rest) = what.strip_prefix(prefix) {
            let (name, known) = rest.split_once(", ").unwrap_or((rest, ""));
            let name = quoted(name).join("");
            let known = quoted(known);
            return if known.is_empty() {
                format!("{what_sv} ”{name}” (här får inget sådant stå)")
            } else {
                format!("{what_sv} ”{name}” ({known_sv}: {})", known.join(", "))
            };
        }
    }
    json_syntax_sv(detail)
}

/// The names between backticks in serde's text: "one of `a`, `b`" gives
/// `["a", "b"]`.
fn quoted(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// What serde found (its `Unexpected`), in Swedish.
fn unexpected_sv(found: &str) -> String {
    let inner = |prefix: &str| {
        found
            .strip_prefix(prefix)
            .and_then(|r| r.strip_prefix('`'))
            .and_then(|r| r.strip_suffix('`'))
    };
    if let Some(b) = inner("boolean ") {
        return b.to_owned();
    }
    if let Some(n) = inner("integer ").or_else(|| inner("floating point ")) {
        return format!("talet {n}");
    }
    if let Some(c) = inner("character ") {
        return format!("tecknet ”{c}”");
    }
    if let Some(text) = found
        .strip_prefix("string \"")
        .and_then(|r| r.strip_suffix('"'))
    {
        let short: String = text.chars().take(40).collect();
        let more = if text.chars().count() > 40 { "…" } else { "" };
        return format!("texten ”{short}{more}”");
    }
    match found {
        "unit value" | "null" => "null",
        "sequence" => "en lista",
        "map" => "ett objekt",
        "Option value" => "ett värde",
        "byte array" => "en bytesekvens",
        _ => "ett annat slags värde",
    }
    .to_owned()
}

/// What serde expected (a type's own description), in Swedish. This
/// program's descriptions are Swedish already and are kept.
fn expected_sv(expected: &str) -> String {
    let sv = match expected {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "ett heltal ≥ 0",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "ett heltal",
        "f32" | "f64" => "ett tal",
        "a string" | "a borrowed string" | "a character" | "a char" => "text",
        "a boolean" => "true eller false",
        "a sequence" | "a borrowed byte array" | "a byte array" => "en lista",
        "a map" => "ett objekt",
        "option" => "ett värde eller null",
        "unit" | "null" => "null",
        _ if expected.starts_with("struct ") => "ett objekt",
        _ if expected.starts_with("enum ") => "ett av de tillåtna värdena",
        _ if expected.starts_with("a tuple of size ")
            || expected.starts_with("an array of length ") =>
        {
            let n = expected.rsplit(' ').next().unwrap_or_default();
            return format!("en lista med {n} värden");
        }
        // Another type's English description ("a valid date").
        _ if expected.starts_with("a ") || expected.starts_with("an ") => "ett värde av annat slag",
        _ => expected,
    };
    sv.to_owned()
}

/// What went wrong in SQLite (or in reading a value from it), in Swedish
/// and without the file's name (the caller names it). SQLite's own text,
/// English, is kept only in parentheses, for whoever has to look further.
pub fn sqlite_reason_sv(e: &rusqlite::Error) -> String {
    use rusqlite::Error as E;
    use rusqlite::types::Type;
    let type_sv = |t: &Type| match t {
        Type::Null => "inget värde (NULL)",
        Type::Integer => "ett heltal",
        Type::Real => "ett decimaltal",
        Type::Text => "text",
        Type::Blob => "binära data",
    };
    let edited = "; filen har troligen ändrats med ett annat program";
    match e {
        E::SqliteFailure(failure, message) => {
            let sv = sqlite_code_sv(failure.code);
            let sv = if failure.code == rusqlite::ErrorCode::Unknown {
                format!("{sv} (kod {})", failure.extended_code)
            } else {
                sv.to_owned()
            };
            // A file of ours with a table or column missing was changed
            // by another program (or is damaged): say so, not "unknown".
            let missing = message.as_deref().and_then(|m| {
                m.strip_prefix("no such table: ")
                    .map(|t| ("tabellen", t))
                    .or_else(|| m.strip_prefix("no such column: ").map(|c| ("kolumnen", c)))
            });
            match (missing, message) {
                (Some((what, name)), Some(message)) => {
                    format!("{what} ”{name}” saknas{edited} (SQLite: {message})")
                }
                (_, Some(message)) => format!("{sv} (SQLite: {message})"),
                (_, None) => sv,
            }
        }
        E::InvalidColumnType(_, column, found) => format!(
            "kolumnen ”{column}” har ett värde av fel slag ({}){edited}",
            type_sv(found)
        ),
        E::FromSqlConversionFailure(_, found, _) => {
            format!(
                "ett värde ({}) kunde inte läsas som det slag det ska vara{edited}",
                type_sv(found)
            )
        }
        E::IntegralValueOutOfRange(_, value) => {
            format!("talet {value} är utanför det tillåtna{edited}")
        }
        E::Utf8Error(..) => format!("en text är inte giltig UTF-8{edited}"),
        E::QueryReturnedNoRows => format!("en rad som ska finnas saknas{edited}"),
        E::QueryReturnedMoreThanOneRow => format!("en rad finns flera gånger{edited}"),
        other => format!("internt fel vid läsning eller skrivning av databasen ({other})"),
    }
}

/// An SQLite result code in Swedish.
fn sqlite_code_sv(code: rusqlite::ErrorCode) -> &'static str {
    use rusqlite::ErrorCode as C;
    match code {
        C::DatabaseBusy => {
            "databasen används av ett annat program (till exempel ett annat fönster av Målgruppskartläggning); försök igen när det är stängt"
        }
        C::DatabaseLocked => "databasen är låst av en annan skrivning; försök igen",
        C::ReadOnly => "databasen går inte att skriva till (skrivskyddad fil eller disk)",
        C::DiskFull => "disken är full",
        C::NotADatabase => "filen är ingen databas",
        C::DatabaseCorrupt => "databasfilen är skadad; använd en säkerhetskopia",
        C::CannotOpen => "filen eller dess journal kunde inte öppnas",
        C::ConstraintViolation => "ett värde bröt mot databasens regler; ingenting har ändrats",
        C::OutOfMemory => "minnet räcker inte",
        C::SystemIoFailure => {
            "in- eller utmatningsfel på disken (disken kan vara full, skadad eller frånkopplad)"
        }
        C::PermissionDenied => "behörighet saknas",
        C::OperationInterrupted => "avbrutet",
        C::OperationAborted => "åtgärden avbröts",
        C::FileLockingProtocolFailed => {
            "filen kunde inte låsas (låsningen fungerar inte på den här disken, till exempel en nätverksdisk)"
        }
        C::SchemaChanged => "databasens uppbyggnad ändrades under tiden; försök igen",
        C::TooBig => "en text eller ett värde är för stort för databasen",
        C::TypeMismatch => "ett värde är av fel slag",
        C::NoLargeFileSupport => "filen är för stor för systemet (stöd för stora filer saknas)",
        C::AuthorizationForStatementDenied => "åtgärden nekades",
        C::NotFound => "SQLite kände inte igen en begäran",
        C::InternalMalfunction => "internt fel i SQLite",
        C::ApiMisuse | C::ParameterOutOfRange => "internt fel i programmet (fel anrop till SQLite)",
        _ => "okänt fel från SQLite",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No English word of the system's texts gets through.
    fn assert_swedish(text: &str) {
        for english in [
            "No such",
            "denied",
            "device",
            "os error",
            "found",
            "space",
            "directory",
        ] {
            assert!(!text.contains(english), "English in {text:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn system_codes_get_their_swedish_reason() {
        let cases = [
            (libc::ENOSPC, "disken är full"),
            (libc::EDQUOT, "diskkvoten är slut"),
            (libc::EACCES, "behörighet saknas"),
            (libc::EPERM, "behörighet saknas"),
            (libc::ENOENT, "filen eller mappen finns inte"),
            (libc::EROFS, "skrivskyddat filsystem"),
            (libc::EISDIR, "det är en mapp, ingen fil"),
            (libc::ENOTDIR, "en del av sökvägen är ingen mapp"),
            (
                libc::EFBIG,
                "filen blir för stor (större än systemet tillåter)",
            ),
            (libc::EMFILE, "programmet har för många filer öppna"),
            (libc::ENAMETOOLONG, "namnet är för långt"),
            (libc::EXDEV, "filen kan inte flyttas till en annan disk"),
            (libc::EEXIST, "filen finns redan"),
            (libc::ENOTEMPTY, "mappen är inte tom"),
            (libc::EBUSY, "filen eller enheten används av något annat"),
            (libc::ETIMEDOUT, "tidsgränsen överskreds"),
            (libc::EINTR, "avbrutet"),
            (libc::EPIPE, "mottagaren slutade läsa (bruten pipe)"),
            (libc::ENOMEM, "minnet räcker inte"),
        ];
        for (code, reason) in cases {
            let e = IoError::from_raw_os_error(code);
            assert_eq!(io_reason_sv(&e), reason, "code {code}: {e}");
            assert_swedish(&io_reason_sv(&e));
        }
    }

    #[test]
    fn an_unknown_system_code_is_swedish_and_keeps_the_code() {
        // EHOSTDOWN on Linux, an unknown code elsewhere: no kind of ours.
        let e = IoError::from_raw_os_error(112);
        let reason = io_reason_sv(&e);
        assert_swedish(&reason);
        if by_kind(&e).is_none() {
            assert_eq!(reason, "fel från operativsystemet (kod 112)");
        }
        let e = IoError::from_raw_os_error(100_000);
        assert_eq!(io_reason_sv(&e), "fel från operativsystemet (kod 100000)");
    }

    #[test]
    fn kinds_without_a_code_get_their_swedish_reason() {
        let cases = [
            (ErrorKind::StorageFull, "disken är full"),
            (ErrorKind::QuotaExceeded, "diskkvoten är slut"),
            (ErrorKind::ReadOnlyFilesystem, "skrivskyddat filsystem"),
            (ErrorKind::NotFound, "filen eller mappen finns inte"),
            (ErrorKind::TimedOut, "tidsgränsen överskreds"),
            (ErrorKind::UnexpectedEof, "filen tog slut för tidigt"),
            (ErrorKind::Other, "in- eller utmatningsfel"),
        ];
        for (kind, reason) in cases {
            assert_eq!(io_reason_sv(&IoError::from(kind)), reason, "{kind:?}");
        }
    }

    #[test]
    fn text_that_is_not_utf8_is_named() {
        let bytes = vec![b'a', 0xff];
        let e = IoError::new(
            ErrorKind::InvalidData,
            String::from_utf8(bytes).unwrap_err(),
        );
        assert_eq!(
            io_reason_sv(&e),
            "ogiltig UTF-8 (texten är inte kodad som UTF-8)"
        );
        let e = std::fs::read_to_string(std::env::current_exe().unwrap()).unwrap_err();
        assert_eq!(
            io_reason_sv(&e),
            "ogiltig UTF-8 (texten är inte kodad som UTF-8)"
        );
    }

    #[test]
    fn a_code_hidden_in_a_wrapping_error_is_found() {
        // As tempfile wraps the system's error: kind kept, code only in the text.
        let e = IoError::other(format!(
            "{} at path \"/x/.tmp\"",
            IoError::from_raw_os_error(24)
        ));
        let reason = io_reason_sv(&e);
        assert_swedish(&reason);
        #[cfg(target_os = "linux")]
        assert_eq!(reason, "programmet har för många filer öppna");
    }

    #[test]
    fn a_library_text_without_code_is_kept_in_parentheses_after_swedish() {
        let e = IoError::other("invalid Zip archive");
        assert_eq!(
            io_reason_sv(&e),
            "in- eller utmatningsfel (invalid Zip archive)"
        );
    }

    #[test]
    fn json_syntax_errors_are_swedish() {
        for (text, reason) in [
            (
                "",
                "filen tar slut där ett värde skulle komma (är filen tom?)",
            ),
            ("{\"a\": 1,}", "kommatecken före ”]” eller ”}”"),
            ("{\"a\" 1}", "väntade ”:” efter namnet"),
            ("[1 2]", "väntade ”,” eller ”]”"),
            ("{} x", "tecken efter dokumentets slut"),
            (
                "{\"a\": \"\u{1}\"}",
                "ett styrtecken (U+0000–U+001F) står direkt i en text; skriv det som \\u-kod",
            ),
            ("{\"a\": \"\\q\"}", "ogiltig teckenkod efter \\ i en text"),
            ("{\"a\": tru}", "väntade true, false eller null"),
            ("{1: 2}", "ett namn måste stå inom citattecken"),
            ("[1e999]", "talet är för stort"),
            (
                "{\"a\": \"b",
                "filen tar slut mitt i en text (saknas ett avslutande ”\"”?)",
            ),
            ("[", "filen tar slut mitt i en lista (saknas ”]”?)"),
            ("[1", "filen tar slut mitt i en lista (saknas ”]”?)"),
            (
                "{\"a\": 1",
                "filen tar slut mitt i ett objekt (saknas ”}”?)",
            ),
            ("[-]", "ogiltigt tal"),
            (&"[".repeat(200), "för djupt nästlat (fler än 128 nivåer)"),
        ] {
            let e = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
            assert_eq!(json_syntax_sv(&e.to_string()), reason, "{text:?}: {e}");
        }
        assert_eq!(json_syntax_sv("redan svensk text"), "redan svensk text");
    }

    #[test]
    fn serde_data_errors_are_swedish() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Doc {
            name: String,
            n: u32,
            list: Vec<u8>,
            kind: Option<Kind>,
            pair: Option<(u8, u8)>,
            flag: Option<bool>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        enum Kind {
            Kommun,
            Region,
        }
        for (text, reason) in [
            (
                r#"{"name": "a", "n": "x", "list": []}"#,
                "väntade ett heltal ≥ 0, fick texten ”x”",
            ),
            (
                r#"{"name": 5, "n": 1, "list": []}"#,
                "väntade text, fick talet 5",
            ),
            (
                r#"{"name": "a", "n": -1, "list": []}"#,
                "ogiltigt värde talet -1; väntade ett heltal ≥ 0",
            ),
            (
                r#"{"name": "a", "n": 1.5, "list": []}"#,
                "väntade ett heltal ≥ 0, fick talet 1.5",
            ),
            (
                r#"{"name": "a", "n": 1, "list": {}}"#,
                "väntade en lista, fick ett objekt",
            ),
            (
                r#"{"name": "a", "n": 1, "list": [true]}"#,
                "väntade ett heltal ≥ 0, fick true",
            ),
            (r#""x""#, "väntade ett objekt, fick texten ”x”"),
            (r#"{"name": "a", "list": []}"#, "fältet ”n” saknas"),
            (
                r#"{"name": "a", "n": 1, "list": [], "x": 1}"#,
                "okänt fält ”x” (kända fält: name, n, list, kind, pair, flag)",
            ),
            (
                r#"{"name": "a", "n": 1, "n": 2, "list": []}"#,
                "fältet ”n” står två gånger",
            ),
            (
                r#"{"name": "a", "n": 1, "list": [], "kind": "Stat"}"#,
                "okänt värde ”Stat” (tillåtna värden: Kommun, Region)",
            ),
            (
                r#"{"name": "a", "n": 1, "list": [], "pair": [1]}"#,
                "fel antal värden (1); väntade en lista med 2 värden",
            ),
            (
                r#"{"name": "a", "n": 1, "list": [], "flag": "ja"}"#,
                "väntade true eller false, fick texten ”ja”",
            ),
            (
                r#"{"name": null, "n": 1, "list": []}"#,
                "väntade text, fick null",
            ),
            (
                r#"{"name": "a", "n": 1, "list": [300]}"#,
                "ogiltigt värde talet 300; väntade ett heltal ≥ 0",
            ),
            (
                r#"{"name": "a", "n": 1"#,
                "filen tar slut mitt i ett objekt (saknas ”}”?)",
            ),
        ] {
            let e = serde_json::from_str::<Doc>(text).unwrap_err();
            assert_eq!(json_data_sv(&e.to_string()), reason, "{text}: {e}");
        }
        assert_eq!(json_data_sv("redan svensk text"), "redan svensk text");
        // This program's own descriptions are Swedish and kept.
        assert_eq!(
            json_data_sv("invalid type: integer `5`, expected text eller null at line 1 column 2"),
            "väntade text eller null, fick talet 5"
        );
        assert_eq!(
            json_data_sv("invalid type: map, expected a valid date"),
            "väntade ett värde av annat slag, fick ett objekt"
        );
    }

    #[test]
    fn sqlite_errors_are_swedish_with_sqlite_text_in_parentheses() {
        use rusqlite::ffi;
        let failure = |code: i32, message: Option<&str>| {
            rusqlite::Error::SqliteFailure(ffi::Error::new(code), message.map(str::to_owned))
        };
        for (e, reason) in [
            (failure(ffi::SQLITE_NOMEM, None), "minnet räcker inte"),
            (failure(ffi::SQLITE_PERM, None), "behörighet saknas"),
            (
                failure(ffi::SQLITE_TOOBIG, Some("string or blob too big")),
                "en text eller ett värde är för stort för databasen (SQLite: string or blob too big)",
            ),
            (
                failure(ffi::SQLITE_BUSY, Some("database is locked")),
                "databasen används av ett annat program (till exempel ett annat fönster av Målgruppskartläggning); försök igen när det är stängt (SQLite: database is locked)",
            ),
            (failure(ffi::SQLITE_FULL, None), "disken är full"),
            (
                failure(ffi::SQLITE_READONLY, None),
                "databasen går inte att skriva till (skrivskyddad fil eller disk)",
            ),
            (failure(ffi::SQLITE_NOTADB, None), "filen är ingen databas"),
            (
                failure(ffi::SQLITE_IOERR_READ, None),
                "in- eller utmatningsfel på disken (disken kan vara full, skadad eller frånkopplad)",
            ),
            (failure(255, None), "okänt fel från SQLite (kod 255)"),
            (
                rusqlite::Error::InvalidColumnType(4, "label".into(), rusqlite::types::Type::Blob),
                "kolumnen ”label” har ett värde av fel slag (binära data); filen har troligen ändrats med ett annat program",
            ),
            (
                rusqlite::Error::IntegralValueOutOfRange(0, -1),
                "talet -1 är utanför det tillåtna; filen har troligen ändrats med ett annat program",
            ),
        ] {
            assert_eq!(sqlite_reason_sv(&e), reason, "{e}");
        }
    }

    #[test]
    fn swedish_text_made_here_is_shown_as_it_is() {
        let e = io_error_sv(ErrorKind::NotFound, "mappen /x finns inte");
        assert_eq!(io_reason_sv(&e), "mappen /x finns inte");
    }
}
