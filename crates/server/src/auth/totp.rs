//! TOTP second factor (RFC 6238): HMAC-SHA-1, 30-second steps, 6 digits, and one step of clock
//! difference either way, the settings every common authenticator app uses.

use base64::Engine;
use jiff::Timestamp;
use rand::RngExt;
use theodoi_store::UserRecord;
use totp_rs::{Algorithm, Secret, Totp};

/// Name shown by authenticator apps beside the account.
pub const ISSUER: &str = "theodoi";
const DIGITS: u8 = 6;
const STEP_SECONDS: u64 = 30;
const SKEW_STEPS: u16 = 1;

/// Generates a random secret of 160 bits, the length RFC 4226 recommends, in base32.
pub fn new_secret() -> String {
    let bytes: [u8; 20] = rand::rng().random();
    Secret::from(bytes).to_base32()
}

fn generator(secret: &str, username: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret.trim().to_ascii_uppercase()).ok()?;
    totp_rs::Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS)
        .with_skew(SKEW_STEPS)
        .with_step_duration(STEP_SECONDS)
        .with_secret(secret)
        .with_account_name(username)
        .with_issuer(Some(ISSUER))
        .build()
        .ok()
}

fn unix_seconds(now: Timestamp) -> u64 {
    u64::try_from(now.as_second()).unwrap_or(0)
}

/// Returns the step of `code` if it is valid for `secret` at `now`, within one step either way. The
/// caller must still reject a step that was used before.
pub fn check(secret: &str, code: &str, now: Timestamp) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != usize::from(DIGITS) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let step = generator(secret, "user")?.check(&code, unix_seconds(now))?;
    i64::try_from(step).ok()
}

/// Computes the code of `secret` at `now`, as an authenticator app would show it.
pub fn code_at(secret: &str, now: Timestamp) -> Option<String> {
    Some(
        generator(secret, "user")?
            .generate(unix_seconds(now))
            .to_string(),
    )
}

/// Builds the `otpauth://` URI that authenticator apps import, for `username`.
pub fn otpauth_uri(secret: &str, username: &str) -> Option<String> {
    generator(secret, username)?.to_url().ok()
}

/// Draws the `otpauth://` URI as a QR code in SVG, drawn on the server so that the page loads no
/// script and sends the secret nowhere.
pub fn qr_svg(uri: &str) -> Option<String> {
    let code = qrcode::QrCode::new(uri.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

/// Encodes the QR code as a `data:` URI for an `<img>`, so that the Content-Security-Policy needs no
/// inline markup exception.
pub fn qr_data_uri(uri: &str) -> Option<String> {
    let svg = qr_svg(uri)?;
    Some(format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    ))
}

/// Whether `user` must log in with a code, by the configured roles.
pub fn required(required_roles: &[theodoi_domain::user::Role], user: &UserRecord) -> bool {
    user.roles.iter().any(|role| required_roles.contains(role))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The SHA-1 test vectors of RFC 6238, appendix B, truncated to 6 digits.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(seconds).expect("instant")
    }

    #[test]
    fn codes_match_rfc_6238_vectors() {
        assert_eq!(code_at(RFC_SECRET, at(59)).as_deref(), Some("287082"));
        assert_eq!(
            code_at(RFC_SECRET, at(1_111_111_109)).as_deref(),
            Some("081804")
        );
        assert_eq!(
            code_at(RFC_SECRET, at(1_234_567_890)).as_deref(),
            Some("005924")
        );
        assert_eq!(
            code_at(RFC_SECRET, at(2_000_000_000)).as_deref(),
            Some("279037")
        );
    }

    #[test]
    fn check_accepts_one_step_either_way() {
        let now = at(1_234_567_890);
        let step = 1_234_567_890 / 30;
        for (offset, accepted) in [
            (-60, false),
            (-30, true),
            (0, true),
            (30, true),
            (60, false),
        ] {
            let code = code_at(RFC_SECRET, at(1_234_567_890 + offset)).expect("code");
            let expected = accepted.then_some(step + offset / 30);
            assert_eq!(check(RFC_SECRET, &code, now), expected, "offset {offset}");
        }
    }

    #[test]
    fn check_rejects_malformed_codes() {
        let now = at(59);
        assert_eq!(check(RFC_SECRET, "28708", now), None);
        assert_eq!(check(RFC_SECRET, "28708a", now), None);
        assert_eq!(check(RFC_SECRET, "287 082", now), Some(1));
        assert_eq!(check("not base32!", "287082", now), None);
    }

    #[test]
    fn uri_and_qr_carry_the_secret() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        let uri = otpauth_uri(&secret, "vptw.nhaplieu").expect("uri");
        assert!(
            uri.starts_with("otpauth://totp/theodoi:vptw.nhaplieu?"),
            "{uri}"
        );
        assert!(uri.contains(&format!("secret={secret}")), "{uri}");
        let svg = qr_svg(&uri).expect("svg");
        assert!(svg.contains("<svg"), "{svg}");
    }
}
