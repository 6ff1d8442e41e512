//! Every user action, once: its menu text and its shortcuts. Menus and the
//! keyboard both go through [`Command`], so they cannot drift apart.

use egui::{Key, KeyboardShortcut, Modifiers};

/// A user action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    /// Create a survey in the open database.
    NewSurvey,
    /// Change the open survey's frame.
    EditFrame,
    /// Open another database file.
    OpenDatabase,
    /// Open the 2005 sample carried in the program (ui/example.rs).
    OpenExample,
    /// Import a survey document (JSON).
    ImportDocument,
    /// Merge another file (database or document) into the open survey.
    MergeFile,
    /// Export the survey document (JSON).
    ExportDocument,
    /// Export tables or the report (CSV, XLSX, HTML, Markdown).
    ExportReport,
    /// Leave the program.
    Quit,
    /// Take back the last edit.
    Undo,
    /// Do the last undone edit again.
    Redo,
    /// Add a unit to the survey.
    AddUnit,
    /// Delete the selected unit (asks first).
    DeleteUnit,
    /// Move the selected unit up in its list.
    MoveUnitUp,
    /// Move the selected unit down in its list.
    MoveUnitDown,
    /// Add a target group to the selected unit.
    AddGroup,
    /// Add the unit's printed total row if missing; the cursor to its count.
    TotalRow,
    /// Write an empty response form (xlsx) for the selected unit.
    WriteForm,
    /// Write a response form pre-filled with the selected unit's answers.
    WriteFilledForm,
    /// Read a filled-in response form into the selected unit.
    ReadForm,
    /// Show the unit form.
    ShowForm,
    /// Show the list of findings.
    ShowReview,
    /// Show the totals tables.
    ShowTotals,
    /// Show the charts.
    ShowCharts,
    /// Show the coverage overview.
    ShowOverview,
    /// Type the selected unit again from the paper (double entry).
    DoubleEntry,
    /// Read the open file again (opened for reading beside a writer).
    Reload,
    /// Show all groups by theme, to tag many at once.
    ShowThemes,
    /// Switch between light and dark.
    ToggleTheme,
    /// Fold the unit list away, or show it again.
    ToggleTree,
    /// The person's name for the history.
    Settings,
    /// The history of the cell with the focus.
    History,
    /// The history of the selected unit.
    UnitHistory,
    /// Show the Swedish guide in the app (ui/help.rs).
    ShowGuide,
    /// Show the version and the licences.
    ShowAbout,
}

/// The menus, in order, with their commands.
pub const MENUS: &[(&str, &[Command])] = &[
    (
        "Arkiv",
        &[
            Command::NewSurvey,
            Command::EditFrame,
            Command::OpenDatabase,
            Command::OpenExample,
            Command::ImportDocument,
            Command::MergeFile,
            Command::ExportDocument,
            Command::ExportReport,
            Command::Reload,
            Command::Settings,
            Command::Quit,
        ],
    ),
    (
        "Redigera",
        &[Command::Undo, Command::Redo, Command::History],
    ),
    (
        "Enhet",
        &[
            Command::AddUnit,
            Command::DeleteUnit,
            Command::MoveUnitUp,
            Command::MoveUnitDown,
            Command::AddGroup,
            Command::TotalRow,
            Command::WriteForm,
            Command::WriteFilledForm,
            Command::ReadForm,
            Command::DoubleEntry,
            Command::UnitHistory,
        ],
    ),
    (
        "Visa",
        &[
            Command::ShowForm,
            Command::ShowReview,
            Command::ShowTotals,
            Command::ShowCharts,
            Command::ToggleTree,
            Command::ShowOverview,
            Command::ShowThemes,
            Command::ToggleTheme,
        ],
    ),
    ("Hjälp", &[Command::ShowGuide, Command::ShowAbout]),
];

