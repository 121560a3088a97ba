//! Pieces shared by the pages: the shell, the chat's parts, SQL, results and charts.

pub(crate) mod chart;
pub(crate) mod markdown;
pub(crate) mod results;
pub(crate) mod shell;
pub(crate) mod sidebar;
pub(crate) mod sql_block;
pub(crate) mod sql_code;
pub(crate) mod timeline;
pub(crate) mod turn_view;
