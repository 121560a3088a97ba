//! Conversations kept server-side: `/api/v1/conversations*`, and feedback on answers.

use serde::{Deserialize, Serialize};

/// Conversations one page of `GET /api/v1/conversations` holds unless `limit` says otherwise.
pub const CONVERSATION_PAGE: u32 = 50;

/// Largest `limit` of `GET /api/v1/conversations`.
pub const MAX_CONVERSATION_PAGE: u32 = 200;

/// Query of `GET /api/v1/conversations`: a page of the user's conversations, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ConversationQuery {
    /// Words the title must contain.
    #[serde(default)]
    pub search: Option<String>,
    /// Conversations per page (1 to 200, default 50).
    #[serde(default)]
    pub limit: Option<u32>,
    /// The last conversation of the previous page (its id): the page starts after it.
    #[serde(default)]
    pub before: Option<String>,
}

/// A conversation in the sidebar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ConversationSummary {
    /// Stable id.
    pub id: String,
    /// Title (the first question, until renamed).
    pub title: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339 of the last message.
    pub updated_at: String,
    /// Messages in it.
    pub message_count: i64,
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MessageRecord {
    /// Stable id.
    pub id: String,
    /// `user` or `assistant`.
    pub role: String,
    /// The question, or the assistant's text.
    pub content: String,
    /// The SQL the assistant ran (or last tried).
    #[serde(default)]
    pub sql: Option<String>,
    /// Rows returned by that SQL.
    #[serde(default)]
    pub row_count: Option<i64>,
    /// Tables retrieval chose.
    #[serde(default)]
    pub tables: Vec<String>,
    /// Why the answer failed, if it did.
    #[serde(default)]
    pub error: Option<String>,
    /// What the last statement computes, in words (the answer's explanation), if one ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// `up`, `down` or none.
    #[serde(default)]
    pub feedback: Option<String>,
    /// RFC 3339.
    pub created_at: String,
}

/// A conversation with its messages, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ConversationDetail {
    /// The conversation.
    pub conversation: ConversationSummary,
    /// Its messages.
    pub messages: Vec<MessageRecord>,
}

/// Body of `PATCH /api/v1/conversations/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RenameConversation {
    /// The new title (1 to 200 characters).
    pub title: String,
}

/// Body of `POST /api/v1/feedback`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FeedbackRequest {
    /// The assistant message judged.
    pub message_id: String,
    /// 👍 (`true`) saves the question and its SQL as a pair for a steward to verify; 👎 (`false`) records the comment.
    pub helpful: bool,
    /// Why, in the user's words.
    #[serde(default)]
    pub comment: Option<String>,
}
