//! Tessera's identity directory: the agencies of the hub and its partners,
//! their users, password login and revocable server-side sessions.
//!
//! Design decisions:
//! - Its own SQLite file, `identity.db`, beside the store in the data
//!   directory, with its own numbered migrations (`PRAGMA user_version`), so
//!   that the intelligence store and the user directory evolve separately and
//!   the store's backend can change without touching logins.
//! - Passwords are kept only as argon2id PHC strings. Session tokens are
//!   random and only their SHA-256 is stored: a copy of the file does not let
//!   anyone act as a logged-in user.
//! - Every time-dependent call takes the current time (`now`, Unix seconds)
//!   from the caller, so that lock-out and expiry are testable.
//! - Unknown users cost the same password verification as known ones (against
//!   a dummy hash), so that timing does not reveal which names exist.
//! - Password verification runs without holding the connection lock, so one
//!   slow login does not stall every other request of a server.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tessera_access::{Role, Viewer, valid_compartment};
use tessera_model::Classification;

/// Name of the directory's file inside the data directory.
pub const FILE_NAME: &str = "identity.db";
/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted, in bytes (bounds the hashing work an attacker can ask for).
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// Consecutive failed logins that lock an account.
pub const MAX_FAILED_ATTEMPTS: i64 = 5;
/// How long a lock-out lasts, in seconds.
pub const LOCKOUT_SECS: i64 = 15 * 60;
/// How long a session lasts, in seconds.
pub const SESSION_SECS: i64 = 8 * 60 * 60;
/// Latest schema version this code writes.
pub const SCHEMA_VERSION: i64 = 1;

/// Numbered migrations: entry `i` takes the file from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &["
CREATE TABLE agencies (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    national INTEGER NOT NULL CHECK (national IN (0, 1))
);
CREATE TABLE users (
    name TEXT PRIMARY KEY,
    agency TEXT NOT NULL REFERENCES agencies(code),
    role TEXT NOT NULL,
    clearance TEXT NOT NULL,
    compartments TEXT NOT NULL DEFAULT '[]',
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created INTEGER NOT NULL,
    expires INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user);
CREATE INDEX sessions_expires ON sessions(expires);
"];

/// What can go wrong managing the directory (not logging in: see [`AuthError`]).
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    /// The database failed.
    #[error("the identity database failed: {0}")]
    Db(#[from] rusqlite::Error),
    /// The data directory or the file could not be used.
    #[error("cannot use {path}: {source}")]
    Io {
        /// Directory or file.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// The file was written by a newer Tessera.
    #[error("identity.db has schema version {found}; this Tessera knows up to {supported}")]
    TooNew {
        /// Version found.
        found: i64,
        /// Highest version supported.
        supported: i64,
    },
    /// An input field is invalid; `field` names it.
    #[error("{field}: {message}")]
    Invalid {
        /// The field, as the CLI and API name it.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The user names an agency that is not in the directory.
    #[error("agency: unknown agency {0:?} (add it first)")]
    UnknownAgency(String),
    /// An agency with this code exists already.
    #[error("code: agency {0:?} already exists")]
    DuplicateAgency(String),
    /// A user with this name exists already.
    #[error("name: user {0:?} already exists")]
    DuplicateUser(String),
    /// No user has this name.
    #[error("name: no user {0:?}")]
    UnknownUser(String),
    /// A stored row could not be read back.
    #[error("a stored row is unreadable: {0}")]
    Corrupt(String),
    /// Hashing a password failed.
    #[error("password hashing failed: {0}")]
    Hash(String),
}

/// Why a login was refused. Callers facing the network should not tell the
/// first three apart (that would reveal which names exist); [`AuthError::reason`]
/// is for the audit log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// No user has this name.
    #[error("wrong user name or password")]
    UnknownUser,
    /// The password is wrong.
    #[error("wrong user name or password")]
    WrongPassword,
    /// The user is disabled.
    #[error("the account is disabled")]
    Disabled,
    /// Too many consecutive failures: refused until `until` (Unix seconds).
    #[error("the account is locked until {until} (Unix time)")]
    Locked {
        /// When logins are accepted again.
        until: i64,
    },
    /// The directory could not answer.
    #[error("the identity directory failed: {0}")]
    Unavailable(String),
}

impl AuthError {
    /// A short stable word for the audit log.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::UnknownUser => "unknown_user",
            Self::WrongPassword => "wrong_password",
            Self::Disabled => "disabled",
            Self::Locked { .. } => "locked",
            Self::Unavailable(_) => "unavailable",
        }
    }
}

