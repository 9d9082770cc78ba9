//! The feedback API the widget's form talks to.
//!
//! Every answer is one of the contract's types (`xxgk_core::api`), written
//! by its own writer.
//!
//! - `POST /api/feedback`: a submission as JSON (`xxgk_core::submission`),
//!   sent as `application/json`. 201 with a [`Receipt`] for a new one; 200
//!   with the same for a client key seen before with the same content;
//!   409 for one seen before with other content; 422 with
//!   [`FieldErrors`]; 400 for a body that is not a JSON
//!   object in UTF-8; 403 from a page whose origin is not allowed; 413
//!   above [`BODY_LIMIT`]; 415 for another content type; 429 with
//!   `Retry-After` past the client's or the server's rate. A submission
//!   with the trap field filled is kept, marked as suspected, and answered
//!   like any other.
//! - `GET /api/feedback/{code}`: the [`Lookup`]: where it stands and the
//!   public answer, never personal data; 404 for an unknown code.
//! - `GET /api/replies`: the [`Replies`]: answered submissions whose
//!   authors agreed to publication, newest first, without their codes,
//!   and the statistics per year and kind; worked out at most about once
//!   a second, and again only when the database has changed.
//!
//! Reads are rate-limited per client too. Only origins on the allow-list
//! (and pages the receiver serves itself at an address or `localhost`) get
//! CORS headers or may post.
//! Every response carries `nosniff`, `no-store` and a policy that forbids
//! running or framing it. Refusals ([`ErrorBody`]) carry their [`Cause`]
//! for the log; nothing personal is logged.

use crate::client::{ClientKey, Proxies};
use crate::limit::{Limiter, Rate, Refusal};
use crate::log::Cause;
use crate::origin::Origin;
use crate::store::{SiteCalendars, Sites, Store, Submitted, Terms, BUSY_TIMEOUT};
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};
use xxgk_core::api::{ErrorBody, FieldErrors, Lookup, Receipt, Replies};
use xxgk_core::calendar::Calendar;
use xxgk_core::submission::{read, ReadError};

/// What a reader is told when the store fails.
const UNAVAILABLE: &str = "暂时无法查询，请稍后重试。";

/// The largest request body taken, in bytes (2,000 characters of body
/// and the other fields fit many times over).
pub const BODY_LIMIT: usize = 64 * 1024;

/// How often full buckets are forgotten.
const SWEEP_EVERY: Duration = Duration::from_secs(10);

/// How soon a receiver takes a site added or changed (`xxgk-server site`)
/// by another process: the sites are read again this often, and at
/// once (at most once a second) when a request names a site or comes
/// from an origin that the sites read last do not have.
pub const SITES_FRESH: Duration = SWEEP_EVERY;

/// The least time between two readings of the sites.
const SITES_AGAIN: Duration = Duration::from_secs(1);

/// How the API is set up.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Origins whose pages may call the API, besides pages the receiver
    /// serves itself at an IP address or `localhost`.
    pub allowed_origins: Vec<Origin>,
    /// The operator's reverse proxies, whose forwarded headers name the
    /// client.
    pub proxies: Proxies,
    /// Submissions per client.
    pub submissions: Rate,
    /// Submissions for the whole server, whatever the addresses.
    pub server_submissions: Rate,
    /// Lookups and list reads per client.
    pub reads: Rate,
    /// The most clients remembered by each limit.
    pub clients: usize,
    /// How long the public list and statistics may be older than the
    /// database while it keeps changing: they are worked out at most once
    /// in this time, and not again while nothing changes.
    pub replies_fresh: Duration,
    /// Working days, for the clock of disclosure requests that a lookup
    /// shows and the statistics (the shipped arrangements and the
    /// operator's additions).
    pub calendar: crate::cases::Calendars,
    /// Working days within which a message (咨询, 建议, 投诉, 求助) is to
    /// be answered: its lookup shows the last day, and the statistics
    /// count the ones answered in time.
    pub reply_days: u32,
}

/// The reply period of messages unless the county sets its own.
pub const REPLY_DAYS: u32 = 15;

