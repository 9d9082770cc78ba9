//! Accepting connections from the open internet: slow and hostile clients
//! are bounded in time and number, and the server stops gracefully.
//!
//! - A connection must deliver a whole request header within
//!   [`Limits::header_timeout`] of opening or of its previous response
//!   (hyper's header-read timer, which also ends idle keep-alive
//!   connections); a whole request, body included, must be handled within
//!   [`Limits::request_timeout`] (tower-http's timeout, answering 408); a
//!   response the client stops reading is abandoned after
//!   [`Limits::write_timeout`].
//! - At most [`Limits::max_connections`] are open at once (fewer if the
//!   process may not open that many files); past that, new connections
//!   wait to be accepted. One client address (an IPv6 /64; not a trusted
//!   proxy) may hold at most [`Limits::per_address`]; more are closed at
//!   once.
//! - On SIGTERM or SIGINT the listener closes, idle connections are
//!   closed, requests in flight finish, and after
//!   [`Limits::shutdown_timeout`] whatever is left is cut.
//!
//! Responses with a [`crate::log::Cause`] are counted for the log.

use crate::client::{ClientKey, Proxies};
use crate::log::{Cause, Tally};
use axum::extract::ConnectInfo;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// Bounds on connections and their time.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Connections open at once.
    pub max_connections: usize,
    /// Connections one client address may hold (trusted proxies excepted).
    pub per_address: usize,
    /// Time to deliver a request header, and to start the next request on
    /// a kept-alive connection.
    pub header_timeout: Duration,
    /// Time to handle a whole request, its body included.
    pub request_timeout: Duration,
    /// Time a response may wait for the client to read it.
    pub write_timeout: Duration,
    /// Time given to requests in flight on shutdown.
    pub shutdown_timeout: Duration,
    /// How often refusals are summed up in the log.
    pub report_every: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 1024,
            per_address: 64,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(30),
            shutdown_timeout: Duration::from_secs(10),
            report_every: Duration::from_secs(60),
        }
    }
}

/// How a server stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stopped {
    /// Connections still open when the grace period ran out, cut.
    pub cut: usize,
}

/// Serves `app` on `listener` until `shutdown` completes, then stops as
/// [`Limits`] says. `proxies` are the trusted reverse proxies.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    proxies: Proxies,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> Stopped {
    let tally = Arc::new(Tally::default());
    let app = app
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .layer(axum::middleware::from_fn_with_state(
            (tally.clone(), proxies.clone()),
            count,
        ));
    let max_connections = descriptor_budget()
        .map_or(limits.max_connections, |budget| {
            limits.max_connections.min(budget)
        })
        .max(1);
    if max_connections < limits.max_connections {
        tracing::warn!(
            max_connections,
            asked = limits.max_connections,
            "the process may not open enough files for the connections asked for: fewer are accepted (raise `ulimit -n`)"
        );
    }
    let slots = Arc::new(Semaphore::new(max_connections));
    let per_address: Clients = Arc::default();
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let reports = tokio::spawn(report(tally.clone(), limits.report_every));
    let mut shutdown = std::pin::pin!(shutdown);
    let mut accept_failed_at: Option<Instant> = None;
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            () = &mut shutdown => break,
        };
        let Ok(slot) = slot else { break };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: wait a moment rather than spin.
                    if accept_failed_at.is_none_or(|t| t.elapsed() > Duration::from_secs(60)) {
                        tracing::error!(error = %e, "cannot accept connections");
                        accept_failed_at = Some(Instant::now());
                    }
                    tally.note(503, Cause("accept_failed"), None);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let ip = peer.ip();
        // A trusted proxy carries many clients' connections.
        let share = if proxies.trusts(ip) {
            None
        } else {
            let client = ClientKey::of(ip);
            match Share::take(&per_address, client, limits.per_address) {
                Some(share) => Some(share),
                None => {
                    tally.note(
                        429,
                        Cause("connections_per_address"),
                        Some(client.truncated()),
                    );
                    continue;
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let mut stream = tokio_io_timeout::TimeoutStream::new(stream);
        stream.set_write_timeout(Some(limits.write_timeout));
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<_>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let request: axum::extract::Request = request.map(axum::body::Body::new);
            app.clone().oneshot(request)
        });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .max_buf_size(64 * 1024)
            .serve_connection(TokioIo::new(Box::pin(stream)), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop((slot, share));
        });
    }
    drop(listener);
    let open = graceful.count();
    tracing::info!(
        connections = open,
        grace_seconds = limits.shutdown_timeout.as_secs_f64(),
        "stopping: no new connections; requests in flight may finish"
    );
    let started = Instant::now();
    let cut = match tokio::time::timeout(limits.shutdown_timeout, graceful.shutdown()).await {
        Ok(()) => 0,
        Err(_) => max_connections - slots.available_permits(),
    };
    reports.abort();
    tally.report(started.elapsed().as_secs().max(1));
    tracing::info!(seconds = started.elapsed().as_secs_f64(), cut, "stopped");
    Stopped { cut }
}

/// Connections open per client.
type Clients = Arc<Mutex<HashMap<ClientKey, usize>>>;

/// One connection counted against its client's share, until dropped.
struct Share {
    clients: Clients,
    client: ClientKey,
}

