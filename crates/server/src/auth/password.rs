//! Password hashing with argon2id, stored as PHC strings. New hashes use the argon2 crate's
//! defaults (argon2id, version 0x13, 19 MiB of memory, 2 passes, 1 lane, the minimum that
//! OWASP's password storage guidance gives); each stored hash carries its own parameters, so
//! hashes made with other parameters still verify after the defaults change.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use std::sync::LazyLock;
use tokio::sync::Semaphore;
use tokio::task::JoinError;

/// A bound on how many argon2id computations run at once, with the blocking threads they run
/// on. Each computation fills a 19 MiB buffer and keeps a core busy for tens of milliseconds.
/// Running more of them than there are cores finishes none sooner and multiplies the memory
/// held: 100 logins at once would need 1.9 GB.
#[derive(Debug)]
pub struct HashingPool {
    slots: Semaphore,
}

impl HashingPool {
    /// Creates a pool that runs at most `parallel` computations at once (at least one).
    pub fn new(parallel: usize) -> HashingPool {
        HashingPool {
            slots: Semaphore::new(parallel.max(1)),
        }
    }

    /// Runs `work` on a blocking thread once a slot is free; callers past the bound wait in
    /// turn. Fails only when `work` panicked.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, JoinError> {
        // The semaphore is never closed, so acquiring fails for no caller.
        let _slot = self
            .slots
            .acquire()
            .await
            .expect("the hashing pool's semaphore is never closed");
        tokio::task::spawn_blocking(work).await
    }
}

/// Returns the process's pool, with one slot per core that the process may use.
pub fn pool() -> &'static HashingPool {
    static POOL: LazyLock<HashingPool> = LazyLock::new(|| {
        HashingPool::new(std::thread::available_parallelism().map_or(1, |cores| cores.get()))
    });
    &POOL
}

/// Hashes a password like [`hash`], on the process's [`pool`].
pub async fn hash_pooled(password: String) -> Result<String, JoinError> {
    pool().run(move || hash(&password)).await
}

/// Checks a password like [`verify`], on the process's [`pool`].
pub async fn verify_pooled(password: String, stored: String) -> Result<bool, JoinError> {
    pool().run(move || verify(&password, &stored)).await
}

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

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn hashing_pool_runs_at_most_its_bound() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};

        let pool = Arc::new(HashingPool::new(2));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (pool, running, most) = (pool.clone(), running.clone(), most.clone());
            tasks.push(tokio::spawn(async move {
                pool.run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    // Long enough for the other tasks to start theirs if the bound let them.
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                })
                .await
            }));
        }
        for task in tasks {
            task.await.expect("task").expect("work");
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn pooled_verify_matches_verify() {
        let stored = hash("mật khẩu dài đủ");
        assert!(
            verify_pooled("mật khẩu dài đủ".into(), stored.clone())
                .await
                .expect("verify")
        );
        assert!(
            !verify_pooled("mật khẩu khác".into(), stored)
                .await
                .expect("verify")
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
