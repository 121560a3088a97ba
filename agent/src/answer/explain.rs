//! What a statement computes, in words, built without the model from the statement's tree, the catalog's
//! descriptions and code lists: so an analyst can check the interpretation before trusting the number.
//!
//! One line per part — result, tables, conditions, grouping, order, limit — in French or in English (the
//! question's language). A column is named by its description and its name, a code by its label and its value;
//! what is not recognised is shown as SQL.

use sqlparser::ast::{
    BinaryOperator, DuplicateTreatment, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, GroupByExpr,
    InTarget, JoinConstraint, JoinOperator, LimitClause, ObjectName, OrderByKind, OrderBySort, Query, Select,
    SelectItem, SetExpr, Statement, TableFactor, Value,
};

use indexer::catalog::{Catalog, Column, Table};

use crate::guard::{self, CheckedStatement};

/// Longest column description kept in an explanation, in characters.
const MAX_DESCRIPTION_CHARS: usize = 40;

/// The language of an explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// French (the default).
    Fr,
    /// English.
    En,
}

/// Words that say a sentence is English, and French.
const ENGLISH_WORDS: &[&str] =
    &["the", "of", "how", "many", "which", "what", "with", "for", "per", "and", "by", "in", "each", "show", "list"];
const FRENCH_WORDS: &[&str] = &[
    "le", "la", "les", "des", "de", "du", "combien", "quel", "quels", "quelle", "quelles", "par", "pour", "et", "en",
    "chaque", "liste", "donne",
];

impl Lang {
    /// The language `question` is written in: English when it has more English than French common words.
    pub fn of(question: &str) -> Self {
        let words: Vec<String> = question
            .split(|character: char| !character.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_lowercase)
            .collect();
        let count = |list: &[&str]| words.iter().filter(|word| list.contains(&word.as_str())).count();
        if count(ENGLISH_WORDS) > count(FRENCH_WORDS) { Self::En } else { Self::Fr }
    }

    fn pick(self, french: &'static str, english: &'static str) -> &'static str {
        match self {
            Self::Fr => french,
            Self::En => english,
        }
    }
}

/// Explains `statement`; `None` when it does not parse as one query (it always does once the guard allowed it).
pub fn explain(statement: &CheckedStatement, catalog: &Catalog, lang: Lang) -> Option<String> {
    let parsed = guard::parse(statement.sql(), statement.dialect()).ok()?;
    let [Statement::Query(query)] = parsed.as_slice() else { return None };
    Some(Explainer { catalog, lang, tables: Vec::new() }.query(query))
}

/// Explains one query, knowing which tables its aliases stand for.
struct Explainer<'a> {
    catalog: &'a Catalog,
    lang: Lang,
    /// (alias or name, upper-cased; the table) of the FROM clause being explained.
    tables: Vec<(String, &'a Table)>,
}

impl<'a> Explainer<'a> {
    fn query(mut self, query: &Query) -> String {
        let lang = self.lang;
        let mut lines = Vec::new();
        if let Some(with) = &query.with {
            let names: Vec<String> = with.cte_tables.iter().map(|cte| cte.alias.name.value.clone()).collect();
            lines.push(format!("{} : {}", lang.pick("Sous-requêtes nommées", "Named subqueries"), names.join(", ")));
        }
        let SetExpr::Select(select) = query.body.as_ref() else {
            lines.push(format!(
                "{} : {}",
                lang.pick("Combinaison de requêtes (UNION, INTERSECT, EXCEPT)", "Combined queries"),
                query.body
            ));
            return lines.join("\n");
        };
        self.read_from(select);
        lines.extend(self.select(select));
        if let Some(order_by) = &query.order_by
            && let OrderByKind::Expressions(keys) = &order_by.kind
            && !keys.is_empty()
        {
            let keys: Vec<String> = keys
                .iter()
                .map(|key| {
                    let direction = match key.options.sort {
                        Some(OrderBySort::Desc) => lang.pick(", décroissant", ", descending"),
                        _ => lang.pick(", croissant", ", ascending"),
                    };
                    format!("{}{direction}", self.describe(&key.expr))
                })
                .collect();
            lines.push(format!("{} : {}", lang.pick("Trié par", "Sorted by"), keys.join(" ; ")));
        }
        let limit = match &query.limit_clause {
            Some(LimitClause::LimitOffset { limit: Some(limit), .. }) => Some(limit.to_string()),
            Some(LimitClause::OffsetCommaLimit { limit, .. }) => Some(limit.to_string()),
            _ => query.fetch.as_ref().and_then(|fetch| fetch.quantity.as_ref()).map(ToString::to_string),
        };
        if let Some(limit) = limit {
            lines.push(format!("{} : {limit}", lang.pick("Lignes au plus", "At most rows")));
        }
        lines.join("\n")
    }

