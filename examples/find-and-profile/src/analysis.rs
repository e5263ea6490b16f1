//! Finding county-lines patterns: vehicles seen together at the same cameras (convoys) and
//! vehicles shuttling repeatedly between a source city and a market town.

use std::collections::{BTreeMap, BTreeSet};

use dpia::processing as purpose;

use crate::audit::{record_access, AccessEvent};
use crate::reads::AnprRead;
use crate::{Analyst, GeoPoint};

/// A vehicle worth a closer look by the local force.
#[dpia::personal_data(category = "lead", retention = "1d")]
#[derive(Clone, Debug, PartialEq)]
pub struct Lead {
    #[dpia(category = "vrm")]
    pub vrm: String,
    #[dpia(not_personal)]
    pub reason: LeadReason,
    #[dpia(not_personal)]
    pub score: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeadReason {
    Convoy { with: usize },
    Shuttle { trips: usize },
}

/// Two reads closer than this in time at one camera are "together".
pub const CONVOY_WINDOW_SECS: u64 = 120;

/// Vehicles seen together at `min_cameras` or more cameras, in the reads of one upload.
/// Combining reads is logged (s62).
#[dpia::processing(purpose = "county-lines-detection", basis = "part3.task", operations = ["consult", "combine"])]
pub fn find_convoys(
    analyst: &Analyst,
    upload: u64,
    reads: &[AnprRead],
    min_cameras: usize,
) -> Vec<Lead> {
    record_access(&AccessEvent::new(analyst, "combine", upload));
    let mut by_camera: BTreeMap<u32, Vec<&AnprRead>> = BTreeMap::new();
    for r in reads {
        by_camera.entry(r.camera_id).or_default().push(r);
    }
    // pairs of plates → cameras where they were seen together
    let mut together: BTreeMap<(&str, &str), BTreeSet<u32>> = BTreeMap::new();
    for (camera, mut seen) in by_camera {
        seen.sort_by_key(|r| r.seen_at);
        for (i, a) in seen.iter().enumerate() {
            for b in seen[i + 1..]
                .iter()
                .take_while(|b| b.seen_at - a.seen_at <= CONVOY_WINDOW_SECS)
            {
                if a.vrm != b.vrm {
                    let pair = if a.vrm < b.vrm {
                        (a.vrm.as_str(), b.vrm.as_str())
                    } else {
                        (b.vrm.as_str(), a.vrm.as_str())
                    };
                    together.entry(pair).or_default().insert(camera);
                }
            }
        }
    }
    let mut partners: BTreeMap<&str, usize> = BTreeMap::new();
    for ((a, b), cameras) in &together {
        if cameras.len() >= min_cameras {
            *partners.entry(a).or_default() += 1;
            *partners.entry(b).or_default() += 1;
        }
    }
    partners
        .into_iter()
        .map(|(vrm, with)| Lead {
            vrm: vrm.to_string(),
            reason: LeadReason::Convoy { with },
            score: 10 * with as u32,
        })
        .collect()
}

/// Places that matter for a county line: where the drugs come from and where they go.
#[derive(Clone, Copy, Debug)]
pub struct Corridor {
    pub source_city: GeoPoint,
    pub market_town: GeoPoint,
    /// How close a camera must be to count as "at" a place, in degrees.
    pub radius: f64,
}

/// The profiler keeps the corridors it looks at.
#[derive(Debug)]
pub struct Profiler {
    pub corridors: Vec<Corridor>,
    pub min_trips: usize,
}

#[purpose(purpose = "county-lines-detection", basis = "part3.task")]
impl Profiler {
    /// Vehicles that went from a source city to a market town at least `min_trips` times.
    /// Reading the reads is a consultation: logged (s62), like every access.
    pub fn find_shuttles(&self, analyst: &Analyst, upload: u64, reads: &[AnprRead]) -> Vec<Lead> {
        record_access(&AccessEvent::new(analyst, "consult", upload));
        let mut by_vrm: BTreeMap<&str, Vec<&AnprRead>> = BTreeMap::new();
        for r in reads {
            by_vrm.entry(&r.vrm).or_default().push(r);
        }
        let mut leads = Vec::new();
        for (vrm, mut seen) in by_vrm {
            seen.sort_by_key(|r| r.seen_at);
            let trips = self
                .corridors
                .iter()
                .map(|c| count_trips(c, &seen))
                .max()
                .unwrap_or(0);
            if trips >= self.min_trips {
                leads.push(Lead {
                    vrm: vrm.to_string(),
                    reason: LeadReason::Shuttle { trips },
                    score: 15 * trips as u32,
                });
            }
        }
        leads
    }
}

fn near(a: GeoPoint, b: GeoPoint, radius: f64) -> bool {
    (a.lat - b.lat).abs() <= radius && (a.lon - b.lon).abs() <= radius
}

/// Source-city sightings each followed, later, by a market-town sighting.
fn count_trips(c: &Corridor, seen: &[&AnprRead]) -> usize {
    let mut trips = 0;
    let mut left_source = false;
    for r in seen {
        if near(r.camera_location, c.source_city, c.radius) {
            left_source = true;
        } else if left_source && near(r.camera_location, c.market_town, c.radius) {
            trips += 1;
            left_source = false;
        }
    }
    trips
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyst() -> Analyst {
        Analyst {
            id: 7,
            force: "West Mercia".into(),
        }
    }

    fn read(vrm: &str, camera: u32, at: u64, lat: f64) -> AnprRead {
        AnprRead {
            vrm: vrm.into(),
            camera_location: GeoPoint { lat, lon: 0.0 },
            seen_at: at,
            camera_id: camera,
        }
    }

    #[test]
    fn convoys_are_vehicles_seen_together_at_several_cameras() {
        let reads = vec![
            read("AA11AAA", 1, 0, 0.0),
            read("BB22BBB", 1, 60, 0.0),
            read("AA11AAA", 2, 1000, 0.0),
            read("BB22BBB", 2, 1050, 0.0),
            read("CC33CCC", 2, 5000, 0.0),
        ];
        let leads = find_convoys(&analyst(), 1, &reads, 2);
        let plates: Vec<&str> = leads.iter().map(|l| l.vrm.as_str()).collect();
        assert_eq!(plates, ["AA11AAA", "BB22BBB"]);
    }

    #[test]
    fn shuttles_are_repeated_trips_along_a_corridor() {
        let corridor = Corridor {
            source_city: GeoPoint {
                lat: 53.4,
                lon: 0.0,
            },
            market_town: GeoPoint {
                lat: 52.0,
                lon: 0.0,
            },
            radius: 0.1,
        };
        let p = Profiler {
            corridors: vec![corridor],
            min_trips: 2,
        };
        let reads = vec![
            read("DD44DDD", 1, 0, 53.4),
            read("DD44DDD", 2, 100, 52.0),
            read("DD44DDD", 1, 200, 53.4),
            read("DD44DDD", 2, 300, 52.0),
            read("EE55EEE", 1, 0, 53.4),
        ];
        let leads = p.find_shuttles(&analyst(), 1, &reads);
        assert_eq!(leads.len(), 1);
        assert_eq!(leads[0].reason, LeadReason::Shuttle { trips: 2 });
    }
}
