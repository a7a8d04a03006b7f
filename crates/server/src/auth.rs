//! Who is asking: sessions (cookie for the web UI, bearer token for the API),
//! CSRF checks, login and logout, and the per-address login rate limit.
//!
//! One middleware ([`authenticate`]) runs before every route. It lets the few
//! public routes through, and otherwise attaches a [`Caller`] to the request
//! or answers 401 (API) / 303 to `/login` (pages). Cookie-authenticated
//! requests that change state must carry the session's CSRF token (header
//! `X-CSRF-Token` or form field `csrf`); bearer calls cannot be forged by a
//! browser and need none. The login form itself is protected by a
//! double-submit cookie.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::body::Body;
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{ConnectInfo, Form, FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use tessera_access::{Role, Viewer};
use tessera_identity::{AuthError, Session};
use tessera_model::Classification;
use tessera_store::{AuditEvent, Store};

use crate::AppState;
use crate::api::{ApiError, Code};
use crate::html::{esc, html_response};

/// Cookie that carries the session token of the web UI.
pub const SESSION_COOKIE: &str = "tessera_session";
/// Cookie of the login form's double-submit CSRF token.
pub const LOGIN_CSRF_COOKIE: &str = "tessera_login_csrf";
/// Header that carries the CSRF token of cookie-authenticated requests.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Login attempts one address may make per minute.
pub const LOGIN_ATTEMPTS_PER_MINUTE: u32 = 10;
/// Largest form body read to find a CSRF field.
const MAX_FORM_BYTES: usize = 64 * 1024;
/// Longest user name written to the audit log for a failed login.
const MAX_AUDITED_NAME: usize = 100;

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Via {
    /// No users exist: everyone acts as the configured viewer.
    SingleUser,
    /// The `tessera_session` cookie.
    Cookie,
    /// `Authorization: Bearer`.
    Bearer,
}

/// The person a request acts for, attached by [`authenticate`].
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub(crate) viewer: Viewer,
    pub(crate) via: Via,
    /// The session's CSRF token (for forms in pages); empty in single-user mode.
    pub(crate) csrf: String,
    /// The session token; empty in single-user mode.
    pub(crate) token: String,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Caller>().cloned().ok_or_else(unauthenticated)
    }
}

/// Current time in Unix seconds.
pub(crate) fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

pub(crate) fn unauthenticated() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        Code::Unauthenticated,
        "log in first: send `Authorization: Bearer <token>` from POST /api/login, or use the web UI's login page",
    )
}

fn forbidden(message: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, Code::Forbidden, message)
}

fn is_public(method: &Method, path: &str) -> bool {
    let get = method == Method::GET || method == Method::HEAD;
    (get && (path == "/login" || path.starts_with("/static/") || path == "/api/openapi.json"))
        || (method == Method::POST && (path == "/login" || path == "/api/login"))
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Compares secrets without stopping at the first difference.
fn same_secret(a: &str, b: &str) -> bool {
    !a.is_empty() && a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Deserialize)]
struct CsrfField {
    csrf: Option<String>,
}

/// Checks the CSRF token of a cookie-authenticated request that changes state;
/// gives the request back (its body re-assembled if a form field was read).
async fn check_csrf(request: Request, expected: &str) -> Result<Request, Response> {
    if let Some(sent) = request.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if same_secret(sent, expected) { Ok(request) } else { Err(csrf_refused(request.uri().path())) };
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let path = request.uri().path().to_string();
    if !is_form {
        return Err(csrf_refused(&path));
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return Err(csrf_refused(&path));
    };
    let mut probe = Request::new(Body::from(bytes.clone()));
    probe.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"));
    *probe.method_mut() = Method::POST;
    let sent = Form::<CsrfField>::from_request(probe, &()).await.ok().and_then(|Form(f)| f.csrf);
    if sent.is_some_and(|s| same_secret(&s, expected)) {
        Ok(Request::from_parts(parts, Body::from(bytes)))
    } else {
        Err(csrf_refused(&path))
    }
}

fn csrf_refused(path: &str) -> Response {
    let message =
        "missing or wrong CSRF token: send the session's token in the X-CSRF-Token header or the `csrf` form field";
    if is_api(path) {
        forbidden(message).into_response()
    } else {
        simple_page(StatusCode::FORBIDDEN, "Refused", &format!("<p>{}</p><p><a href=\"/\">Back</a></p>", esc(message)))
    }
}