impl From<rusqlite::Error> for AuthError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Unavailable(e.to_string())
    }
}

/// An agency of the hub (national) or a partner abroad.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agency {
    /// Short code, as reports and markings name the agency (e.g. "NCA").
    pub code: String,
    /// Full name.
    pub name: String,
    /// ISO 3166-1 alpha-2 country.
    pub country: String,
    /// Whether it is a UK agency of the hub (partners abroad are not).
    pub national: bool,
}

/// A user to create.
#[derive(Clone)]
pub struct NewUser {
    /// Login name.
    pub name: String,
    /// Code of the user's agency (must exist).
    pub agency: String,
    /// What the user does.
    pub role: Role,
    /// Highest classification the user may see.
    pub clearance: Classification,
    /// Compartments the user is read into.
    pub compartments: BTreeSet<String>,
    /// The initial password (at least [`MIN_PASSWORD_CHARS`] characters).
    pub password: String,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("name", &self.name)
            .field("agency", &self.agency)
            .field("role", &self.role)
            .field("clearance", &self.clearance)
            .field("compartments", &self.compartments)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// A user as listed (never with the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Login name.
    pub name: String,
    /// Agency code.
    pub agency: String,
    /// What the user does.
    pub role: Role,
    /// Highest classification the user may see.
    pub clearance: Classification,
    /// Compartments the user is read into.
    pub compartments: BTreeSet<String>,
    /// Whether the user may no longer log in.
    pub disabled: bool,
    /// Consecutive failed logins since the last success or lock-out.
    pub failed_attempts: i64,
    /// Until when the account is locked (Unix seconds), if it was ever locked.
    pub locked_until: Option<i64>,
}

/// A session opened by a login. The token is the secret the client presents;
/// only its hash is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// The bearer token (cookie value or `Authorization: Bearer`).
    pub token: String,
    /// The token state-changing cookie-authenticated requests must carry.
    pub csrf: String,
    /// The user's name.
    pub user: String,
    /// When the session ends (Unix seconds).
    pub expires: i64,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("token", &"<redacted>")
            .field("user", &self.user)
            .field("expires", &self.expires)
            .finish()
    }
}

/// The directory of agencies, users and sessions of one data directory.
pub struct Directory {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl std::fmt::Debug for Directory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Directory").field("path", &self.path).finish()
    }
}

/// A random secret of 32 bytes as 64 lower-case hex digits (session tokens,
/// CSRF tokens); public so that the server draws its login-form tokens the same way.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

/// SHA-256 of a token as hex: what the sessions table stores instead of the token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

fn hash_password(password: &str) -> Result<String, IdentityError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| IdentityError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| IdentityError::Hash(e.to_string()))
}

fn verify_password(password: &str, phc: &str) -> bool {
    if password.len() > MAX_PASSWORD_BYTES {
        return false;
    }
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash of a password nobody knows, verified against when the user is unknown
/// or locked so that such attempts cost the same time as real ones.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&random_token()).unwrap_or_default())
}

fn invalid(field: &'static str, message: impl Into<String>) -> IdentityError {
    IdentityError::Invalid { field, message: message.into() }
}

fn check_password(password: &str) -> Result<(), IdentityError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(invalid("password", format!("must be at least {MIN_PASSWORD_CHARS} characters")));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(invalid("password", format!("must be at most {MAX_PASSWORD_BYTES} bytes")));
    }
    Ok(())
}

