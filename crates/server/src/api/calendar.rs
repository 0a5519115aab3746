//! The working calendar: yearly schedules, working hours, due-time and lunar look-ups.

use super::inputs::parse_code;
use crate::auth::CurrentUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};
use theodoi_calendar::hours::WorkingHours;
use theodoi_calendar::lunar;
use theodoi_calendar::schedule::{DayKind, SpecialDay, YearSchedule};
use theodoi_calendar::{CalendarError, cli::DueAmount, cli::compute_due};
use theodoi_domain::document::parse_date;
use theodoi_domain::error::{Code, DomainError, Violations};
use theodoi_domain::text;
use theodoi_domain::user::Role;
use utoipa::{IntoParams, ToSchema};

/// One exception to the Monday–Friday week.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DayBody {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub name_vi: Option<String>,
    pub name_en: Option<String>,
    /// holiday, compensatory or swapped (weekdays off), or makeup_workday (a weekend working day).
    pub kind: String,
}

/// A year's schedule.
#[derive(Debug, Serialize, ToSchema)]
pub struct YearView {
    pub year: i16,
    /// builtin, or override when an administrator saved this year.
    pub source: String,
    /// Version of the calendar in force, recorded on due times computed with it.
    pub calendar_version: String,
    pub days: Vec<DayBody>,
}

fn year_view(schedule: &YearSchedule, source: &str, version: &str) -> YearView {
    YearView {
        year: schedule.year,
        source: source.to_owned(),
        calendar_version: version.to_owned(),
        days: schedule
            .days
            .iter()
            .map(|day| DayBody {
                date: day.date.to_string(),
                name_vi: Some(day.name_vi.clone()),
                name_en: Some(day.name_en.clone()),
                kind: day.kind.as_str().to_owned(),
            })
            .collect(),
    }
}

fn parse_year(value: i32) -> Result<i16, DomainError> {
    i16::try_from(value)
        .ok()
        .filter(|year| (lunar::MIN_YEAR..=lunar::MAX_YEAR).contains(year))
        .ok_or_else(|| {
            DomainError::field(
                "year",
                Code::CalendarYearInvalid,
                vec![("value", i64::from(value).into())],
            )
        })
}

/// Shows the schedule of a year: the administrator's if saved, else the built-in one.
#[utoipa::path(get, path = "/api/v1/calendar/years/{year}", tag = "calendar",
    params(("year" = i32, Path, description = "Gregorian year, 1900–2199")),
    responses((status = 200, body = YearView), (status = 422, body = ErrorBody)))]
pub async fn year(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(year): ApiPath<i32>,
) -> ApiResult<Json<YearView>> {
    let year = parse_year(year)?;
    let reference = state.reference();
    let overridden = reference
        .calendar_overrides
        .years
        .iter()
        .any(|schedule| schedule.year == year);
    let schedule = reference.calendar.year(year);
    Ok(Json(year_view(
        &schedule,
        if overridden { "override" } else { "builtin" },
        &reference.calendar.version().0,
    )))
}

/// A year's schedule as saved by an administrator.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct YearBody {
    /// Every weekday off and every weekend working day of the year.
    pub days: Vec<DayBody>,
}

fn calendar_violation(
    error: &CalendarError,
) -> (Code, Vec<(&'static str, theodoi_domain::error::Arg)>) {
    match error {
        CalendarError::ScheduleDateOutsideYear { year, date } => (
            Code::CalendarDayOutsideYear,
            vec![("value", (*date).into()), ("year", i64::from(*year).into())],
        ),
        CalendarError::ScheduleNotSorted { date, .. } => {
            (Code::CalendarDayDuplicate, vec![("value", (*date).into())])
        }
        other => (
            Code::InvalidValue,
            vec![("value", other.to_string().into())],
        ),
    }
}

/// Saves the official schedule of a year, replacing the built-in one for that year. Due times
/// computed earlier keep their values. Administrators only.
#[utoipa::path(put, path = "/api/v1/calendar/years/{year}", tag = "calendar",
    params(("year" = i32, Path, description = "Gregorian year, 1900–2199")), request_body = YearBody,
    responses((status = 200, body = YearView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_year(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(year): ApiPath<i32>,
    ApiJson(body): ApiJson<YearBody>,
) -> ApiResult<Json<YearView>> {
    user.actor().require_any(&[Role::Administrator])?;
    let year = parse_year(year)?;
    let mut violations = Violations::new();
    let mut days = Vec::new();
    for (index, day) in body.days.iter().enumerate() {
        let field = |name: &str| format!("days[{index}].{name}");
        let date = violations.check(parse_date(&field("date"), &day.date));
        let kind = violations.check(parse_code(
            &field("kind"),
            &day.kind,
            &["holiday", "compensatory", "swapped", "makeup_workday"],
            |value| match value {
                "holiday" => Some(DayKind::Holiday),
                "compensatory" => Some(DayKind::Compensatory),
                "swapped" => Some(DayKind::Swapped),
                "makeup_workday" => Some(DayKind::MakeupWorkday),
                _ => None,
            },
        ));
        let name_vi = violations.check(text::required_line(
            &field("name_vi"),
            day.name_vi.as_deref().unwrap_or(""),
            200,
        ));
        let name_en = violations.check(text::optional_line(
            &field("name_en"),
            day.name_en.as_deref(),
            200,
        ));
        if let (Some(date), Some(kind), Some(name_vi)) = (date, kind, name_vi) {
            days.push(SpecialDay {
                date,
                name_en: name_en.flatten().unwrap_or_else(|| name_vi.clone()),
                name_vi,
                kind,
            });
        }
    }
    violations.finish()?;
    days.sort_by_key(|day| day.date);
    let schedule = YearSchedule { year, days };
    if let Err(error) = schedule.validate() {
        let (code, args) = calendar_violation(&error);
        return Err(DomainError::field("days", code, args).into());
    }
    state
        .store
        .save_calendar_year(&schedule, user.user.id, state.now())
        .await?;
    state.reload_reference().await?;
    let reference = state.reference();
    tracing::info!(user.id = user.user.id.0, year, "calendar year saved");
    Ok(Json(year_view(
        &reference.calendar.year(year),
        "override",
        &reference.calendar.version().0,
    )))
}

/// Working hours.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoursBody {
    /// Periods of one working day, such as `08:00-12:00,13:00-17:00`.
    pub hours: String,
}

/// Shows the working hours.
#[utoipa::path(get, path = "/api/v1/calendar/hours", tag = "calendar",
    responses((status = 200, body = HoursBody)))]
