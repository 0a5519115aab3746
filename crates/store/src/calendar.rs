//! The administrator's calendar: yearly schedules that replace the built-in ones, and the
//! working hours. Every save is a new revision; nothing is overwritten.

use crate::error::{StoreError, StoreResult};
use crate::{Store, time};
use jiff::Timestamp;
use sqlx::Row;
use theodoi_calendar::hours::WorkingHours;
use theodoi_calendar::schedule::{SpecialDay, YearSchedule};
use theodoi_calendar::{CalendarVersion, WorkingCalendar};
use theodoi_domain::ids::UserId;

/// Year number under which working-hours revisions are saved.
const HOURS_YEAR: i64 = 0;

/// The administrator's calendar as it stands.
#[derive(Debug, Clone, Default)]
pub struct CalendarOverrides {
    /// Latest revision number; 0 when the administrator never changed anything.
    pub revision: i64,
    pub hours: Option<String>,
    pub years: Vec<YearSchedule>,
}

impl CalendarOverrides {
    /// The version label recorded on due times: the built-in data plus the revision.
    pub fn version_label(&self) -> String {
        let builtin = WorkingCalendar::builtin().version().0.clone();
        if self.revision == 0 {
            builtin
        } else {
            format!("{builtin}+r{}", self.revision)
        }
    }

    /// Builds the working calendar, falling back to the default hours when the stored hours do
    /// not parse (they were validated when saved).
    pub fn calendar(&self) -> WorkingCalendar {
        let hours = self
            .hours
            .as_deref()
            .and_then(|hours| hours.parse::<WorkingHours>().ok())
            .unwrap_or_default();
        WorkingCalendar::new(
            hours,
            self.years.clone(),
            CalendarVersion(self.version_label()),
        )
    }
}

impl Store {
    /// The latest saved schedule of every overridden year, and the working hours.
    pub async fn calendar_overrides(&self) -> StoreResult<CalendarOverrides> {
        let rows = sqlx::query(
            "SELECT r.revision, r.year, r.days, r.hours FROM calendar_revisions r \
             WHERE r.revision = (SELECT MAX(x.revision) FROM calendar_revisions x WHERE x.year = r.year) \
             ORDER BY r.year",
        )
        .fetch_all(&self.db.pool)
        .await?;
        let mut overrides = CalendarOverrides::default();
        for row in rows {
            let revision: i64 = row.try_get("revision")?;
            overrides.revision = overrides.revision.max(revision);
            let year: i64 = row.try_get("year")?;
            if year == HOURS_YEAR {
                overrides.hours = row.try_get("hours")?;
                continue;
            }
            let days: String = row.try_get("days")?;
            let days: Vec<SpecialDay> = serde_json::from_str(&days).map_err(StoreError::corrupt)?;
            overrides.years.push(YearSchedule {
                year: i16::try_from(year).map_err(StoreError::corrupt)?,
                days,
            });
        }
        Ok(overrides)
    }

    /// Saves the schedule of one year as a new revision; returns the revision number.
    pub async fn save_calendar_year(
        &self,
        schedule: &YearSchedule,
        by: UserId,
        now: Timestamp,
    ) -> StoreResult<i64> {
        let days = serde_json::to_string(&schedule.days).map_err(StoreError::corrupt)?;
        self.insert_revision(i64::from(schedule.year), &days, None, by, now)
            .await
    }

    /// Saves the working hours as a new revision; returns the revision number.
    pub async fn save_working_hours(
        &self,
        hours: &WorkingHours,
        by: UserId,
        now: Timestamp,
    ) -> StoreResult<i64> {
        self.insert_revision(HOURS_YEAR, "[]", Some(hours.to_string()), by, now)
            .await
    }

    async fn insert_revision(
        &self,
        year: i64,
        days: &str,
        hours: Option<String>,
        by: UserId,
        now: Timestamp,
    ) -> StoreResult<i64> {
        let mut tx = self.db.begin_write().await?;
        let revision: i64 = sqlx::query(
            "INSERT INTO calendar_revisions (year, days, hours, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5) RETURNING revision",
        )
        .bind(year)
        .bind(days)
        .bind(hours)
        .bind(time::to_ms(now))
        .bind(by.0)
        .fetch_one(&mut **tx)
        .await?
        .try_get("revision")?;
        tx.announce_reference();
        tx.commit().await?;
        Ok(revision)
    }
}