impl Settings {
    fn terms<'a>(&self, calendars: &'a SiteCalendars) -> Terms<'a> {
        Terms {
            calendars,
            reply_days: self.reply_days,
        }
    }
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            allowed_origins: Vec::new(),
            proxies: Proxies::default(),
            submissions: Rate {
                burst: 10,
                every: Duration::from_secs(6),
            },
            server_submissions: Rate {
                burst: 200,
                every: Duration::from_millis(50),
            },
            reads: Rate {
                burst: 60,
                every: Duration::from_millis(500),
            },
            clients: 100_000,
            replies_fresh: Duration::from_secs(1),
            calendar: crate::cases::Calendars::default(),
            reply_days: REPLY_DAYS,
        }
    }
}

/// The public list and statistics as last worked out, for each site
/// asked for (`''`: every site).
struct RepliesCache {
    store: Store,
    bodies: HashMap<String, Replied>,
    /// Whether the operator was told of a year the calendar lacks.
    warned: bool,
}

/// One site's public list and statistics as last worked out.
struct Replied {
    /// The database's version and the day in Beijing it was worked out
    /// for: the figures are this year's, and a new year begins with no
    /// write to the database.
    version: (i64, i64),
    /// The sites it took in (a county's townships as the sites read
    /// then said): a township moved since is taken in, or left out, at
    /// once, not at the next write to the database.
    scope: Option<Vec<String>>,
    /// The reply period its figures were judged by (the site's own, if it
    /// sets one), so that a change is taken at once too.
    reply_days: u32,
    /// The working days they were judged in, likewise.
    calendars: Arc<SiteCalendars>,
    at: Instant,
    body: Bytes,
}

struct Shared {
    /// The one connection that writes; submissions wait for it without
    /// holding a thread.
    writer: Arc<tokio::sync::Mutex<Store>>,
    /// Connections that read (lookups), so reads never wait for writes.
    readers: Vec<Mutex<Store>>,
    next_reader: AtomicUsize,
    replies: Arc<tokio::sync::Mutex<RepliesCache>>,
    settings: Settings,
    submissions: Limiter,
    reads: Limiter,
    /// On PostgreSQL, a connection for the rate limits that the receivers
    /// sharing the database count together; the limiters above still
    /// hold each receiver's own share first.
    limits: Option<Arc<Mutex<Store>>>,
    /// The sites as last read, and when.
    sites: Mutex<(Arc<Sites>, Instant)>,
    /// Each site's working days as last worked out.
    calendars: Mutex<Option<WorkedOut>>,
}

/// Each site's working days, with the receiver's calendar and the sites
/// they were worked out from.
type WorkedOut = (Arc<Calendar>, Arc<Sites>, Arc<SiteCalendars>);

/// Why the API cannot start.
pub type StartError = crate::store::OpenError;

/// The API's routes over `store` (the connection that writes; readers are
/// opened beside it on the same file). Within a Tokio runtime, a timer
/// forgets full rate-limit buckets.
pub fn router(store: Store, settings: Settings) -> Result<Router, StartError> {
    let readers = (0..2)
        .map(|_| store.reader().map(Mutex::new))
        .collect::<Result<Vec<_>, _>>()?;
    let limits = if store.shares_limits() {
        Some(Arc::new(Mutex::new(Store::open(store.location())?)))
    } else {
        None
    };
    let cache = RepliesCache {
        store: store.reader()?,
        bodies: HashMap::new(),
        warned: false,
    };
    let sites = store.sites()?;
    let shared = Arc::new(Shared {
        writer: Arc::new(tokio::sync::Mutex::new(store)),
        readers,
        next_reader: AtomicUsize::new(0),
        replies: Arc::new(tokio::sync::Mutex::new(cache)),
        submissions: Limiter::new(
            settings.submissions,
            Some(settings.server_submissions),
            settings.clients,
        ),
        reads: Limiter::new(settings.reads, None, settings.clients),
        limits,
        sites: Mutex::new((Arc::new(sites), Instant::now())),
        calendars: Mutex::new(None),
        settings,
    });
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(sweep(Arc::downgrade(&shared)));
    }
    Ok(Router::new()
        .route("/api/feedback", post(submit).options(preflight))
        .route("/api/feedback/{code}", get(lookup).options(preflight))
        .route("/api/replies", get(replies).options(preflight))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            headers,
        ))
        .with_state(shared))
}

