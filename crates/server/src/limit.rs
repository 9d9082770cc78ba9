//! Rate limits: a token bucket per client ([`ClientKey`]), and one for the
//! whole server that protects the database whatever the addresses.
//!
//! The table of clients is bounded: buckets that have filled up again are
//! forgotten by [`Limiter::sweep`], which the server runs on a timer, so a
//! request never scans the table. When the table is full (a flood from
//! very many addresses) a new client is held to the server-wide bucket
//! alone until the next sweep makes room.

use crate::client::ClientKey;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A rate: `burst` requests at once, then one per `every`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rate {
    /// Requests allowed in a burst.
    pub burst: u32,
    /// Then one more per this long.
    pub every: Duration,
}

impl Rate {
    /// Requests per second once the burst is spent.
    pub fn per_second(self) -> f64 {
        1.0 / self.every.as_secs_f64().max(1e-9)
    }
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(rate: Rate, now: Instant) -> Bucket {
        Bucket {
            tokens: f64::from(rate.burst),
            at: now,
        }
    }

    /// The tokens there are at `now`.
    fn level(&self, rate: Rate, now: Instant) -> f64 {
        let refilled = now.saturating_duration_since(self.at).as_secs_f64()
            / rate.every.as_secs_f64().max(1e-9);
        (self.tokens + refilled).min(f64::from(rate.burst))
    }

    /// How long until a token is there, if none is.
    fn wait(level: f64, rate: Rate) -> Duration {
        Duration::from_secs_f64(((1.0 - level) * rate.every.as_secs_f64()).max(0.0))
            .max(Duration::from_secs(1))
    }
}

/// Why a request must wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// This client has used its allowance: try again after this long.
    Client(Duration),
    /// The whole server has: try again after this long.
    Server(Duration),
}

impl Refusal {
    /// How long to wait.
    pub fn wait(self) -> Duration {
        match self {
            Refusal::Client(wait) | Refusal::Server(wait) => wait,
        }
    }
}

/// Per-client buckets and, optionally, a server-wide one.
pub struct Limiter {
    rate: Rate,
    capacity: usize,
    clients: Mutex<HashMap<ClientKey, Bucket>>,
    server: Option<(Rate, Mutex<Bucket>)>,
}

impl Limiter {
    /// Limits each client to `rate` and, with `server`, everyone together
    /// to that; remembers at most `capacity` clients.
    pub fn new(rate: Rate, server: Option<Rate>, capacity: usize) -> Limiter {
        let now = Instant::now();
        Limiter {
            rate,
            capacity,
            clients: Mutex::new(HashMap::new()),
            server: server.map(|r| (r, Mutex::new(Bucket::full(r, now)))),
        }
    }

    /// Takes a token for `client` at `now`, or says how long to wait.
    /// Nothing is taken from either bucket when one of them is empty.
    pub fn take(&self, client: ClientKey, now: Instant) -> Result<(), Refusal> {
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        let known = clients.len() < self.capacity || clients.contains_key(&client);
        let level = if known {
            let bucket = clients
                .entry(client)
                .or_insert_with(|| Bucket::full(self.rate, now));
            let level = bucket.level(self.rate, now);
            if level < 1.0 {
                return Err(Refusal::Client(Bucket::wait(level, self.rate)));
            }
            Some(level)
        } else {
            None
        };
        if let Some((rate, server)) = &self.server {
            let mut server = server.lock().unwrap_or_else(|p| p.into_inner());
            let server_level = server.level(*rate, now);
            if server_level < 1.0 {
                return Err(Refusal::Server(Bucket::wait(server_level, *rate)));
            }
            *server = Bucket {
                tokens: server_level - 1.0,
                at: now,
            };
        }
        if let Some(level) = level {
            clients.insert(
                client,
                Bucket {
                    tokens: level - 1.0,
                    at: now,
                },
            );
        }
        Ok(())
    }

    /// Forgets the clients whose buckets are full again at `now` (they are
    /// as if never seen); returns how many are still remembered.
    pub fn sweep(&self, now: Instant) -> usize {
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        let burst = f64::from(self.rate.burst);
        clients.retain(|_, bucket| bucket.level(self.rate, now) < burst);
        clients.len()
    }

    /// How many clients are remembered.
    pub fn remembered(&self) -> usize {
        self.clients.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Whether the table is full (new clients meet only the server-wide
    /// limit until the next sweep).
    pub fn is_full(&self) -> bool {
        self.remembered() >= self.capacity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(n: u32) -> ClientKey {
        ClientKey::of(std::net::IpAddr::V4(n.into()))
    }

    const SIX: Rate = Rate {
        burst: 3,
        every: Duration::from_secs(6),
    };

    #[test]
    fn a_client_gets_its_burst_then_one_per_period() {
        let limiter = Limiter::new(SIX, None, 100);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.take(client(1), t0), Ok(()));
        }
        assert_eq!(
            limiter.take(client(1), t0),
            Err(Refusal::Client(Duration::from_secs(6)))
        );
        // Another client is not affected.
        assert_eq!(limiter.take(client(2), t0), Ok(()));
        assert_eq!(limiter.take(client(1), t0 + Duration::from_secs(6)), Ok(()));
        assert!(limiter
            .take(client(1), t0 + Duration::from_secs(7))
            .is_err());
    }

    #[test]
    fn the_server_wide_bucket_holds_whatever_the_addresses() {
        let server = Rate {
            burst: 5,
            every: Duration::from_secs(1),
        };
        let limiter = Limiter::new(SIX, Some(server), 100);
        let t0 = Instant::now();
        for n in 0..5 {
            assert_eq!(limiter.take(client(n), t0), Ok(()));
        }
        assert_eq!(
            limiter.take(client(99), t0),
            Err(Refusal::Server(Duration::from_secs(1)))
        );
        // Refused by the server, the client's own allowance is untouched.
        for _ in 0..3 {
            assert_eq!(
                limiter.take(client(99), t0 + Duration::from_secs(3)),
                Ok(())
            );
        }
    }

    #[test]
    fn the_table_is_bounded_and_swept() {
        let limiter = Limiter::new(SIX, None, 10);
        let t0 = Instant::now();
        for n in 0..10 {
            limiter.take(client(n), t0).unwrap();
        }
        assert!(limiter.is_full());
        // A client beyond the table is not remembered, so not counted
        // against itself (the server-wide bucket is what holds then).
        for _ in 0..5 {
            assert_eq!(limiter.take(client(500), t0), Ok(()));
        }
        assert_eq!(limiter.remembered(), 10);
        // A remembered client is still held to its own limit.
        limiter.take(client(3), t0).unwrap();
        limiter.take(client(3), t0).unwrap();
        assert!(limiter.take(client(3), t0).is_err());
        // After one period, the 9 who used one token are full again and
        // forgotten; client 3 is not.
        assert_eq!(limiter.sweep(t0 + Duration::from_secs(6)), 1);
        assert!(limiter.take(client(3), t0 + Duration::from_secs(6)).is_ok());
        assert!(!limiter.is_full());
    }
}
