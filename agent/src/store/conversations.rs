//! Conversations and their messages, each owned by one user: every query is scoped by the owner.

use anyhow::Context;
use schemas::conversation::{ConversationDetail, ConversationSummary, MessageRecord};

use super::audit::AuditRecord;
use super::{Store, now_rfc3339};

/// Longest title kept (characters).
pub const MAX_TITLE: usize = 200;

/// What the assistant produced, saved when an answer ends (however it ends).
#[derive(Debug, Clone, Default)]
pub struct AssistantMessage {
    /// The model's text.
    pub content: String,
    /// The last SQL tried.
    pub sql: Option<String>,
    /// Rows returned.
    pub row_count: Option<i64>,
    /// Tables retrieval chose.
    pub tables: Vec<String>,
    /// Why it failed, if it did.
    pub error: Option<String>,
    /// What the last statement that ran computes, in words.
    pub explanation: Option<String>,
}

type SummaryRow = (String, String, String, String, i64);
type MessageRow = (
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
);

const SUMMARY_SELECT: &str = "SELECT c.id, c.title, c.created_at, c.updated_at, \
     (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) FROM conversations c";

fn to_summary((id, title, created_at, updated_at, message_count): SummaryRow) -> ConversationSummary {
    ConversationSummary { id, title, created_at, updated_at, message_count }
}

/// Returns `text` cut to `MAX_TITLE` characters, on one line.
pub fn title_from(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut title: String = line.chars().take(MAX_TITLE).collect();
    if line.chars().count() > MAX_TITLE {
        title.push('…');
    }
    title
}

impl Store {
    /// Records a question: creates the conversation when `conversation_id` is `None`, adds the user's message and
    /// the audit row, in one transaction. Returns the conversation id, or `None` when the conversation is not the
    /// user's.
    pub async fn record_question(
        &self,
        user_id: &str,
        conversation_id: Option<&str>,
        question: &str,
        audit: &AuditRecord,
    ) -> anyhow::Result<Option<String>> {
        let mut transaction = self.transaction().await?;
        let now = now_rfc3339();
        let conversation_id = match conversation_id {
            Some(id) => {
                let owned: Option<(String,)> =
                    sqlx::query_as("SELECT id FROM conversations WHERE id = $1 AND user_id = $2")
                        .bind(id)
                        .bind(user_id)
                        .fetch_optional(&mut *transaction)
                        .await
                        .context("failed to read a conversation")?;
                if owned.is_none() {
                    return Ok(None);
                }
                id.to_owned()
            }
            None => {
                let id = uuid::Uuid::now_v7().to_string();
                sqlx::query(
                    "INSERT INTO conversations (id, user_id, title, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)",
                )
                .bind(&id)
                .bind(user_id)
                .bind(title_from(question))
                .bind(&now)
                .execute(&mut *transaction)
                .await
                .context("failed to create a conversation")?;
                id
            }
        };
        insert_message(&mut transaction, &conversation_id, "user", question, &AssistantMessage::default()).await?;
        let audit = AuditRecord { resource: Some(format!("conversation:{conversation_id}")), ..audit.clone() };
        super::audit::insert(&mut transaction, &audit).await?;
        transaction.commit().await.context("failed to commit a question")?;
        Ok(Some(conversation_id))
    }

    /// Records the assistant's answer and its audit rows (SQL, verdict, execution) in one transaction; returns the
    /// message id.
    pub async fn record_answer(
        &self,
        conversation_id: &str,
        answer: &AssistantMessage,
        audits: &[AuditRecord],
    ) -> anyhow::Result<String> {
        let mut transaction = self.transaction().await?;
        let id = insert_message(&mut transaction, conversation_id, "assistant", &answer.content, answer).await?;
        for audit in audits {
            super::audit::insert(&mut transaction, audit).await?;
        }
        transaction.commit().await.context("failed to commit an answer")?;
        Ok(id)
    }

