//! Reading `crates/server/authz/matrix.csv` and finding the rule that decides a cell.

use std::collections::BTreeMap;

/// The matrix as the repository holds it.
const SOURCE: &str = include_str!("../../authz/matrix.csv");

/// An operation: surface, method and route path, such as `api GET /api/v1/tasks/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Operation {
    pub surface: String,
    pub method: String,
    pub path: String,
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {}", self.surface, self.method, self.path)
    }
}

/// What a rule grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Public,
    Login,
    Allow,
    Forbid,
    Hide,
}

/// Which fields an allowed read shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fields {
    Full,
    Coarse,
    Unchecked,
}

/// One row of the matrix.
#[derive(Debug, Clone)]
pub struct Rule {
    pub line: usize,
    surface: String,
    method: String,
    path: String,
    pub record: String,
    role: String,
    relation: String,
    level: String,
    clearance: String,
    pub access: Access,
    pub fields: Fields,
}

/// One cell: who asks, and about which record. Operations without a record use `-` for the
/// relation, level and clearance.
#[derive(Debug, Clone, Copy)]
pub struct Cell<'a> {
    pub role: &'a str,
    pub relation: &'a str,
    pub level: &'a str,
    pub clearance: &'a str,
}

/// Whether a column value (`*`, one value, or values separated by `|`) admits `value`.
fn admits(pattern: &str, value: &str) -> bool {
    pattern == "*" || pattern.split('|').any(|part| part == value)
}

fn parse_access(value: &str, line: usize) -> Access {
    match value {
        "public" => Access::Public,
        "login" => Access::Login,
        "allow" => Access::Allow,
        "forbid" => Access::Forbid,
        "hide" => Access::Hide,
        other => panic!("matrix.csv line {line}: unknown access {other}"),
    }
}

fn parse_fields(value: &str, line: usize) -> Fields {
    match value {
        "full" => Fields::Full,
        "coarse" => Fields::Coarse,
        "-" => Fields::Unchecked,
        other => panic!("matrix.csv line {line}: unknown fields {other}"),
    }
}

impl Rule {
    fn is_general(&self) -> bool {
        self.path == "*"
    }

    fn operation(&self) -> Operation {
        Operation {
            surface: self.surface.clone(),
            method: self.method.clone(),
            path: self.path.clone(),
        }
    }

    fn matches(&self, operation: &Operation, record: &str, cell: &Cell<'_>) -> bool {
        admits(&self.surface, &operation.surface)
            && admits(&self.method, &operation.method)
            && admits(&self.path, &operation.path)
            && admits(&self.record, record)
            && admits(&self.role, cell.role)
            && admits(&self.relation, cell.relation)
            && admits(&self.level, cell.level)
            && admits(&self.clearance, cell.clearance)
    }
}

/// The rules in file order.
pub struct Matrix {
    rules: Vec<Rule>,
}

impl Matrix {
    pub fn load() -> Matrix {
        let mut rules = Vec::new();
        let mut header_seen = false;
        for (index, text) in SOURCE.lines().enumerate() {
            let line = index + 1;
            let text = text.trim();
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            let columns: Vec<&str> = text.split(',').map(str::trim).collect();
            assert_eq!(
                columns.len(),
                10,
                "matrix.csv line {line}: expected 10 columns"
            );
            if !header_seen {
                assert_eq!(columns[0], "surface", "matrix.csv: header row first");
                header_seen = true;
                continue;
            }
            rules.push(Rule {
                line,
                surface: columns[0].into(),
                method: columns[1].into(),
                path: columns[2].into(),
                record: columns[3].into(),
                role: columns[4].into(),
                relation: columns[5].into(),
                level: columns[6].into(),
                clearance: columns[7].into(),
                access: parse_access(columns[8], line),
                fields: parse_fields(columns[9], line),
            });
        }
        Matrix { rules }
    }

    /// Every operation with a row of its own, and the record kind its rows name. Fails when
    /// two rows of one operation disagree on the kind.
    pub fn operations(&self) -> BTreeMap<Operation, String> {
        let mut operations = BTreeMap::new();
        for rule in self.rules.iter().filter(|rule| !rule.is_general()) {
            let previous = operations.insert(rule.operation(), rule.record.clone());
            if let Some(previous) = previous {
                assert_eq!(
                    previous,
                    rule.record,
                    "matrix.csv line {}: {} names two record kinds",
                    rule.line,
                    rule.operation()
                );
            }
        }
        operations
    }

    /// The first rule that matches, or `None` when the matrix has no rule for the cell.
    pub fn decide(&self, operation: &Operation, record: &str, cell: &Cell<'_>) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|rule| rule.matches(operation, record, cell))
    }
}
