//! The signed-in session, kept in the browser's local storage so a reload keeps it, and the question being typed,
//! kept the same way so a sign-in (or an expired session) never loses it. It must not make HTTP calls.

use dioxus::prelude::*;
use schemas::auth::{Role, TokenResponse, UserInfo};
use serde::{Deserialize, Serialize};

use crate::browser;

const SESSION_KEY: &str = "pstral.session";
const DRAFT_KEY: &str = "pstral.draft";

/// A signed-in user and their bearer token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Session {
    /// The bearer token.
    pub token: String,
    /// Who is signed in.
    pub user: UserInfo,
    /// When the token stops working, in milliseconds since the epoch.
    pub expires_at_ms: f64,
}

/// The current session; `None` shows the sign-in form.
pub(crate) static SESSION: GlobalSignal<Option<Session>> = Signal::global(load);

/// The question being typed, shared by the chat page and kept across sign-ins.
pub(crate) static DRAFT: GlobalSignal<String> = Signal::global(|| browser::load(DRAFT_KEY).unwrap_or_default());

fn load() -> Option<Session> {
    let saved: Session = serde_json::from_str(&browser::load(SESSION_KEY)?).ok()?;
    (!saved.is_expired()).then_some(saved)
}

impl Session {
    /// Returns the session a sign-in answered.
    pub(crate) fn from_token(response: TokenResponse) -> Self {
        let lifetime_ms = response.expires_in as f64 * 1000.0;
        Self { token: response.access_token, user: response.user, expires_at_ms: browser::now_ms() + lifetime_ms }
    }

    /// Returns whether the token has expired.
    pub(crate) fn is_expired(&self) -> bool {
        browser::now_ms() >= self.expires_at_ms
    }
}

/// Starts `session` and keeps it in the browser.
pub(crate) fn sign_in(session: Session) {
    if let Ok(text) = serde_json::to_string(&session) {
        browser::save(SESSION_KEY, &text);
    }
    *SESSION.write() = Some(session);
}

/// Ends the session (signed out, expired or refused by the server); the draft question stays.
pub(crate) fn sign_out() {
    browser::forget(SESSION_KEY);
    if SESSION.peek().is_some() {
        *SESSION.write() = None;
    }
}

/// Returns the bearer token, if a session is open and not expired.
pub(crate) fn token() -> Option<String> {
    SESSION.peek().as_ref().filter(|session| !session.is_expired()).map(|session| session.token.clone())
}

/// Returns the signed-in user's role (reactive).
pub(crate) fn role() -> Option<Role> {
    SESSION.read().as_ref().map(|session| session.user.role)
}

/// Replaces the draft question and keeps it in the browser.
pub(crate) fn set_draft(text: String) {
    if text.is_empty() {
        browser::forget(DRAFT_KEY);
    } else {
        browser::save(DRAFT_KEY, &text);
    }
    *DRAFT.write() = text;
}
