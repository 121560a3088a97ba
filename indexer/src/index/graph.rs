//! The foreign-key graph between tables, used to add the tables a join between two retrieved tables goes through.

use std::collections::HashMap;

use crate::catalog::{Catalog, table_key};

/// Undirected adjacency between table positions in a catalog.
#[derive(Debug, Default)]
pub(crate) struct JoinGraph {
    neighbours: Vec<Vec<usize>>,
}

/// Longest join path searched between two retrieved tables, in edges.
const MAX_PATH_EDGES: usize = 3;

impl JoinGraph {
    /// Builds the graph of `catalog`'s foreign keys (keys to unknown tables are skipped).
    pub fn new(catalog: &Catalog) -> Self {
        let positions: HashMap<_, usize> = catalog
            .tables
            .iter()
            .enumerate()
            .map(|(position, table)| (table_key(table.schema.as_deref(), &table.name), position))
            .collect();
        let mut neighbours = vec![Vec::new(); catalog.tables.len()];
        for (position, table) in catalog.tables.iter().enumerate() {
            for key in &table.foreign_keys {
                let schema = key.referenced_schema.as_deref().or(table.schema.as_deref());
                if let Some(&target) = positions.get(&table_key(schema, &key.referenced_table))
                    && target != position
                    && !neighbours[position].contains(&target)
                {
                    neighbours[position].push(target);
                    neighbours[target].push(position);
                }
            }
        }
        Self { neighbours }
    }

    /// Returns how many tables `table` joins with directly.
    pub fn degree(&self, table: usize) -> usize {
        self.neighbours.get(table).map_or(0, Vec::len)
    }

    /// Returns the tables a join from any of `sources` to `target` goes through (endpoints excluded), or `None`
    /// when no path of at most `MAX_PATH_EDGES` exists. Among paths of equal length, the one going through more
    /// `preferred` tables wins (they are already relevant), then the one through fewer other tables.
    pub fn path_between(&self, sources: &[usize], target: usize, preferred: &[usize]) -> Option<Vec<usize>> {
        if sources.contains(&target) {
            return Some(Vec::new());
        }
        // Breadth-first by edge count; within a depth, keep the predecessor with the lowest cost (non-preferred
        // intermediate tables crossed).
        let mut best: HashMap<usize, (usize, usize, Option<usize>)> =
            sources.iter().map(|&source| (source, (0, 0, None))).collect();
        let mut frontier: Vec<usize> = sources.to_vec();
        for depth in 1..=MAX_PATH_EDGES {
            let mut next_frontier: Vec<usize> = Vec::new();
            for &node in &frontier {
                let cost = best.get(&node).map_or(0, |entry| entry.1);
                let step_cost = usize::from(!sources.contains(&node) && !preferred.contains(&node));
                for &next in self.neighbours.get(node).map(Vec::as_slice).unwrap_or_default() {
                    let candidate = (depth, cost + step_cost, Some(node));
                    match best.get(&next) {
                        Some(&(seen_depth, seen_cost, _))
                            if seen_depth < depth || (seen_depth == depth && seen_cost <= candidate.1) => {}
                        _ => {
                            if !best.contains_key(&next) {
                                next_frontier.push(next);
                            }
                            best.insert(next, candidate);
                        }
                    }
                }
            }
            if best.contains_key(&target) {
                let mut path = Vec::new();
                let mut cursor = best.get(&target).and_then(|entry| entry.2);
                while let Some(node) = cursor {
                    if sources.contains(&node) {
                        break;
                    }
                    path.push(node);
                    cursor = best.get(&node).and_then(|entry| entry.2);
                }
                path.reverse();
                return Some(path);
            }
            frontier = next_frontier;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ForeignKey, Table};

    fn table(name: &str, references: &[&str]) -> Table {
        Table {
            name: name.into(),
            foreign_keys: references
                .iter()
                .map(|target| ForeignKey { referenced_table: (*target).into(), ..ForeignKey::default() })
                .collect(),
            ..Table::default()
        }
    }

    #[test]
    fn the_join_path_between_two_tables_is_added() {
        // REGLEMENTS → SINISTRES → CONTRATS → CLIENTS ; PRODUITS alone.
        let catalog = Catalog {
            engine: None,
            terms: Vec::new(),
            tables: vec![
                table("CLIENTS", &[]),
                table("CONTRATS", &["CLIENTS"]),
                table("SINISTRES", &["CONTRATS"]),
                table("REGLEMENTS", &["SINISTRES"]),
                table("PRODUITS", &[]),
            ],
        };
        let graph = JoinGraph::new(&catalog);
        assert_eq!(graph.path_between(&[3], 0, &[]), Some(vec![2, 1]));
        assert_eq!(graph.path_between(&[0], 1, &[]), Some(Vec::new()));
        assert_eq!(graph.path_between(&[0], 4, &[]), None, "no path");
        assert_eq!(graph.neighbours[1], [0, 2]);
    }

    #[test]
    fn equal_length_paths_prefer_tables_already_relevant() {
        // REGLEMENTS(0) → EXPERTS(1) → ADRESSES(2) and REGLEMENTS(0) → CLIENTS(3) → ADRESSES(2).
        let catalog = Catalog {
            engine: None,
            terms: Vec::new(),
            tables: vec![
                table("REGLEMENTS", &["EXPERTS", "CLIENTS"]),
                table("EXPERTS", &["ADRESSES"]),
                table("ADRESSES", &[]),
                table("CLIENTS", &["ADRESSES"]),
            ],
        };
        let graph = JoinGraph::new(&catalog);
        assert_eq!(graph.path_between(&[0], 2, &[3]), Some(vec![3]));
        assert_eq!(graph.path_between(&[0], 2, &[1]), Some(vec![1]));
    }
}
