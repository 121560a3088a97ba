//! Light or dark: follows the system until the user picks one with the toggle, then keeps their choice.

use dioxus::prelude::*;

use crate::browser;

const THEME_KEY: &str = "pstral.theme";

/// Whether the dark theme is on (reactive).
pub(crate) static DARK: GlobalSignal<bool> = Signal::global(|| match browser::load(THEME_KEY).as_deref() {
    Some("dark") => true,
    Some("light") => false,
    _ => browser::prefers_dark(),
});

/// Applies the saved choice to the page (`data-theme` on `<html>`); none follows the system.
pub(crate) fn apply_saved() {
    browser::set_root_attribute("data-theme", browser::load(THEME_KEY).as_deref());
}

/// Switches between light and dark and remembers the choice.
pub(crate) fn toggle() {
    let dark = !*DARK.peek();
    let name = if dark { "dark" } else { "light" };
    browser::save(THEME_KEY, name);
    browser::set_root_attribute("data-theme", Some(name));
    *DARK.write() = dark;
}
