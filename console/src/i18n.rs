//! French first, English on demand: every word the console shows, in both languages, and the current choice.

use dioxus::prelude::*;

use crate::browser;

const STORAGE_KEY: &str = "pstral.language";

/// A language of the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Language {
    /// French, the default.
    French,
    /// English.
    English,
}

/// The current language (reactive).
pub(crate) static LANGUAGE: GlobalSignal<Language> = Signal::global(saved);

fn saved() -> Language {
    match browser::load(STORAGE_KEY).as_deref() {
        Some("en") => Language::English,
        _ => Language::French,
    }
}

impl Language {
    /// Returns the BCP 47 code.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::French => "fr",
            Self::English => "en",
        }
    }

    /// Returns the other language.
    pub(crate) fn toggled(self) -> Self {
        match self {
            Self::French => Self::English,
            Self::English => Self::French,
        }
    }
}

/// Sets `<html lang>` to the saved language (before the app runs: no signal is read).
pub(crate) fn apply_saved() {
    browser::set_root_attribute("lang", Some(saved().code()));
}

/// Switches language and remembers the choice.
pub(crate) fn toggle() {
    let next = LANGUAGE.peek().toggled();
    browser::save(STORAGE_KEY, next.code());
    browser::set_root_attribute("lang", Some(next.code()));
    *LANGUAGE.write() = next;
}

/// Returns "1 row", "2 rows"… in the current language.
pub(crate) fn rows(count: i64) -> String {
    let word = if count.abs() == 1 { t(Text::RowWord) } else { t(Text::RowsWord) };
    format!("{count} {word}")
}

/// Returns the text for `key` in the current language (and re-renders the caller when it changes).
pub(crate) fn t(key: Text) -> &'static str {
    let (french, english) = key.words();
    match LANGUAGE() {
        Language::French => french,
        Language::English => english,
    }
}

macro_rules! texts {
    ($($key:ident => $french:literal, $english:literal;)*) => {
        /// Every piece of text the console shows.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Text {
            $(
                #[doc = $english]
                $key,
            )*
        }

        impl Text {
            /// Returns the French and English words.
            fn words(self) -> (&'static str, &'static str) {
                match self {
                    $(Self::$key => ($french, $english),)*
                }
            }
        }
    };
}

