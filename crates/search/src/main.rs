//! The widget's search engine as a WebAssembly module of its own, so that
//! its code and tables (pinyin, traditional to simplified) are fetched
//! only once the catalogue is on screen, and its index is built off the
//! main thread (the loader runs it in a Web Worker). The benchmark loads it
//! directly. Everything it does is `xxgk_core::search`; this file only
//! carries it across the JavaScript boundary.

fn main() {}

mod bundle;
mod engine;
mod explain;
