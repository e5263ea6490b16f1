//! Uploads of ANPR reads. Each upload belongs to the analyst who made it, and an analyst
//! sees only their own uploads.

use dpia::{personal_data, processing};

use crate::audit::{record_access, AccessEvent};
use crate::{Analyst, GeoPoint, Timestamp};

/// One ANPR camera read.
#[personal_data(category = "anpr-read", retention = "1d")]
#[derive(Clone, Debug, PartialEq)]
pub struct AnprRead {
    #[dpia(category = "vrm")]
    pub vrm: String,
    #[dpia(category = "location")]
    pub camera_location: GeoPoint,
    pub seen_at: Timestamp,
    #[dpia(not_personal)]
    pub camera_id: u32,
}

/// A batch of reads uploaded by one analyst.
#[derive(Debug)]
pub struct Upload {
    pub id: u64,
    pub owner: u32,
    pub reads: Vec<AnprRead>,
}

/// Every upload of the day.
#[derive(Debug, Default)]
pub struct Store {
    uploads: Vec<Upload>,
    next_id: u64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum AccessError {
    NotFound,
    /// The upload belongs to another analyst.
    Forbidden,
}

impl Store {
    /// Stores an analyst's upload and logs the collection.
    #[processing(purpose = "county-lines-detection", basis = "part3.task", operations = ["collect"])]
    pub fn upload(&mut self, analyst: &Analyst, reads: Vec<AnprRead>) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        record_access(&AccessEvent::new(analyst, "collect", id));
        self.uploads.push(Upload {
            id,
            owner: analyst.id,
            reads,
        });
        id
    }

    /// The reads of an upload, for its owner only.
    #[processing(purpose = "county-lines-detection", basis = "part3.task", operations = ["consult"])]
    pub fn reads(&self, analyst: &Analyst, upload: u64) -> Result<&[AnprRead], AccessError> {
        let found = self
            .uploads
            .iter()
            .find(|u| u.id == upload)
            .ok_or(AccessError::NotFound)?;
        if found.owner != analyst.id {
            return Err(AccessError::Forbidden);
        }
        record_access(&AccessEvent::new(analyst, "consult", upload));
        Ok(&found.reads)
    }

    /// Drops every upload (used by the nightly purge).
    pub(crate) fn clear(&mut self) -> usize {
        let n = self.uploads.iter().map(|u| u.reads.len()).sum();
        self.uploads.clear();
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(vrm: &str) -> AnprRead {
        AnprRead {
            vrm: vrm.into(),
            camera_location: GeoPoint {
                lat: 51.5,
                lon: -0.1,
            },
            seen_at: 0,
            camera_id: 7,
        }
    }

    #[test]
    fn analysts_see_only_their_own_uploads() {
        let mut store = Store::default();
        let alice = Analyst {
            id: 1,
            force: "Met".into(),
        };
        let bob = Analyst {
            id: 2,
            force: "Kent".into(),
        };
        let id = store.upload(&alice, vec![read("AB12CDE")]);
        assert_eq!(store.reads(&alice, id).unwrap().len(), 1);
        assert_eq!(store.reads(&bob, id), Err(AccessError::Forbidden));
        assert_eq!(store.reads(&alice, 99), Err(AccessError::NotFound));
    }
}
