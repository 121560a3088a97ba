//! Retrieval: from a question to the few tables, columns, values, document chunks and examples the model needs,
//! with a compact DDL cut to a token budget.
//!
//! Hybrid ranking: BM25 (tantivy) and vector similarity (fastembed) fused by reciprocal rank, value links on top,
//! then the join path between the chosen tables. Each query uses one `Searcher`.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use crate::IndexerError;
use crate::catalog::{self, Catalog, VerifiedPair, Visibility, table_key};
use crate::docs::DocChunk;
use crate::embed::{DIMENSION, Embedder, dot};
use crate::index::fields::{self, Fields};
use crate::index::graph::JoinGraph;
use crate::index::layout::{self, Manifest};
use crate::index::link::Vocabulary;
use crate::index::render::{self, Detail, Focus};
use crate::index::stable::{self, StableSchema};
use crate::index::text::{expand_identifiers, words};

/// Constant of reciprocal rank fusion: a document at rank r in a list scores 1 / (RRF_K + r).
const RRF_K: f32 = 60.0;
/// Candidates taken from each ranked list.
const CANDIDATES: usize = 30;

/// How to choose tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// BM25 + vectors + value links + join paths (the default).
    Hybrid,
    /// Vector similarity only, top `max_tables` (the baseline).
    VectorOnly,
    /// Every table, in catalog order (the full-schema baseline).
    FullSchema,
}

/// Limits of one retrieval.
#[derive(Debug, Clone, Copy)]
pub struct RetrieveOptions {
    /// How tables are chosen.
    pub strategy: Strategy,
    /// Largest schema text, in estimated LLM tokens.
    pub budget_tokens: usize,
    /// Most tables chosen by ranking (join-path tables come on top).
    pub max_tables: usize,
    /// Most document chunks returned.
    pub max_documents: usize,
    /// Most verified pairs returned.
    pub max_examples: usize,
    /// Largest stable schema (the part of the prompt every question shares), in estimated tokens; 0 puts the
    /// whole schema with each question instead, as chosen for it.
    pub stable_budget_tokens: usize,
}

impl Default for RetrieveOptions {
    fn default() -> Self {
        Self {
            strategy: Strategy::Hybrid,
            budget_tokens: 1000,
            max_tables: 5,
            max_documents: 2,
            max_examples: 2,
            stable_budget_tokens: 0,
        }
    }
}

/// A table put in front of the model, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetrievedTable {
    /// `SCHEMA.NAME` or `NAME`.
    pub name: String,
    /// Fused score (higher is better; 0 for join-path and whole-schema tables).
    pub score: f32,
    /// Why it was chosen: `keywords #1`, `meaning #2`, `value 'Paris' in VILLE`, `join path`, `whole schema`.
    pub reasons: Vec<String>,
}

/// A literal of the question found among a column's values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedValue {
    /// The table.
    pub table: String,
    /// The column.
    pub column: String,
    /// The value as stored.
    pub value: String,
    /// The code's label, when the value is a code of the column's list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Linked because a word of the question is a word of the code's label ("auto" → Automobile), not because the
    /// question holds the value: a candidate, whose column's code list the prompt shows, not a value to apply.
    #[serde(default)]
    pub by_label: bool,
}

/// Tables as ranked for one question: (table ordinal, score, why), best first.
type Ranked = Vec<(usize, f32, Vec<String>)>;

/// What retrieval found for one question.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Retrieval {
    /// Tables whose DDL is in `schema_ddl`, best first.
    pub tables: Vec<RetrievedTable>,
    /// Values of the question linked to columns: sample values it names, and codes whose label it names.
    pub linked_values: Vec<LinkedValue>,
    /// The business terms the question uses, with their definitions.
    #[serde(default)]
    pub terms: Vec<catalog::Term>,
    /// Relevant internal document chunks.
    pub documents: Vec<DocChunk>,
    /// Similar verified question→SQL pairs.
    pub examples: Vec<VerifiedPair>,
    /// Compact DDL of `tables`.
    pub schema_ddl: String,
    /// Estimated tokens of `schema_ddl`.
    pub schema_tokens: usize,
    /// The tables the rankings agree the question needs (see `hybrid_ranking`), named to the model as the likely
    /// ones, also when the whole schema is sent. Empty for the full-schema and vector-only strategies.
    #[serde(default)]
    pub likely_tables: Vec<String>,
    /// The stable schema the prompt puts before everything question-specific (hybrid strategy with a stable
    /// budget); `schema_ddl` then holds only what it leaves out: the detail of other tables, the reader's private
    /// columns.
    #[serde(skip)]
    pub stable: Option<Arc<StableSchema>>,
}

