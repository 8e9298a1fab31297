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

/// At most this many hashes run at once, one per core: a burst of logins
/// queues here instead of starving every other request of CPU.
fn permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    PERMITS.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    })
}

async fn off_runtime<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let _permit = permits().acquire().await.expect("semaphore is never closed");
    tokio::task::spawn_blocking(work).await.expect("hashing task panicked")
}

pub async fn hash(password: String) -> String {
    off_runtime(move || hash_blocking(&password)).await
}

/// Verifies against `stored`, or against a dummy hash when there is no user,
/// so that "no such account" costs the same time as "wrong password".
pub async fn verify(password: String, stored: Option<String>) -> bool {
    off_runtime(move || match stored {
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