    /// Reads the FROM clause's tables and aliases.
    fn read_from(&mut self, select: &Select) {
        let relations = select
            .from
            .iter()
            .flat_map(|from| std::iter::once(&from.relation).chain(from.joins.iter().map(|join| &join.relation)));
        for relation in relations {
            if let TableFactor::Table { name, alias, .. } = relation {
                let name = object_name(name);
                let short = name.rsplit('.').next().unwrap_or(&name).to_owned();
                if let Some(table) = self.catalog.table(None, &short) {
                    let key = alias.as_ref().map_or(short.clone(), |alias| alias.name.value.to_uppercase());
                    self.tables.push((key, table));
                    if alias.is_some() {
                        self.tables.push((short.to_uppercase(), table));
                    }
                }
            }
        }
    }

    fn select(&self, select: &Select) -> Vec<String> {
        let lang = self.lang;
        let mut lines = Vec::new();
        let results: Vec<String> = select
            .projection
            .iter()
            .map(|item| match item {
                SelectItem::UnnamedExpr(expr) => self.describe(expr),
                SelectItem::ExprWithAlias { expr, alias } => format!("{} ({})", self.describe(expr), alias.value),
                other => other.to_string(),
            })
            .collect();
        let distinct =
            if select.distinct.is_some() { lang.pick(", sans doublons", ", without duplicates") } else { "" };
        lines.push(format!("{} : {}{distinct}", lang.pick("Résultat", "Result"), results.join(" ; ")));
        let mut tables = Vec::new();
        for from in &select.from {
            tables.push(self.relation(&from.relation));
            for join in &from.joins {
                let kind = match &join.join_operator {
                    JoinOperator::LeftOuter(_) | JoinOperator::Left(_) => {
                        lang.pick("jointe (en gardant les lignes sans correspondance) à", "left-joined to")
                    }
                    _ => lang.pick("jointe à", "joined to"),
                };
                let on = match &join.join_operator {
                    JoinOperator::Join(JoinConstraint::On(on))
                    | JoinOperator::Inner(JoinConstraint::On(on))
                    | JoinOperator::Left(JoinConstraint::On(on))
                    | JoinOperator::LeftOuter(JoinConstraint::On(on)) => {
                        format!(" {} {on}", lang.pick("par", "on"))
                    }
                    _ => String::new(),
                };
                tables.push(format!("{kind} {}{on}", self.relation(&join.relation)));
            }
        }
        if !tables.is_empty() {
            lines.push(format!("{} : {}", lang.pick("Tables", "Tables"), tables.join(", ")));
        }
        if let Some(selection) = &select.selection {
            lines.push(format!("{} : {}", lang.pick("Conditions", "Conditions"), self.conditions(selection)));
        }
        if let GroupByExpr::Expressions(keys, _) = &select.group_by
            && !keys.is_empty()
        {
            let keys: Vec<String> = keys.iter().map(|key| self.describe(key)).collect();
            lines.push(format!("{} : {}", lang.pick("Par", "Per"), keys.join(" ; ")));
        }
        if let Some(having) = &select.having {
            lines.push(format!("{} : {}", lang.pick("Groupes gardés", "Groups kept"), self.conditions(having)));
        }
        lines
    }

