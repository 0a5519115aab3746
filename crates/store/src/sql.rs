//! A small builder for dynamic queries with positional parameters, for list filters whose
//! shape depends on the request.

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AssertSqlSafe};

/// Maximum length, in bytes, of a statement text kept prepared on a connection.
const REUSED_TEXT_LEN: usize = 4_096;

/// A bound value.
#[derive(Debug, Clone)]
pub(crate) enum Param {
    Int(i64),
    Text(String),
}

/// SQL text with `$n` placeholders and the values that go with them.
#[derive(Debug, Default)]
pub(crate) struct Sql {
    pub text: String,
    params: Vec<Param>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            params: Vec::new(),
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder bound to `value`.
    pub fn bind(&mut self, value: impl Into<Param>) -> &mut Self {
        self.params.push(value.into());
        self.text.push('$');
        self.text.push_str(&self.params.len().to_string());
        self
    }

    /// Appends ` LIMIT n` with the number written into the text, so that SQLite plans with it.
    /// Under the stability guarantee that `.cargo/config.toml` turns on, the planner ignores a
    /// bound limit, and without that guarantee a bound limit made each run compile again.
    pub fn limit(&mut self, rows: i64) -> &mut Self {
        self.text.push_str(" LIMIT ");
        self.text.push_str(&rows.to_string());
        self
    }

    /// Appends `(v1, v2, …)` with one placeholder each; `values` must not be empty.
    pub fn bind_list<T: Into<Param> + Clone>(&mut self, values: &[T]) -> &mut Self {
        self.text.push('(');
        for (index, value) in values.iter().enumerate() {
            if index > 0 {
                self.text.push_str(", ");
            }
            self.bind(value.clone());
        }
        self.text.push(')');
        self
    }

    pub fn query(&self) -> Query<'_, Any, AnyArguments> {
        // Each connection keeps its prepared statements. A long statement is usually built from
        // a long list of values, so its text seldom repeats, and its compiled form would stay in
        // the caches of every connection that ran it.
        let reused = self.text.len() <= REUSED_TEXT_LEN;
        let mut query = sqlx::query(AssertSqlSafe(self.text.clone())).persistent(reused);
        for param in &self.params {
            query = match param {
                Param::Int(value) => query.bind(*value),
                Param::Text(value) => query.bind(value.clone()),
            };
        }
        query
    }
}

/// Bound parameters per statement of a multi-row `INSERT`, below SQLite's oldest limit (999)
/// and PostgreSQL's (65,535). It stays small because sqlx looks up every parameter of an SQLite
/// statement by name, which costs time quadratic in their number: a generator profile showed
/// `sqlite3_bind_parameter_name` at 9 % of the CPU time with chunks of 999.
pub(crate) const MAX_PARAMETERS: usize = 256;

/// Returns `($1, $2), ($3, $4), …`: the placeholders of `rows` rows of `columns` values each,
/// for the `VALUES` clause of a multi-row `INSERT`.
pub(crate) fn values_placeholders(rows: usize, columns: usize) -> String {
    let mut text = String::with_capacity(rows * columns * 5);
    for row in 0..rows {
        if row > 0 {
            text.push_str(", ");
        }
        text.push('(');
        for column in 0..columns {
            if column > 0 {
                text.push_str(", ");
            }
            text.push('$');
            text.push_str(&(row * columns + column + 1).to_string());
        }
        text.push(')');
    }
    text
}

impl From<i64> for Param {
    fn from(value: i64) -> Self {
        Param::Int(value)
    }
}

impl From<String> for Param {
    fn from(value: String) -> Self {
        Param::Text(value)
    }
}

impl From<&str> for Param {
    fn from(value: &str) -> Self {
        Param::Text(value.to_owned())
    }
}

impl From<&String> for Param {
    fn from(value: &String) -> Self {
        Param::Text(value.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut sql = Sql::new("SELECT 1 WHERE a = ");
        sql.bind(1i64).push(" AND b IN ").bind_list(&["x", "y"]);
        assert_eq!(sql.text, "SELECT 1 WHERE a = $1 AND b IN ($2, $3)");
    }

    #[test]
    fn values_placeholders_number_rows_in_order() {
        assert_eq!(values_placeholders(1, 1), "($1)");
        assert_eq!(values_placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }
}