/// Forgets full buckets every [`SWEEP_EVERY`], for as long as the API is
/// there.
async fn sweep(shared: Weak<Shared>) {
    let mut timer = tokio::time::interval(SWEEP_EVERY);
    timer.tick().await;
    loop {
        timer.tick().await;
        let Some(shared) = shared.upgrade() else {
            return;
        };
        reread_sites(&shared).await;
        if let Some(limits) = shared.limits.clone() {
            let swept = tokio::task::spawn_blocking(move || {
                limits
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .sweep_shared()
            })
            .await;
            if let Ok(Err(e)) = swept {
                tracing::warn!(error = %e, "the shared rate limits could not be swept");
            }
        }
        let now = Instant::now();
        for (limiter, name) in [
            (&shared.submissions, "submissions"),
            (&shared.reads, "reads"),
        ] {
            let full = limiter.is_full();
            let left = limiter.sweep(now);
            if full {
                tracing::warn!(
                    limit = name,
                    remembered = left,
                    "the table of clients was full: new clients met only the server-wide limit"
                );
            }
        }
    }
}

/// The sites as last read.
fn sites(shared: &Shared) -> Arc<Sites> {
    shared
        .sites
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .0
        .clone()
}

/// Each site's working days, as the receiver's calendar now and the sites
/// as last read say; worked out again only when either changes.
fn site_calendars(shared: &Shared) -> Arc<SiteCalendars> {
    let base = shared.settings.calendar.current();
    let sites = sites(shared);
    let mut kept = shared.calendars.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((was_base, was_sites, calendars)) = kept.as_mut() {
        if Arc::ptr_eq(was_base, &base) && (Arc::ptr_eq(was_sites, &sites) || *was_sites == sites) {
            // Read again unchanged: compared by pointer from now on.
            *was_sites = sites;
            return calendars.clone();
        }
    }
    let calendars = Arc::new(sites.calendars(base.clone()));
    *kept = Some((base, sites, calendars.clone()));
    calendars
}

/// Reads the sites again, and the holiday arrangements the administrator
/// added (on any receiver sharing the database), unless they were read
/// within [`SITES_AGAIN`]; where the database cannot be read, those read
/// last stay.
async fn reread_sites(shared: &Arc<Shared>) -> Arc<Sites> {
    {
        let mut last = shared.sites.lock().unwrap_or_else(|p| p.into_inner());
        if last.1.elapsed() < SITES_AGAIN {
            return last.0.clone();
        }
        // Whoever comes next in the meantime takes the sites as they are.
        last.1 = Instant::now();
    }
    let reading = shared.clone();
    let read = blocking(move || {
        let n = reading.next_reader.fetch_add(1, Ordering::Relaxed) % reading.readers.len();
        let store = reading.readers[n].lock().unwrap_or_else(|p| p.into_inner());
        let added = store.setting(crate::cases::CALENDAR_SETTING)?;
        Ok((store.sites()?, added.unwrap_or_default()))
    })
    .await;
    if let Ok((_, added)) = &read {
        shared.settings.calendar.added_now(added);
    }
    let mut last = shared.sites.lock().unwrap_or_else(|p| p.into_inner());
    match read {
        Ok((sites, _)) => *last = (Arc::new(sites), Instant::now()),
        Err(e) => tracing::warn!(
            error = e.map(|e| e.to_string()).unwrap_or_default(),
            "the sites could not be read again: those read last hold"
        ),
    }
    last.0.clone()
}

/// The `site` parameter of a request's query, if it has one.
fn site_asked(request: &Request) -> Option<String> {
    request.uri().query().and_then(|query| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix("site="))
            .map(|code| {
                // As a web team may type it: `Dongting `.
                percent_encoding::percent_decode_str(code)
                    .decode_utf8_lossy()
                    .trim()
                    .to_ascii_lowercase()
            })
    })
}

