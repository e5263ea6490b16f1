//! dpia: tags for personal data.
