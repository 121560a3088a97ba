//! The index on the real demo warehouse: introspection, value linking, retrieval, atomic rebuilds.
// The warehouse's own tests call `Warehouse::{explain, run}` directly, with statements written here (the agent
// may only call them through its guarded door).
#![allow(clippy::disallowed_methods)]

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::Arc;

use indexer::catalog::{Column, Overrides, Table, Visibility, table_key};
use indexer::embed::{Embedder, EmbedderConfig};
use indexer::index::{BuildProgress, RetrieveOptions, SchemaIndex, Strategy};
use indexer::pipeline::{ReindexOptions, collect, reindex};
use indexer::source::{Warehouse, WarehouseLimits, WarehouseUrl};
use tempfile::TempDir;

fn embedder() -> Arc<Embedder> {
    let assets = std::env::var_os("PSTRAL_ASSETS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/pstral/assets"));
    Arc::new(Embedder::load(&EmbedderConfig::from_assets_dir(&assets)).expect("assets fetched by scripts/assets.sh"))
}

struct Demo {
    _dir: TempDir,
    warehouse: Warehouse,
    documents: PathBuf,
}

async fn demo() -> Demo {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("warehouse.sqlite");
    indexer::demo::build_sqlite(&path).await.expect("demo builds");
    let documents = dir.path().join("docs");
    std::fs::create_dir(&documents).expect("docs dir");
    for document in indexer::demo::documents() {
        std::fs::write(documents.join(document.file_name), document.content).expect("write doc");
    }
    let warehouse = Warehouse::open(&WarehouseUrl::sqlite(&path), WarehouseLimits::default()).expect("opens");
    Demo { _dir: dir, warehouse, documents }
}

/// Retrieval with the schema chosen for each question (no stable part), whose budget and choices these tests check.
fn per_question() -> RetrieveOptions {
    RetrieveOptions { stable_budget_tokens: 0, ..RetrieveOptions::default() }
}

fn options(demo: &Demo) -> ReindexOptions {
    ReindexOptions { documents_dir: Some(demo.documents.clone()), ..ReindexOptions::default() }
}

#[tokio::test]
async fn introspection_reads_the_demo_tables_keys_and_comments_back() {
    let demo = demo().await;
    let catalog = demo.warehouse.introspect(&[]).await.expect("introspects");
    assert!(catalog.tables.len() >= 15, "{} tables", catalog.tables.len());
    let contrats = catalog.table(None, "CONTRATS").expect("CONTRATS");
    assert!(contrats.comment.as_deref().is_some_and(|comment| !comment.is_empty()), "table comment read back");
    assert!(contrats.columns.iter().filter(|column| column.comment.is_some()).count() * 2 >= contrats.columns.len());
    assert!(!contrats.primary_key.is_empty());
    assert!(contrats.foreign_keys.iter().any(|key| key.referenced_table == "CLIENTS"));
    for table in &catalog.tables {
        for key in &table.foreign_keys {
            assert!(
                catalog.table(None, &key.referenced_table).is_some(),
                "{} references {}",
                table.name,
                key.referenced_table
            );
        }
    }
}

#[tokio::test]
async fn value_linking_finds_paris_in_the_demo_warehouse() {
    let demo = demo().await;
    let root = TempDir::new().expect("temp dir");
    let index = Arc::new(SchemaIndex::open(root.path(), Some(embedder())).expect("opens"));
    reindex(&demo.warehouse, &index, &Overrides::default(), &options(&demo), Arc::new(|_| {})).await.expect("builds");
    let index_for_query = Arc::clone(&index);
    let retrieval = tokio::task::spawn_blocking(move || {
        index_for_query.retrieve("Combien de clients habitent à Paris ?", &per_question())
    })
    .await
    .expect("joins")
    .expect("retrieves");
    let paris = retrieval.linked_values.iter().find(|linked| linked.value == "Paris").expect("Paris is linked");
    assert!(retrieval.tables.iter().any(|table| table.name == paris.table));
    assert!(retrieval.schema_ddl.contains("'Paris'"), "{}", retrieval.schema_ddl);
    assert!(retrieval.tables.iter().any(|table| table.reasons.iter().any(|reason| reason.contains("Paris"))));
}