/// The site a request is for: the one it names (`?site=`, the widget's
/// `data-site`), which must exist and list the page's origin; else the
/// one site that lists the page's origin, as `/api/replies` finds it;
/// else the default site (`''`), whose origins are `--allow-origin`. A
/// page that names no site from an origin several sites list, and not
/// the default site, must name its site. The refusal if not.
async fn site_for(
    shared: &Arc<Shared>,
    asked: Option<String>,
    page: Page,
) -> Result<String, Response> {
    let asked = asked.filter(|code| !code.is_empty());
    let Page {
        origin,
        own: own_page,
    } = page;
    let mut sites = sites(shared);
    if let Some(code) = asked {
        if sites.get(&code).is_none() {
            sites = reread_sites(shared).await;
        }
        let Some(site) = sites.get(&code) else {
            return Err(refuse(
                StatusCode::FORBIDDEN,
                "unknown_site",
                "这个网站的站点代码（data-site）没有在接收服务上登记，提交没有保存；请告知网站管理员。",
            ));
        };
        return match &origin {
            Some(origin) if !own_page && !site.origins.contains(origin) => Err(refuse(
                StatusCode::FORBIDDEN,
                "origin_not_allowed_for_site",
                "这个网页不在该站点允许提交的网站名单上，提交没有保存；请告知网站管理员。",
            )),
            _ => Ok(site.code.clone()),
        };
    }
    let Some(origin) = origin.filter(|_| !own_page) else {
        return Ok(String::new());
    };
    // The default site's origins are read once, at start: the sites are
    // read again only for an origin neither knows.
    let default = shared.settings.allowed_origins.contains(&origin);
    if !default && !sites.lists(&origin) {
        sites = reread_sites(shared).await;
    }
    match sites.by_origin(&origin) {
        Some(site) => Ok(site.code.clone()),
        None if default => Ok(String::new()),
        None if sites.lists(&origin) => Err(refuse(
            StatusCode::FORBIDDEN,
            "site_not_named",
            "这个网站有多个站点，网页需用 data-site 注明站点代码，提交没有保存；请告知网站管理员。",
        )),
        None => Err(refuse(
            StatusCode::FORBIDDEN,
            "origin_not_allowed",
            "这个网站不在允许调用的名单上。",
        )),
    }
}

/// A JSON answer: one of the contract's types, as its writer wrote it.
fn answer(status: StatusCode, json: String) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        json,
    )
        .into_response()
}

/// A refusal or failure ([`ErrorBody`]) with its cause for the log.
pub fn refuse(status: StatusCode, cause: &'static str, message: &str) -> Response {
    let body = ErrorBody {
        error: message.to_owned(),
    };
    let mut response = answer(status, body.to_json());
    response.extensions_mut().insert(Cause(cause));
    response
}

/// The client of a request from `peer`, as the trusted proxies name it.
fn client(shared: &Shared, peer: SocketAddr, request: &Request) -> ClientKey {
    ClientKey::of(shared.settings.proxies.client(peer.ip(), request.headers()))
}

fn too_many(refusal: Refusal, reading: bool) -> Response {
    let (cause, message) = match (refusal, reading) {
        (Refusal::Server(_), _) => ("rate_limited_server", "现在提交的人很多，请稍后再试。"),
        (Refusal::Client(_), false) => ("rate_limited_client", "提交太频繁，请稍后再试。"),
        (Refusal::Client(_), true) => ("rate_limited_reads", "查询太频繁，请稍后再试。"),
    };
    let mut response = refuse(StatusCode::TOO_MANY_REQUESTS, cause, message);
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(refusal.wait().as_secs().max(1)),
    );
    response
}

/// Whether the content type is JSON (`application/json`, any parameters).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

/// Runs a store operation on a blocking thread; `None` for an error if the
/// task itself failed.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> crate::store::Result<T> + Send + 'static,
) -> Result<T, Option<crate::store::Error>> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(Some),
        Err(_) => Err(None),
    }
}

/// The failure of a store operation, for the citizen and the log.
fn store_failure(error: Option<&crate::store::Error>, message: &str) -> Response {
    use crate::store::Failure;
    let cause = match error.map(crate::store::Error::failure) {
        None => "task_failed",
        Some(Failure::DiskFull) => "disk_full",
        Some(Failure::Busy) => "database_busy",
        Some(Failure::Unwritable) => "database_unwritable",
        Some(Failure::Disk) => "disk_error",
        Some(Failure::Other) => "database_error",
    };
    refuse(StatusCode::SERVICE_UNAVAILABLE, cause, message)
}