texts! {
    Access => "Accès", "Access";
    Action => "Action", "Action";
    All => "Toutes", "All";
    AnswerFailed => "La réponse a échoué.", "The answer failed.";
    AppStore => "Base applicative", "App store";
    AskHint => "Par exemple : « Combien de clients habitent à Paris ? » — Entrée envoie, Maj+Entrée va à la ligne.", "For example: “How many clients live in Paris?” — Enter sends, Shift+Enter adds a line.";
    AskTitle => "Posez une question sur vos données", "Ask a question about your data";
    Audit => "Journal d'audit", "Audit log";
    BackToChat => "Retour à la conversation", "Back to the chat";
    BuiltAt => "Construit le", "Built at";
    Cancel => "Annuler", "Cancel";
    Catalog => "Catalogue", "Catalog";
    Chart => "Graphique", "Chart";
    ChartFirst => "Premières valeurs :", "First values:";
    Chat => "Conversation", "Chat";
    CodeLabel => "Modifier le libellé du code", "Edit the label of code";
    CodeSource => "source :", "source:";
    Column => "Colonne", "Column";
    Columns => "Colonnes", "Columns";
    ConfirmDelete => "Supprimer cette conversation ?", "Delete this conversation?";
    Conversation => "Conversation", "Conversation";
    Conversations => "Conversations", "Conversations";
    CopySql => "Copier le SQL", "Copy the SQL";
    CreateUser => "Créer un utilisateur", "Create a user";
    Created => "Créé le", "Created";
    Degraded => "dégradé", "degraded";
    Delete => "Supprimer", "Delete";
    Description => "Description", "Description";
    Details => "Détails", "Details";
    DictionaryComment => "Commentaire du dictionnaire", "Dictionary comment";
    Disable => "Désactiver", "Disable";
    DisabledBadge => "désactivé", "disabled";
    Discussion => "Discussion", "Discussion";
    DocChunks => "Extraits de documents", "Document chunks";
    Documents => "Documents", "Documents";
    Down => "hors service", "down";
    Duration => "Durée", "Duration";
    EditDescription => "Modifier la description de", "Edit the description of";
    EditSql => "Modifier le SQL", "Edit the SQL";
    Email => "Courriel", "Email";
    Enable => "Réactiver", "Enable";
    Entries => "entrées", "entries";
    Explanation => "Ce que calcule la requête", "What the query computes";
    ExportConversation => "Exporter la conversation (XLSX)", "Export the conversation (XLSX)";
    Failed => "Échec", "Failed";
    Forbidden => "Accès refusé :", "Forbidden:";
    ForbiddenNeeds => "Cette page demande le rôle", "This page needs the role";
    ForbiddenTitle => "Accès refusé", "Access denied";
    ForeignKey => "Clé étrangère", "Foreign key";
    From => "Du", "From";
    FullName => "Nom complet", "Full name";
    GuardAllowed => "Contrôle : autorisé", "Guard: allowed";
    GuardRefused => "Refusé par le contrôle", "Refused by the guard";
    Helpful => "Réponse utile", "Helpful answer";
    Index => "Index du schéma", "Schema index";
    IndexPage => "Index", "Index";
    IndexUnavailable => "L'index du schéma n'est pas prêt.", "The schema index is not ready.";
    LastBuildFailed => "La dernière construction a échoué :", "The last build failed:";
    Llm => "Modèle de langage", "Language model";
    LlmUnavailable => "Le modèle de langage est indisponible.", "The language model is unavailable.";
    Loading => "Chargement…", "Loading…";
    LoginFailed => "Identifiant ou mot de passe incorrect.", "Wrong user name or password.";
    Mode => "Mode", "Mode";
    Navigation => "Navigation", "Navigation";
    NewConversation => "Nouvelle conversation", "New conversation";
    Next => "Suivant", "Next";
    NoConversations => "Aucune conversation.", "No conversation yet.";
    OlderConversations => "Conversations plus anciennes", "Older conversations";
    NoDescription => "Pas de description", "No description";
    NotHelpful => "Réponse pas utile", "Unhelpful answer";
    NothingHere => "Rien à afficher.", "Nothing to show.";
    Ok => "opérationnel", "ok";
    Pages => "Pages", "Pages";
    Pairs => "Paires vérifiées", "Verified pairs";
    PairsHint => "Les réponses marquées 👍 arrivent ici : vérifiez-les pour qu'elles servent d'exemples au modèle.", "Answers marked 👍 land here: verify them so the model uses them as examples.";
    Password => "Mot de passe", "Password";
    Pending => "À revoir", "Pending";
    PickTable => "Choisissez une table à gauche.", "Pick a table on the left.";
    Plan => "Plan d'exécution", "Query plan";
    Previous => "Précédent", "Previous";
    PrimaryKey => "Clé primaire", "Primary key";
    Print => "Imprimer / PDF", "Print / PDF";
    Question => "Votre question", "Your question";
    QuestionPlaceholder => "Posez votre question…", "Ask your question…";
    QueuePosition => "En file d'attente, position", "Queued, position";
    Refresh => "Actualiser", "Refresh";
    Reindex => "Réindexer", "Re-index";
    Reindexing => "Réindexation en cours…", "Re-indexing…";
    Reject => "Rejeter", "Reject";
    Rejected => "Rejetées", "Rejected";
    Rename => "Renommer", "Rename";
    Repair => "Correction", "Repair";
    Resource => "Ressource", "Resource";
    Results => "Résultats", "Results";
    Role => "Rôle", "Role";
    RoleAdmin => "administrateur", "admin";
    RoleAnalyst => "analyste", "analyst";
    RoleSteward => "gestionnaire de données", "steward";
    RowWord => "ligne", "row";
    RowsWord => "lignes", "rows";
    RunAgain => "relancez le SQL pour revoir les lignes", "run the SQL again to see the rows";
    RunSql => "Exécuter le SQL", "Run the SQL";
    Running => "Exécution…", "Running…";
    SampleValues => "Valeurs observées", "Sample values";
    SampledValues => "Valeurs échantillonnées", "Sampled values";
    Save => "Enregistrer", "Save";
    SearchCatalog => "Rechercher une table ou une colonne", "Search tables and columns";
    SearchConversations => "Rechercher", "Search";
    Send => "Envoyer", "Send";
    SeenNotListed => "vu dans les données, dans aucune liste", "seen in the data, in no list";
    Sensitive => "Sensible", "Sensitive";
    SensitiveRefused => "Donnée protégée : cette question demande une colonne sensible que votre rôle ne peut pas lire. \
        Reformulez sans elle, ou demandez l'accès à un responsable des données.",
        "Protected data: this question needs a sensitive column your role may not read. Rephrase without it, or ask \
        a data steward for access.";
    ServiceStatus => "État du service", "Service status";
    ServiceUnreachable => "Le service ne répond pas.", "The service does not answer.";
    SessionExpired => "Votre session a expiré : reconnectez-vous.", "Your session expired: sign in again.";
    SignIn => "Se connecter", "Sign in";
    SignInAgain => "Reconnectez-vous : votre question est conservée.", "Sign in again: your question is kept.";
    SignOut => "Se déconnecter", "Sign out";
    SqlEditor => "Éditeur SQL", "SQL editor";
    SqlRepaired => "SQL corrigé, tentative", "SQL repaired, attempt";
    SqlWritten => "SQL écrit", "SQL written";
    Starting => "démarrage", "starting";
    Status => "Statut", "Status";
    StepChecking => "Vérification du SQL…", "Checking the SQL…";
    StepGenerating => "Rédaction de la requête…", "Writing the query…";
    StepPlanning => "Calcul du plan…", "Planning…";
    StepRetrieving => "Recherche des tables utiles…", "Finding the right tables…";
    StepRunning => "Exécution sur l'entrepôt…", "Running on the warehouse…";
    StepWorking => "En cours…", "Working…";
    Steps => "Étapes", "Steps";
    Stop => "Arrêter", "Stop";
    Stopped => "Réponse arrêtée.", "Answer stopped.";
    SwitchLanguage => "English", "Français";
    SwitchLanguageLabel => "Switch to English", "Passer en français";
    TableRefused => "Cette question demande une table hors de votre périmètre d'accès. Demandez l'accès à un \
        administrateur.", "This question needs a table outside your access. Ask an administrator for access.";
    Tables => "tables", "tables";
    TablesLabel => "Tables", "Tables";
    TablesRetrieved => "Tables retenues", "Tables retrieved";
    Tagline => "Vos questions en français deviennent du SQL Oracle sûr et validé.", "Your questions become safe, validated Oracle SQL.";
    Thinking => "Réflexion…", "Thinking…";
    To => "Au", "To";
    ToggleTheme => "Thème clair ou sombre", "Light or dark theme";
    TooManyQuestions => "Vous avez déjà le maximum de questions en cours : attendez la réponse de l'une d'elles (ou \
        arrêtez-en une), puis reposez celle-ci.", "You already have the most questions in progress: wait for one of \
        their answers (or stop one), then ask this one again.";
    Truncated => "résultat tronqué", "result truncated";
    Type => "Type", "Type";
    Unavailable => "indisponible", "unavailable";
    UserCreated => "Utilisateur créé :", "User created:";
    Username => "Identifiant", "User name";
    Users => "Utilisateurs", "Users";
    Verified => "Vérifiées", "Verified";
    Verify => "Vérifier", "Verify";
    Vocabulary => "Codes et termes reconnus", "Codes and terms recognised";
    Warehouse => "Entrepôt de données", "Data warehouse";
    WarehouseRefused => "L'entrepôt a refusé la requête", "The warehouse refused the statement";
    WarehouseUnavailable => "L'entrepôt de données est indisponible.", "The data warehouse is unavailable.";
    WarmingUp => "préchauffage (le modèle lit le catalogue)", "warming up (the model is reading the catalog)";
    When => "Quand", "When";
}
