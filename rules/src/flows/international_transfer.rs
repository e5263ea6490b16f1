//! `DPIA304` international-transfer: a recipient's region is outside `transfers.allowed-regions`.

crate::declare_rule! {
    /// ## What it does
    /// **Not implemented yet**: this rule is declared in the catalogue and never fires in this version. Reports personal data reaching a recipient whose `region` is not in `[transfers] allowed-regions`.
    ///
    /// ## Why it matters
    /// Transfers outside the UK need an adequacy regulation or appropriate safeguards (DPA 2018 s73–76 for law enforcement).
    ///
    /// ## Example
    /// ```dpia-fail
    /// [recipients.analytics] kind = "third-party", region = "us"   # allowed-regions = ["uk"]
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// [recipients.analytics] kind = "third-party", region = "uk"
    /// ```
    ///
    /// ## How to fix
    /// Keep the data in an allowed region, or have the DPO assess the transfer and add the region.
    ///
    /// ## Precision
    /// High (planned).
    pub struct InternationalTransfer;
    code: "DPIA304",
    name: "international-transfer",
    summary: "a recipient's region is outside `transfers.allowed-regions`",
    level: Deny,
    legal: "UK GDPR Art 44–49; DPA 2018 s72–78",
    step: "Step 4: necessity and proportionality (international transfers)",
    precision: High,
    implemented: false,
    check: crate::declare::not_implemented,
}
