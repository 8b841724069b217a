//! The averaged perceptron shared by the tagger and the parser: hashed string features, a
//! trainer that averages its weights (so the model is the mean of every weight vector it went
//! through, which generalises far better than the last one), and the compact read-only form that
//! ships in the binary. Training is deterministic: the same examples in the same order give the
//! same bytes.
//!
//! The file format (little-endian): `CBPM`, a version byte, the class names (u16 count, then a
//! u8 length and the UTF-8 bytes of each), the weight scale (f32), the feature count (u32) and,
//! sorted by key, each feature's 32-bit key, its entry count (u8) and that many (class u8,
//! weight i16) entries. Weights are stored as multiples of the scale. A lexicon follows: a u32
//! count of (key, value) string pairs, each string a u8 length and its UTF-8 bytes (the tagger
//! keeps there the tags each known word was seen with).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::Xxh3DefaultBuilder;

use crate::error::{Error, Result};

const MAGIC: &[u8; 4] = b"CBPM";
const VERSION: u8 = 1;

/// A feature key: the high 32 bits of the 64-bit hash of the feature's template and values.
pub type Key = u32;

/// Collects the keys of the features of one decision.
#[derive(Default)]
pub struct Features {
    keys: Vec<Key>,
}

/// Multiplier of the feature-key mix (the 64-bit golden ratio).
const MIX: u64 = 0x9e37_79b9_7f4a_7c15;

/// The hash of a string that is part of a feature (a word, a suffix, a shape). Strings are hashed
/// once per sentence; features then only mix the hashes.
pub fn hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

impl Features {
    /// Forgets the features of the previous decision.
    pub fn clear(&mut self) {
        self.keys.clear();
    }

    /// Adds the feature made of `template` (a number naming the feature's kind) and `parts`:
    /// string hashes from [`hash`], or small numbers (tags, distances, sets as bit masks).
    pub fn add(&mut self, template: u8, parts: &[u64]) {
        let mut h = (u64::from(template) + 1).wrapping_mul(MIX);
        for &p in parts {
            h = (h ^ p).wrapping_mul(MIX);
            h ^= h >> 29;
        }
        self.keys.push((h >> 32) as Key);
    }

    /// The keys collected so far.
    pub fn keys(&self) -> &[Key] {
        &self.keys
    }
}