/// The middleware in front of every route (see the module documentation).
pub(crate) async fn authenticate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if is_public(request.method(), &path) {
        return next.run(request).await;
    }
    if !state.login_required().await {
        let caller = Caller {
            viewer: state.single_user_viewer().clone(),
            via: Via::SingleUser,
            csrf: String::new(),
            token: String::new(),
        };
        request.extensions_mut().insert(caller);
        return next.run(request).await;
    }
    let (token, via) = match (bearer(request.headers()), cookie(request.headers(), SESSION_COOKIE)) {
        (Some(t), _) => (t.to_string(), Via::Bearer),
        (None, Some(t)) => (t.to_string(), Via::Cookie),
        (None, None) => return refuse(&path),
    };
    let Some((viewer, csrf)) = state.session(token.clone()).await else {
        return refuse(&path);
    };
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if via == Via::Cookie && !safe {
        request = match check_csrf(request, &csrf).await {
            Ok(r) => r,
            Err(response) => return response,
        };
    }
    request.extensions_mut().insert(Caller { viewer, via, csrf, token });
    next.run(request).await
}

fn refuse(path: &str) -> Response {
    if is_api(path) {
        let mut r = unauthenticated().into_response();
        r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        r
    } else {
        Redirect::to("/login").into_response()
    }
}

/// A fixed-window count of login attempts per client address.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    /// Counts an attempt from `ip`: `Some(first)` if refused (`first`: the first
    /// refusal of this window, the only one worth auditing, so that a flood
    /// cannot flood the audit log), `None` if within the limit.
    pub(crate) fn refuse(&self, ip: IpAddr) -> Option<bool> {
        let Ok(mut windows) = self.windows.lock() else {
            return Some(false);
        };
        let now = Instant::now();
        let minute = Duration::from_secs(60);
        if windows.len() > 10_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < minute);
        }
        let entry = windows.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= minute {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        (entry.1 > LOGIN_ATTEMPTS_PER_MINUTE).then_some(entry.1 == LOGIN_ATTEMPTS_PER_MINUTE + 1)
    }
}

fn client_ip(request_ip: Option<&ConnectInfo<SocketAddr>>) -> IpAddr {
    request_ip.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

/// Why a login attempt did not open a session.
enum LoginRefusal {
    RateLimited,
    Refused,
    Internal(String),
}

/// Runs a login: rate limit, password check, audit of the outcome.
async fn attempt_login(state: &AppState, ip: IpAddr, name: String, password: String) -> Result<Session, LoginRefusal> {
    if let Some(first) = state.inner.limiter.refuse(ip) {
        if first {
            audit_failure(state, &name, "rate_limited").await;
        }
        return Err(LoginRefusal::RateLimited);
    }
    let Some(directory) = state.inner.directory.clone() else {
        return Err(LoginRefusal::Internal("this server has no user directory".into()));
    };
    let tried = name.clone();
    let outcome = tokio::task::spawn_blocking(move || directory.login(&name, &password, now()))
        .await
        .map_err(|e| LoginRefusal::Internal(format!("login task failed: {e}")))?;
    match outcome {
        Ok(session) => {
            let Some((viewer, _)) = state.session(session.token.clone()).await else {
                return Err(LoginRefusal::Internal("the new session could not be read back".into()));
            };
            let detail = viewer.user.clone();
            state
                .write_as(viewer, move |store, viewer| store.audit(viewer, &AuditEvent::new("login", detail)))
                .await
                .map_err(|e| LoginRefusal::Internal(e.to_string()))?
                .map_err(|e| LoginRefusal::Internal(e.to_string()))?;
            Ok(session)
        }
        Err(AuthError::Unavailable(e)) => Err(LoginRefusal::Internal(e)),
        Err(e) => {
            audit_failure(state, &tried, e.reason()).await;
            Err(LoginRefusal::Refused)
        }
    }
}

/// Records a refused login as the name that was tried, with agency "-".
async fn audit_failure(state: &AppState, name: &str, reason: &str) {
    let name: String = name.chars().filter(|c| !c.is_control()).take(MAX_AUDITED_NAME).collect();
    let who = Viewer {
        user: name.clone(),
        agency: "-".into(),
        role: Role::Auditor,
        clearance: Classification::Official,
        compartments: Default::default(),
        national: false,
    };
    let detail = format!("user={name} reason={reason}");
    // A failure to audit a refusal changes nothing for the caller, who is refused anyway.
    let _ =
        state.write_as(who, move |store, viewer| store.audit(viewer, &AuditEvent::new("login_failed", detail))).await;
}

const REFUSED: &str = "Wrong user name or password, or the account is locked or disabled.";

/// Body of `POST /api/login`.
#[derive(Deserialize)]
pub(crate) struct ApiLogin {
    user: String,
    password: String,
}

/// Answer of `POST /api/login`.
#[derive(Serialize)]
struct ApiSession {
    token: String,
    csrf: String,
    user: String,
    expires: i64,
}

/// `POST /api/login` with `{"user", "password"}`: a bearer token.
pub(crate) async fn api_login(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<serde_json::Value>, ApiError> {
    let ip = client_ip(request.extensions().get::<ConnectInfo<SocketAddr>>());
    let body: Result<Json<ApiLogin>, JsonRejection> = Json::from_request(request, &()).await;
    let Json(login) =
        body.map_err(|e| ApiError::bad_request(format!("expected {{\"user\", \"password\"}}: {}", e.body_text())))?;
    if !state.login_required().await {
        return Err(ApiError::bad_request("this server runs in single-user mode: there is nothing to log in to"));
    }
    match attempt_login(&state, ip, login.user, login.password).await {
        Ok(s) => {
            Ok(Json(serde_json::json!(ApiSession { token: s.token, csrf: s.csrf, user: s.user, expires: s.expires })))
        }
        Err(LoginRefusal::RateLimited) => Err(rate_limited()),
        Err(LoginRefusal::Refused) => Err(ApiError::new(StatusCode::UNAUTHORIZED, Code::Unauthenticated, REFUSED)),
        Err(LoginRefusal::Internal(e)) => Err(ApiError::internal(e)),
    }
}

fn rate_limited() -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        Code::RateLimited,
        format!("more than {LOGIN_ATTEMPTS_PER_MINUTE} login attempts a minute from your address; wait a minute"),
    )
}

