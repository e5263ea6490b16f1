//! `DPIA304` international-transfer: a recipient's region is outside `transfers.allowed-regions`.

use dpia_lint_engine::flow::Recipient;
use dpia_lint_engine::manifest::RecipientKind;
use dpia_lint_engine::{Facts, Finding, Label, RuleContext, Span};

use crate::declare::finding;
use crate::flow_util::{list, with_flow};

crate::declare_rule! {
    /// ## What it does
    /// Reports declared personal data reaching a recipient (a `#[dpia::sink]` function's) whose `region` is not in `[transfers] allowed-regions`, at the sink or the call that leads to it. A recipient listed by a purpose with a region outside the allowed ones is reported at its `region` in `dpia.toml` when no code sends data there yet. A recipient of `kind = "internal"` (the controller's own staff, wherever they sit) is never a transfer. Without a `[transfers]` table there is nothing to check.
    ///
    /// ## Why it matters
    /// A transfer outside the UK needs a mechanism: under UK GDPR, regulations that the destination meets the data protection test, appropriate safeguards, or an exception (Art 44A, 45A, 46, 49); under DPA 2018 Part 3, the conditions of s73 (regulations under s74AA, safeguards under s75 or special circumstances under s76) and s78 for onward transfers.
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
    /// Keep the data in an allowed region, or the controller must assess the transfer (with the DPO's advice) and record it in dpia.toml: add the region to `[transfers] allowed-regions`.
    ///
    /// ## Precision
    /// High: the regions are the manifest's; the flows are those of DPIA301 (the same over- and under-approximations).
    pub struct InternationalTransfer;
    code: "DPIA304",
    summary: "a recipient's region is outside `transfers.allowed-regions`",
    legal_uk_gdpr: "UK GDPR Art 44A, 45A, 46, 49",
    legal_part3: "DPA 2018 s73–s78",
    step: "Step 4: necessity and proportionality (international transfers)",
    precision: High,
    implemented: true,
    check: check,
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let Some(transfers) = &cx.manifest.transfers else {
        return;
    };
    let allowed: Vec<&str> = transfers
        .allowed_regions
        .iter()
        .map(|r| r.value.as_str())
        .collect();
    // an internal recipient (the controller's own staff) is never a transfer
    let outside = |id: &str| {
        cx.manifest
            .recipient(id)
            .filter(|r| r.kind.value != RecipientKind::Internal)
            .and_then(|r| r.region.as_ref().map(|reg| (r, reg)))
            .filter(|(_, reg)| !allowed.contains(&reg.value.as_str()))
    };
    let mut reported = Vec::new();
    for f in &cx.flows.fns {
        let item = cx.model.item(f.item);
        for s in &f.sinks {
            let Recipient::User(id) = &s.recipient else {
                continue;
            };
            let Some((_, region)) = outside(id) else {
                continue;
            };
            let cats: Vec<&(String, Vec<dpia_lint_engine::Label>)> = s
                .categories
                .iter()
                .filter(|(c, _)| cx.manifest.category(c).is_some())
                .collect();
            let Some((first, trace)) = cats.first().map(|(c, t)| (c, t)) else {
                continue;
            };
            reported.push(id.clone());
            let names = list(cats.iter().map(|(c, _)| c.as_str()));
            let fd = finding(
                &META,
                s.span,
                format!("{names} leaves for `{}` here", region.value),
                format!(
                    "{names} data is transferred to `{id}` in region `{}`, outside the allowed regions",
                    region.value
                ),
            )
            .with_item(item.path.clone())
            .with_label(Label::new(
                Span::new(cx.manifest_file, region.span.clone()),
                "region of the recipient",
            ))
            .with_note(format!("allowed regions: {}", list(&allowed)))
            .with_help(format!(
                "keep the data in an allowed region, or the controller must assess the transfer (with the DPO's advice) and record it in dpia.toml: add \"{}\" to `[transfers] allowed-regions`",
                region.value
            ))
            .with_facts(Facts {
                category: Some(first.clone()),
                recipient: Some(id.clone()),
                ..Facts::default()
            });
            out.push(with_flow(fd, trace));
        }
    }
    for r in &cx.manifest.recipients {
        let id = &r.id.value;
        if reported.contains(id)
            || !cx
                .manifest
                .purposes
                .iter()
                .any(|p| p.recipients.iter().any(|x| &x.value == id))
        {
            continue;
        }
        let Some((_, region)) = outside(id) else {
            continue;
        };
        out.push(
            finding(
                &META,
                Span::new(cx.manifest_file, region.span.clone()),
                "outside the allowed regions",
                format!(
                    "recipient `{id}` is in region `{}`, outside the allowed regions",
                    region.value
                ),
            )
            .with_note(format!("allowed regions: {}", list(&allowed)))
            .with_help(format!(
                "use a recipient in an allowed region, or the controller must assess the transfer (with the DPO's advice) and record it in dpia.toml: add \"{}\" to `[transfers] allowed-regions`",
                region.value
            ))
            .with_facts(Facts {
                recipient: Some(id.clone()),
                ..Facts::default()
            }),
        );
    }
}
