//! `theodoi calendar …`: printing built-in calendar facts.

use crate::cli::CalendarCommand;
use anyhow::{Context, Result, bail};
use theodoi_calendar::cli::{DueAmount, due_rfc3339, holidays_json, lunar_json};
use theodoi_calendar::schedule::builtin_year;

pub fn run(command: CalendarCommand) -> Result<()> {
    match command {
        CalendarCommand::Holidays { year, json } => {
            let text = holidays_json(year)?;
            if json {
                println!("{text}");
            } else {
                let year = i16::try_from(year).context("year out of range")?;
                for day in builtin_year(year).days {
                    println!("{}  {:<15} {}", day.date, day.kind.as_str(), day.name_vi);
                }
            }
        }
        CalendarCommand::Lunar { date, json } => {
            let date = date
                .trim()
                .parse()
                .with_context(|| format!("invalid date {date:?}; expected YYYY-MM-DD"))?;
            let text = lunar_json(date)?;
            if json {
                println!("{text}");
            } else {
                let lunar = theodoi_calendar::lunar::to_lunar(date)?;
                let leap = if lunar.leap { " (nhuận)" } else { "" };
                println!("{}/{}{}/{}", lunar.day, lunar.month, leap, lunar.year);
            }
        }
        CalendarCommand::Due {
            start,
            working_hours,
            working_days,
            hours,
        } => {
            let amount = match (working_hours, working_days) {
                (Some(hours), None) => DueAmount::WorkingHours(hours),
                (None, Some(days)) => DueAmount::WorkingDays(days),
                _ => bail!("give exactly one of --working-hours N and --working-days N"),
            };
            println!("{}", due_rfc3339(&start, amount, hours.as_deref())?);
        }
    }
    Ok(())
}
