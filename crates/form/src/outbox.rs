//! A widget's submission on its way: the draft as typed, the last attempt
//! to send it, the send in flight and its outcome. They belong to the
//! widget's root, not to the form on screen: going to another panel and
//! back loses neither what was typed nor a send on its way, and an answer
//! that comes meanwhile waits for the form.
//!
//! What they hold of a citizen does not outlive the page visit, nor, on a
//! widget with `data-shared-device`, the form (the citizen was told
//! nothing is kept). In storage (`draft.rs`) only the draft and the last
//! attempt are kept, never with the identity document's number.

use crate::draft;
use crate::net::{self, Failure, Received};
use crate::widget::Widget;
use leptos::prelude::*;
use xxgk_core::submission::{Kind, Submission};

/// Where a submission is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Being filled in.
    Editing,
    /// Sent, no answer yet: the form is disabled.
    Sending,
    /// Not received; what was typed is all still there.
    Failed(Failure),
    /// Received, with the kind it was.
    Done(Received, Kind),
}

/// One widget's submission on its way (it is `Copy`).
#[derive(Clone, Copy)]
pub struct Outbox {
    widget: Widget,
    /// What is typed, identity number included.
    pub draft: RwSignal<Submission>,
    /// Where the submission is.
    pub phase: RwSignal<Phase>,
    /// Whether the draft came back from storage without its identity
    /// number, to ask for it again.
    pub retype: RwSignal<bool>,
    /// The hidden trap field, as the form holds it.
    pub trap: RwSignal<String>,
    /// The last attempt (its JSON), until it is known to be received:
    /// the whole of it, identity number included, which storage never
    /// holds.
    attempt: StoredValue<Option<String>>,
    /// Changes when the citizen a send began for may be gone (the page
    /// left, or on a shared device the form): its outcome is then shown
    /// to no one.
    era: StoredValue<u32>,
}

impl Outbox {
    /// The outbox of `widget`: the draft kept in storage for a reload, or
    /// a fresh one.
    pub fn new(widget: Widget) -> Outbox {
        let store = widget.store();
        // Lookup codes are no longer kept: one an earlier version kept goes.
        draft::Store::new(false).remove(&widget.stored("code"));
        let restored = store.restore(&widget.stored("draft"));
        let outbox = Outbox {
            widget,
            // A draft from storage comes back without its identity
            // number, which is never kept there.
            retype: RwSignal::new(restored.is_some()),
            draft: RwSignal::new(restored.unwrap_or_else(draft::blank)),
            phase: RwSignal::new(Phase::Editing),
            trap: RwSignal::new(String::new()),
            attempt: StoredValue::new(None),
            era: StoredValue::new(0),
        };
        // Every change is kept for a reload, but the identity number;
        // nothing once the form is empty.
        let draft = outbox.draft;
        let kept = widget.stored("draft");
        Effect::new(move |_| {
            let keep = draft.with(Submission::without_id_number);
            if draft::typed(&keep) {
                store.set(&kept, &keep.to_json())
            } else {
                store.remove(&kept)
            }
        });
        outbox
    }

    /// A new submission, about the entry the widget shows, if any.
    pub fn fresh(self) -> Submission {
        Submission {
            related_item: self
                .widget
                .view
                .with_untracked(|v| v.item.clone())
                .unwrap_or_default(),
            ..draft::blank()
        }
    }

    /// Forgets the draft and the last attempt, in storage and here.
    fn forget(self) {
        let store = self.widget.store();
        store.remove(&self.widget.stored("draft"));
        store.remove(&self.widget.stored("sent"));
        self.attempt.set_value(None);
    }

    /// A fresh start: nothing typed, nothing kept, nothing asked.
    pub fn afresh(self) {
        self.forget();
        self.draft.set(self.fresh());
        self.retype.set(false);
        self.trap.set(String::new());
    }

    /// Back to the form from an outcome, if one is shown.
    pub fn edit(self) {
        if self.phase.with_untracked(|p| *p != Phase::Editing) {
            self.phase.set(Phase::Editing);
        }
    }

    /// Sends the draft, which meets every rule. The last attempt is kept
    /// from before it is sent until it is known to be received: it may
    /// have arrived unheard (a lost answer, a timeout, a reload
    /// meanwhile). Sent again unchanged, it keeps its client key, so the
    /// server gives its code back rather than making a second record;
    /// changed, it is a new submission with a key of its own. Storage
    /// holds it without the identity number: after a reload the number is
    /// typed again, and the rest decides.
    pub fn send(self, mut sent: Submission) {
        if self.phase.with_untracked(|p| *p == Phase::Sending) {
            return;
        }
        let store = self.widget.store();
        let unheard = self.widget.stored("sent");
        let changed = match self.attempt.get_value() {
            Some(before) => before != sent.to_json(),
            None => store
                .get(&unheard)
                .is_some_and(|before| before != sent.without_id_number().to_json()),
        };
        if changed {
            self.new_key();
            sent.client_key = self.draft.with_untracked(|d| d.client_key.clone());
        }
        self.attempt.set_value(Some(sent.to_json()));
        store.set(&unheard, &sent.without_id_number().to_json());
        self.phase.set(Phase::Sending);
        let body = sent.to_json_with_trap(&self.trap.get_untracked());
        let url = self.widget.site_api("/api/feedback");
        let era = self.era.get_value();
        leptos::task::spawn_local(async move {
            let outcome = match net::submit(url, body).await {
                Ok(received) => Phase::Done(received, sent.kind),
                Err(failure) => Phase::Failed(failure),
            };
            if self.era.try_get_value() == Some(era) {
                self.deliver(outcome);
            } else if matches!(outcome, Phase::Done(..)) {
                // Received, though no one is told: nothing is kept of it.
                self.forget();
            }
        });
    }

    /// What an outcome changes, whenever it comes, whichever panel is on
    /// screen: received, the form starts afresh; a client key received
    /// before with other content is not used again.
    fn deliver(self, outcome: Phase) {
        match &outcome {
            Phase::Done(..) => self.afresh(),
            // Sent again, it is a submission of its own.
            Phase::Failed(Failure::Refused(409)) => self.new_key(),
            _ => {}
        }
        self.phase.set(outcome);
    }

    fn new_key(self) {
        let key = draft::blank().client_key;
        self.draft.update(|d| d.client_key = key);
    }

    /// The form is left for another panel or the catalogue. An outcome
    /// shown is not shown again. On a shared device nothing outlives the
    /// form, not even the last attempt, which holds the identity number,
    /// and the outcome of a send on its way goes to no one.
    pub fn form_left(self) {
        if self.widget.shared_device {
            self.era.update_value(|n| *n = n.wrapping_add(1));
            self.afresh();
            self.edit();
        } else if self
            .phase
            .with_untracked(|p| matches!(p, Phase::Done(..) | Phase::Failed(_)))
        {
            self.edit();
        }
    }

    /// The page is left, and may be shown again from the back-forward
    /// cache to whoever presses Back: the identity number, the last
    /// attempt and an outcome go, and on a shared device all that was
    /// typed; a send on its way is heard of no more. What is kept in
    /// storage comes back as after a reload.
    pub fn page_left(self) {
        self.era.update_value(|n| *n = n.wrapping_add(1));
        self.attempt.set_value(None);
        if self.widget.shared_device {
            self.afresh();
        } else if self
            .draft
            .with_untracked(|d| d.request.as_ref().is_some_and(|r| !r.id_number.is_empty()))
        {
            self.draft
                .update(|d| d.request.iter_mut().for_each(|r| r.id_number.clear()));
            self.retype.set(true);
        }
        self.edit();
    }
}
