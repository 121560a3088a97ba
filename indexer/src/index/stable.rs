//! The stable part of the prompt's schema: what every question of one build shares, byte for byte, so that the model
//! server's prompt cache keeps it and a question costs only its own few tokens to read.
//!
//! A catalog that fits the budget is rendered whole (every visible table, every column, in catalog order). A bigger
//! one keeps a core chosen without any question — the tables past answers used most, then the most joined ones —
//! and names the others, as far as the budget goes; retrieval adds the detail of the others after the stable part.
//! The text depends only on the build and on what the reader may see ([`Visibility`]), never on a question.

use std::collections::{BTreeSet, HashMap};

use crate::catalog::{Catalog, Visibility};
use crate::index::graph::JoinGraph;
use crate::index::render::{self, Detail, Focus};
use crate::index::text::estimate_tokens;

/// Share of the budget the core's detailed tables may take when the catalog does not fit whole; the rest names
/// the other tables.
const CORE_SHARE_PERCENT: usize = 75;

/// The stable schema of one build, for one visibility.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StableSchema {
    /// The text: detailed tables in catalog order, then the names of the others (when the catalog is too big).
    pub text: String,
    /// Estimated tokens of `text`.
    pub tokens: usize,
    /// Catalog positions of the tables rendered in full detail.
    pub detailed: BTreeSet<usize>,
    /// Whether every visible table is detailed.
    pub whole: bool,
}

/// Builds the stable schema of `catalog` as `visibility` shows it, within `budget` estimated tokens. `usage` counts
/// how often past answers read each table (by catalog position).
pub(crate) fn build(
    catalog: &Catalog,
    visibility: &Visibility,
    graph: &JoinGraph,
    usage: &HashMap<usize, u64>,
    budget: usize,
) -> StableSchema {
    let unfocused = Focus::default();
    let visible: Vec<usize> =
        (0..catalog.tables.len()).filter(|&table| visibility.shows_table(&catalog.tables[table])).collect();
    let texts: HashMap<usize, String> = visible
        .iter()
        .map(|&table| {
            (table, render::render_table(&visibility.view(&catalog.tables[table]), &unfocused, Detail::Whole))
        })
        .collect();
    let whole_tokens: usize = texts.values().map(|text| estimate_tokens(text)).sum();
    if whole_tokens <= budget {
        let text: String = visible.iter().map(|table| texts[table].as_str()).collect();
        return StableSchema {
            tokens: estimate_tokens(&text),
            text,
            detailed: visible.into_iter().collect(),
            whole: true,
        };
    }
    // The core: most used first, then the most joined (the hubs most questions go through), then catalog order.
    let mut order = visible.clone();
    order.sort_by_key(|&table| {
        (std::cmp::Reverse(usage.get(&table).copied().unwrap_or(0)), std::cmp::Reverse(graph.degree(table)), table)
    });
    let core_budget = budget * CORE_SHARE_PERCENT / 100;
    let mut detailed = BTreeSet::new();
    let mut spent = 0;
    for table in order {
        let cost = estimate_tokens(&texts[&table]);
        if spent + cost > core_budget {
            // A smaller table further down may still fit; a catalog of thousands is not walked to its end.
            if detailed.len() >= visible.len().min(200) {
                break;
            }
            continue;
        }
        spent += cost;
        detailed.insert(table);
    }
    let mut text: String = detailed.iter().map(|table| texts[table].as_str()).collect();
    let others: Vec<usize> = visible.iter().copied().filter(|table| !detailed.contains(table)).collect();
    let mut names = Vec::new();
    spent = estimate_tokens(&text);
    for &table in &others {
        let name = catalog.tables[table].qualified_name();
        let cost = estimate_tokens(&name) + 1;
        if spent + cost > budget {
            break;
        }
        spent += cost;
        names.push(name);
    }
    text.push_str("-- Autres tables (leurs colonnes sont données avec la question qui en a besoin) : ");
    text.push_str(&names.join(", "));
    if names.len() < others.len() {
        text.push_str(&format!(" … et {} autres", others.len() - names.len()));
    }
    text.push('\n');
    StableSchema { tokens: estimate_tokens(&text), text, detailed, whole: false }
}