/// One loaded build, immutable; swapped whole when a new build is published.
pub(crate) struct LoadedIndex {
    pub manifest: Manifest,
    pub catalog: Arc<Catalog>,
    documents: Vec<DocChunk>,
    pairs: Vec<VerifiedPair>,
    index: tantivy::Index,
    reader: tantivy::IndexReader,
    fields: Fields,
    vectors: Vec<f32>,
    graph: JoinGraph,
    /// Folded word → (table, column, value) positions of sample values containing it.
    values: HashMap<String, Vec<(usize, usize, usize)>>,
    /// The code labels and business terms, for linking a question's words to them.
    vocabulary: Vocabulary,
    /// Estimated tokens of every table with every column: when it fits the budget, the whole schema is sent.
    whole_schema_tokens: usize,
    /// How many past answers read each table (by catalog position), for the core of a big catalog.
    usage: HashMap<usize, u64>,
    /// Stable schemas built so far, by the visibility they were rendered for (few: one per grant in use).
    stable: Mutex<Vec<(Visibility, usize, Arc<StableSchema>)>>,
}

impl LoadedIndex {
    /// Opens the build in `dir`.
    pub fn open(dir: &Path) -> Result<Self, IndexerError> {
        let manifest: Manifest = layout::read_json(&dir.join("manifest.json"))?;
        let catalog: Catalog = layout::read_json(&dir.join("catalog.json"))?;
        let documents: Vec<DocChunk> = layout::read_json(&dir.join("documents.json"))?;
        let pairs: Vec<VerifiedPair> = layout::read_json(&dir.join("pairs.json"))?;
        let index = tantivy::Index::open_in_dir(dir.join("tantivy"))
            .map_err(|error| IndexerError::Index(format!("cannot open the keyword index: {error}")))?;
        fields::register_analyzers(&index);
        let fields = Fields::from_schema(&index.schema())
            .map_err(|error| IndexerError::Index(format!("unexpected index schema: {error}")))?;
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .map_err(|error| IndexerError::Index(format!("cannot read the keyword index: {error}")))?;
        let vectors = read_vectors(&dir.join("vectors.bin"), catalog.tables.len(), manifest.embedding_model.is_some())?;
        let graph = JoinGraph::new(&catalog);
        let values = value_map(&catalog);
        let vocabulary = Vocabulary::of(&catalog);
        let whole_schema_tokens =
            catalog.tables.iter().map(|table| render::cost(table, &Focus::default(), Detail::Whole)).sum::<usize>();
        // Builds published before past queries were kept have none.
        let past_path = dir.join("past-queries.json");
        let past_queries: Vec<String> = if past_path.exists() { layout::read_json(&past_path)? } else { Vec::new() };
        let usage = stable::usage(&catalog, &past_queries);
        Ok(Self {
            manifest,
            catalog: Arc::new(catalog),
            documents,
            pairs,
            index,
            reader,
            fields,
            vectors,
            graph,
            values,
            vocabulary,
            whole_schema_tokens,
            usage,
            stable: Mutex::new(Vec::new()),
        })
    }

    /// Returns whether table vectors are available.
    pub fn has_vectors(&self) -> bool {
        !self.vectors.is_empty()
    }

