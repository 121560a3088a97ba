//! `POST /api/v1/chat`: a question in, a stream of typed events out. Every stream ends with `done` or `error`.

use serde::{Deserialize, Serialize};

/// What the assistant should do with the question.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChatMode {
    /// Write, check and run SQL.
    #[default]
    Sql,
    /// Answer a technical question from the documents, without SQL.
    Chat,
}

/// One earlier turn of the conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ChatTurn {
    /// `user` or `assistant`.
    pub role: String,
    /// What was said.
    pub content: String,
}

/// Body of `POST /api/v1/chat`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ChatRequest {
    /// The question, in French or English.
    pub question: String,
    /// SQL or discussion.
    #[serde(default)]
    pub mode: ChatMode,
    /// Earlier turns, oldest first (the server keeps at most `MAX_HISTORY_MESSAGES`). The chat route fills it
    /// from the conversation kept server-side and ignores what a client sends.
    #[serde(default)]
    pub history: Vec<ChatTurn>,
    /// The conversation to continue; a new one is created when absent.
    #[serde(default)]
    pub conversation_id: Option<String>,
}

/// A table retrieval put in front of the model, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RetrievedTableInfo {
    /// `SCHEMA.NAME` or `NAME`.
    pub name: String,
    /// Why: `keywords #1`, `meaning #2`, `value 'Paris' in VILLE`, `join path`.
    pub reasons: Vec<String>,
}

/// The values of one result column, typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(tag = "type", content = "values", rename_all = "snake_case")]
pub enum ColumnValues {
    /// Whole numbers.
    Int64(Vec<Option<i64>>),
    /// Numbers with a fraction.
    Float64(Vec<Option<f64>>),
    /// Booleans.
    Bool(Vec<Option<bool>>),
    /// Dates, `YYYY-MM-DD`.
    Date(Vec<Option<String>>),
    /// Moments, RFC 3339.
    Timestamp(Vec<Option<String>>),
    /// Text.
    Text(Vec<Option<String>>),
}

impl ColumnValues {
    /// Returns the number of rows (values, NULLs included).
    pub fn len(&self) -> usize {
        match self {
            Self::Int64(values) => values.len(),
            Self::Float64(values) => values.len(),
            Self::Bool(values) => values.len(),
            Self::Date(values) | Self::Timestamp(values) | Self::Text(values) => values.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One result column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ResultColumn {
    /// The column's name.
    pub name: String,
    /// Its values, one per row.
    pub data: ColumnValues,
    /// When the column is a code column of the catalog: its codes and their labels, for the console, charts and
    /// exports to show the label beside the code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<CodeLabel>,
}

impl ResultColumn {
    /// A column without code labels.
    pub fn new(name: impl Into<String>, data: ColumnValues) -> Self {
        Self { name: name.into(), data, codes: Vec::new() }
    }

    /// The label of `value`, when it is one of the column's codes.
    pub fn label_of(&self, value: &str) -> Option<&str> {
        self.codes.iter().find(|code| code.value == value).map(|code| code.label.as_str())
    }
}

/// A code of a result column and its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CodeLabel {
    /// The code as stored, e.g. `10`.
    pub value: String,
    /// Its label, e.g. `Automobile`.
    pub label: String,
}

/// One step of the answer, streamed as it happens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ChatEvent {
    /// The question is saved: the conversation it belongs to (new or continued).
    Started {
        /// The conversation's id.
        conversation_id: String,
    },
    /// The answer is saved: the assistant message's id (for feedback).
    Saved {
        /// The message's id.
        message_id: String,
    },
    /// What the agent is doing now.
    Status {
        /// `retrieving`, `generating`, `checking`, `planning`, `running`.
        step: String,
    },
    /// Waiting for the model: requests ahead of this one.
    Queued {
        /// Position in the queue (1 = next).
        position: usize,
    },
    /// What retrieval chose.
    Retrieved {
        /// Tables put in the prompt.
        tables: Vec<RetrievedTableInfo>,
        /// Estimated tokens of the schema text.
        schema_tokens: usize,
        /// Titles of the document chunks used.
        #[serde(default)]
        documents: Vec<String>,
        /// The codes and business terms the question's words named, as given to the model
        /// (`CONTRATS.CD_BRANCHE = '10' (Automobile)`, `contrat actif`).
        #[serde(default)]
        vocabulary: Vec<String>,
    },
    /// A piece of the model's answer.
    Token {
        /// The text.
        text: String,
    },
    /// The SQL extracted from the model's answer.
    Sql {
        /// The statement.
        sql: String,
        /// 0 for the first answer, then each repair.
        attempt: usize,
    },
    /// The guard's verdict.
    Guard {
        /// Whether it may run.
        allowed: bool,
        /// The rule that decided.
        rule: String,
        /// Why.
        message: String,
    },
    /// The warehouse's plan (dry run).
    Plan {
        /// One step per line.
        plan: String,
    },
    /// What the statement about to run computes, in the question's language, built without the model from the
    /// statement, the catalog's descriptions and code lists: for the analyst to check the interpretation.
    Explanation {
        /// One line per part: result, tables, conditions, grouping, order, limit.
        text: String,
    },
    /// A failed attempt is sent back to the model.
    Repair {
        /// The attempt about to be made (1, 2…).
        attempt: usize,
        /// What failed and what the model is told to change.
        reason: String,
    },
    /// The rows.
    Rows {
        /// The result, one typed column each.
        columns: Vec<ResultColumn>,
        /// Rows returned.
        row_count: usize,
        /// More rows existed than the cap.
        truncated: bool,
        /// Time in the warehouse.
        elapsed_ms: u64,
    },
    /// The answer failed; the message says what to do.
    Error {
        /// Stable code (`llm_unavailable`, `guard_refused`, `warehouse_unavailable`…).
        code: String,
        /// What happened and what to do.
        message: String,
        /// Prompt tokens the model read before the failure (all attempts).
        #[serde(default)]
        prompt_tokens: u64,
        /// Tokens the model wrote before the failure.
        #[serde(default)]
        completion_tokens: u64,
        /// Prompt tokens the model server had to evaluate, the rest being in its prompt cache (all attempts);
        /// absent when the server does not say (Ollama's API reports one count).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prompt_evaluated_tokens: Option<u64>,
        /// Generations asked of the model (the first attempt and each repair it wrote).
        #[serde(default)]
        model_calls: u32,
    },
    /// The answer is complete.
    Done {
        /// Total time, in milliseconds.
        elapsed_ms: u64,
        /// Prompt tokens the model read (all attempts).
        prompt_tokens: u64,
        /// Tokens the model wrote (all attempts).
        completion_tokens: u64,
        /// Prompt tokens the model server had to evaluate, the rest being in its prompt cache (all attempts);
        /// absent when the server does not say (Ollama's API reports one count).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prompt_evaluated_tokens: Option<u64>,
        /// Generations asked of the model (the first attempt and each repair it wrote).
        #[serde(default)]
        model_calls: u32,
    },
}

impl ChatEvent {
    /// Returns whether this event ends a stream.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Done { .. } | Self::Error { .. })
    }
}