#[tokio::test]
async fn a_question_about_claims_payments_gets_the_join_path_and_the_code_documents() {
    let demo = demo().await;
    let root = TempDir::new().expect("temp dir");
    let index = Arc::new(SchemaIndex::open(root.path(), Some(embedder())).expect("opens"));
    let manifest = reindex(&demo.warehouse, &index, &Overrides::default(), &options(&demo), Arc::new(|_| {}))
        .await
        .expect("builds");
    assert!(manifest.doc_chunks > 5 && manifest.values > 50, "{manifest:?}");
    let retrieval = index
        .retrieve("Montant total des règlements de sinistres par ville du client", &per_question())
        .expect("retrieves");
    let names: Vec<&str> = retrieval.tables.iter().map(|table| table.name.as_str()).collect();
    for expected in ["REGLEMENTS", "SINISTRES", "CLIENTS"] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    assert!(retrieval.schema_tokens <= per_question().budget_tokens, "{}", retrieval.schema_tokens);
    let documents = index.retrieve("que veut dire le statut RS d'un contrat ?", &per_question()).expect("retrieves");
    assert!(!documents.documents.is_empty(), "a document chunk explains the codes");
}

#[tokio::test]
async fn a_reader_never_gets_a_hidden_table_or_column_from_retrieval() {
    let demo = demo().await;
    let root = TempDir::new().expect("temp dir");
    let index = Arc::new(SchemaIndex::open(root.path(), Some(embedder())).expect("opens"));
    reindex(&demo.warehouse, &index, &Overrides::default(), &options(&demo), Arc::new(|_| {})).await.expect("builds");
    let mut visibility = Visibility::default();
    visibility.hidden_tables.insert(table_key(None, "SINISTRES"));
    visibility.hidden_columns.insert((table_key(None, "CLIENTS"), "EMAIL".into()));
    for budget in [per_question().budget_tokens, 100_000] {
        let options = RetrieveOptions { budget_tokens: budget, ..per_question() };
        let question = "Montant total des règlements de sinistres par e-mail du client";
        let retrieval = index.retrieve_for(question, &options, &visibility).expect("retrieves");
        let names: Vec<&str> = retrieval.tables.iter().map(|table| table.name.as_str()).collect();
        assert!(!names.contains(&"SINISTRES"), "{names:?}");
        assert!(!retrieval.schema_ddl.contains("SINISTRES ("), "{}", retrieval.schema_ddl);
        assert!(!retrieval.schema_ddl.contains("REFERENCES SINISTRES"), "{}", retrieval.schema_ddl);
        let clients = retrieval.schema_ddl.split("CREATE TABLE CLIENTS (").nth(1);
        assert!(clients.is_some() || budget < 100_000, "the whole schema has CLIENTS");
        let clients = clients.and_then(|text| text.split(");").next()).unwrap_or_default();
        assert!(!clients.contains("EMAIL"), "{clients}");
        let open = index.retrieve(question, &options).expect("retrieves");
        assert!(open.schema_ddl.contains("SINISTRES"), "the same question without restriction sees it");
    }
}