    /// `CONTRATS (Contrats d'assurance)`; a subquery as such.
    fn relation(&self, relation: &TableFactor) -> String {
        match relation {
            TableFactor::Table { name, .. } => {
                let name = object_name(name);
                let short = name.rsplit('.').next().unwrap_or(&name);
                match self.catalog.table(None, short).and_then(Table::effective_description) {
                    Some(description) => format!("{name} ({})", shorten(description)),
                    None => name,
                }
            }
            _ => self.lang.pick("une sous-requête", "a subquery").to_owned(),
        }
    }

    /// The conditions of a WHERE or HAVING clause, split at their top-level ANDs.
    fn conditions(&self, expr: &Expr) -> String {
        let mut parts = Vec::new();
        split_and(expr, &mut parts);
        parts.iter().map(|part| self.condition(part)).collect::<Vec<_>>().join(" ; ")
    }

    fn condition(&self, expr: &Expr) -> String {
        let lang = self.lang;
        match expr {
            Expr::BinaryOp { left, op, right } => {
                let column = self.column_of(left).or_else(|| self.column_of(right));
                let side = |side: &Expr| match (column, side) {
                    (Some(column), Expr::Value(value)) => {
                        coded(column, &value.value).unwrap_or_else(|| side.to_string())
                    }
                    _ => self.describe(side),
                };
                format!("{} {op} {}", side(left), side(right))
            }
            Expr::In { expr, target: InTarget::List(list), negated, .. } => {
                let column = self.column_of(expr);
                let values: Vec<String> = list
                    .iter()
                    .map(|item| match (column, item) {
                        (Some(column), Expr::Value(value)) => {
                            coded(column, &value.value).unwrap_or_else(|| item.to_string())
                        }
                        _ => self.describe(item),
                    })
                    .collect();
                let among = if *negated { lang.pick("hors de", "not among") } else { lang.pick("parmi", "among") };
                format!("{} {among} {}", self.describe(expr), values.join(", "))
            }
            Expr::Between { expr, negated, low, high } => {
                let between =
                    if *negated { lang.pick("hors de", "not between") } else { lang.pick("entre", "between") };
                let and = lang.pick("et", "and");
                format!("{} {between} {} {and} {}", self.describe(expr), self.describe(low), self.describe(high))
            }
            Expr::IsNull(inner) => format!("{} {}", self.describe(inner), lang.pick("est vide", "is empty")),
            Expr::IsNotNull(inner) => format!("{} {}", self.describe(inner), lang.pick("est renseigné", "is set")),
            Expr::Exists { subquery, negated } => {
                let tables = subquery_tables(subquery);
                let exists = if *negated {
                    lang.pick("il n'existe aucune ligne de", "there is no row of")
                } else {
                    lang.pick("il existe une ligne de", "there is a row of")
                };
                format!("{exists} {tables} {}", lang.pick("qui correspond", "that matches"))
            }
            Expr::In { expr, target: InTarget::Subquery(subquery), negated, .. } => {
                let among = if *negated {
                    lang.pick("hors des valeurs de", "not among the values of")
                } else {
                    lang.pick("parmi les valeurs de", "among the values of")
                };
                format!("{} {among} {}", self.describe(expr), subquery_tables(subquery))
            }
            Expr::Nested(inner) => format!("({})", self.condition(inner)),
            other => self.describe(other),
        }
    }

