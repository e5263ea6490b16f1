//! DELIBERATE FINDINGS (dpia-lint demo): someone added a function that matches number plates
//! against an insurance database. The DPIA assessed ANPR reads for county-lines detection
//! only; "insurance-enquiries" is a purpose nobody assessed, so using the reads for it is
//! function creep (DPA 2018 s36). dpia-lint reports DPIA101 undeclared-purpose on the tag.
//! Reading the plates is also a consultation (s62(1)) that never reaches the audit log:
//! DPIA502 missing-audit-log, although the tag declares no `operations`.
//!
//! To fix it: delete this module, or the controller must assess the new purpose (with the
//! DPO's advice: a lawful basis and an s36(3) compatibility assessment) and record it in
//! dpia.toml as `[purposes.insurance-enquiries]`, and the function must log each
//! consultation, before the code ships.

use dpia::processing;

use crate::reads::AnprRead;

/// Plates in `reads` that are not on the insurance list.
#[processing(purpose = "insurance-enquiries", basis = "part3.task")]
pub fn uninsured<'a>(reads: &'a [AnprRead], insured: &[&str]) -> Vec<&'a str> {
    reads
        .iter()
        .map(|r| r.vrm.as_str())
        .filter(|vrm| !insured.contains(vrm))
        .collect()
}