pub async fn hours(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> ApiResult<Json<HoursBody>> {
    Ok(Json(HoursBody {
        hours: state.reference().calendar.hours().to_string(),
    }))
}

/// Sets the working hours for due times computed from now on. Administrators only.
#[utoipa::path(put, path = "/api/v1/calendar/hours", tag = "calendar", request_body = HoursBody,
    responses((status = 200, body = HoursBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_hours(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<HoursBody>,
) -> ApiResult<Json<HoursBody>> {
    user.actor().require_any(&[Role::Administrator])?;
    let hours: WorkingHours = body.hours.parse().map_err(|_: CalendarError| {
        DomainError::field(
            "hours",
            Code::CalendarHoursInvalid,
            vec![("value", body.hours.clone().into())],
        )
    })?;
    state
        .store
        .save_working_hours(&hours, user.user.id, state.now())
        .await?;
    state.reload_reference().await?;
    Ok(Json(HoursBody {
        hours: hours.to_string(),
    }))
}

/// A due-time question.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DueQuery {
    /// RFC 3339 start instant, any offset.
    pub start: String,
    /// Working hours from the start.
    pub working_hours: Option<u32>,
    /// Working days after the start's date; due at the end of the last one's working hours.
    pub working_days: Option<u32>,
    /// Language of messages: vi (default) or en.
    #[expect(
        dead_code,
        reason = "read from the query string by the localize middleware"
    )]
    pub lang: Option<String>,
}

/// A computed due time.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueView {
    /// RFC 3339 at +07:00.
    pub due: String,
    pub calendar_version: String,
}

/// Computes a due time on the calendar in force.
#[utoipa::path(get, path = "/api/v1/calendar/due", tag = "calendar", params(DueQuery),
    responses((status = 200, body = DueView), (status = 422, body = ErrorBody)))]
pub async fn due(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiQuery(query): ApiQuery<DueQuery>,
) -> ApiResult<Json<DueView>> {
    let start: Timestamp = query.start.trim().parse().map_err(|_| {
        DomainError::field(
            "start",
            Code::InstantInvalid,
            vec![("value", query.start.trim().to_owned().into())],
        )
    })?;
    let amount = match (query.working_hours, query.working_days) {
        (Some(hours), None) => DueAmount::WorkingHours(hours),
        (None, Some(days)) => DueAmount::WorkingDays(days),
        (Some(_), Some(_)) => {
            return Err(DomainError::field(
                "working_days",
                Code::OnlyOneOf,
                vec![(
                    "other",
                    theodoi_domain::error::Arg::Message("field-working-hours".into()),
                )],
            )
            .into());
        }
        (None, None) => {
            return Err(DomainError::field("working_hours", Code::Required, vec![]).into());
        }
    };
    let reference = state.reference();
    let due = compute_due(&reference.calendar, start, amount).map_err(|error| {
        DomainError::field(
            "start",
            Code::InvalidValue,
            vec![("value", error.to_string().into())],
        )
    })?;
    Ok(Json(DueView {
        due: theodoi_calendar::cli::format_local(due),
        calendar_version: reference.calendar.version().0.clone(),
    }))
}

/// A date in the Vietnamese lunar calendar.
#[derive(Debug, Serialize, ToSchema)]
pub struct LunarView {
    pub day: u8,
    pub month: u8,
    pub year: i16,
    pub leap: bool,
}

/// Converts a date to the Vietnamese lunar calendar (computed for UTC+7).
#[utoipa::path(get, path = "/api/v1/calendar/lunar/{date}", tag = "calendar",
    params(("date" = String, Path, description = "`YYYY-MM-DD`, 1900–2199")),
    responses((status = 200, body = LunarView), (status = 422, body = ErrorBody)))]
pub async fn to_lunar(
    _user: CurrentUser,
    ApiPath(date): ApiPath<String>,
) -> ApiResult<Json<LunarView>> {
    let date: Date = parse_date("date", &date)?;
    let lunar = lunar::to_lunar(date).map_err(|_| {
        DomainError::field(
            "date",
            Code::CalendarYearInvalid,
            vec![("value", i64::from(date.year()).into())],
        )
    })?;
    Ok(Json(LunarView {
        day: lunar.day,
        month: lunar.month,
        year: lunar.year,
        leap: lunar.leap,
    }))
}