    /// An expression in words: columns by description, aggregates by name, the rest as SQL.
    fn describe(&self, expr: &Expr) -> String {
        let lang = self.lang;
        match expr {
            Expr::Identifier(_) | Expr::CompoundIdentifier(_) => match self.column_of(expr) {
                Some(column) => named(column),
                None => expr.to_string(),
            },
            Expr::Function(function) => self.function(function),
            Expr::BinaryOp { left, op, right } => {
                let op = match op {
                    BinaryOperator::Divide => "÷".to_owned(),
                    BinaryOperator::Multiply => "×".to_owned(),
                    other => other.to_string(),
                };
                format!("{} {op} {}", self.describe(left), self.describe(right))
            }
            Expr::Nested(inner) => format!("({})", self.describe(inner)),
            Expr::Cast { expr, .. } => self.describe(expr),
            Expr::Case { .. } => format!("{} ({expr})", lang.pick("selon les cas", "case by case")),
            Expr::Extract { field, expr, .. } if field.to_string().eq_ignore_ascii_case("YEAR") => {
                format!("{} {}", lang.pick("année de", "year of"), self.describe(expr))
            }
            other => other.to_string(),
        }
    }

    fn function(&self, function: &Function) -> String {
        let lang = self.lang;
        let name = object_name(&function.name);
        let FunctionArguments::List(list) = &function.args else { return function.to_string() };
        let distinct = list.duplicate_treatment == Some(DuplicateTreatment::Distinct);
        let args: Vec<&FunctionArgExpr> = list
            .args
            .iter()
            .map(|arg| match arg {
                FunctionArg::Unnamed(arg) | FunctionArg::Named { arg, .. } | FunctionArg::ExprNamed { arg, .. } => arg,
            })
            .collect();
        let arg = |position: usize| match args.get(position) {
            Some(FunctionArgExpr::Expr(expr)) => Some(self.describe(expr)),
            _ => None,
        };
        let words = match (name.as_str(), distinct) {
            ("COUNT", _) if matches!(args.first(), Some(FunctionArgExpr::Wildcard) | None) => {
                return lang.pick("nombre de lignes", "number of rows").to_owned();
            }
            ("COUNT", true) => lang.pick("nombre de valeurs distinctes de", "number of distinct values of"),
            ("COUNT", false) => lang.pick("nombre de", "number of"),
            ("SUM", _) => lang.pick("somme de", "sum of"),
            ("AVG", _) => lang.pick("moyenne de", "average of"),
            ("MIN", _) => lang.pick("minimum de", "minimum of"),
            ("MAX", _) => lang.pick("maximum de", "maximum of"),
            ("ROUND", _) => {
                let digits = arg(1).unwrap_or_else(|| "0".to_owned());
                let rounded = lang.pick("arrondi à", "rounded to");
                let decimals = lang.pick("décimale(s)", "decimal(s)");
                return format!("{} ({rounded} {digits} {decimals})", arg(0).unwrap_or_default());
            }
            ("STRFTIME" | "TO_CHAR", _) => {
                let format = function.to_string().to_uppercase();
                if format.contains("'%Y'") || format.contains("'YYYY'") {
                    let column = if name == "STRFTIME" { arg(1) } else { arg(0) };
                    return format!("{} {}", lang.pick("année de", "year of"), column.unwrap_or_default());
                }
                return function.to_string();
            }
            _ => return function.to_string(),
        };
        format!("{words} {}", arg(0).unwrap_or_default())
    }

    /// The catalog column an identifier names, through the FROM clause's aliases.
    fn column_of(&self, expr: &Expr) -> Option<&'a Column> {
        let (qualifier, name) = match expr {
            Expr::Identifier(ident) => (None, ident.value.as_str()),
            Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
                (Some(parts[parts.len() - 2].value.to_uppercase()), parts[parts.len() - 1].value.as_str())
            }
            _ => return None,
        };
        self.tables
            .iter()
            .filter(|(key, _)| qualifier.as_ref().is_none_or(|qualifier| qualifier == key))
            .find_map(|(_, table)| table.column(name))
    }
}