impl Share {
    /// Counts a connection of `client`, unless it holds `most` already.
    fn take(clients: &Clients, client: ClientKey, most: usize) -> Option<Share> {
        let mut held = clients.lock().unwrap_or_else(|p| p.into_inner());
        let n = held.entry(client).or_default();
        if *n >= most {
            return None;
        }
        *n += 1;
        Some(Share {
            clients: clients.clone(),
            client,
        })
    }
}

impl Drop for Share {
    fn drop(&mut self) {
        let mut held = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = held.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                held.remove(&self.client);
            }
        }
    }
}

/// Counts responses that carry a cause, and timeouts, with the client's
/// network as the trusted proxies name it.
async fn count(
    axum::extract::State((tally, proxies)): axum::extract::State<(Arc<Tally>, Proxies)>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let network = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| ClientKey::of(proxies.client(c.0.ip(), request.headers())).truncated());
    let response = next.run(request).await;
    let status = response.status();
    if status.is_client_error() || status.is_server_error() {
        let cause = response
            .extensions()
            .get::<Cause>()
            .copied()
            .unwrap_or(match status {
                StatusCode::REQUEST_TIMEOUT => Cause("request_timeout"),
                StatusCode::PAYLOAD_TOO_LARGE => Cause("too_large"),
                StatusCode::METHOD_NOT_ALLOWED => Cause("method_not_allowed"),
                StatusCode::NOT_FOUND => Cause("no_route"),
                _ => Cause("other"),
            });
        tally.note(status.as_u16(), cause, network);
    }
    response
}

async fn report(tally: Arc<Tally>, every: Duration) {
    let mut timer = tokio::time::interval(every);
    timer.tick().await;
    loop {
        timer.tick().await;
        tally.report(every.as_secs().max(1));
    }
}

/// How many connections the process can hold, given its limit on open
/// files, after raising that limit as far as it may go; `None` if the
/// limit cannot be read.
fn descriptor_budget() -> Option<usize> {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit and setrlimit only read and write `limit`.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
                return None;
            }
            if limit.rlim_cur < limit.rlim_max {
                let raised = libc::rlimit {
                    rlim_cur: limit.rlim_max,
                    rlim_max: limit.rlim_max,
                };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                    limit = raised;
                }
            }
        }
        // Files for the database, its readers, the log and the runtime;
        // then each connection may hold its socket and a file it sends.
        const RESERVED: u64 = 64;
        #[allow(clippy::useless_conversion)] // rlim_t is not u64 everywhere
        let budget = u64::try_from(limit.rlim_cur)
            .unwrap_or(u64::MAX)
            .saturating_sub(RESERVED)
            / 2;
        Some(usize::try_from(budget).unwrap_or(usize::MAX))
    }
    #[cfg(not(unix))]
    None
}

/// Completes on SIGTERM (what systemd and `kill` send) or SIGINT (Ctrl-C).
pub fn signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    // The handlers are in place once this returns, before the future is
    // first polled: a signal from then on asks for the shutdown.
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let listening = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        );
        async move {
            match listening {
                (Ok(mut term), Ok(mut int)) => {
                    let name = tokio::select! {
                        _ = term.recv() => "SIGTERM",
                        _ = int.recv() => "SIGINT",
                    };
                    tracing::info!(signal = name, "shutdown asked for");
                }
                _ => std::future::pending().await,
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// The log, kept in memory.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_full_disk_is_logged_by_its_cause_once_then_counted() {
        let log = Captured::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let dir = std::env::temp_dir().join(format!("xxgk-full-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = crate::store::Store::open(dir.join("feedback.db")).unwrap();
        store.fill_up();
        let settings = crate::api::Settings {
            submissions: crate::limit::Rate {
                burst: 1000,
                every: Duration::from_millis(1),
            },
            ..crate::api::Settings::default()
        };
        let app = crate::api::router(store, settings).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(
            listener,
            app,
            Proxies::default(),
            Limits::default(),
            async {
                let _ = stopped.await;
            },
        ));
        let mut unavailable = 0;
        for n in 0..40 {
            let body = format!(
                r#"{{"kind":"help","subject":"村道路灯损坏无人修","body":"东亭村村口到小学的路灯坏了三个月，很危险。","name":"张三","phone":"13912345678","client_key":"key-full{n:04}"}}"#
            );
            let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
            let head = format!(
                "POST /api/feedback HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).await.unwrap();
            stream.write_all(body.as_bytes()).await.unwrap();
            let mut answer = Vec::new();
            stream.read_to_end(&mut answer).await.unwrap();
            unavailable += usize::from(answer.starts_with(b"HTTP/1.1 503"));
        }
        stop.send(()).unwrap();
        server.await.unwrap();
        let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
        assert!(unavailable >= 20, "{unavailable}: {text}");
        let lines: Vec<&str> = text.lines().filter(|l| l.contains("disk_full")).collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(
            lines[0].contains("ERROR") && lines[0].contains("status=503"),
            "{text}"
        );
        assert!(lines[1].contains(&format!("count={unavailable}")), "{text}");
        assert!(
            !text.contains("张三") && !text.contains("13912345678"),
            "{text}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
