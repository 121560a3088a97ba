//! French first, English on demand: the console's words in both languages.

/// A language of the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// French, the default.
    French,
    /// English.
    English,
}

const STORAGE_KEY: &str = "pstral.language";

impl Language {
    /// Returns the language saved in the browser, French when none was chosen.
    pub fn from_browser() -> Self {
        let saved = web_sys::window()
            .and_then(|window| window.local_storage().ok().flatten())
            .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten());
        match saved.as_deref() {
            Some("en") => Self::English,
            _ => Self::French,
        }
    }

    /// Saves the choice in the browser.
    pub fn save(self) {
        if let Some(storage) = web_sys::window().and_then(|window| window.local_storage().ok().flatten()) {
            let _ignored = storage.set_item(STORAGE_KEY, self.code());
        }
    }

    /// Returns the BCP 47 code.
    pub fn code(self) -> &'static str {
        match self {
            Self::French => "fr",
            Self::English => "en",
        }
    }

    /// Returns the other language.
    pub fn toggled(self) -> Self {
        match self {
            Self::French => Self::English,
            Self::English => Self::French,
        }
    }

    /// Returns the text for `key` in this language.
    pub fn text(self, key: Text) -> &'static str {
        let (french, english) = match key {
            Text::Tagline => (
                "Vos questions en français deviennent du SQL Oracle sûr et validé.",
                "Your questions become safe, validated Oracle SQL.",
            ),
            Text::ServiceStatus => ("État du service", "Service status"),
            Text::Loading => ("Vérification…", "Checking…"),
            Text::Refresh => ("Actualiser", "Refresh"),
            Text::Ok => ("opérationnel", "ok"),
            Text::Degraded => ("dégradé", "degraded"),
            Text::Down => ("hors service", "down"),
            Text::Starting => ("démarrage", "starting"),
            Text::Unavailable => ("indisponible", "unavailable"),
            Text::SwitchLanguage => ("English", "Français"),
            Text::AppStore => ("Base applicative", "App store"),
            Text::Warehouse => ("Entrepôt de données", "Data warehouse"),
            Text::Llm => ("Modèle de langage", "Language model"),
            Text::Index => ("Index du schéma", "Schema index"),
        };
        match self {
            Self::French => french,
            Self::English => english,
        }
    }
}

/// Every piece of text the console shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    Tagline,
    ServiceStatus,
    Loading,
    Refresh,
    Ok,
    Degraded,
    Down,
    Starting,
    Unavailable,
    SwitchLanguage,
    AppStore,
    Warehouse,
    Llm,
    Index,
}