    /// Returns a page of the user's conversations, most recent first, optionally those whose title contains
    /// `search`; with `before` (a conversation id), those that come after it in that order. `None` when `before` is
    /// not one of the user's conversations.
    pub async fn conversations(
        &self,
        user_id: &str,
        search: Option<&str>,
        limit: u32,
        before: Option<&str>,
    ) -> anyhow::Result<Option<Vec<ConversationSummary>>> {
        let pattern = format!("%{}%", search.unwrap_or_default().to_lowercase().replace(['%', '_'], ""));
        let cursor: Option<(String, String)> = match before {
            None => None,
            Some(id) => {
                let found = sqlx::query_as("SELECT updated_at, id FROM conversations WHERE id = $1 AND user_id = $2")
                    .bind(id)
                    .bind(user_id)
                    .fetch_optional(self.pool())
                    .await
                    .context("failed to read a conversation")?;
                if found.is_none() {
                    return Ok(None);
                }
                found
            }
        };
        // Keyset paging on (updated_at, id): conversations that become the newest meanwhile do not shift the pages
        // after the cursor.
        let after_cursor =
            if cursor.is_some() { " AND (c.updated_at < $4 OR (c.updated_at = $4 AND c.id < $5))" } else { "" };
        let sql = format!(
            "{SUMMARY_SELECT} WHERE c.user_id = $1 AND LOWER(c.title) LIKE $2{after_cursor} \
             ORDER BY c.updated_at DESC, c.id DESC LIMIT $3"
        );
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).bind(pattern).bind(i64::from(limit));
        if let Some((updated_at, id)) = cursor {
            query = query.bind(updated_at).bind(id);
        }
        let rows: Vec<SummaryRow> = query.fetch_all(self.pool()).await.context("failed to list conversations")?;
        Ok(Some(rows.into_iter().map(to_summary).collect()))
    }

    /// Returns one of the user's conversations with its messages.
    pub async fn conversation(&self, user_id: &str, id: &str) -> anyhow::Result<Option<ConversationDetail>> {
        let row: Option<SummaryRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{SUMMARY_SELECT} WHERE c.id = $1 AND c.user_id = $2")))
                .bind(id)
                .bind(user_id)
                .fetch_optional(self.pool())
                .await
                .context("failed to read a conversation")?;
        let Some(row) = row else { return Ok(None) };
        let messages: Vec<MessageRow> = sqlx::query_as(
            "SELECT id, role, content, sql_text, row_count, tables, error, feedback, created_at, explanation FROM messages \
             WHERE conversation_id = $1 ORDER BY created_at, id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await
        .context("failed to read messages")?;
        let messages = messages
            .into_iter()
            .map(|(id, role, content, sql, row_count, tables, error, feedback, created_at, explanation)| {
                MessageRecord {
                    id,
                    role,
                    content,
                    sql,
                    row_count,
                    tables: serde_json::from_str(&tables).unwrap_or_default(),
                    error,
                    explanation,
                    feedback,
                    created_at,
                }
            })
            .collect();
        Ok(Some(ConversationDetail { conversation: to_summary(row), messages }))
    }

    /// Renames one of the user's conversations, with the audit row; `false` when it is not theirs.
    pub async fn rename_conversation(
        &self,
        user_id: &str,
        id: &str,
        title: &str,
        audit: &AuditRecord,
    ) -> anyhow::Result<bool> {
        let mut transaction = self.transaction().await?;
        let changed = sqlx::query("UPDATE conversations SET title = $1 WHERE id = $2 AND user_id = $3")
            .bind(title_from(title))
            .bind(id)
            .bind(user_id)
            .execute(&mut *transaction)
            .await
            .context("failed to rename a conversation")?
            .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        super::audit::insert(&mut transaction, audit).await?;
        transaction.commit().await.context("failed to commit a rename")?;
        Ok(true)
    }

    /// Deletes one of the user's conversations and its messages, with the audit row; `false` when it is not theirs.
    pub async fn delete_conversation(&self, user_id: &str, id: &str, audit: &AuditRecord) -> anyhow::Result<bool> {
        let mut transaction = self.transaction().await?;
        sqlx::query("DELETE FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE id = $1 AND user_id = $2)")
            .bind(id)
            .bind(user_id)
            .execute(&mut *transaction)
            .await
            .context("failed to delete messages")?;
        let deleted = sqlx::query("DELETE FROM conversations WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(&mut *transaction)
            .await
            .context("failed to delete a conversation")?
            .rows_affected();
        if deleted == 0 {
            return Ok(false);
        }
        super::audit::insert(&mut transaction, audit).await?;
        transaction.commit().await.context("failed to commit a deletion")?;
        Ok(true)
    }

    /// Records feedback on one of the user's assistant messages, with the audit row; a 👍 also saves the question
    /// and its SQL as a pending pair for a steward. Returns `false` when the message is not theirs.
    pub async fn record_feedback(
        &self,
        user_id: &str,
        message_id: &str,
        helpful: bool,
        comment: Option<&str>,
        audit: &AuditRecord,
    ) -> anyhow::Result<bool> {
        let mut transaction = self.transaction().await?;
        let message: Option<(String, Option<String>, String)> = sqlx::query_as(
            "SELECT m.conversation_id, m.sql_text, m.created_at FROM messages m JOIN conversations c ON c.id = m.conversation_id \
             WHERE m.id = $1 AND c.user_id = $2 AND m.role = 'assistant'",
        )
        .bind(message_id)
        .bind(user_id)
        .fetch_optional(&mut *transaction)
        .await
        .context("failed to read a message")?;
        let Some((conversation_id, sql, created_at)) = message else { return Ok(false) };
        sqlx::query("UPDATE messages SET feedback = $1, feedback_note = $2 WHERE id = $3")
            .bind(if helpful { "up" } else { "down" })
            .bind(comment)
            .bind(message_id)
            .execute(&mut *transaction)
            .await
            .context("failed to save feedback")?;
        if let (true, Some(sql)) = (helpful, sql) {
            let question: Option<(String,)> = sqlx::query_as(
                "SELECT content FROM messages WHERE conversation_id = $1 AND role = 'user' AND created_at <= $2 \
                 ORDER BY created_at DESC, id DESC LIMIT 1",
            )
            .bind(&conversation_id)
            .bind(&created_at)
            .fetch_optional(&mut *transaction)
            .await
            .context("failed to read the question")?;
            if let Some((question,)) = question {
                sqlx::query(
                    "INSERT INTO verified_pairs (id, question, sql_text, status, created_by, created_at) \
                     VALUES ($1, $2, $3, 'pending', $4, $5)",
                )
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(question)
                .bind(sql)
                .bind(user_id)
                .bind(now_rfc3339())
                .execute(&mut *transaction)
                .await
                .context("failed to propose a verified pair")?;
            }
        }
        super::audit::insert(&mut transaction, audit).await?;
        transaction.commit().await.context("failed to commit feedback")?;
        Ok(true)
    }

    /// Returns the last `limit` messages of a conversation, oldest first, as (role, content).
    pub async fn history(&self, conversation_id: &str, limit: usize) -> anyhow::Result<Vec<(String, String)>> {
        let rows: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT role, content FROM messages WHERE conversation_id = $1 ORDER BY created_at DESC, id DESC LIMIT {limit}"
        )))
        .bind(conversation_id)
        .fetch_all(self.pool())
        .await
        .context("failed to read the history")?;
        Ok(rows.into_iter().rev().collect())
    }
}