    /// Answers one question for a reader who sees what `visibility` shows: hidden tables are never ranked, joined
    /// through or rendered, hidden columns never rendered or linked to a value.
    pub fn retrieve(
        &self,
        question: &str,
        question_vector: Option<&[f32]>,
        options: &RetrieveOptions,
        visibility: &Visibility,
    ) -> Result<Retrieval, IndexerError> {
        let searcher = self.reader.searcher();
        let shown = |table: usize| visibility.shows_table(&self.catalog.tables[table]);
        let mut linked = self.link_values(question);
        linked.retain(|(table, column, _)| {
            let table = &self.catalog.tables[*table];
            visibility.shows_column(table, &table.columns[*column].name)
        });
        let links = self.vocabulary.link(question);
        let terms: Vec<usize> =
            links.terms.into_iter().filter(|term| visibility.shows_term(&self.catalog.terms[*term])).collect();
        let mut focus = Focus { words: render::distinctive_words(question).into_iter().collect(), linked: Vec::new() };
        let mut labels: HashMap<(String, String, String), String> = HashMap::new();
        let mut by_label: std::collections::HashSet<(String, String, String)> = std::collections::HashSet::new();
        for (table, column, value) in &linked {
            let table = &self.catalog.tables[*table];
            let column = &table.columns[*column];
            let key = (table.qualified_name(), column.name.clone(), column.sample_values[*value].clone());
            if let Some(code) = column.codes.iter().find(|code| code.value == key.2) {
                labels.insert(key.clone(), crate::vocabulary::short_label(&code.label));
            }
            focus.linked.push(key);
        }
        for (table, column, code) in links.codes {
            let table = &self.catalog.tables[table];
            let column = &table.columns[column];
            if !visibility.shows_column(table, &column.name) {
                continue;
            }
            let key = (table.qualified_name(), column.name.clone(), column.codes[code].value.clone());
            labels.insert(key.clone(), crate::vocabulary::short_label(&column.codes[code].label));
            if !focus.linked.contains(&key) {
                by_label.insert(key.clone());
                focus.linked.push(key);
            }
        }
        let (mut ranked, mut likely_tables): (Ranked, Vec<usize>) = match options.strategy {
            Strategy::FullSchema => (
                (0..self.catalog.tables.len()).map(|table| (table, 0.0, vec!["whole schema".to_owned()])).collect(),
                Vec::new(),
            ),
            Strategy::VectorOnly => (
                self.vector_ranking(question_vector)
                    .into_iter()
                    .take(options.max_tables)
                    .enumerate()
                    .map(|(rank, (table, score))| (table, score, vec![format!("meaning #{}", rank + 1)]))
                    .collect(),
                Vec::new(),
            ),
            Strategy::Hybrid => self.hybrid_ranking(&searcher, question, question_vector, &linked, &terms)?,
        };
        ranked.retain(|(table, ..)| shown(*table));
        likely_tables.retain(|table| shown(*table));
        // With a stable budget, the schema goes first in the prompt, the same for every question of this build
        // (see `stable`): the model server's prompt cache keeps it, and a question costs only its own tokens. The
        // ranking then only names the likely tables and, for a catalog too big to be whole, adds the detail of
        // the tables its core leaves out.
        let stable = (options.strategy == Strategy::Hybrid && options.stable_budget_tokens > 0)
            .then(|| self.stable_schema(&visibility.shared(), options.stable_budget_tokens));
        // Without one, a schema that fits the budget whole is sent whole with the question (ranked tables first in
        // the list of reasons): nothing can be missed, and its text — every column, none of the question's values,
        // which the prompt lists after it — stays the same from one question to the next.
        let whole = stable.is_none()
            && (options.strategy == Strategy::FullSchema
                || (options.strategy == Strategy::Hybrid && self.whole_schema_tokens <= options.budget_tokens));
        let ranked = match (whole, options.strategy) {
            (true, Strategy::Hybrid) => {
                self.with_every_table(ranked.into_iter().take(options.max_tables).collect(), visibility)
            }
            (false, Strategy::Hybrid) => {
                let mut kept = self.keep_connected(ranked.into_iter().take(2 * options.max_tables).collect());
                kept.truncate(options.max_tables);
                kept
            }
            _ => ranked,
        };
        let chosen = match &stable {
            Some(stable) if stable.whole => {
                ranked.into_iter().map(|(table, score, reasons)| (table, score, reasons, Detail::Whole)).collect()
            }
            _ => self.choose(ranked, &focus, options, whole, visibility),
        };
        let in_stable = |table: usize| stable.as_ref().is_some_and(|stable| stable.detailed.contains(&table));
        // The DDL lists the chosen tables in catalog order, not rank order: consecutive questions about the same
        // tables then share a longer prompt prefix, which the LLM server's prompt cache does not recompute.
        let mut in_catalog_order: Vec<&(usize, f32, Vec<String>, Detail)> = chosen.iter().collect();
        in_catalog_order.sort_by_key(|(table, ..)| *table);
        let mut schema_ddl: String = in_catalog_order
            .iter()
            .filter(|(table, ..)| !in_stable(*table))
            .map(|(table, .., detail)| {
                render::render_table(&visibility.view(&self.catalog.tables[*table]), &focus, *detail)
            })
            .collect();
        // A cleared reader's sensitive columns are left out of the shared stable part: they come here, for every
        // table of it that has some.
        if let Some(stable) = stable.as_ref().filter(|_| !visibility.private_columns.is_empty()) {
            for &table in &stable.detailed {
                let view = visibility.view(&self.catalog.tables[table]);
                schema_ddl.extend(render::render_private_columns(&view, |column| visibility.is_private(&view, column)));
            }
        }
        let schema_tokens = crate::index::text::estimate_tokens(&schema_ddl);
        let likely_tables = likely_tables
            .into_iter()
            .filter(|table| chosen.iter().any(|(kept, ..)| kept == table))
            .map(|table| self.catalog.tables[table].qualified_name())
            .collect();
        let kept: Vec<RetrievedTable> = chosen
            .into_iter()
            .map(|(table, score, reasons, _)| RetrievedTable {
                name: self.catalog.tables[table].qualified_name(),
                score,
                reasons,
            })
            .collect();
        let documents = self
            .keyword_hits(&searcher, fields::KIND_DOC, question, options.max_documents)?
            .into_iter()
            .filter_map(|(ordinal, _)| self.documents.get(ordinal).cloned())
            .collect();
        let examples = self
            .keyword_hits(&searcher, fields::KIND_PAIR, question, options.max_examples)?
            .into_iter()
            .filter_map(|(ordinal, _)| self.pairs.get(ordinal).cloned())
            .collect();
        let linked_values = focus
            .linked
            .into_iter()
            .filter(|(table, ..)| kept.iter().any(|kept| kept.name == *table) || stable.is_some())
            .map(|(table, column, value)| {
                let key = (table, column, value);
                let label = labels.remove(&key);
                let by_label = by_label.contains(&key);
                let (table, column, value) = key;
                LinkedValue { table, column, value, label, by_label }
            })
            .collect();
        let terms = terms.into_iter().map(|term| self.catalog.terms[term].clone()).collect();
        Ok(Retrieval {
            tables: kept,
            linked_values,
            terms,
            documents,
            examples,
            schema_ddl,
            schema_tokens,
            likely_tables,
            stable,
        })
    }

