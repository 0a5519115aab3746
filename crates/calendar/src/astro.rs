//! Positions of the Sun and the Moon, as much as the lunisolar calendar needs.
//!
//! The formulas are those of Jean Meeus, *Astronomical Algorithms* (2nd ed., 1998): chapter 49
//! for the instants of new moon and chapter 25 (low accuracy) for the Sun's apparent longitude.
//! ΔT (TT − UT) comes from the polynomial fits of Espenak and Meeus published with NASA's
//! "Five Millennium Canon of Solar Eclipses" (2006).
//!
//! NOTE: the solar longitude is accurate to about 0.01°, so the computed instant of a principal
//! term can be about 15 minutes off. A principal term that close to local midnight at the start
//! of a lunar month could move a leap month. The new-moon instants are accurate to well under a
//! minute over 1900–2199.

use std::f64::consts::PI;

/// Julian Ephemeris Day of the J2000.0 epoch (2000-01-01 12:00 TT).
const J2000: f64 = 2_451_545.0;

/// Days in a Julian century, the unit of Meeus' time argument `T`.
const DAYS_PER_CENTURY: f64 = 36_525.0;

/// Mean length of a synodic month in days (Meeus, eq. 49.1).
pub(crate) const SYNODIC_MONTH: f64 = 29.530_588_861;

/// Julian Ephemeris Day of the mean new moon with lunation number 0 (2000-01-06).
const NEW_MOON_EPOCH: f64 = 2_451_550.097_66;

fn sin_deg(degrees: f64) -> f64 {
    (degrees * PI / 180.0).sin()
}

fn normalize_degrees(degrees: f64) -> f64 {
    degrees.rem_euclid(360.0)
}

/// ΔT = TT − UT in seconds for a decimal year, from the Espenak–Meeus polynomials.
///
/// Only the pieces for 1860–2200 and later are included because the calendar covers
/// 1900–2199 and looks at most a few months outside it.
pub(crate) fn delta_t_seconds(decimal_year: f64) -> f64 {
    let y = decimal_year;
    if y < 1900.0 {
        let t = y - 1860.0;
        7.62 + 0.5737 * t - 0.251_754 * t.powi(2) + 0.016_806_68 * t.powi(3)
            - 0.000_447_362_4 * t.powi(4)
            + t.powi(5) / 233_174.0
    } else if y < 1920.0 {
        let t = y - 1900.0;
        -2.79 + 1.494_119 * t - 0.059_893_9 * t.powi(2) + 0.006_196_6 * t.powi(3)
            - 0.000_197 * t.powi(4)
    } else if y < 1941.0 {
        let t = y - 1920.0;
        21.20 + 0.844_93 * t - 0.076_100 * t.powi(2) + 0.002_093_6 * t.powi(3)
    } else if y < 1961.0 {
        let t = y - 1950.0;
        29.07 + 0.407 * t - t.powi(2) / 233.0 + t.powi(3) / 2547.0
    } else if y < 1986.0 {
        let t = y - 1975.0;
        45.45 + 1.067 * t - t.powi(2) / 260.0 - t.powi(3) / 718.0
    } else if y < 2005.0 {
        let t = y - 2000.0;
        63.86 + 0.3345 * t - 0.060_374 * t.powi(2)
            + 0.001_727_5 * t.powi(3)
            + 0.000_651_814 * t.powi(4)
            + 0.000_023_735_99 * t.powi(5)
    } else if y < 2050.0 {
        let t = y - 2000.0;
        62.92 + 0.322_17 * t + 0.005_589 * t.powi(2)
    } else if y < 2150.0 {
        let u = (y - 1820.0) / 100.0;
        -20.0 + 32.0 * u.powi(2) - 0.5628 * (2150.0 - y)
    } else {
        let u = (y - 1820.0) / 100.0;
        -20.0 + 32.0 * u.powi(2)
    }
}