async fn insert_message(
    connection: &mut sqlx::AnyConnection,
    conversation_id: &str,
    role: &str,
    content: &str,
    details: &AssistantMessage,
) -> anyhow::Result<String> {
    let id = uuid::Uuid::now_v7().to_string();
    let now = now_rfc3339();
    sqlx::query(
        "INSERT INTO messages (id, conversation_id, role, content, sql_text, row_count, tables, error, created_at, \
         explanation) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(conversation_id)
    .bind(role)
    .bind(content)
    .bind(details.sql.as_deref())
    .bind(details.row_count)
    .bind(serde_json::to_string(&details.tables).unwrap_or_else(|_| "[]".to_owned()))
    .bind(details.error.as_deref())
    .bind(&now)
    .bind(details.explanation.as_deref())
    .execute(&mut *connection)
    .await
    .context("failed to save a message")?;
    sqlx::query("UPDATE conversations SET updated_at = $1 WHERE id = $2")
        .bind(&now)
        .bind(conversation_id)
        .execute(&mut *connection)
        .await
        .context("failed to touch a conversation")?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_one_line_and_bounded() {
        assert_eq!(title_from("  Combien de\ncontrats ?  "), "Combien de contrats ?");
        let long = "mot ".repeat(100);
        let title = title_from(&long);
        assert_eq!(title.chars().count(), MAX_TITLE + 1);
        assert!(title.ends_with('…'));
    }
}