    /// Returns the stable schema for readers who see what `visibility` shows, built on first use.
    pub(crate) fn stable_schema(&self, visibility: &Visibility, budget: usize) -> Arc<StableSchema> {
        let mut built = self.stable.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, _, stable)) =
            built.iter().find(|(seen, seen_budget, _)| seen == visibility && *seen_budget == budget)
        {
            return Arc::clone(stable);
        }
        let stable = Arc::new(stable::build(&self.catalog, visibility, &self.graph, &self.usage, budget));
        // A grant per role at most: a handful. Past a dozen, the oldest is dropped.
        if built.len() >= 12 {
            built.remove(0);
        }
        built.push((visibility.clone(), budget, Arc::clone(&stable)));
        stable
    }

    /// Appends every table the ranking left out, in catalog order, as part of a whole schema.
    fn with_every_table(&self, mut ranked: Ranked, visibility: &Visibility) -> Ranked {
        let present: std::collections::HashSet<usize> = ranked.iter().map(|(table, ..)| *table).collect();
        for table in 0..self.catalog.tables.len() {
            if !present.contains(&table) && visibility.shows_table(&self.catalog.tables[table]) {
                ranked.push((table, 0.0, vec!["whole schema (fits the budget)".to_owned()]));
            }
        }
        ranked
    }

    /// Drops the ranked tables that have no join to the best-scored group of joined tables: the tables one question
    /// needs are joined by keys, and a lone table that matched a word of the question ("city", "name") is the
    /// likeliest to mislead a small model. Kept anyway: the two best tables, tables holding a value the question
    /// names, and everything when no two candidates join (a schema without declared keys).
    fn keep_connected(&self, ranked: Ranked) -> Ranked {
        let preferred: Vec<usize> = ranked.iter().map(|(table, ..)| *table).collect();
        let mut group: Vec<usize> = (0..ranked.len()).collect();
        fn root(group: &mut [usize], mut node: usize) -> usize {
            while group[node] != node {
                group[node] = group[group[node]];
                node = group[node];
            }
            node
        }
        for left in 0..ranked.len() {
            for right in left + 1..ranked.len() {
                if self.graph.path_between(&[ranked[left].0], ranked[right].0, &preferred).is_some() {
                    let (a, b) = (root(&mut group, left), root(&mut group, right));
                    group[b] = a;
                }
            }
        }
        let mut sums: HashMap<usize, (f32, usize)> = HashMap::new();
        for (position, (_, score, _)) in ranked.iter().enumerate() {
            let entry = sums.entry(root(&mut group, position)).or_default();
            entry.0 += score;
            entry.1 += 1;
        }
        let Some((&anchor, &(_, members))) =
            sums.iter().max_by(|left, right| left.1.0.total_cmp(&right.1.0).then(right.0.cmp(left.0)))
        else {
            return ranked;
        };
        if members < 2 {
            return ranked;
        }
        ranked
            .into_iter()
            .enumerate()
            .filter(|(position, (_, _, reasons))| {
                *position < 2
                    || root(&mut group, *position) == anchor
                    || reasons.iter().any(|reason| reason.starts_with("value "))
            })
            .map(|(_, table)| table)
            .collect()
    }

    /// Takes ranked tables in order, each with the tables its join to the chosen ones goes through, while the
    /// budget allows (the first always). The two best tables are shown in full, the others compact; with `whole`,
    /// every table is taken, in full.
    fn choose(
        &self,
        ranked: Ranked,
        focus: &Focus,
        options: &RetrieveOptions,
        whole: bool,
        visibility: &Visibility,
    ) -> Vec<(usize, f32, Vec<String>, Detail)> {
        let view = |table: usize| visibility.view(&self.catalog.tables[table]);
        let preferred: Vec<usize> = ranked.iter().map(|(table, ..)| *table).collect();
        let ranked_reasons: HashMap<usize, (f32, Vec<String>)> =
            ranked.iter().map(|(table, score, reasons)| (*table, (*score, reasons.clone()))).collect();
        let mut chosen: Vec<(usize, f32, Vec<String>, Detail)> = Vec::new();
        let mut tokens = 0;
        for (rank, (table, score, reasons)) in ranked.into_iter().enumerate() {
            if chosen.iter().any(|(already, ..)| *already == table) {
                continue;
            }
            let hybrid = options.strategy == Strategy::Hybrid && !whole;
            let detail = match (whole, rank < 2 || !hybrid) {
                (true, _) => Detail::Whole,
                (false, true) => Detail::Full,
                (false, false) => Detail::Compact,
            };
            let mut additions = Vec::new();
            if hybrid && !chosen.is_empty() {
                let sources: Vec<usize> = chosen.iter().map(|(table, ..)| *table).collect();
                let mut path = self.graph.path_between(&sources, table, &preferred).unwrap_or_default();
                // A join through a table the reader may not see is no join for them: the table comes alone.
                if path.iter().any(|connector| !visibility.shows_table(&self.catalog.tables[*connector])) {
                    path.clear();
                }
                for connector in path {
                    let (score, mut reasons) = ranked_reasons.get(&connector).cloned().unwrap_or_default();
                    reasons.push("join path".to_owned());
                    additions.push((connector, score, reasons, Detail::Compact));
                }
            }
            additions.push((table, score, reasons, detail));
            let cost: usize =
                additions.iter().map(|(table, .., detail)| render::cost(&view(*table), focus, *detail)).sum();
            if !chosen.is_empty() && !whole && tokens + cost > options.budget_tokens {
                continue;
            }
            tokens += cost;
            chosen.extend(additions);
        }
        // What budget is left completes compact tables, best first: a model shown only some columns of a table
        // invents the others.
        for (table, .., detail) in &mut chosen {
            if *detail == Detail::Compact {
                let table = &view(*table);
                let extra = render::cost(table, focus, Detail::Full).saturating_sub(render::cost(
                    table,
                    focus,
                    Detail::Compact,
                ));
                if tokens + extra <= options.budget_tokens {
                    *detail = Detail::Full;
                    tokens += extra;
                }
            }
        }
        chosen
    }

    /// Fuses the keyword and meaning rankings (reciprocal rank) with the linked values. Also returns the likely
    /// tables: the table first by keywords, the one first by meaning when keywords put it second, and the tables
    /// holding a value the question names when keywords put them in their top three (on Spider's dev sample these
    /// are gold tables 9 times in 10, while a table both rankings put second is one time in two).
    fn hybrid_ranking(
        &self,
        searcher: &tantivy::Searcher,
        question: &str,
        question_vector: Option<&[f32]>,
        linked: &[(usize, usize, usize)],
        terms: &[usize],
    ) -> Result<(Ranked, Vec<usize>), IndexerError> {
        let mut fused: HashMap<usize, (f32, Vec<String>)> = HashMap::new();
        let mut keyword_rank: HashMap<usize, usize> = HashMap::new();
        let mut likely: Vec<usize> = Vec::new();
        for (rank, (table, _)) in
            self.keyword_hits(searcher, fields::KIND_TABLE, question, CANDIDATES)?.into_iter().enumerate()
        {
            let entry = fused.entry(table).or_default();
            entry.0 += 1.0 / (RRF_K + rank as f32 + 1.0);
            entry.1.push(format!("keywords #{}", rank + 1));
            keyword_rank.insert(table, rank + 1);
            if rank == 0 {
                likely.push(table);
            }
        }
        for (rank, (table, _)) in self.vector_ranking(question_vector).into_iter().take(CANDIDATES).enumerate() {
            let entry = fused.entry(table).or_default();
            entry.0 += 1.0 / (RRF_K + rank as f32 + 1.0);
            entry.1.push(format!("meaning #{}", rank + 1));
            if rank == 0 && keyword_rank.get(&table) == Some(&2) {
                likely.push(table);
            }
        }
        for (table, column, value) in linked {
            let entry = fused.entry(*table).or_default();
            entry.0 += 1.0 / RRF_K;
            let column = &self.catalog.tables[*table].columns[*column];
            entry.1.push(format!("value '{}' in {}", column.sample_values[*value], column.name));
            if keyword_rank.get(table).is_some_and(|rank| *rank <= 3) && !likely.contains(table) {
                likely.push(*table);
            }
        }
        // A term names its tables less surely than a value: half a value's weight, to each table it reads.
        for &term in terms {
            let term = &self.catalog.terms[term];
            let tables: BTreeSet<usize> = term
                .columns
                .iter()
                .filter_map(|(key, _)| {
                    self.catalog.tables.iter().position(|table| table_key(table.schema.as_deref(), &table.name) == *key)
                })
                .collect();
            for table in tables {
                let entry = fused.entry(table).or_default();
                entry.0 += 0.5 / RRF_K;
                entry.1.push(format!("term '{}'", term.names[0]));
            }
        }
        let mut ranked: Ranked = fused.into_iter().map(|(table, (score, reasons))| (table, score, reasons)).collect();
        ranked.sort_by(|left, right| right.1.total_cmp(&left.1).then(left.0.cmp(&right.0)));
        if likely.is_empty() {
            likely.extend(ranked.first().map(|(table, ..)| *table));
        }
        likely.sort_by_key(|table| ranked.iter().position(|(ranked, ..)| ranked == table));
        Ok((ranked, likely))
    }

    /// BM25 over one kind of document; returns (ordinal, score), best first.
    fn keyword_hits(
        &self,
        searcher: &tantivy::Searcher,
        kind: &str,
        question: &str,
        limit: usize,
    ) -> Result<Vec<(usize, f32)>, IndexerError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let expanded = expand_identifiers(question);
        for (field, analyzer, boost) in [
            (self.fields.name, fields::IDENT, 2.0),
            (self.fields.body_fr, fields::FRENCH, 1.0),
            (self.fields.body_en, fields::ENGLISH, 1.0),
        ] {
            for term in fields::analyze(&self.index, analyzer, &expanded) {
                let query = TermQuery::new(Term::from_field_text(field, &term), IndexRecordOption::WithFreqs);
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(query), boost))));
            }
        }
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(Term::from_field_text(self.fields.kind, kind), IndexRecordOption::Basic))
                    as Box<dyn Query>,
            ),
            (Occur::Must, Box::new(BooleanQuery::new(clauses))),
        ]);
        let hits = searcher
            .search(&query, &TopDocs::with_limit(limit).order_by_score())
            .map_err(|error| IndexerError::Index(format!("keyword search failed: {error}")))?;
        let mut results = Vec::with_capacity(hits.len());
        for (score, address) in hits {
            let document: TantivyDocument =
                searcher.doc(address).map_err(|error| IndexerError::Index(format!("cannot read a hit: {error}")))?;
            if let Some(ordinal) = document.get_first(self.fields.ordinal).and_then(|value| value.as_u64()) {
                results.push((ordinal as usize, score));
            }
        }
        Ok(results)
    }

    /// Tables by cosine similarity to the question, best first.
    fn vector_ranking(&self, question_vector: Option<&[f32]>) -> Vec<(usize, f32)> {
        let Some(question) = question_vector.filter(|vector| vector.len() == DIMENSION && !self.vectors.is_empty())
        else {
            return Vec::new();
        };
        let mut scores: Vec<(usize, f32)> = self
            .vectors
            .chunks_exact(DIMENSION)
            .enumerate()
            .map(|(table, vector)| (table, dot(question, vector)))
            .collect();
        let keep = CANDIDATES.min(scores.len());
        if keep > 0 && keep < scores.len() {
            scores.select_nth_unstable_by(keep - 1, |left, right| right.1.total_cmp(&left.1));
            scores.truncate(keep);
        }
        scores.sort_by(|left, right| right.1.total_cmp(&left.1));
        scores
    }

    /// Sample values whose every word appears in the question (short words must match a capitalised code, values made
    /// of stop words must be quoted).
    fn link_values(&self, question: &str) -> Vec<(usize, usize, usize)> {
        let question_words: BTreeSet<String> = words(question).into_iter().collect();
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        for word in &question_words {
            for &(table, column, value) in self.values.get(word).map(Vec::as_slice).unwrap_or_default() {
                let text = &self.catalog.tables[table].columns[column].sample_values[value];
                let value_words = words(text);
                let all_present = value_words.iter().all(|value_word| question_words.contains(value_word));
                let typed_as_is =
                    text.len() >= 2 && question.split(|c: char| !c.is_alphanumeric()).any(|token| token == text);
                // A short value in capitals is a code (`EC`, `AND`): it links only when the question types it as
                // is, so "and", "are" or the name "Ben" do not bring in the country codes AND, ARE and BEN.
                let code = text.chars().count() <= 3 && !text.chars().any(char::is_lowercase);
                let specific = typed_as_is || (!code && value_words.iter().any(|value_word| value_word.len() >= 3));
                if !all_present || !specific || found.contains(&(table, column, value)) {
                    continue;
                }
                // A value made of stop words ('in', 'the', 'de') is a word of the sentence ("registered in"), not
                // a value, unless the question quotes it.
                if self.stop_words_only(text) && !quotes(question, text) {
                    continue;
                }
                found.push((table, column, value));
            }
        }
        found
    }

    /// Whether `text` is made only of English stop words, or only of French ones.
    fn stop_words_only(&self, text: &str) -> bool {
        [fields::ENGLISH, fields::FRENCH].iter().any(|analyzer| fields::analyze(&self.index, analyzer, text).is_empty())
    }
}