const fn ctrl(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

const fn ctrl_shift(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(
        Modifiers {
            alt: false,
            ctrl: false,
            shift: true,
            mac_cmd: false,
            command: true,
        },
        key,
    )
}

impl Command {
    /// Every command.
    pub fn all() -> impl Iterator<Item = Command> {
        MENUS.iter().flat_map(|(_, c)| c.iter().copied())
    }

    /// The menu text.
    pub fn label(self) -> &'static str {
        match self {
            Command::NewSurvey => "Ny kartläggning…",
            Command::EditFrame => "Ändra ramen…",
            Command::OpenDatabase => "Öppna databas…",
            Command::OpenExample => "Öppna exempel (Norra länsdelen 2005)…",
            Command::ImportDocument => "Importera kartläggning (JSON)…",
            Command::MergeFile => "Slå samman med…",
            Command::ExportDocument => "Exportera kartläggning (JSON)…",
            Command::ExportReport => "Exportera tabeller och rapport…",
            Command::Quit => "Avsluta",
            Command::Undo => "Ångra",
            Command::Redo => "Gör om",
            Command::AddUnit => "Ny enhet",
            Command::DeleteUnit => "Ta bort enhet…",
            Command::MoveUnitUp => "Flytta enhet uppåt",
            Command::MoveUnitDown => "Flytta enhet nedåt",
            Command::AddGroup => "Ny målgrupp",
            Command::TotalRow => "Enhetens totalrad",
            Command::WriteForm => "Svarsformulär som Excel-fil…",
            Command::WriteFilledForm => "Ifyllt svarsformulär med enhetens svar…",
            Command::ReadForm => "Läs in ifyllt svarsformulär…",
            Command::ShowForm => "Svarsformulär",
            Command::ShowReview => "Granskning",
            Command::ShowTotals => "Summor",
            Command::ShowCharts => "Diagram",
            Command::ShowOverview => "Översikt",
            Command::DoubleEntry => "Kontrollinmata…",
            Command::Reload => "Läs om",
            Command::ShowThemes => "Teman",
            Command::ToggleTheme => "Ljust/mörkt tema",
            Command::ToggleTree => "Visa/dölj enhetslistan",
            Command::Settings => "Inställningar…",
            Command::History => "Historik för cellen…",
            Command::UnitHistory => "Historik för enheten…",
            Command::ShowGuide => "Handledning",
            Command::ShowAbout => "Om Målgruppskartläggning",
        }
    }

    /// Its shortcuts; the first is shown in the menu.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        const NEW: &[KeyboardShortcut] = &[ctrl(Key::N)];
        const OPEN: &[KeyboardShortcut] = &[ctrl(Key::O)];
        const IMPORT: &[KeyboardShortcut] = &[ctrl(Key::I)];
        const EXPORT: &[KeyboardShortcut] = &[ctrl(Key::E)];
        const REPORT: &[KeyboardShortcut] = &[ctrl_shift(Key::E)];
        const QUIT: &[KeyboardShortcut] = &[ctrl(Key::Q)];
        const UNDO: &[KeyboardShortcut] = &[ctrl(Key::Z)];
        const REDO: &[KeyboardShortcut] = &[ctrl_shift(Key::Z), ctrl(Key::Y)];
        const UNIT: &[KeyboardShortcut] = &[ctrl_shift(Key::N)];
        const GROUP: &[KeyboardShortcut] = &[ctrl(Key::G)];
        const TOTAL: &[KeyboardShortcut] = &[ctrl(Key::T)];
        const TREE: &[KeyboardShortcut] = &[ctrl(Key::L)];
        const UP: &[KeyboardShortcut] = &[ctrl_shift(Key::ArrowUp)];
        const DOWN: &[KeyboardShortcut] = &[ctrl_shift(Key::ArrowDown)];
        const FORM: &[KeyboardShortcut] = &[ctrl(Key::Num1)];
        const REVIEW: &[KeyboardShortcut] = &[ctrl(Key::Num2)];
        const TOTALS: &[KeyboardShortcut] = &[ctrl(Key::Num3)];
        const CHARTS: &[KeyboardShortcut] = &[ctrl(Key::Num4)];
        const OVERVIEW: &[KeyboardShortcut] = &[ctrl(Key::Num5)];
        const RELOAD: &[KeyboardShortcut] = &[KeyboardShortcut::new(Modifiers::NONE, Key::F5)];
        const HISTORY: &[KeyboardShortcut] = &[ctrl(Key::H)];
        const THEMES: &[KeyboardShortcut] = &[ctrl(Key::Num6)];
        const GUIDE: &[KeyboardShortcut] = &[KeyboardShortcut::new(Modifiers::NONE, Key::F1)];
        match self {
            Command::NewSurvey => NEW,
            Command::OpenDatabase => OPEN,
            Command::ImportDocument => IMPORT,
            Command::ExportDocument => EXPORT,
            Command::ExportReport => REPORT,
            Command::Quit => QUIT,
            Command::Undo => UNDO,
            Command::Redo => REDO,
            Command::AddUnit => UNIT,
            Command::AddGroup => GROUP,
            Command::TotalRow => TOTAL,
            Command::ToggleTree => TREE,
            Command::MoveUnitUp => UP,
            Command::MoveUnitDown => DOWN,
            Command::ShowForm => FORM,
            Command::ShowReview => REVIEW,
            Command::ShowTotals => TOTALS,
            Command::ShowCharts => CHARTS,
            Command::ShowOverview => OVERVIEW,
            Command::Reload => RELOAD,
            Command::History => HISTORY,
            Command::ShowThemes => THEMES,
            Command::ShowGuide => GUIDE,
            Command::DeleteUnit
            | Command::OpenExample
            | Command::MergeFile
            | Command::ToggleTheme
            | Command::EditFrame
            | Command::WriteForm
            | Command::WriteFilledForm
            | Command::ReadForm
            | Command::DoubleEntry
            | Command::Settings
            | Command::UnitHistory
            | Command::ShowAbout => &[],
        }
    }

    /// The first shortcut as the menu shows it, in Swedish
    /// ("Ctrl+Skift+E").
    pub fn shortcut_text(self) -> Option<String> {
        self.shortcuts().first().map(shortcut_text)
    }

    /// The command whose shortcut was pressed this frame, if any (consumed).
    /// Shortcuts with more modifiers are tried first, so Ctrl+Shift+Z is
    /// not taken for Ctrl+Z.
    pub fn pressed(ctx: &egui::Context) -> Option<Command> {
        let mut all: Vec<(Command, KeyboardShortcut)> = Command::all()
            .flat_map(|c| c.shortcuts().iter().map(move |s| (c, *s)))
            .collect();
        all.sort_by_key(|(_, s)| std::cmp::Reverse(u8::from(s.modifiers.shift)));
        ctx.input_mut(|i| {
            all.into_iter()
                .find(|(_, s)| i.consume_shortcut(s))
                .map(|(c, _)| c)
        })
    }
}

