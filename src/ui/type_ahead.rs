//! Keys take effect in the order they were typed, however many arrive in
//! one frame.
//!
//! egui gives all text of a frame to the widget focused when the frame
//! starts and moves the focus for a Tab only after the frame, and the app
//! runs its shortcuts (Ctrl+G adds a group and focuses its label) before it
//! draws. So `7`, Tab, `3` arriving in one frame (a slow frame, a save on a
//! slow disk) would become `73` in one cell, and two Tabs would move once.
//! [`TypeAhead`], an egui plugin, therefore ends a frame's input at any key
//! or click that may move the focus or run a command: such an event gets a
//! frame of its own, and what follows it waits for the next frame, in
//! order. Being a plugin, it runs inside [`egui::Context`] for every
//! integration alike: eframe's window and egui_kittest's harness (which
//! does not call eframe's `App::raw_input_hook`, so that hook would leave
//! the tests on another path than the window).

use egui::{Event, Key, RawInput, ViewportId};

/// Holds back the input that follows a focus-moving key to the next frame.
#[derive(Default)]
pub struct TypeAhead {
    /// Events not yet given to egui, oldest first, and their viewport.
    held: Vec<Event>,
    viewport: Option<ViewportId>,
}

impl TypeAhead {
    /// Adds the plugin to `ctx` (once; later calls do nothing).
    pub fn install(ctx: &egui::Context) {
        ctx.add_plugin(TypeAhead::default());
    }
}

/// Whether `event` may move the focus or run a command, so that what comes
/// before it and what comes after it belong to different frames.
fn is_barrier(event: &Event) -> bool {
    match event {
        Event::Key {
            key,
            pressed: true,
            modifiers,
            ..
        } => {
            matches!(
                key,
                Key::Tab
                    | Key::Enter
                    | Key::Escape
                    | Key::ArrowUp
                    | Key::ArrowDown
                    | Key::ArrowLeft
                    | Key::ArrowRight
                    | Key::PageUp
                    | Key::PageDown
            ) || modifiers.ctrl
                || modifiers.command
                || modifiers.mac_cmd
                || modifiers.alt
        }
        Event::PointerButton { .. } | Event::AccessKitActionRequest(_) => true,
        _ => false,
    }
}

/// Whether `event` changes nothing by itself (modifier state, a key let
/// go, the pointer moving), so it may go with the barrier after it.
fn is_inert(event: &Event) -> bool {
    matches!(
        event,
        Event::ModifiersChanged(_)
            | Event::Key { pressed: false, .. }
            | Event::PointerMoved(_)
            | Event::MouseMoved(_)
    )
}

/// How many of `events` belong to this frame: all up to the first barrier
/// if something that acts comes before it (the modifier changes and other
/// inert events just before the barrier go with it into the next frame),
/// else up to and including the barrier.
pub fn this_frame(events: &[Event]) -> usize {
    let Some(barrier) = events.iter().position(is_barrier) else {
        return events.len();
    };
    let start = events[..barrier]
        .iter()
        .rposition(|e| !is_inert(e))
        .map_or(0, |i| i + 1);
    if start > 0 { start } else { barrier + 1 }
}

impl egui::Plugin for TypeAhead {
    fn debug_name(&self) -> &'static str {
        "TypeAhead"
    }

    fn input_hook(&mut self, _ctx: &egui::Context, input: &mut RawInput) {
        if !self.held.is_empty() {
            if self.viewport.is_some_and(|v| v != input.viewport_id) {
                return;
            }
            let newer = std::mem::take(&mut input.events);
            input.events = std::mem::take(&mut self.held);
            input.events.extend(newer);
        }
        let n = this_frame(&input.events);
        if n < input.events.len() {
            self.held = input.events.split_off(n);
            self.viewport = Some(input.viewport_id);
        }
    }

    fn on_begin_pass(&mut self, ui: &mut egui::Ui) {
        if !self.held.is_empty() {
            ui.ctx().request_repaint();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::Modifiers;

    fn text(t: &str) -> Event {
        Event::Text(t.to_owned())
    }

    fn key(key: Key, pressed: bool, modifiers: Modifiers) -> Event {
        Event::Key {
            key,
            pressed,
            modifiers,
            repeat: false,
            physical_key: None,
        }
    }

    /// The frames `events` are given to egui in.
    fn frames(events: Vec<Event>) -> Vec<Vec<Event>> {
        let mut plugin = TypeAhead::default();
        let mut pending = events;
        let mut out = Vec::new();
        while !pending.is_empty() || !plugin.held.is_empty() {
            let mut input = RawInput {
                events: std::mem::take(&mut pending),
                ..Default::default()
            };
            egui::Plugin::input_hook(&mut plugin, &egui::Context::default(), &mut input);
            out.push(input.events);
        }
        out
    }

    #[test]
    fn a_tab_between_digits_splits_the_frame_and_keeps_the_order() {
        let none = Modifiers::NONE;
        let tab = key(Key::Tab, true, none);
        let tab_up = key(Key::Tab, false, none);
        let got = frames(vec![
            text("7"),
            tab.clone(),
            tab_up.clone(),
            tab.clone(),
            text("3"),
        ]);
        assert_eq!(
            got,
            vec![
                vec![text("7")],
                vec![tab.clone()],
                vec![tab_up, tab],
                vec![text("3")]
            ]
        );
    }

    #[test]
    fn a_shortcut_starts_a_frame_with_its_modifiers_and_ends_it() {
        let ctrl = Modifiers::COMMAND;
        let g = key(Key::G, true, ctrl);
        let got = frames(vec![
            text("5"),
            Event::ModifiersChanged(ctrl),
            g.clone(),
            key(Key::G, false, ctrl),
            Event::ModifiersChanged(Modifiers::NONE),
            text("x"),
        ]);
        assert_eq!(
            got,
            vec![
                vec![text("5")],
                vec![Event::ModifiersChanged(ctrl), g],
                vec![
                    key(Key::G, false, ctrl),
                    Event::ModifiersChanged(Modifiers::NONE),
                    text("x")
                ],
            ]
        );
    }

    #[test]
    fn plain_typing_stays_in_one_frame() {
        let events = vec![
            text("1"),
            key(Key::Backspace, true, Modifiers::NONE),
            text("2"),
        ];
        assert_eq!(frames(events.clone()), vec![events]);
    }
}