/// Whether `question` holds `text` between single, double or typographic quotes.
fn quotes(question: &str, text: &str) -> bool {
    [('\'', '\''), ('"', '"'), ('«', '»'), ('“', '”')].iter().any(|(open, close)| {
        question.contains(&format!("{open}{text}{close}")) || question.contains(&format!("{open} {text} {close}"))
    })
}

fn read_vectors(path: &Path, tables: usize, expected: bool) -> Result<Vec<f32>, IndexerError> {
    if !expected {
        return Ok(Vec::new());
    }
    let bytes = std::fs::read(path).map_err(|error| IndexerError::io("failed to read", path, error))?;
    if bytes.len() != tables * DIMENSION * 4 {
        return Err(IndexerError::Index(format!(
            "{} has {} bytes, expected {}",
            path.display(),
            bytes.len(),
            tables * DIMENSION * 4
        )));
    }
    Ok(bytes.chunks_exact(4).map(|chunk| f32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]])).collect())
}

fn value_map(catalog: &Catalog) -> HashMap<String, Vec<(usize, usize, usize)>> {
    let mut map: HashMap<String, Vec<(usize, usize, usize)>> = HashMap::new();
    for (table_position, table) in catalog.tables.iter().enumerate() {
        for (column_position, column) in table.columns.iter().enumerate() {
            for (value_position, value) in column.sample_values.iter().enumerate() {
                for word in words(value) {
                    map.entry(word).or_default().push((table_position, column_position, value_position));
                }
            }
        }
    }
    map
}

/// Embeds a question for retrieval; `None` without an embedder (keywords only).
pub(crate) fn question_vector(embedder: Option<&Embedder>, question: &str) -> Result<Option<Vec<f32>>, IndexerError> {
    match embedder {
        Some(embedder) => Ok(embedder.embed(&[question.to_owned()])?.into_iter().next()),
        None => Ok(None),
    }
}
