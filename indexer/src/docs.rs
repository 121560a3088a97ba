//! Internal documents: markdown and text files from a folder, cut into chunks at their headings.
//!
//! A chunk keeps the path of headings above it as its title, so "## Statuts de contrat" under "# Codes" is found
//! as "Codes › Statuts de contrat". Chunks longer than the limit are cut at paragraph boundaries.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::IndexerError;

/// Largest chunk, in characters; longer sections are cut at blank lines.
const MAX_CHUNK_CHARS: usize = 1_500;

/// One section of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocChunk {
    /// File name relative to the documents folder.
    pub source: String,
    /// Headings above the chunk, joined with ` › `.
    pub title: String,
    /// The section's text, headings excluded.
    pub text: String,
}

/// Reads every `.md` and `.txt` file under `dir` (recursively, sorted) and returns their chunks.
pub fn load_dir(dir: &Path) -> Result<Vec<DocChunk>, IndexerError> {
    let mut files = Vec::new();
    collect_files(dir, dir, &mut files)?;
    files.sort();
    let mut chunks = Vec::new();
    for relative in files {
        let path = dir.join(&relative);
        let text = std::fs::read_to_string(&path).map_err(|error| IndexerError::io("failed to read", &path, error))?;
        chunks.extend(chunk_markdown(&relative, &text));
    }
    Ok(chunks)
}

fn collect_files(root: &Path, dir: &Path, files: &mut Vec<String>) -> Result<(), IndexerError> {
    let entries = std::fs::read_dir(dir).map_err(|error| IndexerError::io("failed to list", dir, error))?;
    for entry in entries {
        let entry = entry.map_err(|error| IndexerError::io("failed to list", dir, error))?;
        let path = entry.path();
        if path.is_dir() {
            collect_files(root, &path, files)?;
        } else if path.extension().is_some_and(|extension| extension == "md" || extension == "txt") {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            files.push(relative.to_string_lossy().into_owned());
        }
    }
    Ok(())
}

/// Cuts one markdown text into chunks at its headings.
pub fn chunk_markdown(source: &str, text: &str) -> Vec<DocChunk> {
    let mut chunks = Vec::new();
    let mut headings: Vec<(usize, String)> = Vec::new();
    let mut body = String::new();
    let mut in_code = false;
    let flush = |headings: &[(usize, String)], body: &mut String, chunks: &mut Vec<DocChunk>| {
        let title = headings.iter().map(|(_, heading)| heading.as_str()).collect::<Vec<_>>().join(" › ");
        for part in split_long(body.trim()) {
            chunks.push(DocChunk { source: source.to_owned(), title: title.clone(), text: part });
        }
        body.clear();
    };
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        let level = line.chars().take_while(|character| *character == '#').count();
        if !in_code && (1..=6).contains(&level) && line[level..].starts_with(' ') {
            flush(&headings, &mut body, &mut chunks);
            headings.retain(|(other, _)| *other < level);
            headings.push((level, line[level..].trim().to_owned()));
        } else {
            body.push_str(line);
            body.push('\n');
        }
    }
    flush(&headings, &mut body, &mut chunks);
    chunks
}

/// Splits a long section at blank lines into parts of at most `MAX_CHUNK_CHARS` (a longer paragraph stays whole).
fn split_long(text: &str) -> Vec<String> {
    if text.is_empty() {
        return Vec::new();
    }
    let mut parts = Vec::new();
    let mut current = String::new();
    for paragraph in text.split("\n\n") {
        if !current.is_empty() && current.len() + paragraph.len() + 2 > MAX_CHUNK_CHARS {
            parts.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push_str("\n\n");
        }
        current.push_str(paragraph);
    }
    if !current.trim().is_empty() {
        parts.push(current);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_follow_headings_and_keep_their_path() {
        let text = "# Codes\nIntro.\n\n## Statuts de contrat\n- EC : en cours\n- RS : résilié\n\n## Branches\nAUTO\n\
                    ```sql\n# not a heading\n```\n# Autre\nFin.";
        let chunks = chunk_markdown("codes.md", text);
        let titles: Vec<_> = chunks.iter().map(|chunk| chunk.title.as_str()).collect();
        assert_eq!(titles, ["Codes", "Codes › Statuts de contrat", "Codes › Branches", "Autre"]);
        assert!(chunks[1].text.contains("RS : résilié"));
        assert!(chunks[2].text.contains("# not a heading"), "code blocks are not cut");
    }

    #[test]
    fn long_sections_are_cut_at_blank_lines() {
        let paragraph = "mot ".repeat(200);
        let text = format!("# Long\n{paragraph}\n\n{paragraph}\n\n{paragraph}");
        let chunks = chunk_markdown("long.md", &text);
        assert!(chunks.len() >= 2);
        assert!(chunks.iter().all(|chunk| chunk.title == "Long" && chunk.text.len() <= MAX_CHUNK_CHARS));
    }

    #[test]
    fn load_dir_reads_markdown_and_text_files_in_order() {
        let dir = tempfile::TempDir::new().expect("temp dir");
        std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
        std::fs::write(dir.path().join("b.md"), "# B\nbbb").expect("write");
        std::fs::write(dir.path().join("sub/a.txt"), "aaa").expect("write");
        std::fs::write(dir.path().join("ignored.pdf"), "x").expect("write");
        let chunks = load_dir(dir.path()).expect("loads");
        let sources: Vec<_> = chunks.iter().map(|chunk| chunk.source.as_str()).collect();
        assert_eq!(sources, ["b.md", "sub/a.txt"]);
    }
}