#[tokio::test]
async fn the_stable_schema_is_the_same_for_every_question_and_a_cleared_readers_columns_come_after_it() {
    let demo = demo().await;
    let root = TempDir::new().expect("temp dir");
    let index = Arc::new(SchemaIndex::open(root.path(), Some(embedder())).expect("opens"));
    reindex(&demo.warehouse, &index, &Overrides::default(), &options(&demo), Arc::new(|_| {})).await.expect("builds");
    let tables = index.catalog().expect("serving").tables.len();
    let options = RetrieveOptions { stable_budget_tokens: 6000, ..RetrieveOptions::default() };
    let first = index.retrieve("Combien de clients habitent à Paris ?", &options).expect("retrieves");
    let second = index.retrieve("Montant des règlements de sinistres par agence", &options).expect("retrieves");
    let (stable, other) = (first.stable.clone().expect("a stable part"), second.stable.clone().expect("a stable part"));
    assert!(stable.whole && stable.detailed.len() == tables, "the demo fits the stable budget whole");
    assert_eq!(stable.text, other.text, "byte for byte the same for two questions");
    assert!(!stable.text.contains("Paris"), "nothing of a question in it");
    assert!(first.schema_ddl.is_empty(), "nothing left for the question's part: {}", first.schema_ddl);
    assert!(first.linked_values.iter().any(|linked| linked.value == "Paris"), "{:?}", first.linked_values);
    assert!(first.likely_tables.contains(&"CLIENTS".to_owned()), "{:?}", first.likely_tables);
    assert!(first.tables.len() <= options.max_tables, "the ranked tables are reported, not all of them");
    // A cleared reader of EMAIL shares the same stable part; EMAIL comes in the question's own part.
    let mut cleared = Visibility::default();
    cleared.private_columns.insert((table_key(None, "CLIENTS"), "EMAIL".into()));
    let mine = index.retrieve_for("e-mail des clients de Paris", &options, &cleared).expect("retrieves");
    let shared = mine.stable.expect("a stable part");
    let clients = shared.text.split("CREATE TABLE CLIENTS (").nth(1).and_then(|text| text.split(");").next());
    assert!(clients.is_some_and(|clients| !clients.contains("EMAIL")), "not in the shared part: {}", shared.text);
    assert!(mine.schema_ddl.contains("EMAIL") && mine.schema_ddl.contains("CLIENTS"), "{}", mine.schema_ddl);
    assert_eq!(index.stable_schema(&cleared, options.stable_budget_tokens).expect("serving").text, shared.text);
    // A hidden table is in neither part.
    let mut restricted = Visibility::default();
    restricted.hidden_tables.insert(table_key(None, "SINISTRES"));
    let theirs = index.retrieve_for("sinistres par agence", &options, &restricted).expect("retrieves");
    let theirs = theirs.stable.expect("a stable part");
    assert!(!theirs.text.contains("TABLE SINISTRES ") && !theirs.text.contains("REFERENCES SINISTRES"));
    assert_ne!(theirs.text, stable.text);
}

#[tokio::test]
async fn a_schema_that_fits_the_budget_is_sent_whole_with_the_same_text_for_every_question() {
    let demo = demo().await;
    let root = TempDir::new().expect("temp dir");
    let index = Arc::new(SchemaIndex::open(root.path(), Some(embedder())).expect("opens"));
    reindex(&demo.warehouse, &index, &Overrides::default(), &options(&demo), Arc::new(|_| {})).await.expect("builds");
    let tables = index.catalog().expect("serving").tables.len();
    let roomy = RetrieveOptions { budget_tokens: 100_000, ..per_question() };
    let first = index.retrieve("Combien de clients habitent à Paris ?", &roomy).expect("retrieves");
    let second = index.retrieve("Montant des règlements de sinistres par agence", &roomy).expect("retrieves");
    assert_eq!(first.tables.len(), tables, "every table");
    let created = |ddl: &str| ddl.lines().filter(|line| line.starts_with("CREATE TABLE")).count();
    assert_eq!(created(&first.schema_ddl), tables);
    // The whole text is the same: the question's values are listed after it, not in it, and no column is left out.
    assert_eq!(first.schema_ddl, second.schema_ddl, "the same text for every question");
    assert!(!first.schema_ddl.contains("autres colonnes"), "every column of every table");
    assert!(first.linked_values.iter().any(|linked| linked.value == "Paris"), "{:?}", first.linked_values);
    assert!(first.tables[0].reasons.iter().all(|reason| !reason.contains("whole schema")), "ranked ones first");
    assert!(first.tables.iter().any(|table| table.reasons.iter().any(|reason| reason.contains("fits the budget"))));
    assert!(first.likely_tables.contains(&"CLIENTS".to_owned()), "{:?}", first.likely_tables);
    assert!(first.likely_tables.len() < 3, "only the tables both rankings agree on: {:?}", first.likely_tables);
    let full = RetrieveOptions { strategy: Strategy::FullSchema, ..roomy };
    let baseline = index.retrieve("Combien de clients habitent à Paris ?", &full).expect("retrieves");
    assert!(baseline.likely_tables.is_empty(), "the full-schema baseline ranks nothing");
    let tight = index.retrieve("Combien de clients habitent à Paris ?", &per_question()).expect("retrieves");
    assert!(tight.tables.len() < tables, "the demo does not fit 1,000 tokens: retrieval chooses");
}

