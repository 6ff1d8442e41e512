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
    /// Import a survey document (JSON).
    ImportDocument,
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
    /// Switch between light and dark.
    ToggleTheme,
}

/// The menus, in order, with their commands.
pub const MENUS: &[(&str, &[Command])] = &[
    (
        "Arkiv",
        &[
            Command::NewSurvey,
            Command::EditFrame,
            Command::OpenDatabase,
            Command::ImportDocument,
            Command::ExportDocument,
            Command::ExportReport,
            Command::Quit,
        ],
    ),
    ("Redigera", &[Command::Undo, Command::Redo]),
    (
        "Enhet",
        &[
            Command::AddUnit,
            Command::DeleteUnit,
            Command::MoveUnitUp,
            Command::MoveUnitDown,
            Command::AddGroup,
            Command::WriteForm,
            Command::WriteFilledForm,
            Command::ReadForm,
        ],
    ),
    (
        "Visa",
        &[
            Command::ShowForm,
            Command::ShowReview,
            Command::ShowTotals,
            Command::ShowCharts,
            Command::ToggleTheme,
        ],
    ),
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
            Command::ImportDocument => "Importera kartläggning (JSON)…",
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
            Command::WriteForm => "Svarsformulär som Excel-fil…",
            Command::WriteFilledForm => "Ifyllt svarsformulär med enhetens svar…",
            Command::ReadForm => "Läs in ifyllt svarsformulär…",
            Command::ShowForm => "Svarsformulär",
            Command::ShowReview => "Granskning",
            Command::ShowTotals => "Summor",
            Command::ShowCharts => "Diagram",
            Command::ToggleTheme => "Ljust/mörkt tema",
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
        const UP: &[KeyboardShortcut] = &[ctrl_shift(Key::ArrowUp)];
        const DOWN: &[KeyboardShortcut] = &[ctrl_shift(Key::ArrowDown)];
        const FORM: &[KeyboardShortcut] = &[ctrl(Key::Num1)];
        const REVIEW: &[KeyboardShortcut] = &[ctrl(Key::Num2)];
        const TOTALS: &[KeyboardShortcut] = &[ctrl(Key::Num3)];
        const CHARTS: &[KeyboardShortcut] = &[ctrl(Key::Num4)];
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
            Command::MoveUnitUp => UP,
            Command::MoveUnitDown => DOWN,
            Command::ShowForm => FORM,
            Command::ShowReview => REVIEW,
            Command::ShowTotals => TOTALS,
            Command::ShowCharts => CHARTS,
            Command::DeleteUnit
            | Command::ToggleTheme
            | Command::EditFrame
            | Command::WriteForm
            | Command::WriteFilledForm
            | Command::ReadForm => &[],
        }
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

#[cfg(test)]
mod tests {
    use super::*;

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
