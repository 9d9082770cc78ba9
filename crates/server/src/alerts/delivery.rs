//! The loop that sends the outbox: every few seconds it takes the alerts
//! due, sends each on every channel that has not taken it yet (the two
//! channels at once, so a mail server that hangs does not hold up the
//! webhook), and records what each channel did; every hour it queues the
//! due-soon alerts. The store is used on a blocking thread, never on the
//! runtime's.

use super::message::Message;
use super::Settings;
use crate::store::{Backoff, Channel, Queued, Retry, Store};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use xxgk_core::calendar::Calendar;
use xxgk_core::Date;

/// Alerts taken at a time.
const BATCH: usize = 10;

/// How often the loop looks, and how it retries.
struct Pace {
    poll: Duration,
    scan_every: Duration,
    backoff: Backoff,
}

impl Pace {
    fn of(settings: &Settings) -> Pace {
        if settings.quick {
            Pace {
                poll: Duration::from_millis(100),
                scan_every: Duration::from_secs(1),
                backoff: Backoff {
                    first: 1,
                    most: 1,
                    ..Backoff::STANDARD
                },
            }
        } else {
            Pace {
                poll: Duration::from_secs(5),
                scan_every: Duration::from_secs(3600),
                backoff: Backoff::STANDARD,
            }
        }
    }
}

/// Sends alerts as `settings` say from `store`, forever.
pub(super) async fn run(settings: Settings, store: Store, calendar: crate::cases::Calendars) {
    let store = Arc::new(Mutex::new(store));
    let pace = Pace::of(&settings);
    let mut next_scan = tokio::time::Instant::now();
    loop {
        if tokio::time::Instant::now() >= next_scan {
            scan(&store, &calendar.current(), settings.days).await;
            next_scan = tokio::time::Instant::now() + pace.scan_every;
        }
        while send_due(&settings, &store, &pace.backoff).await == BATCH {}
        tokio::time::sleep(pace.poll).await;
    }
}

/// Runs `work` on the store on a blocking thread.
async fn with_store<T: Send + 'static>(
    store: &Arc<Mutex<Store>>,
    work: impl FnOnce(&mut Store) -> crate::store::Result<T> + Send + 'static,
) -> Option<T> {
    let store = store.clone();
    let done = tokio::task::spawn_blocking(move || {
        let mut store = store.lock().unwrap_or_else(|p| p.into_inner());
        work(&mut store)
    })
    .await;
    match done {
        Ok(Ok(value)) => Some(value),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "alerts: the database refused: trying again later");
            None
        }
        Err(e) => {
            tracing::error!(error = %e, "alerts: a database task failed");
            None
        }
    }
}

/// Queues the due-soon alerts of today.
async fn scan(store: &Arc<Mutex<Store>>, calendar: &Arc<Calendar>, days: u32) {
    let now = crate::store::now();
    let Some(today) = Date::beijing(now) else {
        return;
    };
    let calendar = calendar.clone();
    let queued = with_store(store, move |s| {
        // Each request in its site's working days.
        let calendars = s.sites()?.calendars(calendar);
        s.queue_due_soon(&calendars, days, today, now)
    })
    .await;
    if let Some(n) = queued.filter(|&n| n > 0) {
        tracing::info!(alerts = n, "requests due soon: alerts queued");
    }
}

/// Sends the alerts due now, at most [`BATCH`]; how many there were.
async fn send_due(settings: &Settings, store: &Arc<Mutex<Store>>, backoff: &Backoff) -> usize {
    let now = crate::store::now();
    let backoff_now = *backoff;
    let Some(taken) = with_store(store, move |s| s.take_alerts(now, BATCH, &backoff_now)).await
    else {
        return 0;
    };
    for queued in &taken {
        send_one(settings, store, backoff, queued).await;
    }
    taken.len()
}

/// Sends `queued` on each channel that has not taken it, and records
/// what became of it.
async fn send_one(
    settings: &Settings,
    store: &Arc<Mutex<Store>>,
    backoff: &Backoff,
    queued: &Queued,
) {
    let id = queued.id;
    let mut errors = Vec::new();
    match &queued.alert {
        None => {
            errors.push("written by a later version of xxgk-server, which is to send it".to_owned())
        }
        Some(alert) => {
            let now = crate::store::now();
            let today =
                Date::beijing(now).unwrap_or_else(|| Date::new(1970, 1, 1).expect("a date"));
            let message = Message::compose(queued, alert, settings.console.as_deref(), today);
            let webhook = async {
                match &settings.webhook {
                    Some(hook) if !queued.delivered(Channel::Webhook) => {
                        Some(hook.post(id, &message.json, crate::store::now()).await)
                    }
                    _ => None,
                }
            };
            let email = async {
                match &settings.mailer {
                    Some(mailer) if !queued.delivered(Channel::Email) => {
                        Some(mailer.send(&message.subject, &message.text).await)
                    }
                    _ => None,
                }
            };
            let (webhook, email) = tokio::join!(webhook, email);
            for (channel, result) in [(Channel::Webhook, webhook), (Channel::Email, email)] {
                match result {
                    None => {}
                    Some(Ok(())) => {
                        tracing::info!(alert = id, channel = channel.name(), "alert delivered");
                        let at = crate::store::now();
                        with_store(store, move |s| s.alert_delivered(id, channel, at)).await;
                    }
                    Some(Err(error)) => {
                        tracing::warn!(alert = id, channel = channel.name(), %error, "alert not delivered");
                        errors.push(format!("{}: {error}", channel.name()));
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        with_store(store, move |s| s.alert_done(id)).await;
        return;
    }
    let error = errors.join("; ");
    let backoff = *backoff;
    let now = crate::store::now();
    match with_store(store, move |s| s.alert_failed(id, &error, now, &backoff)).await {
        Some(Retry::At(at)) => {
            tracing::info!(
                alert = id,
                retry_in_seconds = at - now,
                "alert to be sent again"
            )
        }
        Some(Retry::GaveUp) => tracing::error!(
            alert = id,
            "alert given up: not delivered within {} days (kept as failed)",
            backoff.give_up_after / 86_400
        ),
        None => {}
    }
}