/// `POST /api/logout`: ends the session of the bearer token (or cookie).
pub(crate) async fn api_logout(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<serde_json::Value>, ApiError> {
    end_session(&state, &caller).await?;
    Ok(Json(serde_json::json!({ "logged_out": caller.via != Via::SingleUser })))
}

async fn end_session(state: &AppState, caller: &Caller) -> Result<(), ApiError> {
    if caller.via == Via::SingleUser {
        return Ok(());
    }
    if let Some(directory) = state.inner.directory.clone() {
        let token = caller.token.clone();
        tokio::task::spawn_blocking(move || directory.logout(&token))
            .await
            .map_err(|e| ApiError::internal(format!("logout task failed: {e}")))?
            .map_err(|e| ApiError::internal(e.to_string()))?;
    }
    let detail = caller.viewer.user.clone();
    state
        .write_as(caller.viewer.clone(), move |store, viewer| store.audit(viewer, &AuditEvent::new("logout", detail)))
        .await
        .map_err(ApiError::store)?
        .map_err(ApiError::store)
}

/// `POST /logout` (form with `csrf`): ends the session, clears the cookie, back to the login page.
pub(crate) async fn logout(State(state): State<AppState>, caller: Caller) -> Response {
    if let Err(e) = end_session(&state, &caller).await {
        return simple_page(e.status, "Error", &format!("<p>{}</p>", esc(&e.message)));
    }
    let mut r = Redirect::to(if caller.via == Via::SingleUser { "/" } else { "/login" }).into_response();
    r.headers_mut().append(header::SET_COOKIE, expired_cookie(SESSION_COOKIE, "/"));
    r
}

fn expired_cookie(name: &str, path: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("{name}=; HttpOnly; SameSite=Strict; Path={path}; Max-Age=0"))
        .unwrap_or_else(|_| HeaderValue::from_static("tessera_expired=; Max-Age=0"))
}

fn set_cookie(name: &str, value: &str, path: &str, max_age: i64) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!("{name}={value}; HttpOnly; SameSite=Strict; Path={path}; Max-Age={max_age}")).ok()
}

/// A minimal page without the top bar (login, refusals).
pub(crate) fn simple_page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        r#"{head}
<header class="topbar"><a class="brand" href="/">Tessera</a></header>
<main class="login">
<h1 class="page-title">{title}</h1>
{body}
</main>
</body>
</html>
"#,
        head = crate::html::document_head(title),
        title = esc(title),
    );
    html_response(status, html)
}

/// The login form's double-submit token: the browser's current one if it has
/// one (a stray request such as the favicon's must not rotate it under an
/// open form), otherwise a fresh one.
fn login_token(headers: &HeaderMap) -> String {
    match cookie(headers, LOGIN_CSRF_COOKIE) {
        Some(t) if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => t.to_string(),
        _ => tessera_identity::random_token(),
    }
}

