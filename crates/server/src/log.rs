//! What the server logs, with `tracing`, to standard error.
//!
//! Never a name, phone number, identity number, body text or lookup code,
//! and a client's address only cut to its network
//! ([`crate::client::Truncated`]). Refusals and failures are counted by
//! their cause ([`Cause`]): the first of each cause is logged when it
//! happens, the rest are summed up once per report period, so a flood
//! makes a few lines, not one per request.

use crate::client::Truncated;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

/// Why a request was refused or failed; attached to the response as an
/// extension by whoever decided it, and counted by the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cause(pub &'static str);

/// Sets up logging to standard error at `level` (error, warn, info,
/// debug). Called once by `serve`.
pub fn init(level: tracing::Level) {
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(false)
        .try_init();
}

/// How many networks are named with a cause's count.
const NETWORKS_NAMED: usize = 5;

#[derive(Default)]
struct Count {
    n: u64,
    networks: BTreeSet<Truncated>,
}

/// Refusals and failures counted by (status, cause) since the last report.
#[derive(Default)]
pub struct Tally {
    window: Mutex<BTreeMap<(u16, Cause), Count>>,
}

impl Tally {
    /// Counts one response with `status` for `cause`, from `network` if
    /// known. The first of its kind since the last report is logged now.
    pub fn note(&self, status: u16, cause: Cause, network: Option<Truncated>) {
        let first = {
            let mut window = self.window.lock().unwrap_or_else(|p| p.into_inner());
            let count = window.entry((status, cause)).or_default();
            count.n += 1;
            if let Some(network) = network {
                if count.networks.len() < NETWORKS_NAMED {
                    count.networks.insert(network);
                }
            }
            count.n == 1
        };
        if first {
            let network = network.map(|n| n.to_string()).unwrap_or_default();
            let cause = cause.0;
            match status {
                500.. => tracing::error!(
                    status,
                    cause,
                    network,
                    "request failed (more are counted in the next report)"
                ),
                429 => tracing::warn!(
                    status,
                    cause,
                    network,
                    "rate limit reached (more are counted in the next report)"
                ),
                _ => tracing::info!(
                    status,
                    cause,
                    network,
                    "request refused (more are counted in the next report)"
                ),
            }
        }
    }

    /// Logs one line per cause counted since the last report and starts
    /// counting afresh.
    pub fn report(&self, period_seconds: u64) {
        let window = std::mem::take(&mut *self.window.lock().unwrap_or_else(|p| p.into_inner()));
        for ((status, cause), count) in window {
            let networks = count
                .networks
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ");
            let (cause, n) = (cause.0, count.n);
            match status {
                500.. => tracing::error!(
                    status,
                    cause,
                    count = n,
                    period_seconds,
                    networks,
                    "failures"
                ),
                429 => tracing::warn!(
                    status,
                    cause,
                    count = n,
                    period_seconds,
                    networks,
                    "rate limited"
                ),
                _ => tracing::info!(
                    status,
                    cause,
                    count = n,
                    period_seconds,
                    networks,
                    "refused"
                ),
            }
        }
    }
}
