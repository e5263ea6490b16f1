//! Faces in view: cropped from frames and turned into templates. Nothing here is kept.

use dpia::{erases, personal_data, processing};

use crate::audit::{record, Event};
use crate::Deployment;

/// A face cropped from a frame.
#[personal_data(category = "face-image", retention = "1s")]
pub struct FaceImage {
    pub pixels: Vec<u8>,
    #[dpia(not_personal)]
    pub camera: u32,
    #[dpia(not_personal)]
    pub captured_at: u64,
}

/// The biometric template of a face.
#[personal_data(category = "face-template", retention = "1s")]
#[derive(Clone, Debug, PartialEq)]
pub struct FaceTemplate {
    pub vector: Vec<f32>,
}

/// Turns a face into its template (a collection, logged). The image is dropped here.
#[processing(purpose = "watchlist-matching", basis = "part3.task", operations = ["collect"])]
pub fn template_of(deployment: &Deployment, face: FaceImage) -> FaceTemplate {
    record(&Event::new(deployment, "collect"));
    // a toy embedding: the mean brightness of each eighth of the image
    let chunk = face.pixels.len().div_ceil(8).max(1);
    let vector = face
        .pixels
        .chunks(chunk)
        .map(|c| c.iter().map(|&p| f32::from(p)).sum::<f32>() / (255.0 * c.len() as f32))
        .collect();
    FaceTemplate { vector }
}

/// Templates of people not on the watchlist are discarded at once.
#[erases(categories = ["face-image", "face-template"], schedule = "immediately, for every non-match")]
pub fn discard(template: FaceTemplate) {
    drop(template);
}