/// The login form with its double-submit token.
fn login_page(token: &str, status: StatusCode, message: &str, user: &str) -> Response {
    let notice = if message.is_empty() {
        String::new()
    } else {
        format!(r#"<p class="error login-error" role="alert">{}</p>"#, esc(message))
    };
    let body = format!(
        r#"{notice}<form class="login-form" method="post" action="/login">
<input type="hidden" name="csrf" value="{token}">
<p><label for="user">User name</label><br><input id="user" name="user" autocomplete="username" required value="{user}"></p>
<p><label for="password">Password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Log in</button></p>
</form>
<p class="hint">Every login, search and read is written to the audit log.</p>"#,
        user = esc(user),
    );
    let mut r = simple_page(status, "Log in", &body);
    if let Some(c) = set_cookie(LOGIN_CSRF_COOKIE, token, "/login", 3600) {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r
}

/// `GET /login`.
pub(crate) async fn login_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !state.login_required().await {
        return Redirect::to("/").into_response();
    }
    login_page(&login_token(&headers), StatusCode::OK, "", "")
}

/// Fields of the login form.
#[derive(Deserialize)]
pub(crate) struct LoginForm {
    user: String,
    password: String,
    csrf: String,
}

/// `POST /login`: checks the double-submit token, logs in, sets the session cookie.
pub(crate) async fn login_submit(State(state): State<AppState>, request: Request) -> Response {
    if !state.login_required().await {
        return Redirect::to("/").into_response();
    }
    let ip = client_ip(request.extensions().get::<ConnectInfo<SocketAddr>>());
    let sent_cookie = cookie(request.headers(), LOGIN_CSRF_COOKIE).map(str::to_string);
    let token = login_token(request.headers());
    let form: Result<Form<LoginForm>, FormRejection> = Form::from_request(request, &()).await;
    let Ok(Form(form)) = form else {
        return login_page(&token, StatusCode::BAD_REQUEST, "The login form was incomplete.", "");
    };
    if !sent_cookie.is_some_and(|c| same_secret(&c, &form.csrf)) {
        return login_page(&token, StatusCode::FORBIDDEN, "The login form had expired; please try again.", &form.user);
    }
    let user = form.user.clone();
    match attempt_login(&state, ip, form.user, form.password).await {
        Ok(session) => {
            let mut r = Redirect::to("/").into_response();
            if let Some(c) = set_cookie(SESSION_COOKIE, &session.token, "/", tessera_identity::SESSION_SECS) {
                r.headers_mut().append(header::SET_COOKIE, c);
            }
            r.headers_mut().append(header::SET_COOKIE, expired_cookie(LOGIN_CSRF_COOKIE, "/login"));
            r
        }
        Err(LoginRefusal::RateLimited) => {
            login_page(&token, StatusCode::TOO_MANY_REQUESTS, &rate_limited().message, &user)
        }
        Err(LoginRefusal::Refused) => login_page(&token, StatusCode::UNAUTHORIZED, REFUSED, &user),
        Err(LoginRefusal::Internal(e)) => login_page(&token, StatusCode::INTERNAL_SERVER_ERROR, &e, &user),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_and_bearer_tokens_are_read_strictly() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; tessera_session=abc ; b=2"));
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "tessera"), None);
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer xyz"));
        assert_eq!(bearer(&h), Some("xyz"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic xyz"));
        assert_eq!(bearer(&h), None);
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd") && !same_secret("abc", "ab") && !same_secret("", ""));
    }

    #[test]
    fn the_rate_limit_counts_per_address() {
        let limiter = RateLimiter::default();
        let a = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        let b = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));
        for _ in 0..LOGIN_ATTEMPTS_PER_MINUTE {
            assert_eq!(limiter.refuse(a), None);
        }
        assert_eq!(limiter.refuse(a), Some(true), "the first refusal is audited");
        assert_eq!(limiter.refuse(a), Some(false), "later ones are not");
        assert_eq!(limiter.refuse(b), None);
    }

    #[test]
    fn only_login_static_and_the_document_are_public() {
        assert!(is_public(&Method::GET, "/login") && is_public(&Method::POST, "/api/login"));
        assert!(is_public(&Method::GET, "/static/tessera.css") && is_public(&Method::GET, "/api/openapi.json"));
        assert!(!is_public(&Method::GET, "/") && !is_public(&Method::POST, "/logout"));
        assert!(!is_public(&Method::POST, "/api/openapi.json") && !is_public(&Method::GET, "/api/stats"));
    }
}