/// Converts a Julian Ephemeris Day (TT) to a Julian Day in UT.
fn ephemeris_to_universal(jde: f64) -> f64 {
    let decimal_year = 2000.0 + (jde - J2000) / 365.25;
    jde - delta_t_seconds(decimal_year) / 86_400.0
}

/// Converts a Julian Day in UT to a Julian Ephemeris Day (TT).
fn universal_to_ephemeris(jd: f64) -> f64 {
    let decimal_year = 2000.0 + (jd - J2000) / 365.25;
    jd + delta_t_seconds(decimal_year) / 86_400.0
}

/// Returns the lunation number `k` of the new moon nearest to the given Julian Day.
pub(crate) fn lunation_near(jd: f64) -> i64 {
    ((jd - NEW_MOON_EPOCH) / SYNODIC_MONTH).round() as i64
}

/// Computes the Julian Ephemeris Day (TT) of the true new moon with lunation number `k`
/// (k = 0 is the new moon of 2000-01-06), following Meeus chapter 49.
pub(crate) fn new_moon_jde(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let t4 = t3 * t;

    let mean = NEW_MOON_EPOCH + SYNODIC_MONTH * k + 0.000_154_37 * t2 - 0.000_000_150 * t3
        + 0.000_000_000_73 * t4;

    // Eccentricity of the Earth's orbit, which scales the terms that contain the Sun's anomaly.
    let e = 1.0 - 0.002_516 * t - 0.000_007_4 * t2;
    let sun_anomaly = 2.5534 + 29.105_356_70 * k - 0.000_001_4 * t2 - 0.000_000_11 * t3;
    let moon_anomaly =
        201.5643 + 385.816_935_28 * k + 0.010_758_2 * t2 + 0.000_012_38 * t3 - 0.000_000_058 * t4;
    let latitude_arg =
        160.7108 + 390.670_502_84 * k - 0.001_611_8 * t2 - 0.000_002_27 * t3 + 0.000_000_011 * t4;
    let node = 124.7746 - 1.563_755_88 * k + 0.002_067_2 * t2 + 0.000_002_15 * t3;

    let (m, mp, f) = (sun_anomaly, moon_anomaly, latitude_arg);
    let periodic = -0.407_20 * sin_deg(mp)
        + 0.172_41 * e * sin_deg(m)
        + 0.016_08 * sin_deg(2.0 * mp)
        + 0.010_39 * sin_deg(2.0 * f)
        + 0.007_39 * e * sin_deg(mp - m)
        - 0.005_14 * e * sin_deg(mp + m)
        + 0.002_08 * e * e * sin_deg(2.0 * m)
        - 0.001_11 * sin_deg(mp - 2.0 * f)
        - 0.000_57 * sin_deg(mp + 2.0 * f)
        + 0.000_56 * e * sin_deg(2.0 * mp + m)
        - 0.000_42 * sin_deg(3.0 * mp)
        + 0.000_42 * e * sin_deg(m + 2.0 * f)
        + 0.000_38 * e * sin_deg(m - 2.0 * f)
        - 0.000_24 * e * sin_deg(2.0 * mp - m)
        - 0.000_17 * sin_deg(node)
        - 0.000_07 * sin_deg(mp + 2.0 * m)
        + 0.000_04 * sin_deg(2.0 * mp - 2.0 * f)
        + 0.000_04 * sin_deg(3.0 * m)
        + 0.000_03 * sin_deg(mp + m - 2.0 * f)
        + 0.000_03 * sin_deg(2.0 * mp + 2.0 * f)
        - 0.000_03 * sin_deg(mp + m + 2.0 * f)
        + 0.000_03 * sin_deg(mp - m + 2.0 * f)
        - 0.000_02 * sin_deg(mp - m - 2.0 * f)
        - 0.000_02 * sin_deg(3.0 * mp + m)
        + 0.000_02 * sin_deg(4.0 * mp);

    // Perturbations by the planets (Meeus' "additional corrections" A1..A14).
    let planetary: [(f64, f64); 14] = [
        (0.000_325, 299.77 + 0.107_408 * k - 0.009_173 * t2),
        (0.000_165, 251.88 + 0.016_321 * k),
        (0.000_164, 251.83 + 26.651_886 * k),
        (0.000_126, 349.42 + 36.412_478 * k),
        (0.000_110, 84.66 + 18.206_239 * k),
        (0.000_062, 141.74 + 53.303_771 * k),
        (0.000_060, 207.14 + 2.453_732 * k),
        (0.000_056, 154.84 + 7.306_860 * k),
        (0.000_047, 34.52 + 27.261_239 * k),
        (0.000_042, 207.19 + 0.121_824 * k),
        (0.000_040, 291.34 + 1.844_379 * k),
        (0.000_037, 161.72 + 24.198_154 * k),
        (0.000_035, 239.56 + 25.513_099 * k),
        (0.000_023, 331.55 + 3.592_518 * k),
    ];
    let additional: f64 = planetary
        .iter()
        .map(|&(coefficient, argument)| coefficient * sin_deg(argument))
        .sum();

    mean + periodic + additional
}