fn check_user_name(name: &str) -> Result<(), IdentityError> {
    let ok = !name.is_empty()
        && name.chars().count() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if ok { Ok(()) } else { Err(invalid("name", "use 1 to 64 of A-Z a-z 0-9 . _ - @")) }
}

/// Normalises an agency code to upper case, or says why it is unusable.
fn agency_code(code: &str) -> Result<String, IdentityError> {
    let code = code.trim();
    let ok = !code.is_empty()
        && code.len() <= 32
        && code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
    if ok { Ok(code.to_ascii_uppercase()) } else { Err(invalid("code", "use 1 to 32 of A-Z 0-9 - _")) }
}

fn lock(conn: &Mutex<Connection>) -> Result<MutexGuard<'_, Connection>, IdentityError> {
    conn.lock().map_err(|_| IdentityError::Corrupt("connection lock poisoned".into()))
}

fn corrupt(what: &str) -> impl Fn(String) -> IdentityError + '_ {
    move |value| IdentityError::Corrupt(format!("{what}: {value:?}"))
}

struct UserRow {
    name: String,
    agency: String,
    role: String,
    clearance: String,
    compartments: String,
    disabled: bool,
    failed_attempts: i64,
    locked_until: Option<i64>,
}

impl UserRow {
    const COLUMNS: &'static str =
        "name, agency, role, clearance, compartments, disabled, failed_attempts, locked_until";

    fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            name: row.get(0)?,
            agency: row.get(1)?,
            role: row.get(2)?,
            clearance: row.get(3)?,
            compartments: row.get(4)?,
            disabled: row.get(5)?,
            failed_attempts: row.get(6)?,
            locked_until: row.get(7)?,
        })
    }

    fn into_user(self) -> Result<User, IdentityError> {
        let role = Role::from_name(&self.role).ok_or_else(|| corrupt("role")(self.role.clone()))?;
        let clearance =
            self.clearance.parse::<Classification>().map_err(|_| corrupt("clearance")(self.clearance.clone()))?;
        let compartments: BTreeSet<String> =
            serde_json::from_str(&self.compartments).map_err(|_| corrupt("compartments")(self.compartments.clone()))?;
        Ok(User {
            name: self.name,
            agency: self.agency,
            role,
            clearance,
            compartments,
            disabled: self.disabled,
            failed_attempts: self.failed_attempts,
            locked_until: self.locked_until,
        })
    }
}

impl Directory {
    /// Opens (creating it, and the data directory, if missing) the directory of `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Self, IdentityError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|source| IdentityError::Io { path: data_dir.to_path_buf(), source })?;
        let path = data_dir.join(FILE_NAME);
        let mut conn = Connection::open(&path)?;
        restrict_permissions(&path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate(&mut conn)?;
        Ok(Self { conn: Mutex::new(conn), path })
    }

