//! End-to-end tests of the HTTP API and web UI over a real socket, with a
//! tiny HTTP/1.1 client written here (no client library: build time).

use std::collections::BTreeSet;
use std::net::SocketAddr;

use serde_json::Value;
use tessera_access::Viewer;
use tessera_model::Classification;
use tessera_server::{AppState, ROUTES};
use tessera_store::SqliteStore;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Four reports: three agencies writing the same person three ways, a phone
/// structured in one report and in free text in another, and one SECRET
/// report in compartment OP-X that carries a phone of its own.
const FIXTURE: &str = r##"{"id":"NCA-2026-0001","agency":"NCA","author":"NCA/ANL/17","date":"2026-03-02","grading":"2B P","markings":{"classification":"OFFICIAL-SENSITIVE"},"streams":["facilitation_sea"],"routes":["channel"],"text":"Subject Ahmed KARIMI organises small-boat crossings from Gravelines. <script>alert('x')</script> He uses 07700 900123.","entities":[{"id":"nca#N77","schema":"Person","properties":{"name":["Ahmed Karimi"],"nationality":["IQ"]}}]}
{"id":"BF-2026-0042","agency":"BF","author":"BF/DOVER/3","date":"2026-03-05","grading":"1B P","markings":{"classification":"OFFICIAL"},"streams":["clandestine_entry"],"text":"HGV driver stopped at Dover was carrying a handset.","entities":[{"id":"nca#N77","schema":"Person","properties":{"name":["Ahmad KARIMI"]}},{"schema":"Phone","properties":{"number":["+44 7700 900123"]}}],"links":[{"type":"uses","source":"#0","target":"#1"}]}
{"id":"IE-2026-0007","agency":"IE","author":"IE/ICE/9","date":"2026-03-09","grading":{"scheme":"5x5x5","code":"B2 4"},"markings":{"classification":"OFFICIAL-SENSITIVE"},"text":"Debrief: a man called Akhmed Karimy collected the fees.","entities":[{"id":"ie:P-5531","schema":"Person","properties":{"name":["Akhmed Karimy"]}}]}
{"id":"NCA-2026-0099","agency":"NCA","author":"NCA/COVERT/1","date":"2026-03-10","grading":"1A P","markings":{"classification":"SECRET","compartments":["OP-X"]},"text":"Covert reporting: Karimi meets the boat supplier; supplier phone 07700 900999.","entities":[{"id":"nca#N77","schema":"Person","properties":{"alias":["Abu Yasin"]}}]}
"##;

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = SqliteStore::init(dir.path()).expect("init");
    let summary = tessera_ingest::ingest_text(&mut store, "fixture.jsonl", FIXTURE, None, &mut tessera_ingest::Silent)
        .unwrap_or_else(|e| panic!("fixture must ingest: {e:?}"));
    assert_eq!(summary.reports, 4);
    dir
}

fn cleared_os() -> Viewer {
    Viewer {
        role: tessera_access::Role::Analyst,
        user: "os-analyst".into(),
        agency: "BF".into(),
        clearance: Classification::OfficialSensitive,
        compartments: BTreeSet::new(),
        national: true,
    }
}

async fn start(dir: &std::path::Path, viewer: Viewer) -> SocketAddr {
    let state = AppState::new(dir, viewer).expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = tessera_server::serve_on(listener, state).await;
    });
    addr
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 exchange with `Connection: close`, read to the end.
async fn http(addr: SocketAddr, method: &str, target: &str, body: &str) -> Reply {
    http_with(addr, method, target, &[], body).await
}

/// Like [`http`] with extra headers (a `Content-Type` among them replaces the JSON Lines default).
async fn http_with(addr: SocketAddr, method: &str, target: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let mut extra = String::new();
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
        extra.push_str("Content-Type: application/x-ndjson\r\n");
    }
    for (k, v) in headers {
        extra.push_str(&format!("{k}: {v}\r\n"));
    }
    let request = format!(
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{extra}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut payload = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("status");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    if headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")) {
        payload = dechunk(&payload);
    }
    // Binary bodies (PDF papers) are read lossily: tests look only at their text.
    Reply { status, headers, body: String::from_utf8_lossy(&payload).into_owned() }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = data.windows(2).position(|w| w == b"\r\n") else { return out };
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..eol]).split(';').next().unwrap_or("0").trim(), 16)
                .unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 2 + size + 2..];
    }
}

async fn get(addr: SocketAddr, target: &str) -> Reply {
    http(addr, "GET", target, "").await
}

/// Percent-encodes a path segment or query value.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array().expect("array").iter().map(|h| h["id"].as_str().expect("id").to_string()).collect()
}