async fn submit(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    if !is_json(request.headers()) {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not_json_type",
            "请求内容应为 JSON（Content-Type: application/json）。",
        );
    }
    let client = client(&shared, peer, &request);
    let (asked, page) = (site_asked(&request), Page::of(request.headers()));
    let site = match site_for(&shared, asked, page).await {
        Ok(site) => site,
        Err(refused) => return refused,
    };
    let body = match axum::body::to_bytes(request.into_body(), BODY_LIMIT).await {
        Ok(body) => body,
        Err(e) if is_too_large(&e) => {
            return refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "提交的内容太长了。",
            )
        }
        Err(_) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "body_unreadable",
                "请求内容没有完整收到，请重试。",
            )
        }
    };
    if let Err(refusal) = shared.submissions.take(client, Instant::now()) {
        return too_many(refusal, false);
    }
    let server = Some(shared.settings.server_submissions);
    let limit = shared.settings.submissions;
    if let Some(refusal) = shared_refusal(&shared, "submit", client, limit, server).await {
        return too_many(refusal, false);
    }
    // A byte-order mark (some programs write one) is not part of the JSON.
    let body = body.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(&body);
    let Ok(text) = std::str::from_utf8(body) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "not_utf8",
            "请求内容不是 UTF-8 文字。",
        );
    };
    let incoming = match read(text) {
        Ok(incoming) => incoming,
        Err(ReadError::NotJson(why)) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "not_json",
                &format!("请求内容不是 JSON：{why}"),
            )
        }
        Err(ReadError::NotObject) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "not_object",
                "请求内容应为 JSON 对象。",
            )
        }
        Err(ReadError::Fields(errors)) => {
            let body = FieldErrors::of(&errors).to_json();
            let mut response = answer(StatusCode::UNPROCESSABLE_ENTITY, body);
            response.extensions_mut().insert(Cause("invalid_fields"));
            return response;
        }
    };
    let suspected = incoming.suspected();
    const UNSAVED: &str = "暂时无法保存，请稍后重试；您填写的内容仍在页面上。";
    // A submission waits at most BUSY_TIMEOUT in all: for the ones before
    // it, then for the database (a staff command's write).
    let started = Instant::now();
    let Ok(mut store) =
        tokio::time::timeout(BUSY_TIMEOUT, shared.writer.clone().lock_owned()).await
    else {
        return refuse(StatusCode::SERVICE_UNAVAILABLE, "database_busy", UNSAVED);
    };
    let left = BUSY_TIMEOUT
        .saturating_sub(started.elapsed())
        .max(Duration::from_millis(100));
    let result = blocking(move || {
        store.set_busy_timeout(left)?;
        store.submit_for(&site, incoming.submission(), suspected, crate::store::now())
    })
    .await;
    match result {
        // The earlier code is not named: a key reused by someone else's
        // form must not hand over another citizen's code.
        Ok(Submitted::Conflict(_)) => refuse(
            StatusCode::CONFLICT,
            "client_key_reused",
            "这份提交此前已经收到过，但这次的内容与当时不同，没有保存。\
             如需提交修改后的内容，请再点“重新提交”，它将作为一份新的提交。",
        ),
        Ok(submitted) => {
            let status = match submitted {
                Submitted::New(_) => StatusCode::CREATED,
                _ => StatusCode::OK,
            };
            let receipt = Receipt {
                code: submitted.code().to_owned(),
            };
            answer(status, receipt.to_json())
        }
        Err(e) => store_failure(e.as_ref(), UNSAVED),
    }
}

fn is_too_large(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = e.source();
    }
    false
}

/// Takes a read token for the request's client; the refusal if there is
/// none.
async fn read_refused(shared: &Arc<Shared>, client: ClientKey) -> Option<Response> {
    if let Err(refusal) = shared.reads.take(client, Instant::now()) {
        return Some(too_many(refusal, true));
    }
    let limit = shared.settings.reads;
    shared_refusal(shared, "read", client, limit, None)
        .await
        .map(|refusal| too_many(refusal, true))
}

/// Takes a token for `client` (and, with `server`, for everyone) from the
/// buckets the receivers sharing a PostgreSQL database count together;
/// the refusal if there is none. Where the database cannot be reached the
/// request goes on, held by this receiver's own limits.
async fn shared_refusal(
    shared: &Arc<Shared>,
    scope: &'static str,
    client: ClientKey,
    limit: Rate,
    server: Option<Rate>,
) -> Option<Refusal> {
    let limits = shared.limits.clone()?;
    let taken = blocking(move || {
        let mut store = limits.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(wait) = store.take_shared(scope, &client.text(), limit.burst, limit.every)? {
            return Ok(Some(Refusal::Client(wait)));
        }
        if let Some(server) = server {
            if let Some(wait) = store.take_shared(scope, "server", server.burst, server.every)? {
                return Ok(Some(Refusal::Server(wait)));
            }
        }
        Ok(None)
    })
    .await;
    match taken {
        Ok(refusal) => refusal,
        Err(e) => {
            tracing::warn!(
                error = e.map(|e| e.to_string()).unwrap_or_default(),
                "the shared rate limits could not be read: this receiver's own hold"
            );
            None
        }
    }
}