#[tokio::test]
async fn curated_descriptions_and_sensitive_marks_are_layered_over_the_dictionary() {
    let demo = demo().await;
    let mut overrides = Overrides::default();
    let clients = table_key(None, "CLIENTS");
    overrides
        .table_descriptions
        .insert(clients.clone(), "Assurés : personnes couvertes par au moins un contrat".into());
    let catalog = demo.warehouse.introspect(&[]).await.expect("introspects");
    let city = catalog.table(None, "CLIENTS").and_then(|table| table.column("VILLE")).map(|column| column.name.clone());
    let sensitive = catalog
        .table(None, "CLIENTS")
        .and_then(|table| table.columns.iter().find(|column| column.name.contains("NOM")))
        .map(|column| column.name.clone())
        .expect("a name column");
    overrides.sensitive_columns.insert((clients.clone(), sensitive.clone()));
    let input = collect(&demo.warehouse, &overrides, &options(&demo), &|_| {}).await.expect("collects");
    let table = input.catalog.table(None, "CLIENTS").expect("CLIENTS");
    assert_eq!(table.effective_description(), Some("Assurés : personnes couvertes par au moins un contrat"));
    let column = table.column(&sensitive).expect("column");
    assert!(column.sensitive && column.sample_values.is_empty(), "a sensitive column is never sampled");
    if let Some(city) = city {
        assert!(!table.column(&city).expect("city").sample_values.is_empty());
    }
}

#[tokio::test]
async fn a_build_that_dies_midway_leaves_the_previous_index_answering() {
    let demo = demo().await;
    let root = TempDir::new().expect("temp dir");
    let index = Arc::new(SchemaIndex::open(root.path(), None).expect("opens"));
    let first = reindex(&demo.warehouse, &index, &Overrides::default(), &options(&demo), Arc::new(|_| {}))
        .await
        .expect("builds");
    let input = collect(&demo.warehouse, &Overrides::default(), &options(&demo), &|_| {}).await.expect("collects");
    // The process "dies" while the new build writes its documents: nothing after that point runs.
    let crash = std::panic::catch_unwind(AssertUnwindSafe(|| {
        index.rebuild(&input, &|step| {
            if matches!(step, BuildProgress::Indexing(..)) {
                panic!("simulated crash during the build");
            }
        })
    }));
    assert!(crash.is_err());
    let reopened = SchemaIndex::open(root.path(), None).expect("reopens after the crash");
    assert_eq!(reopened.status().serving.as_ref().map(|manifest| &manifest.built_at), Some(&first.built_at));
    let retrieval = reopened.retrieve("clients à Paris", &per_question()).expect("the old index answers");
    assert!(!retrieval.tables.is_empty());
    let builds = || std::fs::read_dir(root.path().join("builds")).expect("builds dir").count();
    assert_eq!(builds(), 2, "the serving build and the orphan of the crashed one");
    reopened.rebuild(&input, &|_| {}).expect("the next build succeeds");
    assert_eq!(builds(), 2, "the orphan was collected; the serving and previous builds remain");
}

#[tokio::test]
async fn an_unchanged_catalog_reindexes_without_embedding_again() {
    let demo = demo().await;
    let root = TempDir::new().expect("temp dir");
    let index = Arc::new(SchemaIndex::open(root.path(), Some(embedder())).expect("opens"));
    let first = reindex(&demo.warehouse, &index, &Overrides::default(), &options(&demo), Arc::new(|_| {}))
        .await
        .expect("builds");
    assert_eq!(first.embedded_now, first.tables);
    let second = reindex(&demo.warehouse, &index, &Overrides::default(), &options(&demo), Arc::new(|_| {}))
        .await
        .expect("builds");
    assert_eq!(second.embedded_now, 0, "every vector came from the cache");
}

#[tokio::test]
async fn the_sqlite_planner_checks_a_query_and_explains_what_is_wrong() {
    use indexer::source::explain::DryRun;
    let demo = demo().await;
    let plan = demo
        .warehouse
        .explain(
            "SELECT COUNT(*) FROM CLIENTS c JOIN ADRESSES a ON a.ID_ADRESSE = c.ID_ADRESSE WHERE a.VILLE = 'Paris'",
        )
        .await;
    assert!(
        matches!(plan, Ok(DryRun::Plan(ref text)) if text.contains("CLIENTS") || text.contains("SCAN")),
        "{plan:?}"
    );
    match demo.warehouse.explain("SELECT MONTANT FROM CLIENTS").await.expect("the warehouse answers") {
        DryRun::Refused(error) => assert!(error.hint.contains("column MONTANT does not exist"), "{error:?}"),
        DryRun::Plan(plan) => panic!("a missing column was planned: {plan}"),
    }
}

