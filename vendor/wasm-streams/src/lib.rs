//! The two conversions between Rust streams and JavaScript `ReadableStream`s
//! that Leptos's server-function client (`server_fn`, always built into
//! Leptos) names from the `wasm-streams` crate, standing in for it.
//!
//! `wasm-streams` exports three classes to JavaScript (its underlying
//! source, byte source and sink). Exports are kept in every module that
//! links the crate, used or not, with the async machinery behind them: in
//! the widget, which calls no server functions, they were 6.5 KB of its
//! 100 KB compressed budget. Here a Rust stream feeds a JavaScript one
//! from a spawned task, and the reverse reads through a reader; neither
//! needs an export.

use futures_util::{Stream, StreamExt};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{ReadableStreamDefaultController, ReadableStreamDefaultReader, UnderlyingSource};

/// A JavaScript `ReadableStream`.
#[derive(Debug)]
pub struct ReadableStream {
    raw: web_sys::ReadableStream,
}

impl ReadableStream {
    /// Wraps a JavaScript stream.
    pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
        ReadableStream { raw }
    }

    /// The JavaScript stream.
    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.raw
    }

    /// A JavaScript stream of the chunks of `stream`, which is read to its
    /// end (or first error) as soon as the stream starts.
    pub fn from_stream<St>(stream: St) -> Self
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        let start = Closure::once_into_js(move |controller: ReadableStreamDefaultController| {
            spawn_local(async move {
                let mut stream = Box::pin(stream);
                while let Some(chunk) = stream.next().await {
                    let sent = chunk.and_then(|chunk| controller.enqueue_with_chunk(&chunk));
                    if let Err(error) = sent {
                        controller.error_with_e(&error);
                        return;
                    }
                }
                let _ = controller.close();
            });
        });
        let source: UnderlyingSource = Object::new().unchecked_into();
        source.set_start(start.unchecked_ref());
        let raw = web_sys::ReadableStream::new_with_underlying_source(&source)
            .expect_throw("ReadableStream is supported");
        ReadableStream { raw }
    }

    /// The chunks of the JavaScript stream, until it closes or fails.
    pub fn into_stream(self) -> impl Stream<Item = Result<JsValue, JsValue>> + Unpin {
        let reader: ReadableStreamDefaultReader = self.raw.get_reader().unchecked_into();
        Box::pin(futures_util::stream::unfold(
            Some(reader),
            |reader| async move {
                let reader = reader?;
                match JsFuture::from(reader.read()).await {
                    Err(error) => Some((Err(error), None)),
                    Ok(read) => {
                        let field = |name: &str| Reflect::get(&read, &JsValue::from_str(name));
                        if field("done").is_ok_and(|done| done.is_truthy()) {
                            None
                        } else {
                            Some((field("value"), Some(reader)))
                        }
                    }
                }
            },
        ))
    }
}