async fn lookup(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(code): Path<String>,
    request: Request,
) -> Response {
    let reader = client(&shared, peer, &request);
    if let Some(refused) = read_refused(&shared, reader).await {
        return refused;
    }
    const UNKNOWN: &str = "没有这个查询码，请核对后再试。";
    if code.chars().count() > 64 {
        return refuse(StatusCode::NOT_FOUND, "unknown_code", UNKNOWN);
    }
    let calendars = site_calendars(&shared);
    let found = blocking(move || {
        let n = shared.next_reader.fetch_add(1, Ordering::Relaxed) % shared.readers.len();
        let store = shared.readers[n].lock().unwrap_or_else(|p| p.into_inner());
        store.public_lookup(&code, shared.settings.terms(&calendars))
    })
    .await;
    match found {
        Ok(Some(lookup)) => answer(StatusCode::OK, Lookup::to_json(&lookup)),
        Ok(None) => refuse(StatusCode::NOT_FOUND, "unknown_code", UNKNOWN),
        Err(e) => store_failure(e.as_ref(), UNAVAILABLE),
    }
}

async fn replies(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    let reader = client(&shared, peer, &request);
    if let Some(refused) = read_refused(&shared, reader).await {
        return refused;
    }
    // A site's (with the sites under it, a county's with its
    // townships'): the one asked for, or the page's; every site's if
    // neither.
    let asked = site_asked(&request).filter(|code| !code.is_empty());
    let mut sites = sites(&shared);
    if asked.as_ref().is_some_and(|code| sites.get(code).is_none()) {
        sites = reread_sites(&shared).await;
    }
    let site = match asked {
        Some(code) if sites.get(&code).is_none() => {
            return refuse(
                StatusCode::NOT_FOUND,
                "unknown_site",
                "没有这个站点（data-site）。",
            )
        }
        Some(code) => code,
        None => Page::of(request.headers())
            .origin
            .and_then(|origin| sites.by_origin(&origin).map(|s| s.code.clone()))
            .unwrap_or_default(),
    };
    let scope = (!site.is_empty()).then(|| sites.under([site.as_str()]));
    // The period the figures say messages are answered in: the site's
    // own, if it sets one (each message is judged by its own site's).
    let reply_days = sites
        .get(&site)
        .and_then(|s| s.reply_days)
        .unwrap_or(shared.settings.reply_days);
    let calendars = site_calendars(&shared);
    // One request works the list out while the others wait for it.
    let replies = shared.replies.clone().lock_owned().await;
    let fresh = shared.settings.replies_fresh;
    let found = blocking(move || {
        let mut replies = replies;
        if let Some(kept) = replies
            .bodies
            .get(&site)
            .filter(|kept| {
                kept.at.elapsed() < fresh
                    && kept.scope == scope
                    && kept.reply_days == reply_days
                    && Arc::ptr_eq(&kept.calendars, &calendars)
            })
        {
            return Ok(kept.body.clone());
        }
        let now = crate::store::now();
        let version = (
            replies.store.data_version()?,
            (now + 8 * 3600).div_euclid(86_400),
        );
        if let Some(kept) = replies
            .bodies
            .get_mut(&site)
            .filter(|kept| {
                kept.version == version
                    && kept.scope == scope
                    && kept.reply_days == reply_days
                    && Arc::ptr_eq(&kept.calendars, &calendars)
            })
        {
            kept.at = Instant::now();
            return Ok(kept.body.clone());
        }
        let items = replies.store.published_replies_of(100, scope.as_deref())?;
        let (stats, uncovered) =
            replies
                .store
                .statistics_of(
                    Terms {
                        calendars: &calendars,
                        reply_days,
                    },
                    now,
                    scope.as_deref(),
                )?;
        if let Some(uncovered) = uncovered.filter(|_| !replies.warned) {
            replies.warned = true;
            tracing::warn!(
                year = uncovered.year,
                "the statistics cannot judge some answers in time: add the year's holiday arrangement with --calendar (docs/calendar.md)"
            );
        }
        let body = Bytes::from(Replies { items, stats }.to_json());
        // One entry per site there is: a code must exist to be asked for.
        replies.bodies.insert(
            site,
            Replied {
                version,
                scope,
                reply_days,
                calendars,
                at: Instant::now(),
                body: body.clone(),
            },
        );
        Ok(body)
    })
    .await;
    match found {
        Ok(body) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            Body::from(body),
        )
            .into_response(),
        Err(e) => store_failure(e.as_ref(), UNAVAILABLE),
    }
}