#[tokio::test]
async fn a_query_runs_with_typed_columns_a_row_cap_and_the_truncation_marked() {
    use indexer::source::run::{QueryLimits, RunOutcome};
    let demo = demo().await;
    let limits = QueryLimits { max_rows: 10, ..QueryLimits::default() };
    let sql = "SELECT a.VILLE, COUNT(*) AS clients, AVG(c.ID_CLIENT) AS moyenne FROM CLIENTS c \
               JOIN ADRESSES a ON a.ID_ADRESSE = c.ID_ADRESSE GROUP BY a.VILLE ORDER BY clients DESC";
    let RunOutcome::Rows(rows) = demo.warehouse.run(sql, &limits).await.expect("runs") else { panic!("refused") };
    assert_eq!(rows.batch.num_rows(), 10);
    assert!(rows.truncated, "more than ten cities exist");
    let types: Vec<String> = rows.batch.schema().fields().iter().map(|field| field.data_type().to_string()).collect();
    assert_eq!(types, ["Utf8", "Int64", "Float64"]);
    match demo.warehouse.run("SELECT NOPE FROM CLIENTS", &limits).await.expect("the warehouse answers") {
        RunOutcome::Refused(error) => assert!(error.hint.contains("NOPE"), "{error:?}"),
        RunOutcome::Rows(_) => panic!("a missing column ran"),
    }
    let write = demo.warehouse.run("DELETE FROM CLIENTS", &limits).await;
    assert!(matches!(write, Ok(RunOutcome::Refused(_)) | Err(_)), "the read-only connection refuses writes: {write:?}");
    let RunOutcome::Rows(count) = demo.warehouse.run("SELECT COUNT(*) FROM CLIENTS", &limits).await.expect("runs")
    else {
        panic!("refused")
    };
    assert_eq!(count.batch.num_rows(), 1);
    let counted = count.batch.column(0).as_any().downcast_ref::<arrow_array::Int64Array>().expect("int64").value(0);
    assert_eq!(counted, 5_000, "nothing was deleted");
}

#[tokio::test]
async fn a_lone_table_that_only_shares_a_word_with_the_question_is_left_out() {
    let demo = demo().await;
    let root = TempDir::new().expect("temp dir");
    let index = SchemaIndex::open(root.path(), Some(embedder())).expect("opens");
    let mut input = collect(&demo.warehouse, &Overrides::default(), &options(&demo), &|_| {}).await.expect("collects");
    let column = |name: &str, comment: &str, values: &[&str]| Column {
        name: name.to_owned(),
        data_type: "TEXT".to_owned(),
        comment: Some(comment.to_owned()),
        sample_values: values.iter().map(|value| (*value).to_owned()).collect(),
        ..Column::default()
    };
    // A reference table of another application, joined to nothing.
    input.catalog.tables.push(Table {
        name: "REF_VILLES_MONDE".to_owned(),
        comment: Some("Référentiel mondial des villes et de leur population".to_owned()),
        columns: vec![
            column("NOM_VILLE", "Nom de la ville", &["Tokyo", "Lagos"]),
            column("PAYS", "Pays de la ville", &["Japon", "Nigeria"]),
            column("CODE_PAYS", "Code ISO du pays", &["AND", "ARE", "BEN", "FRA"]),
            column("SENS", "Sens des migrations", &["in", "out"]),
            column("POPULATION", "Habitants de la ville", &[]),
        ],
        ..Table::default()
    });
    index.rebuild(&input, &|_| {}).expect("builds");
    let question = "Montant total des règlements de sinistres par ville du client";
    let retrieval = index.retrieve(question, &per_question()).expect("retrieves");
    let names: Vec<&str> = retrieval.tables.iter().map(|table| table.name.as_str()).collect();
    for expected in ["REGLEMENTS", "SINISTRES", "CLIENTS"] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    assert!(!names.contains(&"REF_VILLES_MONDE"), "the lone table is left out: {names:?}");
    // Short codes in capitals link only when typed as codes: not from the words "and", "are" or the name "Ben".
    let linked = |question: &str| -> Vec<String> {
        let retrieval = index.retrieve(question, &per_question()).expect("retrieves");
        retrieval.linked_values.into_iter().map(|linked| linked.value).collect()
    };
    let words = linked("What are the claims and payments of the clients of Ben Martin?");
    assert!(words.iter().all(|value| !["AND", "ARE", "BEN"].contains(&value.as_str())), "{words:?}");
    assert!(linked("Combien de villes du pays FRA ?").contains(&"FRA".to_owned()), "a typed code links");
    // A value made of stop words is a word of the sentence unless quoted: "cities in Japon" is not SENS = 'in'.
    let words = linked("Which cities in Japon have the largest population?");
    assert!(words.contains(&"Japon".to_owned()) && !words.contains(&"in".to_owned()), "{words:?}");
    assert!(linked("Villes du Japon dont le sens est 'in'").contains(&"in".to_owned()), "a quoted value links");
}