/// A hasher for keys that are already hashes.
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8 | u64::from(*b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// A map keyed by feature keys.
pub type KeyMap<V> = HashMap<Key, V, BuildHasherDefault<KeyHasher>>;

/// The trained model: for each feature, the weights of the classes it speaks for.
#[derive(Debug, Clone)]
pub struct Weights {
    classes: Vec<String>,
    scale: f32,
    /// Feature key → its weights.
    slots: Slots,
    /// How many features the table holds.
    features: usize,
    /// Strings the model's features look up (a hash map: the tagger looks up every word of
    /// every sentence it tags, and a binary search of string comparisons was a tenth of that).
    lexicon: HashMap<String, String, Xxh3DefaultBuilder>,
}

impl Weights {
    /// The class names, in class-number order.
    pub fn classes(&self) -> &[String] {
        &self.classes
    }

    /// The value the lexicon holds for `key`.
    pub fn lookup(&self, key: &str) -> Option<&str> {
        self.lexicon.get(key).map(String::as_str)
    }

    /// Replaces the lexicon.
    pub fn set_lexicon(&mut self, lexicon: Vec<(String, String)>) {
        self.lexicon = lexicon.into_iter().collect();
    }

    /// How many features carry weights.
    pub fn features(&self) -> usize {
        self.features
    }

    /// Adds the weights of `keys` to `scores` (one per class; not cleared first).
    pub fn score(&self, keys: &[Key], scores: &mut [f32]) {
        let (table, entries) = match &self.slots {
            Slots::Sparse { table, entries } => (table, entries),
            Slots::Dense(dense) => return self.score_dense(dense, keys, scores),
        };
        let mask = table.len() - 1;
        // Each key's slot is a cache miss in a table of megabytes. Reading a batch of slots
        // first, in a loop whose loads do not depend on each other, lets the processor fetch
        // them all at once instead of one after the other (this is most of tagging's time);
        // the rare collisions are then probed one by one.
        let mut first = [0u64; SCORE_BATCH];
        let mut found = [(0u32, 0u8); SCORE_BATCH];
        let mut heads = [(0u8, 0i16); SCORE_BATCH];
        for batch in keys.chunks(SCORE_BATCH) {
            for (slot, &key) in first.iter_mut().zip(batch) {
                *slot = table[slot_of(key, mask)];
            }
            // A feature with one weight holds it in its slot; the others' entries are read
            // after every slot of the batch, again without waiting on each other.
            let mut ranges = 0;
            for (k, &key) in batch.iter().enumerate() {
                let mut entry = first[k];
                let mut slot = slot_of(key, mask);
                while entry != 0 && (entry >> 32) as Key != key {
                    slot = (slot + 1) & mask;
                    entry = table[slot];
                }
                if entry != 0 {
                    match Slot::decode(entry) {
                        Slot::One(class, w) => scores[class as usize] += f32::from(w) * self.scale,
                        Slot::Many(start, len) => {
                            found[ranges] = (start, len);
                            ranges += 1;
                        }
                    }
                }
            }
            // The first entry of each, fetched in a loop of its own for the same reason; the
            // rest share its cache line, mostly.
            for (k, &(start, _)) in found[..ranges].iter().enumerate() {
                heads[k] = entries[start as usize];
            }
            for (&(start, len), &(class, w)) in found[..ranges].iter().zip(&heads) {
                scores[class as usize] += f32::from(w) * self.scale;
                let start = start as usize;
                for &(class, w) in &entries[start + 1..start + len as usize] {
                    scores[class as usize] += f32::from(w) * self.scale;
                }
            }
        }
    }

    /// [`Weights::score`] for a model whose slots hold all their weights: one load a feature,
    /// batched as there.
    fn score_dense(&self, dense: &[Dense], keys: &[Key], scores: &mut [f32]) {
        let mask = dense.len() - 1;
        let mut first = [Dense::default(); SCORE_BATCH];
        for batch in keys.chunks(SCORE_BATCH) {
            for (slot, &key) in first.iter_mut().zip(batch) {
                *slot = dense[slot_of(key, mask)];
            }
            for (k, &key) in batch.iter().enumerate() {
                let mut entry = first[k];
                let mut slot = slot_of(key, mask);
                while entry.key != 0 && entry.key != key {
                    slot = (slot + 1) & mask;
                    entry = dense[slot];
                }
                if entry.key != 0 {
                    // A class the feature has no weight for holds 0, which adds nothing.
                    for (score, &w) in scores.iter_mut().zip(&entry.weights) {
                        *score += f32::from(w) * self.scale;
                    }
                }
            }
        }
    }

    /// Each feature's key and (class, weight) entries, sorted by key.
    fn rows(&self) -> Vec<(Key, Vec<(u8, i16)>)> {
        let mut rows: Vec<(Key, Vec<(u8, i16)>)> = match &self.slots {
            Slots::Sparse { table, entries } => table
                .iter()
                .filter(|&&slot| slot != 0)
                .map(|&slot| ((slot >> 32) as Key, slot_entries(slot, entries)))
                .collect(),
            Slots::Dense(dense) => dense
                .iter()
                .filter(|d| d.key != 0)
                .map(|d| (d.key, d.entries()))
                .collect(),
        };
        rows.sort_unstable();
        rows
    }

    /// Reads a model written by [`Weights::to_bytes`]; `name` is for error messages.
    pub fn from_bytes(bytes: &[u8], name: &str) -> Result<Weights> {
        let bad = |what: &str| Error::Model {
            name: name.to_string(),
            message: what.to_string(),
        };
        let mut r = Reader { bytes, at: 0 };
        if r.take(4).ok_or_else(|| bad("too short"))? != MAGIC {
            return Err(bad("not a citebot model (bad magic bytes)"));
        }
        let version = r.u8().ok_or_else(|| bad("too short"))?;
        if version != VERSION {
            return Err(bad(&format!(
                "format version {version}, expected {VERSION}"
            )));
        }
        let truncated = || bad("truncated");
        let n_classes = r.u16().ok_or_else(truncated)? as usize;
        let mut classes = Vec::with_capacity(n_classes);
        for _ in 0..n_classes {
            let len = r.u8().ok_or_else(truncated)? as usize;
            let name = r.take(len).ok_or_else(truncated)?;
            classes.push(
                String::from_utf8(name.to_vec()).map_err(|_| bad("a class name is not UTF-8"))?,
            );
        }
        let scale = f32::from_bits(r.u32().ok_or_else(truncated)?);
        let n = r.u32().ok_or_else(truncated)? as usize;
        let mut table = Table::new(n);
        let mut feature = Vec::new();
        for _ in 0..n {
            let key = r.u32().ok_or_else(truncated)?;
            let len = r.u8().ok_or_else(truncated)?;
            feature.clear();
            for _ in 0..len {
                let class = r.u8().ok_or_else(truncated)?;
                if class as usize >= n_classes {
                    return Err(bad("a weight names a class that does not exist"));
                }
                feature.push((class, r.u16().ok_or_else(truncated)? as i16));
            }
            if !table.insert(key, &feature) {
                return Err(bad("too many weights"));
            }
        }
        let n = r.u32().ok_or_else(truncated)? as usize;
        let mut lexicon = Vec::with_capacity(n);
        let string = |r: &mut Reader| -> Result<String> {
            let len = r.u8().ok_or_else(truncated)? as usize;
            String::from_utf8(r.take(len).ok_or_else(truncated)?.to_vec())
                .map_err(|_| bad("a lexicon entry is not UTF-8"))
        };
        for _ in 0..n {
            let key = string(&mut r)?;
            lexicon.push((key, string(&mut r)?));
        }
        if lexicon.windows(2).any(|w| w[0].0 >= w[1].0) {
            return Err(bad("the lexicon is not sorted"));
        }
        if r.at != bytes.len() {
            return Err(bad("trailing bytes"));
        }
        Ok(table.into_weights(classes, scale, lexicon))
    }

    /// The model in its file format (features sorted by key, so the bytes are reproducible).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.extend_from_slice(&(self.classes.len() as u16).to_le_bytes());
        for c in &self.classes {
            out.push(c.len() as u8);
            out.extend_from_slice(c.as_bytes());
        }
        out.extend_from_slice(&self.scale.to_bits().to_le_bytes());
        out.extend_from_slice(&(self.features as u32).to_le_bytes());
        for (key, entries) in self.rows() {
            out.extend_from_slice(&key.to_le_bytes());
            out.push(entries.len() as u8);
            for (class, w) in entries {
                out.push(class);
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out.extend_from_slice(&(self.lexicon.len() as u32).to_le_bytes());
        let mut lexicon: Vec<_> = self.lexicon.iter().collect();
        lexicon.sort_unstable();
        for (key, value) in lexicon {
            for s in [key, value] {
                out.push(s.len() as u8);
                out.extend_from_slice(s.as_bytes());
            }
        }
        out
    }
}

/// How many feature keys [`Weights::score`] looks up at once.
const SCORE_BATCH: usize = 64;

/// The first slot to probe for `key`.
fn slot_of(key: Key, mask: usize) -> usize {
    (u64::from(key).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as usize & mask
}

/// What a table slot holds below its key (the high 32 bits). A feature with one weight keeps
/// it in the slot, so scoring it costs one memory access instead of two; most features of the
/// answer ranker (one class) and many of the tagger's and relation labeller's have one.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    /// The class and weight of the feature's only entry: bit 31 set, the class in bits 16-23,
    /// the weight in bits 0-15.
    One(u8, i16),
    /// The feature's first entry in `entries` (bits 8-30) and the entry count (bits 0-7).
    Many(u32, u8),
}

/// Bit 31 of a slot's low half: the slot holds its only entry.
const ONE: u64 = 1 << 31;
/// The most entries a table's `entries` can hold (the first entry has 23 bits).
const MAX_ENTRIES: usize = 1 << 23;

impl Slot {
    fn decode(slot: u64) -> Slot {
        if slot & ONE != 0 {
            Slot::One((slot >> 16) as u8, slot as u16 as i16)
        } else {
            Slot::Many((slot >> 8 & 0x7f_ffff) as u32, slot as u8)
        }
    }

    fn encode(self) -> u64 {
        match self {
            Slot::One(class, w) => ONE | u64::from(class) << 16 | u64::from(w as u16),
            Slot::Many(start, len) => u64::from(start) << 8 | u64::from(len),
        }
    }
}

/// How a model's table holds its features' weights.
#[derive(Debug, Clone)]
enum Slots {
    /// An open-addressing table of [`Slot`]s (0 is empty), and the (class, weight in units of
    /// the scale) entries of the features that have more than one.
    Sparse {
        table: Vec<u64>,
        entries: Vec<(u8, i16)>,
    },
    /// For a model of two to [`DENSE_CLASSES`] classes (the parser's moves), the same table
    /// with all of each feature's weights in its slot.
    Dense(Vec<Dense>),
}

/// The (class, weight) entries of a table's non-empty `slot`, the many kept in `entries`.
fn slot_entries(slot: u64, entries: &[(u8, i16)]) -> Vec<(u8, i16)> {
    match Slot::decode(slot) {
        Slot::One(class, w) => vec![(class, w)],
        Slot::Many(start, len) => entries[start as usize..start as usize + len as usize].to_vec(),
    }
}

/// The most classes a model may have for its slots to hold all of each feature's weights. The
/// parser's move model (three moves) is scored about a hundred times a word, and nearly all its
/// features weigh for more than one move: a slot and then its entries were two cache misses a
/// feature, most of a parse's time.
const DENSE_CLASSES: usize = 3;

/// A slot of a model of at most [`DENSE_CLASSES`] classes: the feature's key (0: empty), its
/// weight for each class in units of the scale (0 where it has none), and which classes it has
/// a weight for (bit `c` for class `c`), so the model is written back as it was read.
#[derive(Debug, Clone, Copy, Default)]
struct Dense {
    key: Key,
    weights: [i16; DENSE_CLASSES],
    present: u16,
}

impl Dense {
    fn new(key: Key, entries: &[(u8, i16)]) -> Dense {
        let mut dense = Dense {
            key,
            ..Dense::default()
        };
        for &(class, w) in entries {
            dense.weights[class as usize] = w;
            dense.present |= 1 << class;
        }
        dense
    }

    /// Its (class, weight) entries, in class order.
    fn entries(&self) -> Vec<(u8, i16)> {
        (0..DENSE_CLASSES as u8)
            .filter(|&c| self.present & 1 << c != 0)
            .map(|c| (c, self.weights[c as usize]))
            .collect()
    }
}

/// The open-addressing table of a model being built, with the entries of features that have
/// more than one.
struct Table {
    slots: Vec<u64>,
    entries: Vec<(u8, i16)>,
    len: usize,
}

impl Table {
    /// A table for `n` features, at most half full.
    fn new(n: usize) -> Table {
        Table {
            slots: vec![0; (n * 2).next_power_of_two().max(16)],
            entries: Vec::new(),
            len: 0,
        }
    }

    /// Adds a feature's entries (a key of 0 cannot be told from an empty slot and is left out:
    /// one feature in four billion). False when the table has no room for more entries.
    fn insert(&mut self, key: Key, entries: &[(u8, i16)]) -> bool {
        if key == 0 || entries.is_empty() {
            return true;
        }
        let mask = self.slots.len() - 1;
        let mut slot = slot_of(key, mask);
        while self.slots[slot] != 0 {
            if (self.slots[slot] >> 32) as Key == key {
                return true;
            }
            slot = (slot + 1) & mask;
        }
        let payload = match entries {
            [(class, w)] => Slot::One(*class, *w),
            _ => {
                if self.entries.len() + entries.len() > MAX_ENTRIES || entries.len() > 255 {
                    return false;
                }
                let start = self.entries.len() as u32;
                self.entries.extend_from_slice(entries);
                Slot::Many(start, entries.len() as u8)
            }
        };
        self.slots[slot] = u64::from(key) << 32 | payload.encode();
        self.len += 1;
        true
    }

    fn into_weights(
        self,
        classes: Vec<String>,
        scale: f32,
        lexicon: Vec<(String, String)>,
    ) -> Weights {
        let slots = if (2..=DENSE_CLASSES).contains(&classes.len()) {
            // Each feature keeps its slot, so the probes find it where they did.
            Slots::Dense(
                self.slots
                    .iter()
                    .map(|&slot| match slot {
                        0 => Dense::default(),
                        _ => Dense::new((slot >> 32) as Key, &slot_entries(slot, &self.entries)),
                    })
                    .collect(),
            )
        } else {
            Slots::Sparse {
                table: self.slots,
                entries: self.entries,
            }
        };
        Weights {
            classes,
            scale,
            slots,
            features: self.len,
            lexicon: lexicon.into_iter().collect(),
        }
    }
}

impl Weights {
    /// A one-class model from learned weights (a linear score), without weights smaller than
    /// `min_weight` in absolute value, quantised to 16 bits.
    pub fn linear(
        name: &str,
        weights: impl IntoIterator<Item = (Key, f32)>,
        min_weight: f32,
    ) -> Weights {
        let mut kept: Vec<(Key, f32)> = weights
            .into_iter()
            .filter(|(_, w)| w.abs() >= min_weight && w.is_finite())
            .collect();
        kept.sort_by_key(|(k, _)| *k);
        let largest = kept
            .iter()
            .fold(0.0f32, |m, (_, w)| m.max(w.abs()))
            .max(1e-9);
        let scale = largest / f32::from(i16::MAX);
        let mut table = Table::new(kept.len());
        for (key, w) in kept {
            table.insert(key, &[(0, (w / scale).round() as i16)]);
        }
        table.into_weights(vec![name.to_string()], scale, Vec::new())
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let out = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(out)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

/// Writes each `(file name, weights)` into `folder`, creating it; returns each file's path and
/// size in bytes.
pub fn write_models<'a>(
    folder: &Path,
    models: impl IntoIterator<Item = (&'a str, &'a Weights)>,
) -> Result<Vec<(PathBuf, usize)>> {
    std::fs::create_dir_all(folder).map_err(|source| Error::Write {
        path: folder.to_path_buf(),
        source,
    })?;
    let mut files = Vec::new();
    for (name, weights) in models {
        let path = folder.join(name);
        let bytes = weights.to_bytes();
        std::fs::write(&path, &bytes).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        files.push((path, bytes.len()));
    }
    Ok(files)
}

/// What [`Trainer::finish`] leaves out of a model, to keep it small: features updated fewer
/// times than `min_seen` in training, and weights smaller than `min_weight` times the largest.
#[derive(Debug, Clone, Copy)]
pub struct Pruning {
    pub min_seen: u32,
    pub min_weight: f32,
}

impl Pruning {
    /// Keeps every feature and weight (for small training sets, as in tests).
    pub const NONE: Pruning = Pruning {
        min_seen: 1,
        min_weight: 0.0,
    };
}

/// Learns [`Weights`] one decision at a time.
pub struct Trainer {
    classes: Vec<String>,
    /// Feature key → row number.
    rows: KeyMap<usize>,
    /// Per row and class: the current weight, the running sum of past weights, and the update
    /// count at which the weight last changed (so the sum is brought up to date lazily).
    weights: Vec<f32>,
    totals: Vec<f64>,
    stamps: Vec<u32>,
    /// How many updates touched each row: rare features are dropped from the model.
    seen: Vec<u32>,
    /// Decisions trained on so far.
    instances: u32,
}

impl Trainer {
    /// A trainer for the given classes.
    pub fn new(classes: Vec<String>) -> Trainer {
        Trainer {
            classes,
            rows: KeyMap::default(),
            weights: Vec::new(),
            totals: Vec::new(),
            stamps: Vec::new(),
            seen: Vec::new(),
            instances: 0,
        }
    }

    /// How many classes there are.
    pub fn class_count(&self) -> usize {
        self.classes.len()
    }

    /// The current (not averaged) scores of `keys`.
    pub fn scores(&self, keys: &[Key], scores: &mut [f32]) {
        let n = self.classes.len();
        scores.iter_mut().for_each(|s| *s = 0.0);
        for key in keys {
            if let Some(&row) = self.rows.get(key) {
                for (s, w) in scores.iter_mut().zip(&self.weights[row * n..row * n + n]) {
                    *s += w;
                }
            }
        }
    }

    /// Counts one decision; call it for every decision, updated or not.
    pub fn tick(&mut self) {
        self.instances += 1;
    }

    /// Moves the weights of `keys` towards `truth` and away from `guess`.
    pub fn update(&mut self, keys: &[Key], truth: usize, guess: usize) {
        if truth == guess {
            return;
        }
        let n = self.classes.len();
        for key in keys {
            let row = match self.rows.get(key) {
                Some(&row) => row,
                None => {
                    let row = self.seen.len();
                    self.rows.insert(*key, row);
                    self.weights.resize(self.weights.len() + n, 0.0);
                    self.totals.resize(self.totals.len() + n, 0.0);
                    self.stamps.resize(self.stamps.len() + n, 0);
                    self.seen.push(0);
                    row
                }
            };
            self.seen[row] += 1;
            for (class, delta) in [(truth, 1.0f32), (guess, -1.0)] {
                let at = row * n + class;
                self.totals[at] +=
                    f64::from(self.instances - self.stamps[at]) * f64::from(self.weights[at]);
                self.stamps[at] = self.instances;
                self.weights[at] += delta;
            }
        }
    }

    /// The averaged weights, without what `pruning` leaves out, quantised to 16 bits.
    pub fn finish(self, pruning: Pruning) -> Weights {
        let Pruning {
            min_seen,
            min_weight,
        } = pruning;
        let n = self.classes.len();
        let now = f64::from(self.instances.max(1));
        let mut averaged = vec![0.0f32; self.weights.len()];
        for (at, a) in averaged.iter_mut().enumerate() {
            let total = self.totals[at]
                + f64::from(self.instances - self.stamps[at]) * f64::from(self.weights[at]);
            *a = (total / now) as f32;
        }
        let largest = averaged
            .iter()
            .fold(0.0f32, |m, w| m.max(w.abs()))
            .max(1e-9);
        let scale = largest / f32::from(i16::MAX);
        let mut keys: Vec<(&Key, &usize)> = self.rows.iter().collect();
        keys.sort();
        let mut table = Table::new(keys.len());
        let mut entries = Vec::new();
        for (key, &row) in keys {
            if self.seen[row] < min_seen {
                continue;
            }
            entries.clear();
            for class in 0..n {
                let w = averaged[row * n + class];
                if w.abs() >= min_weight * largest {
                    entries.push((class as u8, (w / scale).round() as i16));
                }
            }
            assert!(
                table.insert(*key, &entries),
                "too many weights for the model format"
            );
        }
        table.into_weights(self.classes, scale, Vec::new())
    }
}

/// A small deterministic random number generator (xorshift64*), for shuffling training examples
/// the same way on every run.
pub struct Shuffler(u64);

impl Shuffler {
    /// A generator seeded with `seed` (not zero).
    pub fn new(seed: u64) -> Shuffler {
        Shuffler(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// The class with the highest score (the first on ties).
pub fn best(scores: &[f32]) -> usize {
    let mut best = 0;
    for (i, s) in scores.iter().enumerate() {
        if *s > scores[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes() -> Vec<String> {
        vec!["yes".into(), "no".into()]
    }

    #[test]
    fn learns_a_separable_rule_and_round_trips_through_bytes() {
        let mut trainer = Trainer::new(classes());
        let mut f = Features::default();
        let examples = [("red", 0), ("blue", 1), ("red", 0), ("green", 1)];
        for _ in 0..5 {
            for (word, truth) in examples {
                f.clear();
                f.add(0, &[hash(word)]);
                f.add(1, &[]);
                let mut scores = [0.0; 2];
                trainer.scores(f.keys(), &mut scores);
                trainer.update(f.keys(), truth, best(&scores));
                trainer.tick();
            }
        }
        let weights = trainer.finish(Pruning::NONE);
        let bytes = weights.to_bytes();
        let loaded = Weights::from_bytes(&bytes, "test").unwrap();
        assert_eq!(loaded.to_bytes(), bytes);
        for (word, truth) in examples {
            f.clear();
            f.add(0, &[hash(word)]);
            f.add(1, &[]);
            let mut scores = [0.0; 2];
            loaded.score(f.keys(), &mut scores);
            assert_eq!(best(&scores), truth, "{word}");
        }
    }

    #[test]
    fn features_with_one_weight_or_many_score_alike_and_round_trip() {
        // Feature 7 has one (negative) weight for class 2, which its slot holds; feature 9 has
        // three, kept in the entries (or, with at most three classes, in its slot); feature 11
        // is unknown.
        for classes in [3, 4] {
            let mut table = Table::new(2);
            assert!(table.insert(7, &[(2, -300)]));
            assert!(table.insert(9, &[(0, 5), (1, -7), (2, i16::MAX)]));
            let names = (0..classes).map(|c| format!("class {c}")).collect();
            let weights = table.into_weights(names, 0.5, Vec::new());
            assert_eq!(
                matches!(weights.slots, Slots::Sparse { .. }),
                classes > DENSE_CLASSES
            );
            assert_eq!(weights.features(), 2);
            let mut scores = vec![0.0f32; classes];
            weights.score(&[7, 11, 9, 7], &mut scores);
            assert_eq!(
                scores[..3],
                [2.5, -3.5, -300.0 + 0.5 * f32::from(i16::MAX)],
                "{classes} classes"
            );
            // Each feature keeps exactly the entries it was given, in either layout.
            assert_eq!(
                weights.rows(),
                [
                    (7, vec![(2, -300)]),
                    (9, vec![(0, 5), (1, -7), (2, i16::MAX)])
                ]
            );
            let bytes = weights.to_bytes();
            assert_eq!(Weights::from_bytes(&bytes, "t").unwrap().to_bytes(), bytes);
        }
    }

    #[test]
    fn damaged_models_are_refused_with_the_reason() {
        let weights = Trainer::new(classes()).finish(Pruning::NONE);
        let mut bytes = weights.to_bytes();
        assert!(Weights::from_bytes(&bytes[..6], "m").is_err());
        bytes[0] = b'X';
        let err = Weights::from_bytes(&bytes, "m").unwrap_err().to_string();
        assert!(err.contains("magic"), "{err}");
    }

    #[test]
    fn shuffles_are_reproducible() {
        let mut a: Vec<u32> = (0..50).collect();
        let mut b = a.clone();
        Shuffler::new(7).shuffle(&mut a);
        Shuffler::new(7).shuffle(&mut b);
        assert_eq!(a, b);
        assert_ne!(a, (0..50).collect::<Vec<u32>>());
    }
}
