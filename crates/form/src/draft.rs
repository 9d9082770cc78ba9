//! What the citizen has typed, kept in sessionStorage so that a reload or
//! a failed submission loses nothing; never in localStorage, because
//! portal computers in township halls are shared: the tab's storage ends
//! with the tab. The identity document's number is never kept, and on a
//! widget with `data-shared-device` nothing is.

use leptos::prelude::window;
use xxgk_core::submission::{self, IdType, Incoming, Kind, Request, Submission};

/// Where a widget's panels keep things: the tab's sessionStorage, or
/// nowhere on a shared device.
#[derive(Clone, Copy, Debug)]
pub struct Store {
    keeps: bool,
}

impl Store {
    /// The tab's storage, unless the device is shared.
    pub fn new(shared_device: bool) -> Store {
        Store {
            keeps: !shared_device,
        }
    }

    /// The storage, where something may be kept and storage is allowed.
    fn storage(self) -> Option<web_sys::Storage> {
        if !self.keeps {
            return None;
        }
        window().session_storage().ok().flatten()
    }

    /// Reads what is kept under `name`.
    pub fn get(self, name: &str) -> Option<String> {
        self.storage()?.get_item(name).ok().flatten()
    }

    /// Keeps `value` under `name` (quietly not, where storage is refused).
    pub fn set(self, name: &str, value: &str) {
        if let Some(s) = self.storage() {
            let _ = s.set_item(name, value);
        }
    }

    /// Forgets what is kept under `name`.
    pub fn remove(self, name: &str) {
        if let Some(s) = self.storage() {
            let _ = s.remove_item(name);
        }
    }

    /// The draft kept under `name`, if there is one (without its ID
    /// number, which is never kept).
    pub fn restore(self, name: &str) -> Option<Submission> {
        match submission::read_kept(&self.get(name)?) {
            Ok(Incoming::Submission(mut kept)) => {
                if kept.request.is_none() {
                    kept.request = Some(blank_request());
                }
                if kept.client_key.trim().is_empty() {
                    kept.client_key = client_key();
                }
                // An earlier version of the form kept it.
                Some(kept.without_id_number())
            }
            _ => None,
        }
    }
}

/// Whether anything was typed that would be missed if lost.
pub fn typed(d: &Submission) -> bool {
    let texts = [&d.subject, &d.body, &d.name, &d.phone, &d.email, &d.address];
    let request = d.request.iter().flat_map(|r| {
        [
            &r.organisation,
            &r.credit_code,
            &r.representative,
            &r.id_number,
            &r.description,
            &r.document,
        ]
    });
    texts
        .into_iter()
        .chain(request)
        .any(|t| !t.trim().is_empty())
}

/// A new, empty form with its own client key.
pub fn blank() -> Submission {
    Submission {
        kind: Kind::Consultation,
        subject: String::new(),
        body: String::new(),
        name: String::new(),
        phone: String::new(),
        email: String::new(),
        address: String::new(),
        request: Some(blank_request()),
        consent_to_publish: false,
        related_item: String::new(),
        client_key: client_key(),
    }
}

/// The empty part of a disclosure request, with the usual document
/// chosen.
pub fn blank_request() -> Request {
    Request {
        id_type: Some(IdType::ResidentCard),
        ..Request::default()
    }
}

/// A random key (128 bits) that names this submission across retries.
fn client_key() -> String {
    let mut bytes = [0u8; 16];
    let random = window()
        .crypto()
        .ok()
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok());
    if random.is_none() {
        // No Web Crypto: the clock and Math.random, still unique enough
        // to tell one citizen's retries from another's submission.
        let seed = js_sys::Date::now() as u64 ^ (js_sys::Math::random() * 1e15) as u64;
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        bytes[8..].copy_from_slice(&((js_sys::Math::random() * 1e15) as u64).to_le_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