    /// The file the directory lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Adds an agency; `country` is an ISO 3166-1 code (alpha-2 or alpha-3, stored as alpha-2).
    pub fn add_agency(&self, code: &str, name: &str, country: &str, national: bool) -> Result<Agency, IdentityError> {
        let code = agency_code(code)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
            return Err(invalid("name", "must be 1 to 200 characters without control characters"));
        }
        let country = tessera_model::countries::country_by_code(country)
            .ok_or_else(|| invalid("country", format!("{country:?} is not an ISO 3166-1 country code")))?
            .alpha2
            .to_string();
        let conn = lock(&self.conn)?;
        let inserted = conn.execute(
            "INSERT OR IGNORE INTO agencies (code, name, country, national) VALUES (?1, ?2, ?3, ?4)",
            params![code, name, country, national],
        )?;
        if inserted == 0 {
            return Err(IdentityError::DuplicateAgency(code));
        }
        Ok(Agency { code, name: name.to_string(), country, national })
    }

    /// Every agency, by code.
    pub fn agencies(&self) -> Result<Vec<Agency>, IdentityError> {
        let conn = lock(&self.conn)?;
        let mut stmt = conn.prepare("SELECT code, name, country, national FROM agencies ORDER BY code")?;
        let rows = stmt.query_map([], |r| {
            Ok(Agency { code: r.get(0)?, name: r.get(1)?, country: r.get(2)?, national: r.get(3)? })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Adds a user after checking every field (name, agency, compartments, password).
    pub fn add_user(&self, user: NewUser) -> Result<User, IdentityError> {
        check_user_name(&user.name)?;
        let agency = agency_code(&user.agency).map_err(|_| IdentityError::UnknownAgency(user.agency.clone()))?;
        if let Some(bad) = user.compartments.iter().find(|c| !valid_compartment(c) || c.trim() != c.as_str()) {
            return Err(invalid("compartment", format!("{bad:?} is not a valid compartment name")));
        }
        check_password(&user.password)?;
        {
            let conn = lock(&self.conn)?;
            if !conn.query_row("SELECT EXISTS (SELECT 1 FROM agencies WHERE code = ?1)", [&agency], |r| r.get(0))? {
                return Err(IdentityError::UnknownAgency(agency));
            }
            if conn.query_row("SELECT EXISTS (SELECT 1 FROM users WHERE name = ?1)", [&user.name], |r| r.get(0))? {
                return Err(IdentityError::DuplicateUser(user.name));
            }
        }
        let hash = hash_password(&user.password)?;
        let compartments =
            serde_json::to_string(&user.compartments).map_err(|e| IdentityError::Corrupt(e.to_string()))?;
        let conn = lock(&self.conn)?;
        let inserted = conn.execute(
            "INSERT OR IGNORE INTO users (name, agency, role, clearance, compartments, password_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![user.name, agency, user.role.name(), user.clearance.as_str(), compartments, hash],
        )?;
        if inserted == 0 {
            return Err(IdentityError::DuplicateUser(user.name));
        }
        Ok(User {
            name: user.name,
            agency,
            role: user.role,
            clearance: user.clearance,
            compartments: user.compartments,
            disabled: false,
            failed_attempts: 0,
            locked_until: None,
        })
    }

    /// Every user, by name (without password hashes).
    pub fn users(&self) -> Result<Vec<User>, IdentityError> {
        let conn = lock(&self.conn)?;
        let mut stmt = conn.prepare(&format!("SELECT {} FROM users ORDER BY name", UserRow::COLUMNS))?;
        let rows = stmt.query_map([], UserRow::read)?.collect::<Result<Vec<_>, _>>()?;
        rows.into_iter().map(UserRow::into_user).collect()
    }

    /// Whether any user exists: a server then requires login for everything.
    pub fn has_users(&self) -> Result<bool, IdentityError> {
        let conn = lock(&self.conn)?;
        Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |r| r.get(0))?)
    }

    /// Replaces a user's password, clears any lock-out and ends the user's sessions.
    pub fn set_password(&self, name: &str, password: &str) -> Result<(), IdentityError> {
        check_password(password)?;
        let hash = hash_password(password)?;
        let conn = lock(&self.conn)?;
        let n = conn.execute(
            "UPDATE users SET password_hash = ?2, failed_attempts = 0, locked_until = NULL WHERE name = ?1",
            params![name, hash],
        )?;
        if n == 0 {
            return Err(IdentityError::UnknownUser(name.to_string()));
        }
        conn.execute("DELETE FROM sessions WHERE user = ?1", [name])?;
        Ok(())
    }

    /// Disables a user and ends the user's sessions at once.
    pub fn disable_user(&self, name: &str) -> Result<(), IdentityError> {
        let conn = lock(&self.conn)?;
        let n = conn.execute("UPDATE users SET disabled = 1 WHERE name = ?1", [name])?;
        if n == 0 {
            return Err(IdentityError::UnknownUser(name.to_string()));
        }
        conn.execute("DELETE FROM sessions WHERE user = ?1", [name])?;
        Ok(())
    }

    /// Checks a password and opens a session of [`SESSION_SECS`]. After
    /// [`MAX_FAILED_ATTEMPTS`] consecutive failures the account is locked for
    /// [`LOCKOUT_SECS`]; attempts while locked are refused without counting.
    pub fn login(&self, name: &str, password: &str, now: i64) -> Result<Session, AuthError> {
        let row = {
            let conn = self.conn.lock().map_err(|_| AuthError::Unavailable("connection lock poisoned".into()))?;
            conn.query_row("SELECT password_hash, disabled, locked_until FROM users WHERE name = ?1", [name], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?, r.get::<_, Option<i64>>(2)?))
            })
            .optional()?
        };
        let Some((hash, disabled, locked_until)) = row else {
            verify_password(password, dummy_hash());
            return Err(AuthError::UnknownUser);
        };
        if let Some(until) = locked_until.filter(|until| *until > now) {
            verify_password(password, dummy_hash());
            return Err(AuthError::Locked { until });
        }
        let ok = verify_password(password, &hash);
        if disabled {
            return Err(AuthError::Disabled);
        }
        let mut conn = self.conn.lock().map_err(|_| AuthError::Unavailable("connection lock poisoned".into()))?;
        let tx = conn.transaction()?;
        if !ok {
            let failures: i64 = tx.query_row(
                "UPDATE users SET failed_attempts = failed_attempts + 1 WHERE name = ?1 RETURNING failed_attempts",
                [name],
                |r| r.get(0),
            )?;
            let outcome = if failures >= MAX_FAILED_ATTEMPTS {
                let until = now.saturating_add(LOCKOUT_SECS);
                tx.execute(
                    "UPDATE users SET failed_attempts = 0, locked_until = ?2 WHERE name = ?1",
                    params![name, until],
                )?;
                AuthError::Locked { until }
            } else {
                AuthError::WrongPassword
            };
            tx.commit()?;
            return Err(outcome);
        }
        tx.execute("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE name = ?1", [name])?;
        tx.execute("DELETE FROM sessions WHERE expires <= ?1", [now])?;
        let session = Session {
            token: random_token(),
            csrf: random_token(),
            user: name.to_string(),
            expires: now + SESSION_SECS,
        };
        tx.execute(
            "INSERT INTO sessions (token_hash, user, csrf, created, expires) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![token_hash(&session.token), name, session.csrf, now, session.expires],
        )?;
        tx.commit()?;
        Ok(session)
    }

    /// The viewer a session token acts as and the session's CSRF token; `None`
    /// if the token is unknown, expired, or its user disabled (or the directory fails: fail closed).
    pub fn viewer_for_session(&self, token: &str, now: i64) -> Option<(Viewer, String)> {
        if token.is_empty() || token.len() > 256 {
            return None;
        }
        let conn = self.conn.lock().ok()?;
        let (row, national, csrf) = conn
            .query_row(
                &format!(
                    "SELECT {}, a.national, s.csrf FROM sessions s JOIN users u ON u.name = s.user JOIN agencies a ON a.code = u.agency
                     WHERE s.token_hash = ?1 AND s.expires > ?2 AND u.disabled = 0",
                    UserRow::COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
                ),
                params![token_hash(token), now],
                |r| Ok((UserRow::read(r)?, r.get::<_, bool>(8)?, r.get::<_, String>(9)?)),
            )
            .optional()
            .ok()??;
        let user = row.into_user().ok()?;
        let viewer = Viewer {
            user: user.name,
            agency: user.agency,
            role: user.role,
            clearance: user.clearance,
            compartments: user.compartments,
            national,
        };
        Some((viewer, csrf))
    }

    /// Ends a session; whether there was one.
    pub fn logout(&self, token: &str) -> Result<bool, IdentityError> {
        let conn = lock(&self.conn)?;
        Ok(conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash(token)])? > 0)
    }
}