/// `SCHEMA.NAME` upper-cased, without quotes.
fn object_name(name: &ObjectName) -> String {
    name.0
        .iter()
        .map(|part| part.as_ident().map_or_else(|| part.to_string(), |ident| ident.value.clone()))
        .collect::<Vec<_>>()
        .join(".")
        .to_uppercase()
}

/// `Date de résiliation (DT_RESIL)`, or the bare name without a description.
fn named(column: &Column) -> String {
    match column.effective_description() {
        Some(description) => format!("{} ({})", shorten(description), column.name),
        None => column.name.clone(),
    }
}

/// `Résilié (RS)` when `value` is one of the column's codes.
fn coded(column: &Column, value: &Value) -> Option<String> {
    let text = match value {
        Value::SingleQuotedString(text) | Value::Number(text, _) => text.as_str(),
        _ => return None,
    };
    let code = column.codes.iter().find(|code| code.value == text)?;
    Some(format!("{} ({})", indexer::vocabulary::short_label(&code.label), code.value))
}

fn split_and<'e>(expr: &'e Expr, parts: &mut Vec<&'e Expr>) {
    match expr {
        Expr::BinaryOp { left, op: BinaryOperator::And, right } => {
            split_and(left, parts);
            split_and(right, parts);
        }
        other => parts.push(other),
    }
}

/// The tables a subquery reads, by name.
fn subquery_tables(query: &Query) -> String {
    match query.body.as_ref() {
        SetExpr::Select(select) => {
            let names: Vec<String> = select
                .from
                .iter()
                .flat_map(|from| std::iter::once(&from.relation).chain(from.joins.iter().map(|join| &join.relation)))
                .filter_map(|relation| match relation {
                    TableFactor::Table { name, .. } => Some(object_name(name)),
                    _ => None,
                })
                .collect();
            names.join(", ")
        }
        other => other.to_string(),
    }
}

