//! Password hashing with argon2id (m = 19 MiB, t = 2, p = 1, the OWASP
//! baseline). Hashing is CPU-heavy, so it runs off the async runtime.
use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use argon2::password_hash::{SaltString, rand_core::OsRng};

fn hasher() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes synchronously; call from a blocking context.
pub fn hash_blocking(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing of a bounded input cannot fail")
        .to_string()
}

/// Verifies synchronously; a malformed stored hash never matches.
pub fn verify_blocking(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| hasher().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// Password checks at sign-in: at most one per core at once, so a burst of
/// logins queues here instead of starving every other request of CPU.
fn sign_in_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    PERMITS.get_or_init(|| tokio::sync::Semaphore::new(cores()))
}

/// New hashes (registrations, new passwords) share half the cores, at
/// least one: a flood of registrations cannot take the CPU that people
/// signing in need.
fn new_hash_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    PERMITS.get_or_init(|| tokio::sync::Semaphore::new((cores() / 2).max(1)))
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

async fn off_runtime<T: Send + 'static>(
    permits: &tokio::sync::Semaphore,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let _permit = permits.acquire().await.expect("semaphore is never closed");
    tokio::task::spawn_blocking(work).await.expect("hashing task panicked")
}

/// Whether `password` is short enough to be one the school accepts; longer
/// input is refused before any hashing (a megabyte would cost argon2 a
/// third of a second of a core, each time).
pub fn may_be_a_password(password: &str) -> bool {
    password.len() <= crate::domain::password::MAX_CHARS * 4
        && password.chars().count() <= crate::domain::password::MAX_CHARS
}

/// Hashes a password the caller has checked against the policy.
pub async fn hash(password: String) -> String {
    assert!(may_be_a_password(&password), "checked by the password policy first");
    off_runtime(new_hash_permits(), move || hash_blocking(&password)).await
}

/// Verifies against `stored`, or against a dummy hash when there is no user,
/// so that "no such account" costs the same time as "wrong password".
pub async fn verify(password: String, stored: Option<String>) -> bool {
    if !may_be_a_password(&password) {
        return false;
    }
    off_runtime(sign_in_permits(), move || match stored {
        Some(hash) => verify_blocking(&password, &hash),
        None => {
            verify_blocking(&password, dummy_hash());
            false
        }
    })
    .await
}

fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("no account has this password"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_use_argon2id_with_the_agreed_cost() {
        let h = hash_blocking("кулисы-пароль");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_blocking("кулисы-пароль", &h));
        assert!(!verify_blocking("кулисы-пароль ", &h));
        assert!(!verify_blocking("x", "not a hash"));
    }
}