/// Counts, for each table of `catalog`, the past queries that name it (as a whole word, case-insensitively).
pub(crate) fn usage(catalog: &Catalog, past_queries: &[String]) -> HashMap<usize, u64> {
    let positions: HashMap<String, usize> = catalog
        .tables
        .iter()
        .enumerate()
        .flat_map(|(position, table)| {
            [(table.name.to_uppercase(), position), (table.qualified_name().to_uppercase(), position)]
        })
        .collect();
    let mut counts: HashMap<usize, u64> = HashMap::new();
    for sql in past_queries {
        let named: BTreeSet<usize> = sql
            .split(|character: char| !(character.is_alphanumeric() || character == '_' || character == '.'))
            .filter_map(|word| positions.get(&word.trim_matches('.').to_uppercase()).copied())
            .collect();
        for table in named {
            *counts.entry(table).or_default() += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Column, ForeignKey, Table};

    fn table(name: &str, columns: usize, references: Option<&str>) -> Table {
        let mut table = Table {
            name: name.to_owned(),
            columns: (0..columns)
                .map(|index| Column {
                    name: format!("COL_{index}"),
                    data_type: "NUMBER".to_owned(),
                    ..Column::default()
                })
                .collect(),
            ..Table::default()
        };
        if let Some(target) = references {
            table.foreign_keys.push(ForeignKey {
                columns: vec!["COL_0".to_owned()],
                referenced_table: target.to_owned(),
                referenced_columns: vec!["COL_0".to_owned()],
                ..ForeignKey::default()
            });
        }
        table
    }

    fn catalog() -> Catalog {
        Catalog {
            engine: None,
            terms: Vec::new(),
            tables: vec![
                table("A_RARE", 5, None),
                table("B_HUB", 5, None),
                table("C_USED", 5, Some("B_HUB")),
                table("D_LEAF", 5, Some("B_HUB")),
            ],
        }
    }

    #[test]
    fn a_catalog_within_the_budget_is_whole_in_catalog_order() {
        let catalog = catalog();
        let stable = build(&catalog, &Visibility::default(), &JoinGraph::new(&catalog), &HashMap::new(), 10_000);
        assert!(stable.whole);
        assert_eq!(stable.detailed.len(), 4);
        let positions: Vec<usize> =
            ["A_RARE", "B_HUB", "C_USED", "D_LEAF"].iter().map(|name| stable.text.find(name).expect(name)).collect();
        assert!(positions.windows(2).all(|pair| pair[0] < pair[1]), "{}", stable.text);
    }

    #[test]
    fn a_bigger_catalog_keeps_the_used_then_the_joined_tables_and_names_the_others() {
        let catalog = catalog();
        let graph = JoinGraph::new(&catalog);
        let one_table = estimate_tokens(&render::render_table(&catalog.tables[0], &Focus::default(), Detail::Whole));
        let usage = usage(
            &catalog,
            &["SELECT * FROM c_used JOIN b_hub USING (col_0)".to_owned(), "select 1 from C_USED".into()],
        );
        assert_eq!(usage.get(&2), Some(&2));
        // Room for two detailed tables, and the names.
        let budget = (2 * one_table + 1) * 100 / CORE_SHARE_PERCENT + 40;
        let stable = build(&catalog, &Visibility::default(), &graph, &usage, budget);
        assert!(!stable.whole);
        assert_eq!(stable.detailed, BTreeSet::from([1, 2]), "{}", stable.text);
        assert!(stable.text.contains("Autres tables") && stable.text.contains("A_RARE, D_LEAF"), "{}", stable.text);
        assert!(stable.tokens <= budget);
    }

    #[test]
    fn hidden_tables_are_neither_detailed_nor_named() {
        let catalog = catalog();
        let mut visibility = Visibility::default();
        visibility.hidden_tables.insert(crate::catalog::table_key(None, "A_RARE"));
        let stable = build(&catalog, &visibility, &JoinGraph::new(&catalog), &HashMap::new(), 10_000);
        assert!(!stable.text.contains("A_RARE"));
        let small = build(&catalog, &visibility, &JoinGraph::new(&catalog), &HashMap::new(), 60);
        assert!(!small.text.contains("A_RARE"), "{}", small.text);
    }
}