/// The description's first clause, at most `MAX_DESCRIPTION_CHARS` characters.
fn shorten(description: &str) -> String {
    let head = description.split([';', '(', ':']).next().unwrap_or_default().trim();
    let head = head.split_whitespace().collect::<Vec<_>>().join(" ");
    if head.chars().count() <= MAX_DESCRIPTION_CHARS {
        return head;
    }
    let cut: String = head.chars().take(MAX_DESCRIPTION_CHARS).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guard::{Dialect, GuardPolicy};
    use indexer::catalog::{Code, ForeignKey};

    fn column(name: &str, comment: &str, codes: &[(&str, &str)]) -> Column {
        Column {
            name: name.into(),
            comment: (!comment.is_empty()).then(|| comment.into()),
            codes: codes
                .iter()
                .map(|(value, label)| Code { value: (*value).into(), label: (*label).into(), ..Code::default() })
                .collect(),
            ..Column::default()
        }
    }

    fn catalog() -> Catalog {
        let contrats = Table {
            name: "CONTRATS".into(),
            comment: Some("Contrats d'assurance".into()),
            columns: vec![
                column("ID_CONTRAT", "", &[]),
                column("ID_CLIENT", "", &[]),
                column(
                    "CD_BRANCHE",
                    "Branche du contrat",
                    &[("10", "Automobile"), ("20", "Multirisque habitation (MRH)")],
                ),
                column("CD_STATUT", "Statut du contrat", &[("EC", "En cours"), ("RS", "Résilié")]),
                column("DT_RESIL", "Date de résiliation ; vide si en cours", &[]),
            ],
            primary_key: vec!["ID_CONTRAT".into()],
            foreign_keys: vec![ForeignKey {
                columns: vec!["ID_CLIENT".into()],
                referenced_table: "CLIENTS".into(),
                referenced_columns: vec!["ID_CLIENT".into()],
                ..ForeignKey::default()
            }],
            ..Table::default()
        };
        let clients = Table {
            name: "CLIENTS".into(),
            comment: Some("Clients (personnes physiques et morales)".into()),
            columns: vec![column("ID_CLIENT", "", &[]), column("VILLE", "Ville de l'adresse principale", &[])],
            primary_key: vec!["ID_CLIENT".into()],
            ..Table::default()
        };
        Catalog { tables: vec![contrats, clients], ..Catalog::default() }
    }

    fn explained(sql: &str, lang: Lang) -> String {
        let catalog = catalog();
        let policy = GuardPolicy::new(Dialect::Sqlite).with_catalog(&catalog);
        let verdict = guard::check(sql, &policy);
        explain(verdict.checked().expect("allowed"), &catalog, lang).expect("explained")
    }

    const JOIN_FILTER_AGGREGATE_ORDER: &str = "SELECT CL.VILLE, COUNT(*) AS NB FROM CONTRATS C \
        JOIN CLIENTS CL ON CL.ID_CLIENT = C.ID_CLIENT \
        WHERE C.CD_BRANCHE = '10' AND C.CD_STATUT = 'RS' AND C.DT_RESIL BETWEEN '2024-01-01' AND '2024-12-31' \
        GROUP BY CL.VILLE ORDER BY NB DESC LIMIT 5";

    #[test]
    fn a_join_filter_aggregate_and_order_read_in_french() {
        assert_eq!(
            explained(JOIN_FILTER_AGGREGATE_ORDER, Lang::Fr),
            "Résultat : Ville de l'adresse principale (VILLE) ; nombre de lignes (NB)\n\
             Tables : CONTRATS (Contrats d'assurance), jointe à CLIENTS (Clients) par CL.ID_CLIENT = C.ID_CLIENT\n\
             Conditions : Branche du contrat (CD_BRANCHE) = Automobile (10) ; Statut du contrat (CD_STATUT) = \
             Résilié (RS) ; Date de résiliation (DT_RESIL) entre '2024-01-01' et '2024-12-31'\n\
             Par : Ville de l'adresse principale (VILLE)\n\
             Trié par : NB, décroissant\n\
             Lignes au plus : 5"
        );
    }

    #[test]
    fn the_same_statement_reads_in_english_for_an_english_question() {
        assert_eq!(Lang::of("How many policies were terminated in 2024 for each city?"), Lang::En);
        assert_eq!(Lang::of("Combien de contrats auto ont été résiliés en 2024 par ville ?"), Lang::Fr);
        let text = explained(JOIN_FILTER_AGGREGATE_ORDER, Lang::En);
        assert!(text.starts_with("Result : Ville de l'adresse principale (VILLE) ; number of rows (NB)\n"), "{text}");
        assert!(text.contains("Tables : CONTRATS (Contrats d'assurance), joined to CLIENTS (Clients) on"), "{text}");
        assert!(text.contains("= Automobile (10) ; Statut du contrat (CD_STATUT) = Résilié (RS) ;"), "{text}");
        assert!(text.contains("between '2024-01-01' and '2024-12-31'"), "{text}");
        assert!(text.ends_with("Sorted by : NB, descending\nAt most rows : 5"), "{text}");
    }

    #[test]
    fn codes_in_a_list_subqueries_and_aggregates_are_named() {
        let text = explained(
            "SELECT SUM(ID_CONTRAT) FROM CONTRATS WHERE CD_STATUT IN ('EC', 'RS') AND NOT EXISTS \
             (SELECT 1 FROM CLIENTS WHERE CLIENTS.ID_CLIENT = CONTRATS.ID_CLIENT)",
            Lang::Fr,
        );
        assert!(text.contains("Résultat : somme de ID_CONTRAT"), "{text}");
        assert!(text.contains("Statut du contrat (CD_STATUT) parmi En cours (EC), Résilié (RS)"), "{text}");
        assert!(text.contains("il n'existe aucune ligne de CLIENTS qui correspond"), "{text}");
    }
}
