//! Password hashing with argon2id, stored as PHC strings. New hashes use the argon2 crate's
//! defaults (argon2id, version 0x13, 19 MiB of memory, 2 passes, 1 lane, the minimum that
//! OWASP's password storage guidance gives); each stored hash carries its own parameters, so
//! hashes made with other parameters still verify after the defaults change.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};

/// Hashes a password with a fresh random salt.
pub fn hash(password: &str) -> String {
    Argon2::default()
        .hash_password(password.as_bytes())
        .expect("argon2id hashing with default parameters cannot fail")
        .to_string()
}

/// Whether `password` matches the stored hash. A malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// A hash of a random password, verified against when the username is unknown, so that a
/// failed login takes as long whether or not the account exists.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| hash("no account has this password"));
    &DUMMY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_verifies_only_the_same_password() {
        let stored = hash("mật khẩu dài đủ");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("mật khẩu dài đủ", &stored));
        assert!(!verify("mật khẩu khác", &stored));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn default_parameters_are_argon2id_19_mib_2_passes() {
        let stored = hash("mật khẩu dài đủ");
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
    }

    #[test]
    fn hashes_with_other_parameters_verify() {
        use argon2::{Algorithm, Params, Version};
        let older = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8 * 1024, 3, 1, None).expect("parameters"),
        );
        let stored = older
            .hash_password(b"mat-khau-cu-van-dung")
            .expect("hash")
            .to_string();
        assert!(stored.contains("m=8192,t=3,p=1"), "{stored}");
        assert!(verify("mat-khau-cu-van-dung", &stored));
        assert!(!verify("mat-khau-khac", &stored));
    }
}