#[cfg(unix)]
fn restrict_permissions(path: &Path) -> Result<(), IdentityError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .map_err(|source| IdentityError::Io { path: path.to_path_buf(), source })
}

#[cfg(not(unix))]
fn restrict_permissions(_path: &Path) -> Result<(), IdentityError> {
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<(), IdentityError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(IdentityError::TooNew { found, supported: SCHEMA_VERSION });
    }
    let start = usize::try_from(found).unwrap_or(0);
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(start) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i64::try_from(i + 1).unwrap_or(i64::MAX))?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PW: &str = "correct horse battery";
    const T0: i64 = 1_800_000_000;

    fn directory() -> (tempfile::TempDir, Directory) {
        let dir = tempfile::tempdir().expect("temp dir");
        let d = Directory::open(dir.path()).expect("open");
        d.add_agency("NCA", "National Crime Agency", "GB", true).expect("agency");
        d.add_agency("FR-OCRIEST", "OCRIEST", "FR", false).expect("agency");
        (dir, d)
    }

    fn new_user(name: &str, agency: &str) -> NewUser {
        NewUser {
            name: name.into(),
            agency: agency.into(),
            role: Role::Analyst,
            clearance: Classification::Secret,
            compartments: BTreeSet::from(["OP-TIDEWAY".to_string()]),
            password: PW.into(),
        }
    }

    #[test]
    fn users_are_validated_and_listed_without_secrets() {
        let (_dir, d) = directory();
        assert!(!d.has_users().expect("has"));
        d.add_user(new_user("analyst.nca", "nca")).expect("user");
        assert!(d.has_users().expect("has"));
        assert!(matches!(d.add_user(new_user("analyst.nca", "NCA")), Err(IdentityError::DuplicateUser(_))));
        assert!(matches!(d.add_user(new_user("x", "NOPE")), Err(IdentityError::UnknownAgency(_))));
        let short = NewUser { password: "short".into(), ..new_user("y", "NCA") };
        assert!(matches!(d.add_user(short), Err(IdentityError::Invalid { field: "password", .. })));
        let star = NewUser { compartments: BTreeSet::from(["*".to_string()]), ..new_user("z", "NCA") };
        assert!(matches!(d.add_user(star), Err(IdentityError::Invalid { field: "compartment", .. })));
        let bad = new_user("bad name!", "NCA");
        assert!(matches!(d.add_user(bad), Err(IdentityError::Invalid { field: "name", .. })));
        assert!(matches!(d.add_agency("NCA", "again", "GB", true), Err(IdentityError::DuplicateAgency(_))));
        assert!(matches!(d.add_agency("X", "x", "ZZ", true), Err(IdentityError::Invalid { field: "country", .. })));
        let users = d.users().expect("users");
        assert_eq!(users.len(), 1);
        assert_eq!(users[0].agency, "NCA");
        assert_eq!(d.agencies().expect("agencies").len(), 2);
        assert!(!format!("{:?}", new_user("a", "b")).contains(PW));
    }

    #[test]
    fn login_builds_the_viewer_and_sessions_expire() {
        let (_dir, d) = directory();
        d.add_user(new_user("liaison.fr", "FR-OCRIEST")).expect("user");
        let s = d.login("liaison.fr", PW, T0).expect("login");
        assert_eq!(s.expires, T0 + SESSION_SECS);
        let (viewer, csrf) = d.viewer_for_session(&s.token, T0 + 1).expect("session");
        assert_eq!(csrf, s.csrf);
        assert_eq!(viewer.user, "liaison.fr");
        assert_eq!(viewer.agency, "FR-OCRIEST");
        assert!(!viewer.national);
        assert_eq!(viewer.clearance, Classification::Secret);
        assert!(viewer.compartments.contains("OP-TIDEWAY"));
        assert!(d.viewer_for_session(&s.token, T0 + SESSION_SECS).is_none(), "expired");
        assert!(d.viewer_for_session("not-a-token", T0).is_none());
        let s2 = d.login("liaison.fr", PW, T0).expect("login");
        assert!(d.logout(&s2.token).expect("logout"));
        assert!(d.viewer_for_session(&s2.token, T0 + 1).is_none(), "logged out");
    }

    #[test]
    fn wrong_passwords_and_unknown_users_are_refused() {
        let (_dir, d) = directory();
        d.add_user(new_user("analyst.nca", "NCA")).expect("user");
        assert_eq!(d.login("analyst.nca", "wrong password!", T0), Err(AuthError::WrongPassword));
        assert_eq!(d.login("nobody", PW, T0), Err(AuthError::UnknownUser));
        assert_eq!(d.users().expect("users")[0].failed_attempts, 1);
        d.login("analyst.nca", PW, T0).expect("right password");
        assert_eq!(d.users().expect("users")[0].failed_attempts, 0, "a success resets the count");
    }

    #[test]
    fn five_failures_lock_the_account_until_time_passes() {
        let (_dir, d) = directory();
        d.add_user(new_user("analyst.nca", "NCA")).expect("user");
        for i in 0..4 {
            assert_eq!(d.login("analyst.nca", "wrong password!", T0 + i), Err(AuthError::WrongPassword));
        }
        let until = T0 + 4 + LOCKOUT_SECS;
        assert_eq!(d.login("analyst.nca", "wrong password!", T0 + 4), Err(AuthError::Locked { until }));
        assert_eq!(d.login("analyst.nca", PW, T0 + 5), Err(AuthError::Locked { until }), "even the right password");
        assert_eq!(d.login("analyst.nca", PW, until - 1), Err(AuthError::Locked { until }));
        d.login("analyst.nca", PW, until).expect("unlocked once the time has passed");
    }

    #[test]
    fn disabled_users_cannot_log_in_and_lose_their_sessions() {
        let (_dir, d) = directory();
        d.add_user(new_user("investigator.bf", "NCA")).expect("user");
        let s = d.login("investigator.bf", PW, T0).expect("login");
        d.disable_user("investigator.bf").expect("disable");
        assert!(d.viewer_for_session(&s.token, T0 + 1).is_none());
        assert_eq!(d.login("investigator.bf", PW, T0), Err(AuthError::Disabled));
        assert!(matches!(d.disable_user("nobody"), Err(IdentityError::UnknownUser(_))));
    }

    #[test]
    fn password_changes_end_sessions() {
        let (_dir, d) = directory();
        d.add_user(new_user("lead.sea", "NCA")).expect("user");
        let s = d.login("lead.sea", PW, T0).expect("login");
        assert!(matches!(d.set_password("lead.sea", "short"), Err(IdentityError::Invalid { field: "password", .. })));
        d.set_password("lead.sea", "another long password").expect("passwd");
        assert!(d.viewer_for_session(&s.token, T0 + 1).is_none());
        assert_eq!(d.login("lead.sea", PW, T0), Err(AuthError::WrongPassword));
        d.login("lead.sea", "another long password", T0).expect("new password");
    }

    #[test]
    fn neither_tokens_nor_passwords_are_stored_in_clear() {
        let (dir, d) = directory();
        d.add_user(new_user("analyst.nca", "NCA")).expect("user");
        let s = d.login("analyst.nca", PW, T0).expect("login");
        drop(d);
        let conn = Connection::open(dir.path().join(FILE_NAME)).expect("open");
        let stored: String = conn.query_row("SELECT token_hash FROM sessions", [], |r| r.get(0)).expect("row");
        assert_eq!(stored, token_hash(&s.token));
        assert_ne!(stored, s.token);
        let hash: String = conn.query_row("SELECT password_hash FROM users", [], |r| r.get(0)).expect("row");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        let mut bytes = Vec::new();
        for f in std::fs::read_dir(dir.path()).expect("dir") {
            bytes.extend(std::fs::read(f.expect("entry").path()).expect("read"));
        }
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(&s.token) && !text.contains(PW));
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).expect("version");
        assert_eq!(version, SCHEMA_VERSION);
        assert!(!format!("{s:?}").contains(&s.token));
    }
}
