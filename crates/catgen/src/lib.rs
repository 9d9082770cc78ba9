//! `xxgk-catgen`: writes realistic, deterministic `xxgk-catalogue/1` files.
//!
//! The catalogues look like a Chinese township's disclosure catalogue
//! (政府信息公开目录): titles, bodies and metadata come from per-category
//! templates and word pools (see [`specs`] and [`vocab`]), about 5% of items
//! are in traditional characters, and a measured dose of real-world
//! untidiness is added (see [`messy`]). They serve as fixtures for tests and
//! benchmarks at 1k, 10k and 100k items.
//!
//! Same item count and seed give byte-identical output on any machine: every
//! random choice comes from ChaCha8 through [`dice::Dice`].
//!
//! Index numbers are unique: each publisher has its own credit code and its
//! own sequence per year, written with at least five digits (a sixth appears
//! only past 99,999 items of one publisher in one year, about 20 million
//! items in all, and the ids stay unique).

pub mod bad;
pub mod body;
pub mod date;
pub mod dice;
pub mod generator;
pub mod genre;
pub mod item;
pub mod messy;
pub mod orgcode;
pub mod output;
pub mod site;
pub mod slots;
pub mod specs;
pub mod traditional;
pub mod tree;
pub mod vocab;

use std::fmt;
use std::io::{self, BufWriter, Write};

/// What to generate.
#[derive(Clone, Debug)]
pub struct Options {
    /// Number of items, exactly.
    pub items: u64,
    /// Seed of every choice, including the township.
    pub seed: u64,
    /// How many items are replaced by invalid ones (at most `items`).
    pub bad: u64,
    /// Percentage (0-100) of valid items written in traditional characters.
    pub traditional_percent: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            items: 1000,
            seed: 1,
            bad: 0,
            traditional_percent: 5,
        }
    }
}

/// Why a catalogue could not be written.
#[derive(Debug)]
pub enum Error {
    /// `--bad` asked for more bad items than there are items.
    TooManyBad {
        /// Bad items asked for.
        bad: u64,
        /// Items asked for.
        items: u64,
    },
    /// `--traditional-percent` above 100.
    PercentOutOfRange(u32),
    /// Writing the output failed.
    Write(io::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::TooManyBad { bad, items } => write!(
                f,
                "--bad {bad} asks for more bad items than --items {items}: \
                 ask for at most {items} bad items, or more items"
            ),
            Error::PercentOutOfRange(p) => write!(
                f,
                "--traditional-percent {p} is not a percentage: give a number from 0 to 100"
            ),
            Error::Write(e) => write!(
                f,
                "could not write the catalogue ({e}): check that the output \
                 folder exists, is writable and has free space"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Write(e) => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Write(e)
    }
}

/// Checks `options` and returns the entries they describe.
pub fn generator(options: &Options) -> Result<generator::Generator, Error> {
    if options.bad > options.items {
        return Err(Error::TooManyBad {
            bad: options.bad,
            items: options.items,
        });
    }
    if options.traditional_percent > 100 {
        return Err(Error::PercentOutOfRange(options.traditional_percent));
    }
    Ok(generator::Generator::new(
        options.seed,
        options.items,
        options.bad,
        options.traditional_percent * 10,
    ))
}

/// Writes the catalogue described by `options` to `out` (buffered here).
pub fn write_catalogue<W: Write>(out: W, options: &Options) -> Result<(), Error> {
    let generator = generator(options)?;
    output::write_json(BufWriter::with_capacity(1 << 16, out), generator)?;
    Ok(())
}

/// The catalogue described by `options`, in memory.
pub fn catalogue_bytes(options: &Options) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    write_catalogue(&mut out, options)?;
    Ok(out)
}
