//! What a reader may see: every record, or those touching one organisation's subtree, and only
//! up to a confidentiality level. Every list and count query goes through this filter.

use crate::sql::Sql;
use crate::task_viewers;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::ids::OrgId;
use theodoi_domain::user::Clearance;

/// Which organisations' records a reader sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// The Central Office, leaders and the Central Inspection Commission.
    Everything,
    /// Records where a body at or below this organisation leads, coordinates, monitors or
    /// assigns.
    Within(OrgId),
}

/// The reader's visibility and clearance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    pub visibility: Visibility,
    pub clearance: Clearance,
}

impl Scope {
    pub fn everything(clearance: Clearance) -> Self {
        Self {
            visibility: Visibility::Everything,
            clearance,
        }
    }

    pub fn within(org: OrgId, clearance: Clearance) -> Self {
        Self {
            visibility: Visibility::Within(org),
            clearance,
        }
    }

    /// Confidentiality levels the reader may see.
    pub fn levels(&self) -> Vec<&'static str> {
        Confidentiality::ALL
            .into_iter()
            .filter(|level| self.clearance.covers(*level))
            .map(Confidentiality::as_str)
            .collect()
    }

    /// Appends ` AND (…)` restricting the task table aliased `t` to this scope.
    pub(crate) fn restrict_tasks(&self, sql: &mut Sql) {
        sql.push(" AND t.confidentiality IN ")
            .bind_list(&self.levels());
        if let Visibility::Within(org) = self.visibility {
            task_viewers::restrict(sql, org);
        }
    }

    /// Appends ` AND (…)` restricting the task table aliased `t` to this scope, written as a
    /// check of each row. For statements that read the tasks in another index's order and
    /// stop after a few: the form of [`Scope::restrict_tasks`] lets the planner read the
    /// reader's tasks first.
    pub(crate) fn restrict_tasks_by_probe(&self, sql: &mut Sql) {
        sql.push(" AND t.confidentiality IN ")
            .bind_list(&self.levels());
        if let Visibility::Within(org) = self.visibility {
            task_viewers::restrict_by_probe(sql, org);
        }
    }

    /// Appends ` AND (…)` restricting the document table aliased `d` to this scope: documents
    /// at the reader's level, and for a body only those with a task it may see.
    pub(crate) fn restrict_documents(&self, sql: &mut Sql) {
        sql.push(" AND d.confidentiality IN ")
            .bind_list(&self.levels());
        if let Visibility::Within(org) = self.visibility {
            sql.push(
                " AND (d.registered_body IN (SELECT descendant FROM org_closure WHERE ancestor = ",
            )
            .bind(org.0)
            .push(") OR EXISTS (SELECT 1 FROM tasks t WHERE t.document_id = d.id");
            self.restrict_tasks(sql);
            sql.push("))");
        }
    }

    /// Whether the reader may see a record of `level` that involves `bodies`, given the ids of
    /// the reader's subtree.
    pub fn allows(&self, level: Confidentiality, bodies: &[OrgId], subtree: &[OrgId]) -> bool {
        if !self.clearance.covers(level) {
            return false;
        }
        match self.visibility {
            Visibility::Everything => true,
            Visibility::Within(_) => bodies.iter().any(|body| subtree.contains(body)),
        }
    }
}