fn assert_error(reply: &Reply, status: u16, code: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    let v = reply.json();
    assert_eq!(v["error"]["code"], code, "{}", reply.body);
    assert!(v["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(v["error"]["details"].is_array());
}

#[tokio::test]
async fn search_finds_people_by_name_variant_and_phones_in_any_format() {
    let dir = setup();
    let addr = start(dir.path(), Viewer::local_operator()).await;

    let r = get(addr, &format!("/api/search?q={}", enc("Ahmad Karimi"))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert!(ids(&v["entities"]).contains(&"nca#N77".to_string()), "{v:#}");
    assert_eq!(v["entities"][0]["kind"], "Person");

    let r = get(addr, &format!("/api/search?q={}&kind=Phone", enc("07700 900123"))).await;
    let v = r.json();
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(ids(&v["entities"]).contains(&"phone:+447700900123".to_string()), "{v:#}");
    assert!(v["identifiers"].as_array().unwrap().iter().any(|i| i == "phone:+447700900123"), "{v:#}");
    let reports = ids(&v["reports"]);
    assert!(reports.contains(&"NCA-2026-0001".to_string()), "free-text phone: {v:#}");
    assert!(reports.contains(&"BF-2026-0042".to_string()), "structured phone: {v:#}");

    // Limits are capped, bad parameters are 400s with the one error shape.
    let r = get(addr, "/api/search?q=Karimi&limit=100000").await;
    assert_eq!(r.status, 200);
    assert_error(&get(addr, "/api/search?q=").await, 400, "bad_request");
    assert_error(&get(addr, "/api/search").await, 400, "bad_request");
    assert_error(&get(addr, "/api/search?q=x&limit=abc").await, 400, "bad_request");
    assert_error(&get(addr, "/api/search?q=x&kind=Spaceship").await, 400, "bad_request");
    assert_error(&get(addr, "/api/nothing-here").await, 404, "not_found");
    assert_error(&get(addr, "/api/entities/%FF%FE").await, 400, "bad_request");
    assert_eq!(http(addr, "POST", "/api/search?q=x", "").await.json()["error"]["code"], "bad_request");

    // Pagination: a page of one, then the next.
    let first = get(addr, "/api/search?q=Karimi&limit=1").await.json();
    let second = get(addr, "/api/search?q=Karimi&limit=1&offset=1").await.json();
    assert!(first["total_reports"].as_u64().unwrap() >= 2, "{first:#}");
    assert_ne!(first["reports"][0]["id"], second["reports"][0]["id"]);
    let page = get(addr, "/search?q=Karimi&limit=1").await;
    assert!(page.body.contains(r#"rel="next""#), "{}", page.body);
}

#[tokio::test]
async fn entities_carry_provenance_and_ids_with_special_characters_work() {
    let dir = setup();
    let addr = start(dir.path(), Viewer::local_operator()).await;

    let r = get(addr, &format!("/api/entities/{}", enc("phone:+447700900123"))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["id"], "phone:+447700900123");
    assert_eq!(v["kind"], "Phone");

    let r = get(addr, &format!("/api/entities/{}", enc("nca#N77"))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    let statements = v["statements"].as_array().expect("statements");
    let reports: BTreeSet<&str> = statements.iter().map(|s| s["report_id"].as_str().unwrap()).collect();
    assert!(reports.contains("NCA-2026-0001") && reports.contains("BF-2026-0042") && reports.contains("NCA-2026-0099"));
    for s in statements {
        assert!(s["agency"].is_string() && s["grading"]["source"].is_string(), "{s:#}");
        assert!(s["markings"]["classification"].is_string(), "{s:#}");
    }
    let bf = statements.iter().find(|s| s["report_id"] == "BF-2026-0042" && s["property"] == "name").expect("BF name");
    assert_eq!(bf["agency"], "BF");
    assert_eq!(bf["markings"]["classification"], "OFFICIAL");
    assert!(statements.iter().any(|s| s["property"] == "uses" && s["value"] == "phone:+447700900123"), "link kept");

    let r = get(addr, &format!("/api/reports/{}", enc("IE-2026-0007"))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["grading"]["original"]["code"], "B2 4");

    assert_error(&get(addr, &format!("/api/entities/{}", enc("nca#nobody"))).await, 404, "not_found");
    assert_error(&get(addr, "/api/reports/NOPE-1").await, 404, "not_found");
}

#[tokio::test]
async fn ingest_stores_good_files_and_refuses_bad_ones_whole() {
    let dir = setup();
    let addr = start(dir.path(), Viewer::local_operator()).await;
    let before = get(addr, "/api/stats").await.json();
    assert_eq!(before["reports"], 4);

    let bad = concat!(
        r#"{"id":"CPS-1","agency":"CPS","date":"2026-04-01","grading":"1A P","markings":{"classification":"OFFICIAL"}}"#,
        "\n",
        r#"{"id":"CPS-2","agency":"CPS","date":"2026-04-02","grading":"9Z P","markings":{"classification":"OFFICIAL"}}"#,
        "\n",
        "this is not json\n"
    );
    let r = http(addr, "POST", "/api/ingest?name=bad.jsonl", bad).await;
    assert_error(&r, 422, "invalid_input");
    let details = r.json()["error"]["details"].as_array().expect("details").clone();
    assert!(
        details.iter().any(|d| d["line"] == 2 && d["field"] == "grading" && d["file"] == "bad.jsonl"),
        "{details:#?}"
    );
    assert!(details.iter().any(|d| d["line"] == 3), "{details:#?}");
    assert_eq!(get(addr, "/api/stats").await.json(), before, "nothing stored");
    assert_error(&get(addr, "/api/reports/CPS-1").await, 404, "not_found");

    let good = r#"{"id":"CPS-1","agency":"CPS","date":"2026-04-01","grading":"1A P","markings":{"classification":"OFFICIAL"},"text":"Charging decision."}"#;
    let r = http(addr, "POST", "/api/ingest?name=good.jsonl", good).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["reports"], 1);
    assert_eq!(get(addr, "/api/stats").await.json()["reports"], 5);
    // The same report again is refused, not duplicated.
    assert_error(&http(addr, "POST", "/api/ingest?name=good.jsonl", good).await, 422, "invalid_input");
    assert_eq!(get(addr, "/api/stats").await.json()["reports"], 5);
}

#[tokio::test]
async fn openapi_documents_every_route_and_the_error_shape() {
    let dir = setup();
    let addr = start(dir.path(), Viewer::local_operator()).await;
    let r = get(addr, "/api/openapi.json").await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert!(v["openapi"].as_str().unwrap().starts_with("3.1"));
    for route in ROUTES {
        assert!(v["paths"][route.path].is_object(), "{} undocumented", route.path);
    }
    for schema in ["Error", "SearchResults", "EntityView", "ReportView", "Stats", "FileSummary"] {
        assert!(v["components"]["schemas"][schema].is_object(), "{schema}");
    }
}

#[tokio::test]
async fn a_viewer_without_clearance_sees_no_trace_of_secret_material() {
    let dir = setup();
    let addr = start(dir.path(), cleared_os()).await;

    let stats = get(addr, "/api/stats").await.json();
    assert_eq!(stats["reports"], 3, "{stats:#}");
    let nca = stats["agencies"].as_array().unwrap().iter().find(|a| a[0] == "NCA").expect("NCA row").clone();
    assert_eq!(nca[1], 1, "{stats:#}");

    let v = get(addr, &format!("/api/search?q={}", enc("07700 900999"))).await.json();
    assert_eq!(v["total_entities"], 0, "{v:#}");
    assert_eq!(v["total_reports"], 0, "{v:#}");
    let v = get(addr, &format!("/api/search?q={}", enc("Abu Yasin"))).await.json();
    assert_eq!(v["total_entities"], 0, "{v:#}");
    let v = get(addr, "/api/search?q=supplier").await.json();
    assert_eq!(v["total_reports"], 0, "{v:#}");

    assert_error(&get(addr, "/api/reports/NCA-2026-0099").await, 404, "not_found");
    assert_error(&get(addr, &format!("/api/entities/{}", enc("phone:+447700900999"))).await, 404, "not_found");
    let person = get(addr, &format!("/api/entities/{}", enc("nca#N77"))).await;
    assert_eq!(person.status, 200);
    assert!(
        !person.body.contains("NCA-2026-0099") && !person.body.contains("Abu Yasin") && !person.body.contains("OP-X")
    );

    // The web UI says the same: same 404 page for invisible and missing.
    let hidden = get(addr, "/report/NCA-2026-0099").await;
    let missing = get(addr, "/report/NCA-0000-0000").await;
    assert_eq!(hidden.status, 404);
    assert_eq!(missing.status, 404);
    assert_eq!(hidden.body.replace("NCA-2026-0099", "X"), missing.body.replace("NCA-0000-0000", "X"));
    let page = get(addr, &format!("/entity/{}", enc("nca#N77"))).await;
    assert!(!page.body.contains("NCA-2026-0099") && !page.body.contains("SECRET ["), "{}", page.body);
    let home = get(addr, "/").await;
    assert!(home.body.contains("os-analyst") && home.body.contains("OFFICIAL-SENSITIVE"));
    assert!(!get(addr, "/search?q=supplier").await.body.contains("NCA-2026-0099"));
}

#[tokio::test]
async fn html_pages_show_provenance_and_escape_everything() {
    let dir = setup();
    let addr = start(dir.path(), Viewer::local_operator()).await;

    let home = get(addr, "/").await;
    assert_eq!(home.status, 200);
    assert!(home.header("content-type").unwrap_or("").starts_with("text/html"));
    assert!(home.body.contains(r#"data-agency="IE""#), "{}", home.body);
    assert!(home.body.contains("local-operator"));

    let results = get(addr, &format!("/search?q={}", enc("Akhmed Karimi"))).await;
    assert_eq!(results.status, 200);
    assert!(results.body.contains(&format!(r#"href="/entity/{}""#, enc("nca#N77"))), "{}", results.body);

    let words = get(addr, "/search?q=Gravelines").await;
    assert!(words.body.contains("<mark>"), "snippet highlighted: {}", words.body);

    let page = get(addr, &format!("/entity/{}", enc("nca#N77"))).await;
    assert_eq!(page.status, 200);
    let row = page
        .body
        .lines()
        .flat_map(|l| l.split("<tr "))
        .find(|r| r.contains(r#"data-report="BF-2026-0042""#) && r.contains(r#"data-property="name""#))
        .unwrap_or_else(|| panic!("no BF name row: {}", page.body));
    assert!(row.contains(r#"data-agency="BF""#), "{row}");
    assert!(row.contains(r#"class="provenance agency">BF<"#), "{row}");
    assert!(row.contains(">1B P<") && row.contains("Known indirectly to the source but corroborated"), "{row}");
    assert!(row.contains(r#"href="/report/BF-2026-0042""#), "{row}");
    assert!(row.contains("OFFICIAL"), "{row}");
    assert!(page.body.contains("SECRET [OP-X]"), "the operator sees the secret statement with its banner");
    assert!(page.body.contains(&format!(r#"href="/entity/{}""#, enc("phone:+447700900123"))), "link listed");

    let ie = get(addr, &format!("/entity/{}", enc("ie:P-5531"))).await;
    assert!(ie.body.contains("from 5x5x5 B2 4"), "{}", ie.body);

    let report = get(addr, "/report/NCA-2026-0001").await;
    assert_eq!(report.status, 200);
    assert!(!report.body.contains("<script>alert"), "report text must be escaped");
    assert!(report.body.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(report.body.contains("cls-official-sensitive"));
    assert!(report.body.contains("organises small-boat crossings"));
    let secret = get(addr, "/report/NCA-2026-0099").await;
    assert!(secret.body.contains(r#"class="banner cls-secret""#), "{}", secret.body);

    assert_eq!(get(addr, "/entity/nobody").await.status, 404);
    assert_eq!(get(addr, "/no/such/page").await.status, 404);
    let css = get(addr, "/static/tessera.css").await;
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap_or("").starts_with("text/css"));
    assert!(!home.body.contains("http://") && !home.body.contains("https://"), "no external resources");
}

// ---- Identity: login, sessions, CSRF, lock-out -------------------------------------------

const PASSWORD: &str = "a long test password";

/// A code-C report owned by NCA: hub agencies see it, partners abroad do not.
const CODE_C: &str = r#"{"id":"NCA-2026-0200","agency":"NCA","author":"NCA/ANL/2","date":"2026-03-12","grading":{"code":"2B C","conditions":"not for court without NCA consent"},"markings":{"classification":"OFFICIAL"},"text":"Hub-only reporting on the Gravelines launch site.","entities":[]}
"#;

/// The fixture plus a code-C report, and a directory with an NCA analyst and a French liaison officer.
fn setup_with_users() -> tempfile::TempDir {
    let dir = setup();
    let mut store = SqliteStore::open(dir.path()).expect("open");
    tessera_ingest::ingest_text(&mut store, "code-c.jsonl", CODE_C, None, &mut tessera_ingest::Silent)
        .unwrap_or_else(|e| panic!("code-C report must ingest: {e:?}"));
    let directory = tessera_identity::Directory::open(dir.path()).expect("directory");
    directory.add_agency("NCA", "National Crime Agency", "GB", true).expect("agency");
    directory.add_agency("FR-OCRIEST", "OCRIEST", "FR", false).expect("agency");
    for (name, agency, role) in [
        ("analyst.nca", "NCA", tessera_access::Role::Analyst),
        ("liaison.fr", "FR-OCRIEST", tessera_access::Role::PartnerLiaison),
    ] {
        directory
            .add_user(tessera_identity::NewUser {
                name: name.into(),
                agency: agency.into(),
                role,
                clearance: Classification::OfficialSensitive,
                compartments: BTreeSet::new(),
                password: PASSWORD.into(),
            })
            .expect("user");
    }
    dir
}

async fn api_login(addr: SocketAddr, user: &str, password: &str) -> Reply {
    let body = serde_json::json!({ "user": user, "password": password }).to_string();
    http_with(addr, "POST", "/api/login", &[("Content-Type", "application/json")], &body).await
}

async fn bearer_token(addr: SocketAddr, user: &str) -> String {
    let reply = api_login(addr, user, PASSWORD).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["token"].as_str().expect("token").to_string()
}

fn set_cookie(reply: &Reply, name: &str) -> Option<String> {
    reply
        .headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .filter_map(|(_, v)| v.split(';').next()?.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn form_field(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = html.find(&marker).unwrap_or_else(|| panic!("no field {name} in {html}")) + marker.len();
    html[start..].split('"').next().unwrap_or("").to_string()
}

fn audit_records(dir: &std::path::Path, action: &str) -> Vec<tessera_store::AuditRecord> {
    use tessera_store::Store;
    let store = SqliteStore::open(dir).expect("open");
    let filter =
        tessera_store::AuditFilter { user: None, action: Some(action.into()), contains: None, since: None, limit: 100 };
    store.audit_records(&filter).expect("audit records")
}

#[tokio::test]
async fn without_a_session_the_api_answers_401_and_pages_go_to_login() {
    let dir = setup_with_users();
    let addr = start(dir.path(), Viewer::local_operator()).await;
    for target in ["/api/stats", "/api/search?q=Karimi", "/api/reports/NCA-2026-0001", "/api/nothing"] {
        let reply = get(addr, target).await;
        assert_error(&reply, 401, "unauthenticated");
        assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    }
    assert_error(&http(addr, "POST", "/api/ingest", CODE_C).await, 401, "unauthenticated");
    let bad = http_with(addr, "GET", "/api/stats", &[("Authorization", "Bearer not-a-session")], "").await;
    assert_error(&bad, 401, "unauthenticated");
    for target in ["/", "/search?q=Karimi", "/entity/nca%23N77", "/report/NCA-2026-0001", "/no-such-page"] {
        let reply = get(addr, target).await;
        assert_eq!(reply.status, 303, "{target}");
        assert_eq!(reply.header("location"), Some("/login"), "{target}");
    }
    let login = get(addr, "/login").await;
    assert_eq!(login.status, 200);
    assert!(login.body.contains(r#"action="/login""#) && login.body.contains(r#"type="password""#));
    assert_eq!(set_cookie(&login, "tessera_login_csrf"), Some(form_field(&login.body, "csrf")));
    assert_eq!(get(addr, "/api/openapi.json").await.status, 200);
    assert_eq!(get(addr, "/static/tessera.css").await.status, 200);
    assert!(!login.body.contains("Single-user mode"));
}

#[tokio::test]
async fn wrong_passwords_are_refused_audited_and_five_lock_the_account() {
    let dir = setup_with_users();
    let addr = start(dir.path(), Viewer::local_operator()).await;
    let unknown = api_login(addr, "nobody", PASSWORD).await;
    assert_error(&unknown, 401, "unauthenticated");
    let wrong = api_login(addr, "analyst.nca", "not the password").await;
    assert_error(&wrong, 401, "unauthenticated");
    assert_eq!(unknown.json()["error"]["message"], wrong.json()["error"]["message"], "no hint which names exist");
    let failed = audit_records(dir.path(), "login_failed");
    assert_eq!(failed.len(), 2);
    assert!(failed.iter().all(|r| r.agency == "-"));
    assert!(failed.iter().any(|r| r.user == "analyst.nca" && r.detail.contains("wrong_password")));
    assert!(failed.iter().any(|r| r.user == "nobody" && r.detail.contains("unknown_user")));
    for _ in 0..4 {
        assert_error(&api_login(addr, "analyst.nca", "not the password").await, 401, "unauthenticated");
    }
    let locked = api_login(addr, "analyst.nca", PASSWORD).await;
    assert_error(&locked, 401, "unauthenticated");
    assert!(audit_records(dir.path(), "login_failed").iter().any(|r| r.detail.contains("locked")));
    assert!(audit_records(dir.path(), "login").is_empty(), "nobody logged in");
    // Seven attempts so far from this address; the eleventh in a minute is refused outright.
    for _ in 0..3 {
        assert_error(&api_login(addr, "liaison.fr", "not the password").await, 401, "unauthenticated");
    }
    assert_error(&api_login(addr, "liaison.fr", PASSWORD).await, 429, "rate_limited");
    assert!(audit_records(dir.path(), "login_failed").iter().any(|r| r.detail.contains("rate_limited")));
}

#[tokio::test]
async fn a_bearer_token_acts_as_its_user_under_the_policy() {
    let dir = setup_with_users();
    let addr = start(dir.path(), Viewer::local_operator()).await;
    let fr = bearer_token(addr, "liaison.fr").await;
    let fr_auth = format!("Bearer {fr}");
    let as_fr = |target: &'static str| {
        let auth = fr_auth.clone();
        async move { http_with(addr, "GET", target, &[("Authorization", &auth)], "").await }
    };
    assert_eq!(as_fr("/api/reports/NCA-2026-0001").await.status, 200, "code P reaches partners");
    assert_error(&as_fr("/api/reports/NCA-2026-0200").await, 404, "not_found");
    let nca = format!("Bearer {}", bearer_token(addr, "analyst.nca").await);
    let seen = http_with(addr, "GET", "/api/reports/NCA-2026-0200", &[("Authorization", &nca)], "").await;
    assert_eq!(seen.status, 200, "hub agencies see code C");
    let reads = audit_records(dir.path(), "read_report");
    assert!(reads.iter().any(|r| r.user == "liaison.fr" && r.agency == "FR-OCRIEST"));
    assert!(reads.iter().any(|r| r.user == "analyst.nca" && r.agency == "NCA"));
    assert_eq!(audit_records(dir.path(), "login").len(), 2);
    // Bearer calls cannot be forged by a browser: no CSRF token needed.
    let doc = CODE_C.replace("NCA-2026-0200", "NCA-2026-0201");
    let ingest = http_with(addr, "POST", "/api/ingest?name=b.jsonl", &[("Authorization", &nca)], &doc).await;
    assert_eq!(ingest.status, 200, "{}", ingest.body);
    let out = http_with(addr, "POST", "/api/logout", &[("Authorization", &nca)], "").await;
    assert_eq!(out.status, 200, "{}", out.body);
    assert_error(&http_with(addr, "GET", "/api/stats", &[("Authorization", &nca)], "").await, 401, "unauthenticated");
    assert_eq!(as_fr("/api/stats").await.status, 200, "other sessions live on");
    assert_eq!(audit_records(dir.path(), "logout").len(), 1);
}

#[tokio::test]
async fn cookie_sessions_need_the_csrf_token_to_change_state_and_logout_ends_them() {
    let dir = setup_with_users();
    let addr = start(dir.path(), Viewer::local_operator()).await;
    let form = get(addr, "/login").await;
    let login_csrf = form_field(&form.body, "csrf");
    let login_cookie = format!("tessera_login_csrf={login_csrf}");
    let urlencoded = ("Content-Type", "application/x-www-form-urlencoded");
    let forged = http_with(
        addr,
        "POST",
        "/login",
        &[urlencoded, ("Cookie", &login_cookie)],
        &format!("user=analyst.nca&password={}&csrf=forged", PASSWORD.replace(' ', "+")),
    )
    .await;
    assert_eq!(forged.status, 403, "the double-submit token must match");
    let body = format!("user=analyst.nca&password={}&csrf={login_csrf}", PASSWORD.replace(' ', "+"));
    let ok = http_with(addr, "POST", "/login", &[urlencoded, ("Cookie", &login_cookie)], &body).await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(ok.header("location"), Some("/"));
    let set = ok.headers.iter().find(|(k, v)| k == "set-cookie" && v.starts_with("tessera_session=")).expect("cookie");
    assert!(set.1.contains("HttpOnly") && set.1.contains("SameSite=Strict") && set.1.contains("Path=/"));
    let token = set_cookie(&ok, "tessera_session").expect("session cookie");
    let cookie = format!("tessera_session={token}");

    let home = http_with(addr, "GET", "/", &[("Cookie", &cookie)], "").await;
    assert_eq!(home.status, 200);
    for shown in ["analyst.nca", "NCA", "analyst", "OFFICIAL-SENSITIVE", "Log out"] {
        assert!(home.body.contains(shown), "top bar lacks {shown}");
    }
    assert!(!home.body.contains("Single-user mode"));
    let csrf = form_field(&home.body, "csrf");

    let doc = CODE_C.replace("NCA-2026-0200", "NCA-2026-0202");
    let refused = http_with(addr, "POST", "/api/ingest?name=c.jsonl", &[("Cookie", &cookie)], &doc).await;
    assert_error(&refused, 403, "forbidden");
    let wrong =
        http_with(addr, "POST", "/api/ingest?name=c.jsonl", &[("Cookie", &cookie), ("X-CSRF-Token", "nope")], &doc)
            .await;
    assert_error(&wrong, 403, "forbidden");
    let stored =
        http_with(addr, "POST", "/api/ingest?name=c.jsonl", &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)], &doc)
            .await;
    assert_eq!(stored.status, 200, "{}", stored.body);

    let no_token = http_with(addr, "POST", "/logout", &[urlencoded, ("Cookie", &cookie)], "").await;
    assert_eq!(no_token.status, 403);
    let out = http_with(addr, "POST", "/logout", &[urlencoded, ("Cookie", &cookie)], &format!("csrf={csrf}")).await;
    assert_eq!(out.status, 303);
    assert_eq!(out.header("location"), Some("/login"));
    let after = http_with(addr, "GET", "/", &[("Cookie", &cookie)], "").await;
    assert_eq!(after.status, 303, "the session is gone");
    let logins = audit_records(dir.path(), "login");
    assert!(logins.iter().any(|r| r.user == "analyst.nca" && r.detail == "analyst.nca"));
    assert!(audit_records(dir.path(), "logout").iter().any(|r| r.user == "analyst.nca"));
}

#[tokio::test]
async fn without_users_pages_say_single_user_mode() {
    let dir = setup();
    let addr = start(dir.path(), Viewer::local_operator()).await;
    let home = get(addr, "/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Single-user mode"));
    assert_eq!(get(addr, "/login").await.header("location"), Some("/"));
    assert_error(&api_login(addr, "x", "y").await, 400, "bad_request");
}

#[tokio::test]
async fn only_auditors_read_the_audit_log_and_its_chain_is_shown() {
    let dir = setup();
    let analyst = start(dir.path(), cleared_os()).await;
    assert_eq!(get(analyst, "/api/search?q=Karimi").await.status, 200);
    let refused = get(analyst, "/api/audit").await;
    assert_error(&refused, 403, "forbidden");

    let auditor = Viewer { role: tessera_access::Role::Auditor, ..cleared_os() };
    let addr = start(dir.path(), auditor).await;
    // The auditor reads the log but no intelligence.
    assert_error(&get(addr, "/api/reports/NCA-2026-0001").await, 404, "not_found");
    let log = get(addr, "/api/audit?action=search").await;
    assert_eq!(log.status, 200, "{}", log.body);
    let v: Value = serde_json::from_str(&log.body).unwrap();
    assert_eq!(v["verification"]["breaks"].as_array().unwrap().len(), 0);
    assert!(v["records"].as_array().unwrap().iter().all(|r| r["action"] == "search"));
    assert!(!v["records"].as_array().unwrap().is_empty());
    let csv = get(addr, "/api/audit?format=csv&limit=5").await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with("seq,at,user,agency,action,detail"), "{}", csv.body);
    let page = get(addr, "/audit").await;
    assert!(page.body.contains("Chain intact") && page.body.contains("audit-record"), "{}", page.body);
    // Reading the log is itself on the record.
    assert!(!audit_records(dir.path(), "audit_read").is_empty());
}

/// A small deterministic generator (xorshift), so that the leak test needs no extra crate and
/// every failure names the seed that reproduces it.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

#[tokio::test]
async fn no_endpoint_leaks_what_the_viewer_may_not_see() {
    use tessera_access::{Policy, Role};
    use tessera_model::{Grading, Markings};
    const AGENCIES: [&str; 3] = ["NCA", "BF", "EUROPOL"];
    const NAMES: [&str; 3] = ["Mohammed Abdelrahman", "Muhammad Abd al-Rahman", "Yusuf Hussein"];
    const PHONES: [&str; 2] = ["07700 900111", "+33 6 39 98 22 22"];
    for seed in 1..=6u64 {
        let mut rng = Xorshift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::init(dir.path()).unwrap();
        let mut lines = Vec::new();
        let mut truth = Vec::new();
        for i in 0..8 {
            let classification = Classification::from_rank(rng.next(4) as u8).unwrap();
            let owner = AGENCIES[rng.next(3) as usize];
            let compartments: Vec<&str> = if rng.next(4) == 0 { vec!["OP-L"] } else { vec![] };
            let caveats: Vec<&str> = if rng.next(5) == 0 { vec!["UK EYES ONLY"] } else { vec![] };
            let permitted = rng.next(2) == 0;
            let id = format!("LK-{seed}-{i:04}");
            let token = format!("tokq{seed}x{i:04}z");
            let person = format!("P{}", rng.next(4));
            let line = serde_json::json!({
                "id": id, "agency": owner, "date": "2026-01-01",
                "grading": if permitted { serde_json::json!("2B P") } else { serde_json::json!({"code": "2B C", "conditions": "hub only"}) },
                "markings": {"classification": classification.as_str(), "compartments": compartments, "caveats": caveats},
                "text": format!("Seen near Calais; {token}."),
                "entities": [
                    {"id": person, "schema": "Person", "properties": {"name": [NAMES[rng.next(3) as usize]]}},
                    {"schema": "Phone", "properties": {"number": [PHONES[rng.next(2) as usize]]}}
                ],
                "links": [{"type": "uses", "source": "#0", "target": "#1"}]
            });
            lines.push(line.to_string());
            let markings = Markings {
                classification,
                owner: owner.into(),
                compartments: compartments.iter().map(|c| c.to_string()).collect(),
                caveats: caveats.iter().map(|c| c.to_string()).collect(),
            };
            let grading = if permitted {
                Grading::parse("3x5x2", "2B P", None).unwrap()
            } else {
                Grading::parse("3x5x2", "2B C", Some("hub only")).unwrap()
            };
            truth.push((id, token, person, markings, grading.handling));
        }
        tessera_ingest::ingest_text(&mut store, "gen.jsonl", &lines.join("\n"), None, &mut tessera_ingest::Silent)
            .unwrap();
        tessera_store::Store::resolve(&mut store, true).unwrap();
        drop(store);

        for v in 0..3 {
            let viewer = Viewer {
                role: if rng.next(2) == 0 { Role::Analyst } else { Role::PartnerLiaison },
                user: format!("u{v}"),
                agency: AGENCIES[rng.next(3) as usize].into(),
                clearance: Classification::from_rank(rng.next(4) as u8).unwrap(),
                compartments: if rng.next(2) == 0 { BTreeSet::from(["OP-L".to_string()]) } else { BTreeSet::new() },
                national: rng.next(2) == 0,
            };
            let visible: Vec<bool> = truth.iter().map(|(_, _, _, m, h)| Policy.may_see(&viewer, m, h)).collect();
            let addr = start(dir.path(), viewer.clone()).await;
            let mut targets: Vec<String> = Vec::new();
            let mut queries: Vec<String> = NAMES.iter().chain(PHONES.iter()).map(|q| q.to_string()).collect();
            queries.push("Calais".into());
            queries.extend(truth.iter().map(|(_, token, _, _, _)| token.clone()));
            for q in &queries {
                targets.push(format!("/api/search?limit=100&q={}", enc(q)));
                targets.push(format!("/search?limit=100&q={}", enc(q)));
            }
            for k in 0..4 {
                targets.push(format!("/api/entities/P{k}"));
                targets.push(format!("/entity/P{k}"));
                targets.push(format!("/api/entities/P{k}/cluster"));
                targets.push(format!("/api/network?seed=P{k}&depth=2"));
                targets.push(format!("/network?seed=P{k}"));
                targets.push(format!("/api/network/timeline?seed=P{k}"));
                for j in 0..4 {
                    targets.push(format!("/api/matches/P{k}/P{j}"));
                    targets.push(format!("/api/network/paths?from=P{k}&to=P{j}&k=3"));
                }
            }
            for status in ["open", "confirmed", "rejected"] {
                targets.push(format!("/api/matches?limit=200&status={status}"));
                targets.push(format!("/matches?limit=200&status={status}"));
            }
            for (id, ..) in &truth {
                targets.push(format!("/api/reports/{id}"));
                targets.push(format!("/report/{id}"));
            }
            targets.push("/api/stats".into());
            targets.push("/".into());
            // The reads built on top: picture, network, groups, plan, log, review, inbox.
            for t in [
                "/api/picture",
                "/api/picture?sanitise=false",
                "/picture",
                "/api/network",
                "/api/groups",
                "/groups",
                "/api/plan",
                "/plan",
                "/api/disruptions",
                "/disruptions",
                "/api/review",
                "/review",
                "/api/deconflictions",
                "/deconflictions",
                "/network",
                "/api/network/timeline",
                "/api/network/removal?k=3",
                "/api/maritime/watchlist",
                "/api/maritime/areas",
                "/api/maritime/alerts",
                "/map",
                "/api/disruptions/criteria",
                "/api/review/coverage.csv",
                "/api/review/impact.csv",
                "/api/review/returns.csv",
                "/reports/threat-assessment.html",
                "/reports/threat-assessment.csv",
                "/reports/review.html",
            ] {
                targets.push(t.into());
            }
            let missing_api = get(addr, "/api/reports/NO-SUCH-REPORT").await.body;
            for target in &targets {
                let reply = get(addr, target).await;
                for ((id, token, _, _, _), seen) in truth.iter().zip(&visible) {
                    if !seen {
                        let context = format!("seed {seed}, viewer {viewer:?}, {target}");
                        assert!(
                            !reply.body.contains(id.as_str()) || target.ends_with(id.as_str()) && reply.status == 404,
                            "{context}: hidden report {id} named in {}",
                            reply.body
                        );
                        // The query is echoed back; the report's text around the token must not be.
                        let shown = [format!("{token}."), format!("[{token}]"), format!("<mark>{token}</mark>")]
                            .iter()
                            .any(|t| reply.body.contains(t.as_str()));
                        let echoed_only = target.contains(token.as_str()) && !shown;
                        assert!(
                            !reply.body.contains(token.as_str()) || echoed_only,
                            "{context}: hidden text {token} shown"
                        );
                        if target == &format!("/api/reports/{id}") {
                            assert_eq!(reply.status, 404, "{context}");
                            assert_eq!(
                                reply.body.replace(id.as_str(), "NO-SUCH-REPORT"),
                                missing_api,
                                "{context}: a hidden report answers unlike a missing one"
                            );
                        }
                    }
                }
            }
            // Possible matches and clusters: nothing resting on a report the viewer may not see.
            let person_visible = |p: &str| -> Vec<bool> {
                truth
                    .iter()
                    .zip(&visible)
                    .filter(|((_, _, person, _, _), _)| person == p)
                    .map(|(_, seen)| *seen)
                    .collect()
            };
            let queue = get(addr, "/api/matches?limit=200").await.json();
            for c in queue["candidates"].as_array().unwrap() {
                for e in [&c["a"], &c["b"]] {
                    let e = e.as_str().unwrap();
                    assert!(
                        person_visible(e).iter().all(|seen| *seen),
                        "seed {seed}: candidate {c} rests on a hidden report"
                    );
                }
            }
            for k in 0..4 {
                let p = format!("P{k}");
                let reply = get(addr, &format!("/api/entities/{p}/cluster")).await;
                if person_visible(&p).iter().any(|seen| *seen) {
                    assert_eq!(reply.status, 200, "seed {seed}: {}", reply.body);
                    for m in ids(&reply.json()["members"]) {
                        assert!(person_visible(&m).iter().any(|seen| *seen), "seed {seed}: hidden member {m} of {p}");
                    }
                } else {
                    assert_eq!(reply.status, 404, "seed {seed}: cluster of hidden {p}");
                }
            }
            let stats: Value = serde_json::from_str(&get(addr, "/api/stats").await.body).unwrap();
            assert_eq!(
                stats["reports"].as_u64().unwrap() as usize,
                visible.iter().filter(|v| **v).count(),
                "seed {seed}: counts"
            );
            if viewer.role == Role::Analyst {
                let picture = get(addr, "/api/picture").await.json();
                assert_eq!(
                    picture["reports"].as_u64().unwrap() as usize,
                    visible.iter().filter(|v| **v).count(),
                    "seed {seed}: the picture counts what the viewer may see"
                );
            }
        }
    }
}

/// A background population (each person reported by two agencies, so the model trains without
/// labels) and one man reported by three agencies under three spellings, resolved.
fn setup_resolved() -> tempfile::TempDir {
    let dir = setup_with_users();
    let given = ["anna", "omar", "li", "ivan", "sara", "yusuf", "amira", "dawit", "hana", "reza", "leyla", "tuan"];
    let surname = ["kaya", "haddad", "chen", "petrov", "novak", "berisha", "tran", "abebe", "osei", "silva", "hoxha"];
    let mut lines = Vec::new();
    for i in 0..150usize {
        let name = format!("{} {}", given[i % given.len()], surname[(i * 7) % surname.len()]);
        let dob = format!("{}-{:02}-{:02}", 1950 + i % 50, 1 + i % 12, 1 + (i * 11) % 28);
        let phone = format!("+4477009{:05}", i * 13);
        for (agency, id, spelled) in
            [("NCA", format!("NCA:P-{i}"), name.clone()), ("BF", format!("BF:N-{i}"), name.to_uppercase())]
        {
            lines.push(
                serde_json::json!({
                    "id": format!("{agency}-POP-{i}"), "agency": agency, "date": "2026-02-01", "grading": "2B P",
                    "markings": {"classification": "OFFICIAL"}, "text": "Background.",
                    "entities": [
                        {"id": id, "schema": "Person", "properties": {"name": [spelled], "birthDate": [dob.clone()]}},
                        {"schema": "Phone", "properties": {"number": [phone.clone()]}}
                    ],
                    "links": [{"type": "uses", "source": "#0", "target": "#1"}]
                })
                .to_string(),
            );
        }
    }
    for (report, agency, id, name, dob, classification) in [
        ("BF-RES-1", "BF", "BF:NOM-4451", "Mohamed Abdelrahman", "1991-03-07", "OFFICIAL"),
        ("DEBRIEF-RES-2", "DEBRIEF", "DEBRIEF:SUBJ-0907", "Muhammad Abd al-Rahman", "1991-03-07", "SECRET"),
        ("EUROPOL-RES-3", "EUROPOL", "EUROPOL:P-88", "ABDULRAHMAN Mohammad", "1991", "OFFICIAL"),
        // Two records that may or may not be one man: for the review queue.
        ("IE-AMB-1", "IE", "IE:AMB-1", "Yonas Tesfay", "1985-04-04", "OFFICIAL"),
        ("ILO-AMB-2", "ILO", "ILO:AMB-2", "TESFAYE Yonas", "1985", "OFFICIAL"),
        ("CPS-AMB-3", "CPS", "CPS:AMB-3", "Yonas Tesfai", "1986", "OFFICIAL"),
    ] {
        let mut line = serde_json::json!({
            "id": report, "agency": agency, "date": "2026-02-02", "grading": "2B P",
            "markings": {"classification": classification}, "text": "Subject reported.",
            "entities": [
                {"id": id, "schema": "Person", "properties": {"name": [name], "birthDate": [dob], "nationality": ["ER"]}},
                {"schema": "Phone", "properties": {"number": ["+447700911111"]}}
            ],
            "links": [{"type": "uses", "source": "#0", "target": "#1"}]
        });
        if id.contains("AMB") {
            let mut person = line["entities"][0].clone();
            person["properties"] = serde_json::json!({"name": [name], "birthDate": [dob]});
            line["entities"] = serde_json::json!([person]);
            line["links"] = serde_json::json!([]);
        }
        lines.push(line.to_string());
    }
    let mut store = SqliteStore::open(dir.path()).expect("open");
    tessera_ingest::ingest_text(&mut store, "population.jsonl", &lines.join("\n"), None, &mut tessera_ingest::Silent)
        .unwrap_or_else(|e| panic!("population must ingest: {e:?}"));
    tessera_store::Store::resolve(&mut store, true).expect("resolve");
    dir
}

#[tokio::test]
async fn the_match_queue_explains_pairs_and_decisions_are_recorded_as_statements() {
    let dir = setup_resolved();
    let addr = start(dir.path(), Viewer::local_operator()).await;
    let nca = format!("Bearer {}", bearer_token(addr, "analyst.nca").await);
    let as_nca = |target: String| {
        let auth = nca.clone();
        async move { http_with(addr, "GET", &target, &[("Authorization", &auth)], "").await }
    };
    // The cluster, as an OFFICIAL-SENSITIVE analyst: the SECRET debrief is not a member they see.
    let cluster = as_nca(format!("/api/entities/{}/cluster", enc("BF:NOM-4451"))).await;
    assert_eq!(cluster.status, 200, "{}", cluster.body);
    let members = ids(&cluster.json()["members"]);
    assert!(members.contains(&"EUROPOL:P-88".to_string()), "{members:?}");
    assert!(!cluster.body.contains("SUBJ-0907") && !cluster.body.contains("Abd al-Rahman"), "{}", cluster.body);
    assert_error(&as_nca(format!("/api/entities/{}/cluster", enc("DEBRIEF:SUBJ-0907"))).await, 404, "not_found");
    // A new report ingested through the API joins the cluster at once: ingest resolves incrementally.
    let report = serde_json::json!({
        "id": "NCA-API-1", "agency": "NCA", "date": "2026-03-01", "grading": "2B P",
        "markings": {"classification": "OFFICIAL"}, "text": "Subject seen again.",
        "entities": [{"id": "NCA:SEEN-1", "schema": "Person",
            "properties": {"name": ["Mohamed Abdelrahman"], "birthDate": ["1991-03-07"], "nationality": ["SD"]}}],
        "links": []
    });
    let ingest =
        http_with(addr, "POST", "/api/ingest?name=seen.jsonl", &[("Authorization", &nca)], &report.to_string()).await;
    assert_eq!(ingest.status, 200, "{}", ingest.body);
    let members = ids(&as_nca(format!("/api/entities/{}/cluster", enc("BF:NOM-4451"))).await.json()["members"]);
    assert!(members.contains(&"NCA:SEEN-1".to_string()), "{members:?}");
    // The queue lists pairs with evidence; each is explained on its own, in either order.
    let queue = as_nca("/api/matches?limit=200".into()).await;
    assert_eq!(queue.status, 200, "{}", queue.body);
    let q = queue.json();
    assert!(q["total"].as_u64().unwrap() > 0, "{q}");
    assert!(!queue.body.contains("SUBJ-0907"), "a pair resting on SECRET material is listed");
    let first = &q["candidates"][0];
    let (a, b) = (first["a"].as_str().unwrap(), first["b"].as_str().unwrap());
    assert!(first["evidence"].as_array().unwrap().iter().any(|e| e["field"] == "name"));
    let pair = as_nca(format!("/api/matches/{}/{}", enc(b), enc(a))).await;
    assert_eq!(pair.status, 200, "{}", pair.body);
    assert_eq!(pair.json()["a"], a);
    assert_error(
        &as_nca(format!("/api/matches/{}/{}", enc("BF:NOM-4451"), enc("DEBRIEF:SUBJ-0907"))).await,
        404,
        "not_found",
    );
    assert_error(&as_nca("/api/matches?status=maybe".into()).await, 400, "bad_request");
    // Confirming through the web UI needs the session's CSRF token.
    let form = get(addr, "/login").await;
    let login_csrf = form_field(&form.body, "csrf");
    let urlencoded = ("Content-Type", "application/x-www-form-urlencoded");
    let login = format!("user=analyst.nca&password={}&csrf={login_csrf}", PASSWORD.replace(' ', "+"));
    let ok = http_with(
        addr,
        "POST",
        "/login",
        &[urlencoded, ("Cookie", &format!("tessera_login_csrf={login_csrf}"))],
        &login,
    )
    .await;
    let cookie = format!("tessera_session={}", set_cookie(&ok, "tessera_session").expect("session"));
    let page = http_with(addr, "GET", "/matches", &[("Cookie", &cookie)], "").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"class="match""#) && page.body.contains("Confirm: same"), "{}", page.body);
    let csrf = form_field(&page.body, "csrf");
    let (a, b) = (form_field(&page.body, "a"), form_field(&page.body, "b"));
    let (a, b) = (a.replace("&#39;", "'"), b.replace("&#39;", "'"));
    let fields = format!("a={}&b={}&verdict=same", enc(&a), enc(&b));
    let forged = http_with(addr, "POST", "/matches/decide", &[urlencoded, ("Cookie", &cookie)], &fields).await;
    assert_eq!(forged.status, 403);
    let confirmed = http_with(
        addr,
        "POST",
        "/matches/decide",
        &[urlencoded, ("Cookie", &cookie)],
        &format!("{fields}&csrf={csrf}"),
    )
    .await;
    assert_eq!(confirmed.status, 303, "{}", confirmed.body);
    let entity_page = http_with(addr, "GET", &format!("/entity/{}", enc(&a)), &[("Cookie", &cookie)], "").await;
    assert!(entity_page.body.contains("Same person as") && entity_page.body.contains(&format!(r#"data-entity="{b}""#)));
    assert!(audit_records(dir.path(), "resolution_decision").iter().any(|r| r.user == "analyst.nca"));

    // A partner liaison officer may not decide; an analyst may, and the decision is a statement of her report.
    let fr = format!("Bearer {}", bearer_token(addr, "liaison.fr").await);
    let body = serde_json::json!({"a": "BF:NOM-4451", "b": "EUROPOL:P-88", "verdict": "different"}).to_string();
    let json = ("Content-Type", "application/json");
    let refused = http_with(addr, "POST", "/api/decisions", &[("Authorization", &fr), json], &body).await;
    assert_error(&refused, 403, "forbidden");
    let decided = http_with(addr, "POST", "/api/decisions", &[("Authorization", &nca), json], &body).await;
    assert_eq!(decided.status, 200, "{}", decided.body);
    let report = decided.json()["decision"]["report"].as_str().unwrap().to_string();
    assert!(report.starts_with("RES-NCA-"), "{report}");
    let after = as_nca(format!("/api/entities/{}/cluster", enc("BF:NOM-4451"))).await;
    assert!(!ids(&after.json()["members"]).contains(&"EUROPOL:P-88".to_string()), "the rejection was not obeyed");
    let entity = as_nca(format!("/api/entities/{}", enc("BF:NOM-4451"))).await;
    let statements = entity.json()["statements"].as_array().unwrap().clone();
    assert!(statements.iter().any(|s| s["property"] == "differentFrom" && s["report_id"] == report.as_str()));
    assert!(audit_records(dir.path(), "resolution_decision").iter().any(|r| r.user == "analyst.nca"));
    let bad = serde_json::json!({"a": "BF:NOM-4451", "b": "EUROPOL:P-88", "verdict": "perhaps"}).to_string();
    assert_error(
        &http_with(addr, "POST", "/api/decisions", &[("Authorization", &nca), json], &bad).await,
        400,
        "bad_request",
    );
}

/// A SECRET report in compartment OP-X that links the subject to a boat supplier: the network
/// of an OFFICIAL-SENSITIVE analyst must show neither the supplier nor the link.
const COVERT_LINK: &str = r##"{"id":"NCA-2026-0100","agency":"NCA","author":"NCA/COVERT/1","date":"2026-03-12","grading":"1A P","markings":{"classification":"SECRET","compartments":["OP-X"]},"text":"Covert: Karimi paid the boat supplier.","entities":[{"id":"nca#N77","schema":"Person","properties":{}},{"id":"nca#S1","schema":"Person","properties":{"name":["Boat Supplier"]}}],"links":[{"type":"paid","source":"nca#N77","target":"nca#S1","observed":"2026-03-11"}]}
"##;

#[tokio::test]
async fn the_network_api_shows_visible_links_with_provenance_and_audits_every_read() {
    let dir = setup();
    {
        let mut store = SqliteStore::open(dir.path()).expect("open");
        tessera_ingest::ingest_text(&mut store, "covert.jsonl", COVERT_LINK, None, &mut tessera_ingest::Silent)
            .unwrap_or_else(|e| panic!("covert report must ingest: {e:?}"));
    }
    let addr = start(dir.path(), cleared_os()).await;
    let subject = enc("nca#N77");

    let network = get(addr, &format!("/api/network?seed={subject}&depth=2")).await;
    assert_eq!(network.status, 200, "{}", network.body);
    let v = network.json();
    let nodes = ids(&v["nodes"]);
    assert!(nodes.contains(&"nca#N77".to_string()) && nodes.contains(&"phone:+447700900123".to_string()), "{v:#}");
    assert_eq!(v["edges"].as_array().unwrap().len(), 1, "{v:#}");
    let edge = &v["edges"][0];
    assert_eq!((edge["type"].as_str(), edge["agencies"].as_u64()), (Some("uses"), Some(1)));
    for hidden in ["nca#S1", "Boat Supplier", "paid", "NCA-2026-0100"] {
        assert!(!network.body.contains(hidden), "{hidden} leaks: {}", network.body);
    }

    let provenance =
        get(addr, &format!("/api/network/edge?source={subject}&target={}&type=uses", enc("phone:+447700900123"))).await;
    assert_eq!(provenance.status, 200, "{}", provenance.body);
    let p = provenance.json();
    assert_eq!(p["statements"][0]["report_id"], "BF-2026-0042", "{p:#}");
    assert!(p["explanation"].as_str().unwrap().contains("1 agency (BF)"), "{p:#}");
    // The hidden edge gets the 404 of an edge that never existed.
    let hidden = get(addr, &format!("/api/network/edge?source={subject}&target={}&type=paid", enc("nca#S1"))).await;
    let missing = get(addr, &format!("/api/network/edge?source={subject}&target={}&type=paid", enc("nca#S2"))).await;
    assert_error(&hidden, 404, "not_found");
    assert_error(&missing, 404, "not_found");
    assert_eq!(hidden.body.replace("S1", "X"), missing.body.replace("S2", "X"));
    assert_error(&get(addr, &format!("/api/network?seed={}", enc("nca#S1"))).await, 404, "not_found");

    let paths =
        get(addr, &format!("/api/network/paths?from={subject}&to={}&k=2", enc("phone:+447700900123"))).await.json();
    assert_eq!(paths["paths"][0]["nodes"].as_array().unwrap().len(), 2, "{paths:#}");
    assert_eq!(paths["paths"][0]["hops"][0]["edges"][0]["type"], "uses");

    // Over time: the covert March payment is no window's business for this analyst.
    let timeline = get(addr, "/api/network/timeline?window=7").await;
    assert_eq!(timeline.status, 200, "{}", timeline.body);
    let t = timeline.json();
    assert!(!t["windows"].as_array().unwrap().is_empty(), "{t:#}");
    assert!(!timeline.body.contains("nca#S1") && !timeline.body.contains("Boat Supplier"), "{}", timeline.body);
    assert_error(&get(addr, "/api/network/timeline?window=0").await, 400, "bad_request");
    assert_eq!(audit_records(dir.path(), "read_network_timeline").len(), 2);

    // Disruption planning over what this analyst sees: the subject is the only person.
    let plan = get(addr, "/api/network/removal?k=3").await.json();
    assert_eq!(plan["steps"].as_array().unwrap().len(), 1, "{plan:#}");
    assert_eq!(plan["steps"][0]["node"]["id"], "nca#N77");
    assert_error(&get(addr, "/api/network/removal?kinds=Spaceship").await, 400, "bad_request");
    let ordered =
        get(addr, &format!("/api/network/paths?from={subject}&to={}&ordered=true", enc("phone:+447700900123"))).await;
    assert_eq!(ordered.status, 200, "{}", ordered.body);
    assert!(ordered.json()["paths"][0]["hops"][0]["observed"].is_string(), "{}", ordered.body);

    // Bad parameters are named.
    let bad = get(addr, "/api/network?types=bribed").await;
    assert_error(&bad, 400, "bad_request");
    assert!(bad.body.contains("bribed"), "{}", bad.body);
    let bad = get(addr, "/api/network?from=yesterday").await;
    assert_error(&bad, 400, "bad_request");
    assert!(bad.body.contains("from"), "{}", bad.body);
    assert_error(&get(addr, "/api/network/edge?source=a&target=b").await, 400, "bad_request");
    assert_error(&get(addr, "/api/network/paths?from=a").await, 400, "bad_request");

    // Saving the chart as an image: marked by what it shows, and the export audited.
    let highest = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| &n["classification"])
        .chain([&edge["classification"]])
        .filter_map(|c| c.as_str())
        .max_by_key(|c| ["OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET"].iter().position(|l| l == c))
        .unwrap()
        .to_string();
    let picture = |nodes: Vec<&str>, edges: Vec<(&str, &str, &str)>| {
        let edges: Vec<_> =
            edges.iter().map(|(a, b, t)| serde_json::json!({"source": a, "target": b, "type": t})).collect();
        serde_json::json!({"nodes": nodes, "edges": edges}).to_string()
    };
    let shown = picture(vec!["nca#N77", "phone:+447700900123"], vec![("nca#N77", "phone:+447700900123", "uses")]);
    let stamp = http(addr, "POST", "/api/network/pictures", &shown).await;
    assert_eq!(stamp.status, 200, "{}", stamp.body);
    let stamp = stamp.json();
    assert_eq!(stamp["classification"], highest.as_str(), "{stamp:#}");
    assert_eq!((stamp["nodes"].as_u64(), stamp["edges"].as_u64()), (Some(2), Some(1)));
    let reference = stamp["reference"].as_str().unwrap();
    let exports = audit_records(dir.path(), "export_network_image");
    assert_eq!(exports.len(), 1);
    assert!(exports[0].detail.starts_with(reference) && exports[0].detail.contains(&format!("marked {highest}")));
    assert!(exports[0].detail.contains("nca#N77 uses phone:+447700900123"), "{exports:?}");
    // A hidden entity or link in the picture is refused like one that does not exist, and audited.
    let hidden = picture(vec!["nca#S1"], vec![]);
    let missing = picture(vec!["nca#S2"], vec![]);
    let refused = http(addr, "POST", "/api/network/pictures", &hidden).await;
    assert_error(&refused, 404, "not_found");
    let absent = http(addr, "POST", "/api/network/pictures", &missing).await;
    assert_eq!(refused.body.replace("S1", "X"), absent.body.replace("S2", "X"));
    let hidden_link = picture(vec!["nca#N77"], vec![("nca#N77", "nca#S1", "paid")]);
    assert_error(&http(addr, "POST", "/api/network/pictures", &hidden_link).await, 404, "not_found");
    let exports = audit_records(dir.path(), "export_network_image");
    assert_eq!(exports.iter().filter(|r| r.detail.contains("refused")).count(), 3, "{exports:?}");
    for body in [r#"{"nodes": []}"#, r#"{"nodes": [], "edges": [], "colour": "red"}"#, "not json"] {
        assert_error(&http(addr, "POST", "/api/network/pictures", body).await, 400, "bad_request");
    }
    let bad_type = picture(vec![], vec![("nca#N77", "phone:+447700900123", "bribed")]);
    let bad_type = http(addr, "POST", "/api/network/pictures", &bad_type).await;
    assert_error(&bad_type, 400, "bad_request");
    assert!(bad_type.body.contains("bribed"), "{}", bad_type.body);

    // Every read was audited, with what was asked.
    let reads = audit_records(dir.path(), "read_network");
    assert!(reads.iter().any(|r| r.detail.contains("seeds=nca#N77") && r.detail.contains("depth=2")), "{reads:?}");
    assert_eq!(audit_records(dir.path(), "read_network_edge").len(), 3);
    assert_eq!(audit_records(dir.path(), "read_network_paths").len(), 2);
}

/// NMEA of one vessel: a position a minute for an hour from `start`, silence for `gap_hours`,
/// then a position a minute for another hour, off Gravelines.
fn vessel_with_gap(mmsi: u32, start: i64, gap_hours: i64) -> String {
    use tessera_scenario::ais::{AisPosition, position_sentence};
    let mut out = String::new();
    let resumed = start + 3600 + gap_hours * 3600;
    for (i, t) in (0..60).map(|m| start + m * 60).chain((0..60).map(|m| resumed + m * 60)).enumerate() {
        let p = AisPosition {
            msg_type: 1,
            mmsi,
            time: t,
            lat: 51.05 + i as f64 * 0.001,
            lon: 2.05 + i as f64 * 0.001,
            sog: Some(4.0),
            cog: Some(45.0),
            heading: Some(45),
        };
        out.push_str(&position_sentence(&p));
        out.push('\n');
    }
    out
}

#[tokio::test]
async fn watched_vessels_raise_alerts_with_evidence_that_only_the_hub_sees() {
    let dir = setup_with_users();
    let addr = start(dir.path(), cleared_os()).await;
    let analyst = format!("Bearer {}", bearer_token(addr, "analyst.nca").await);
    let liaison = format!("Bearer {}", bearer_token(addr, "liaison.fr").await);
    let call = |method: &'static str, target: String, auth: String, body: String| async move {
        http_with(addr, method, &target, &[("Authorization", &auth), ("Content-Type", "application/json")], &body).await
    };

    // The hub's analyst watches a vessel (hub-only by default); a partner may not keep the watchlist.
    let added = call(
        "POST",
        "/api/maritime/watchlist".into(),
        analyst.clone(),
        r#"{"mmsi": 228123456, "reason": "Suspected launch boat of the Gravelines crossings"}"#.into(),
    )
    .await;
    assert_eq!(added.status, 201, "{}", added.body);
    let watch = added.json();
    assert_eq!((watch["owner"].as_str(), watch["handling"].as_str()), (Some("NCA"), Some("C")), "{watch:#}");
    let watch_id = watch["id"].as_i64().unwrap();
    let refused =
        call("POST", "/api/maritime/watchlist".into(), liaison.clone(), r#"{"mmsi": 228123456, "reason": "x"}"#.into())
            .await;
    assert_error(&refused, 403, "forbidden");
    let bad = call("POST", "/api/maritime/watchlist".into(), analyst.clone(), r#"{"mmsi": 228123456}"#.into()).await;
    assert_error(&bad, 400, "bad_request");

    // The analyst's upload: the vessel went dark for 8 hours.
    let start_time = 1_726_300_000;
    let nmea = vessel_with_gap(228_123_456, start_time, 8);
    let scan = call("POST", "/api/maritime/ais?name=feed-1.nmea".into(), analyst.clone(), nmea.clone()).await;
    assert_eq!(scan.status, 200, "{}", scan.body);
    let receipt = scan.json();
    assert_eq!(receipt["positions"], 120, "{receipt:#}");
    assert!(receipt["alerts_raised"].as_u64().unwrap() >= 1, "{receipt:#}");
    assert!(receipt["watched_positions"].as_u64().unwrap() >= 100, "{receipt:#}");
    // Scanning the same feed again raises nothing new.
    let again = call("POST", "/api/maritime/ais".into(), analyst.clone(), nmea).await.json();
    assert_eq!(again["alerts_raised"], 0, "{again:#}");

    // The partner uploads a later feed with another gap: alerts are raised for the hub's watch,
    // but the partner's receipt counts none of them.
    let later = vessel_with_gap(228_123_456, start_time + 2 * 86_400, 10);
    let partner_scan = call("POST", "/api/maritime/ais?name=feed-2.nmea".into(), liaison.clone(), later).await;
    assert_eq!(partner_scan.status, 200, "{}", partner_scan.body);
    let r = partner_scan.json();
    assert_eq!(
        (r["positions"].as_u64(), r["alerts_raised"].as_u64(), r["watched_positions"].as_u64()),
        (Some(120), Some(0), Some(0)),
        "{r:#}"
    );

    let gaps = call("GET", "/api/maritime/alerts?kind=gap&status=open".into(), analyst.clone(), String::new()).await;
    assert_eq!(gaps.status, 200, "{}", gaps.body);
    let page = gaps.json();
    assert_eq!(page["total"], 2, "both gaps are the analyst's: {page:#}");
    let alert_id = page["alerts"][1]["id"].as_i64().unwrap();
    assert!(page["alerts"][0]["start"].as_i64() > page["alerts"][1]["start"].as_i64(), "newest first");
    let one = call("GET", format!("/api/maritime/alerts/{alert_id}"), analyst.clone(), String::new()).await;
    assert_eq!(one.status, 200, "{}", one.body);
    let alert = one.json();
    assert_eq!(alert["watch"], watch_id);
    assert!((alert["details"]["hours"].as_f64().unwrap() - 8.0).abs() < 0.1, "{alert:#}");
    let evidence = alert["evidence"].as_array().unwrap();
    assert!(evidence.len() >= 100, "the track an hour either side of the gap: {} points", evidence.len());
    assert!(evidence.iter().all(|p| p["time"].as_i64().unwrap() >= start_time - 3600));
    let track =
        call("GET", format!("/api/maritime/tracks/{watch_id}?max_points=50"), analyst.clone(), String::new()).await;
    assert_eq!(track.status, 200, "{}", track.body);
    assert!(track.json()["points"].as_array().unwrap().len() <= 50);

    // The partner sees no trace: empty lists, and the 404 of things that do not exist.
    let w = call("GET", "/api/maritime/watchlist".into(), liaison.clone(), String::new()).await.json();
    assert_eq!(w["watches"].as_array().unwrap().len(), 0, "{w:#}");
    let a = call("GET", "/api/maritime/alerts?status=open".into(), liaison.clone(), String::new()).await.json();
    assert_eq!((a["total"].as_u64(), a["alerts"].as_array().map(Vec::len)), (Some(0), Some(0)), "{a:#}");
    for target in [format!("/api/maritime/alerts/{alert_id}"), format!("/api/maritime/tracks/{watch_id}")] {
        let hidden = call("GET", target.clone(), liaison.clone(), String::new()).await;
        assert_error(&hidden, 404, "not_found");
        let missing = call(
            "GET",
            target.replace(&alert_id.to_string(), "999999").replace(&watch_id.to_string(), "999999"),
            liaison.clone(),
            String::new(),
        )
        .await;
        assert_error(&missing, 404, "not_found");
        assert!(!hidden.body.contains("228123456"));
    }
    let ack = call(
        "POST",
        format!("/api/maritime/alerts/{alert_id}/status"),
        liaison.clone(),
        r#"{"status":"acknowledged"}"#.into(),
    )
    .await;
    assert!(ack.status == 404 || ack.status == 403, "{}", ack.body);

    // The analyst acknowledges it; bad statuses and parameters are named.
    let ack = call(
        "POST",
        format!("/api/maritime/alerts/{alert_id}/status"),
        analyst.clone(),
        r#"{"status":"acknowledged"}"#.into(),
    )
    .await;
    assert_eq!(ack.status, 200, "{}", ack.body);
    assert_eq!(ack.json()["status"], "acknowledged");
    let open =
        call("GET", "/api/maritime/alerts?kind=gap&status=open".into(), analyst.clone(), String::new()).await.json();
    assert_eq!(open["total"], 1, "{open:#}");
    let wrong = call(
        "POST",
        format!("/api/maritime/alerts/{alert_id}/status"),
        analyst.clone(),
        r#"{"status":"closed"}"#.into(),
    )
    .await;
    assert_error(&wrong, 400, "bad_request");
    let party = call("GET", "/api/maritime/alerts?kind=party".into(), analyst.clone(), String::new()).await;
    assert_error(&party, 400, "bad_request");
    assert!(party.json()["error"]["message"].as_str().unwrap().contains("`kind`"));

    // Every read, scan and change is in the audit log.
    for action in [
        "watch_add",
        "watch_scan",
        "watch_scan_receipt",
        "read_alerts",
        "read_alert",
        "read_track",
        "read_watchlist",
        "alert_status",
    ] {
        assert!(!audit_records(dir.path(), action).is_empty(), "no audit record {action}");
    }
}

#[tokio::test]
async fn the_picture_counts_what_each_caller_may_see_and_sanitises_a_partners() {
    let dir = setup_with_users();
    let addr = start(dir.path(), cleared_os()).await;
    let analyst = format!("Bearer {}", bearer_token(addr, "analyst.nca").await);
    let liaison = format!("Bearer {}", bearer_token(addr, "liaison.fr").await);
    let get = |target: &'static str, auth: String| async move {
        http_with(addr, "GET", target, &[("Authorization", &auth)], "").await
    };

    // The hub's analyst (OFFICIAL-SENSITIVE, no compartment): four reports, the SECRET one left out.
    let hub = get("/api/picture?by=route,stream,nationality&period=quarter&groups=0", analyst.clone()).await;
    assert_eq!(hub.status, 200, "{}", hub.body);
    let hub = hub.json();
    assert_eq!(
        (hub["reports"].as_u64(), hub["agencies"].as_u64(), &hub["sanitised"]),
        (Some(4), Some(3), &Value::Bool(false))
    );
    let sections = hub["sections"].as_array().unwrap();
    assert_eq!(
        sections.iter().map(|s| s["by"].as_str().unwrap()).collect::<Vec<_>>(),
        ["route", "stream", "nationality"]
    );
    let channel = &sections[0]["figures"][0];
    assert_eq!(
        (channel["key"].as_str(), channel["reports"].as_u64(), channel["agencies"].as_u64()),
        (Some("channel"), Some(1), Some(1))
    );
    // NCA-2026-0001 is graded 2B: untested source (0.6) × known indirectly, corroborated (0.85).
    assert_eq!(channel["confidence"].as_f64(), Some(0.51));
    assert_eq!(channel["periods"][0]["period"], "2026-Q1");
    let streams: Vec<&str> =
        sections[1]["figures"].as_array().unwrap().iter().map(|f| f["key"].as_str().unwrap()).collect();
    assert_eq!(streams, ["clandestine_entry", "facilitation_sea"]);
    assert_eq!(sections[2]["figures"][0]["key"], "IQ");
    assert!(!hub.to_string().contains("NCA-2026-0099"));

    // The partner: the code-C reports (NCA's, and IE's whose 5x5x5 handling code maps to C) are not counted,
    // leaving two agencies' reports; every figure is sanitised. Here each comes from one agency, so all are
    // withheld, whatever the partner asks.
    for target in ["/api/picture", "/api/picture?sanitise=false"] {
        let partner = get(target, liaison.clone()).await;
        assert_eq!(partner.status, 200, "{}", partner.body);
        let p = partner.json();
        assert_eq!(
            (&p["sanitised"], &p["reports"], p["agencies"].as_u64()),
            (&Value::Bool(true), &Value::from("<5"), Some(2))
        );
        assert!(p["method"].as_str().unwrap().contains("fewer than 2 agencies"));
        for s in p["sections"].as_array().unwrap() {
            assert!(s["figures"].as_array().unwrap().is_empty(), "{s:#}");
        }
        assert!(p["series"].as_array().unwrap().iter().all(|s| s["counts"].is_null()));
    }
    // The analyst may ask for the partners' view of the same figures.
    let sanitised = get("/api/picture?by=stream&sanitise=true", analyst.clone()).await.json();
    assert_eq!(sanitised["sections"][0]["withheld"], 2, "{sanitised:#}");

    // Bad parameters are named; no caller, no picture.
    for (target, named) in [
        ("/api/picture?by=colour", "by:"),
        ("/api/picture?period=week", "period:"),
        ("/api/picture?from=last-week", "from:"),
        ("/api/picture?groups=500", "groups:"),
        ("/api/picture?colour=red", "`colour`"),
    ] {
        let bad = get(target, analyst.clone()).await;
        assert_error(&bad, 400, "bad_request");
        assert!(bad.json()["error"]["message"].as_str().unwrap().contains(named), "{target}: {}", bad.body);
    }
    assert_eq!(http(addr, "GET", "/api/picture", "").await.status, 401);

    // Every read is audited, as whoever read.
    let records = audit_records(dir.path(), "read_picture");
    assert!(records.iter().any(|r| r.user == "liaison.fr"), "{records:?}");
    assert!(records.iter().any(|r| r.user == "analyst.nca" && r.detail.contains("by=route,stream,nationality")));
}

#[tokio::test]
async fn the_plan_and_the_log_are_kept_by_the_hub_and_the_review_and_papers_are_its_own() {
    let dir = setup_with_users();
    let addr = start(dir.path(), cleared_os()).await;
    let analyst = format!("Bearer {}", bearer_token(addr, "analyst.nca").await);
    let liaison = format!("Bearer {}", bearer_token(addr, "liaison.fr").await);
    let call = |method: &'static str, target: String, auth: String, body: String| async move {
        http_with(addr, method, &target, &[("Authorization", &auth), ("Content-Type", "application/json")], &body).await
    };
    let markings = |classification: &str| serde_json::json!({ "classification": classification, "owner": "NCA" });
    let action = |reference: &str, handling: &str| {
        serde_json::json!({
            "reference": reference, "stream": "facilitation", "objective": "Stop the Gravelines launches",
            "title": "Pursue Ahmed Karimi's crew", "agency": "NCA", "owner": "DI Morgan",
            "start": "2026-03-01", "due": "2026-09-30", "status": "in_progress",
            "targets": [{"kind": "route", "id": "channel"}, {"kind": "mo", "id": "small_boat"}],
            "markings": markings("OFFICIAL"), "handling": handling
        })
        .to_string()
    };
    let hub = call("POST", "/api/plan/actions".into(), analyst.clone(), action("FAC-1", "C: hub agencies only")).await;
    assert_eq!(hub.status, 201, "{}", hub.body);
    let hub_id = hub.json()["id"].as_i64().unwrap();
    let shared = call("POST", "/api/plan/actions".into(), analyst.clone(), action("FAC-2", "P")).await;
    assert_eq!(shared.status, 201, "{}", shared.body);
    let refused = call("POST", "/api/plan/actions".into(), liaison.clone(), action("FAC-3", "P")).await;
    assert_error(&refused, 403, "forbidden");
    let bad = call("POST", "/api/plan/actions".into(), analyst.clone(), r#"{"reference": "X"}"#.into()).await;
    assert_error(&bad, 400, "bad_request");

    // Each sees the plan through the policy; a partner cannot touch a hub-only action.
    let mine = call("GET", "/api/plan".into(), analyst.clone(), String::new()).await.json();
    assert_eq!(mine["actions"].as_array().unwrap().len(), 2);
    let theirs = call("GET", "/api/plan".into(), liaison.clone(), String::new()).await.json();
    let refs: Vec<&str> =
        theirs["actions"].as_array().unwrap().iter().filter_map(|a| a["reference"].as_str()).collect();
    assert_eq!(refs, ["FAC-2"]);
    let status = r#"{"status": "complete", "note": "crew charged"}"#;
    let hidden = call("POST", format!("/api/plan/actions/{hub_id}/status"), liaison.clone(), status.into()).await;
    assert_error(&hidden, 404, "not_found");
    let done = call("POST", format!("/api/plan/actions/{hub_id}/status"), analyst.clone(), status.into()).await;
    assert_eq!(done.json()["status"], "complete");
    let bad_status =
        call("POST", format!("/api/plan/actions/{hub_id}/status"), analyst.clone(), r#"{"status": "won"}"#.into())
            .await;
    assert_error(&bad_status, 400, "bad_request");

    // A disruption: the criteria grade it; a different level must say why.
    let disruption = |impact: &str, reason: Option<&str>| {
        serde_json::json!({
            "reference": "DIS-1", "kind": "seizure", "date": "2026-03-20", "agency": "BF",
            "subjects": ["nca#N77", "ie:P-5531"], "summary": "Two dinghies and three engines seized at Gravelines.",
            "evidence": ["NCA-2026-0200"], "action": "FAC-1", "impact": impact, "impact_reason": reason,
            "assets": [{"kind": "boat", "description": "dinghies", "quantity": 2, "value_gbp": 9000, "status": "seized"},
                       {"kind": "engine", "description": "40 hp outboards", "quantity": 3, "value_gbp": 7500, "status": "seized"}],
            "markings": markings("OFFICIAL-SENSITIVE"), "handling": "P"
        })
        .to_string()
    };
    let unexplained = call("POST", "/api/disruptions".into(), analyst.clone(), disruption("minor", None)).await;
    assert_error(&unexplained, 400, "bad_request");
    assert!(unexplained.body.contains("impact_reason"), "{}", unexplained.body);
    let recorded = call("POST", "/api/disruptions".into(), analyst.clone(), disruption("moderate", None)).await;
    assert_eq!(recorded.status, 201, "{}", recorded.body);
    let d = recorded.json();
    assert_eq!((d["assessed"]["level"].as_str(), d["denied_gbp"].as_f64()), (Some("moderate"), Some(16_500.0)));
    let id = d["id"].as_i64().unwrap();
    // The partner reads the disruption (P) but only the people and reports it may see.
    let partner_view = call("GET", format!("/api/disruptions/{id}"), liaison.clone(), String::new()).await.json();
    let shown: Vec<&str> =
        partner_view["subjects"].as_array().unwrap().iter().filter_map(|s| s["id"].as_str()).collect();
    for person in ["nca#N77", "ie:P-5531"] {
        let visible =
            call("GET", format!("/api/entities/{}", enc(person)), liaison.clone(), String::new()).await.status == 200;
        assert_eq!(shown.contains(&person), visible, "{person}");
    }
    assert_eq!(shown.len() + partner_view["other_subjects"].as_u64().unwrap() as usize, 2);
    assert_eq!(partner_view["evidence"].as_array().unwrap().len(), 0, "the hub-only report is not named");
    assert_eq!(d["evidence"].as_array().unwrap().len(), 1, "the analyst sees it");
    let criteria = call("GET", "/api/disruptions/criteria".into(), liaison.clone(), String::new()).await.json();
    assert_eq!(criteria[0]["level"], "major");

    // The review and the papers: the hub's, audited; refused to a partner.
    let review = call("GET", "/api/review?as_of=2026-06-30".into(), analyst.clone(), String::new()).await;
    assert_eq!(review.status, 200, "{}", review.body);
    assert_eq!(review.json()["as_of"], "2026-06-30");
    assert_error(&call("GET", "/api/review".into(), liaison.clone(), String::new()).await, 403, "forbidden");
    assert_error(&call("GET", "/api/review?window=1".into(), analyst.clone(), String::new()).await, 400, "bad_request");
    let csv = call("GET", "/api/review/coverage.csv".into(), analyst.clone(), String::new()).await;
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(csv.body.starts_with("row_kind,"), "{}", csv.body);
    assert!(csv.body.contains("FAC-2"), "the coverage names the action covering the Channel: {}", csv.body);
    let pdf = call("GET", "/reports/review.pdf".into(), analyst.clone(), String::new()).await;
    assert_eq!((pdf.status, pdf.header("content-type")), (200, Some("application/pdf")));
    assert!(pdf.body.starts_with("%PDF-"));
    let html = call("GET", "/reports/threat-assessment.html".into(), analyst.clone(), String::new()).await;
    assert!(
        html.body.contains("Threat assessment") && html.body.contains("OFFICIAL-SENSITIVE"),
        "marked as its material"
    );
    assert_error(&call("GET", "/reports/review.pdf".into(), liaison.clone(), String::new()).await, 403, "forbidden");
    assert_error(&call("GET", "/reports/secrets.pdf".into(), analyst.clone(), String::new()).await, 404, "not_found");
    assert_eq!(
        audit_records(dir.path(), "export_report").len(),
        3,
        "every paper asked for is audited, refused ones too"
    );
    assert!(audit_records(dir.path(), "read_review").len() >= 2);
}