/// A shortcut in Swedish words: "Ctrl+Skift+E", "Ctrl+Skift+Pil upp".
pub fn shortcut_text(s: &KeyboardShortcut) -> String {
    let mut text = String::new();
    if s.modifiers.command || s.modifiers.ctrl {
        text.push_str("Ctrl+");
    }
    if s.modifiers.alt {
        text.push_str("Alt+");
    }
    if s.modifiers.shift {
        text.push_str("Skift+");
    }
    text.push_str(match s.logical_key {
        Key::ArrowUp => "Pil upp",
        Key::ArrowDown => "Pil ned",
        Key::ArrowLeft => "Pil vänster",
        Key::ArrowRight => "Pil höger",
        Key::Enter => "Retur",
        Key::Tab => "Tabb",
        Key::Delete => "Delete",
        k => k.name(),
    });
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_shortcuts_are_written_in_swedish() {
        assert_eq!(
            Command::ExportReport.shortcut_text().as_deref(),
            Some("Ctrl+Skift+E")
        );
        assert_eq!(Command::TotalRow.shortcut_text().as_deref(), Some("Ctrl+T"));
        assert_eq!(
            Command::MoveUnitUp.shortcut_text().as_deref(),
            Some("Ctrl+Skift+Pil upp")
        );
        for c in Command::all() {
            let text = c.shortcut_text().unwrap_or_default();
            assert!(!text.contains("Shift"), "{c:?}: {text}");
        }
    }

    #[test]
    fn every_command_is_in_a_menu_once_and_no_shortcut_is_shared() {
        let all: Vec<Command> = Command::all().collect();
        let unique: std::collections::HashSet<_> = all.iter().collect();
        assert_eq!(all.len(), unique.len());
        let shortcuts: Vec<_> = all.iter().flat_map(|c| c.shortcuts()).collect();
        for (i, a) in shortcuts.iter().enumerate() {
            assert!(!shortcuts[i + 1..].contains(a), "{a:?} twice");
        }
    }
}
