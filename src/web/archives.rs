//! Extract archives made for a session and kept a short while for it to
//! download (the web client's only state besides the sessions).
use std::collections::HashMap;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use super::session::random_id;

/// How long an archive stays to download, and how many are kept at most.
const KEPT_FOR: Duration = Duration::from_secs(30 * 60);
const KEPT_AT_MOST: usize = 16;

/// An archive kept for download.
struct Archive {
    session: String,
    name: String,
    zip: Vec<u8>,
    made: Instant,
}

/// Archives made and not yet expired, by id.
#[derive(Default)]
pub struct Archives(Mutex<HashMap<String, Archive>>);

impl Archives {
    pub fn keep(&self, session: &str, name: String, zip: Vec<u8>) -> String {
        let id = random_id();
        let mut map = self.0.lock();
        map.retain(|_, a| a.made.elapsed() < KEPT_FOR);
        while map.len() >= KEPT_AT_MOST {
            let oldest = map
                .iter()
                .min_by_key(|(_, a)| a.made)
                .map(|(k, _)| k.clone());
            oldest.and_then(|k| map.remove(&k));
        }
        let session = session.to_string();
        let made = Instant::now();
        map.insert(
            id.clone(),
            Archive {
                session,
                name,
                zip,
                made,
            },
        );
        id
    }

    /// The archive `id` if it is this session's and still kept.
    pub fn take(&self, session: &str, id: &str) -> Option<(String, Vec<u8>)> {
        let map = self.0.lock();
        let a = map.get(id)?;
        (a.session == session && a.made.elapsed() < KEPT_FOR)
            .then(|| (a.name.clone(), a.zip.clone()))
    }
}