async fn preflight() -> StatusCode {
    StatusCode::NO_CONTENT
}

/// The page a request comes from, as its headers say.
struct Page {
    /// Its origin; `None` without one, or for `null` (a sandboxed frame,
    /// a file) and anything else unreadable.
    origin: Option<Origin>,
    /// Whether the receiver serves it itself at an IP address or
    /// `localhost` (the demo). The own host under a name is not enough,
    /// since whoever owns a name can point it at the receiver (DNS
    /// rebinding): such a receiver lists its own origin with
    /// `--allow-origin`.
    own: bool,
}

impl Page {
    fn of(headers: &HeaderMap) -> Page {
        let origin = headers
            .get(header::ORIGIN)
            .and_then(|o| o.to_str().ok())
            .and_then(|o| Origin::parse(o).ok());
        let own = origin.as_ref().is_some_and(|origin| {
            origin.is_literal()
                && headers
                    .get(header::HOST)
                    .and_then(|h| h.to_str().ok())
                    .is_some_and(|host| origin.is_host(host))
        });
        Page { origin, own }
    }

    /// Whether it may call the API: its origin is on the allow-list or a
    /// site's, or it is the receiver's own.
    fn allowed(&self, shared: &Shared, sites: &Sites) -> bool {
        self.own
            || self.origin.as_ref().is_some_and(|origin| {
                shared.settings.allowed_origins.contains(origin) || sites.lists(origin)
            })
    }
}

/// Refuses cross-site writes and preflights from origins not allowed;
/// CORS for allowed origins, and the security headers, on every response.
async fn headers(
    State(shared): State<Arc<Shared>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let origin = request.headers().get(header::ORIGIN).cloned();
    let page = Page::of(request.headers());
    // An origin not known: perhaps a site's added since the sites were
    // last read.
    let known = page.allowed(&shared, &sites(&shared))
        || page.origin.is_some() && page.allowed(&shared, &*reread_sites(&shared).await);
    let allowed = origin.as_ref().filter(|_| known);
    let reading = matches!(*request.method(), Method::GET | Method::HEAD);
    let mut response = if origin.is_some() && allowed.is_none() && !reading {
        // A preflight, or a "simple" POST a browser sends without one
        // (text/plain, a form): either way, nothing is done.
        refuse(
            StatusCode::FORBIDDEN,
            "origin_not_allowed",
            "这个网站不在允许调用的名单上。",
        )
    } else {
        next.run(request).await
    };
    let h: &mut HeaderMap = response.headers_mut();
    if let Some(origin) = allowed {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        for (name, value) in [
            (header::ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS"),
            (header::ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type"),
            (header::ACCESS_CONTROL_MAX_AGE, "600"),
            (header::ACCESS_CONTROL_EXPOSE_HEADERS, "Retry-After"),
        ] {
            h.insert(name, HeaderValue::from_static(value));
        }
    }
    for (name, value) in [
        (header::VARY, "Origin"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::CACHE_CONTROL, "no-store"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; frame-ancestors 'none'",
        ),
        (header::REFERRER_POLICY, "no-referrer"),
    ] {
        h.insert(name, HeaderValue::from_static(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_content_types() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, value.parse().unwrap());
            is_json(&headers)
        };
        assert!(with("application/json"));
        assert!(with("Application/JSON; charset=utf-8"));
        assert!(!with("text/plain"));
        assert!(!with("application/x-www-form-urlencoded"));
        assert!(!with("multipart/form-data; boundary=x"));
        assert!(!is_json(&HeaderMap::new()));
    }
}