#[tokio::test]
async fn code_lists_from_the_documents_reach_the_catalog() {
    let demo = demo().await;
    let root = TempDir::new().expect("temp dir");
    let index = Arc::new(SchemaIndex::open(root.path(), Some(embedder())).expect("opens"));
    reindex(&demo.warehouse, &index, &Overrides::default(), &options(&demo), Arc::new(|_| {})).await.expect("builds");
    let catalog = index.catalog().expect("serving");
    let column = |table: &str, column: &str| {
        catalog.table(None, table).and_then(|table| table.column(column)).expect("a demo column").clone()
    };
    let statut = column("CONTRATS", "CD_STATUT");
    assert!(statut.codes.iter().any(|code| code.value == "RS" && code.label == "Résilié"), "{:?}", statut.codes);
    assert_eq!(column("PRODUITS", "CD_BRANCHE").codes.len(), column("CONTRATS", "CD_BRANCHE").codes.len());
    assert!(column("CONTRATS", "ID_CONTRAT").codes.is_empty(), "a key has no code list");
}

#[tokio::test]
async fn a_question_links_to_the_codes_and_terms_of_the_documents_and_a_hidden_column_keeps_its_terms_away() {
    let demo = demo().await;
    let root = TempDir::new().expect("temp dir");
    let index = Arc::new(SchemaIndex::open(root.path(), Some(embedder())).expect("opens"));
    reindex(&demo.warehouse, &index, &Overrides::default(), &options(&demo), Arc::new(|_| {})).await.expect("builds");
    let catalog = index.catalog().expect("serving");
    assert!(catalog.terms.len() >= 10, "the demo's glossary is read whole: {:?}", catalog.terms);
    let question = "Combien de contrats auto actifs, et combien de contrats auto résiliés en 2024 ?";
    let retrieval = index.retrieve(question, &per_question()).expect("retrieves");
    let linked: Vec<(&str, &str, Option<&str>)> = retrieval
        .linked_values
        .iter()
        .map(|linked| (linked.column.as_str(), linked.value.as_str(), linked.label.as_deref()))
        .collect();
    assert!(linked.contains(&("CD_BRANCHE", "10", Some("Automobile"))), "{linked:?}");
    assert!(retrieval.linked_values.iter().all(|linked| linked.by_label), "named by their labels, not typed");
    assert!(linked.contains(&("CD_STATUT", "RS", Some("Résilié"))), "{linked:?}");
    assert!(
        retrieval.schema_ddl.contains("'RS'=Résilié"),
        "the linked column lists its codes: {}",
        retrieval.schema_ddl
    );
    let terms: Vec<&str> = retrieval.terms.iter().map(|term| term.names[0].as_str()).collect();
    assert_eq!(terms, ["contrat actif"], "{terms:?}");
    assert!(retrieval.terms[0].sql.contains("CONTRATS.DT_ECH"), "{:?}", retrieval.terms[0]);
    let mut visibility = Visibility::default();
    visibility.hidden_columns.insert((table_key(None, "CONTRATS"), "DT_ECH".into()));
    let hidden = index.retrieve_for(question, &per_question(), &visibility).expect("retrieves");
    assert!(hidden.terms.is_empty(), "a term reading a hidden column never reaches the reader: {:?}", hidden.terms);
}