/// Returns the Julian Day (UT) of the true new moon with lunation number `k`.
pub(crate) fn new_moon_ut(k: i64) -> f64 {
    ephemeris_to_universal(new_moon_jde(k))
}

/// Computes the Sun's apparent geocentric longitude in degrees, in `[0, 360)`, at the given
/// Julian Day in UT (Meeus chapter 25, low accuracy, with nutation and aberration).
pub(crate) fn sun_apparent_longitude(jd_ut: f64) -> f64 {
    let t = (universal_to_ephemeris(jd_ut) - J2000) / DAYS_PER_CENTURY;
    let t2 = t * t;

    let mean_longitude = 280.466_46 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mean_anomaly = 357.529_11 + 35_999.050_29 * t - 0.000_153_7 * t2;
    let center = (1.914_602 - 0.004_817 * t - 0.000_014 * t2) * sin_deg(mean_anomaly)
        + (0.019_993 - 0.000_101 * t) * sin_deg(2.0 * mean_anomaly)
        + 0.000_289 * sin_deg(3.0 * mean_anomaly);
    let true_longitude = mean_longitude + center;

    let node = 125.04 - 1_934.136 * t;
    normalize_degrees(true_longitude - 0.005_69 - 0.004_78 * sin_deg(node))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_moon_matches_meeus_example() {
        // Meeus example 49.a: the new moon of mid-February 1977 (k = -283) is at
        // JDE 2443192.65118, 1977-02-18 03:37:42 TD.
        let jde = new_moon_jde(-283);
        assert!((jde - 2_443_192.651_18).abs() < 0.000_01, "JDE was {jde}");
    }

    #[test]
    fn sun_longitude_matches_meeus_example() {
        // Meeus example 25.a: on 1992-10-13 0h TD the apparent longitude is 199.90895°
        // with the low-accuracy method. The input here is UT, which differs by ΔT ≈ 59 s,
        // so allow for the Sun's motion in that time (about 0.0007°).
        let longitude = sun_apparent_longitude(2_448_908.5);
        assert!(
            (longitude - 199.908_95).abs() < 0.002,
            "longitude was {longitude}"
        );
    }

    #[test]
    fn delta_t_is_continuous_enough() {
        // The polynomial pieces meet within a second or two; a jump would shift new moons.
        for boundary in [
            1900.0, 1920.0, 1941.0, 1961.0, 1986.0, 2005.0, 2050.0, 2150.0,
        ] {
            let before = delta_t_seconds(boundary - 1e-6);
            let after = delta_t_seconds(boundary);
            assert!(
                (before - after).abs() < 2.5,
                "ΔT jumps at {boundary}: {before} vs {after}"
            );
        }
    }
}
