//! The words of a countdown to a due time, for `<time data-countdown>` and for the text shown
//! before `app.js` runs.

use super::page::Page;
use jiff::Timestamp;

/// The words of `<time data-countdown>`, which `app.js` fills in as time passes.
#[derive(Debug)]
pub struct CountdownTexts {
    /// Text while time is left, with `{t}` for the time.
    pub left: String,
    /// Text once overdue, with `{t}` for the time.
    pub over: String,
    pub day: String,
    pub hour: String,
    pub minute: String,
}

impl CountdownTexts {
    pub fn new(page: &Page) -> CountdownTexts {
        CountdownTexts {
            left: page.t1("ui-countdown-left", "t", "{t}"),
            over: page.t1("ui-countdown-over", "t", "{t}"),
            day: page.t("ui-countdown-day"),
            hour: page.t("ui-countdown-hour"),
            minute: page.t("ui-countdown-minute"),
        }
    }

    /// Describes the time from `now` to `due` in the words `app.js` uses: days and hours, or
    /// hours and minutes under a day.
    pub fn describe(&self, due: Timestamp, now: Timestamp) -> String {
        let millis = due.as_millisecond() - now.as_millisecond();
        let minutes = millis.unsigned_abs() / 60_000;
        let (days, hours, rest) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60);
        let mut parts = Vec::new();
        if days > 0 {
            parts.push(format!("{days} {}", self.day));
        }
        if hours > 0 {
            parts.push(format!("{hours} {}", self.hour));
        }
        if days == 0 {
            parts.push(format!("{rest} {}", self.minute));
        }
        let template = if millis >= 0 { &self.left } else { &self.over };
        template.replace("{t}", &parts.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdown_reads_like_the_script() {
        let texts = CountdownTexts {
            left: "Còn {t}".into(),
            over: "Quá hạn {t}".into(),
            day: "ngày".into(),
            hour: "giờ".into(),
            minute: "phút".into(),
        };
        let now = Timestamp::from_second(1_780_000_000).unwrap();
        let at = |seconds: i64| Timestamp::from_second(1_780_000_000 + seconds).unwrap();
        assert_eq!(
            texts.describe(at(2 * 86_400 + 3 * 3_600 + 600), now),
            "Còn 2 ngày 3 giờ"
        );
        assert_eq!(texts.describe(at(3 * 86_400), now), "Còn 3 ngày");
        assert_eq!(texts.describe(at(5_400), now), "Còn 1 giờ 30 phút");
        assert_eq!(texts.describe(at(-120), now), "Quá hạn 2 phút");
        assert_eq!(texts.describe(now, now), "Còn 0 phút");
    }
}
