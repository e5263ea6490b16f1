//! `declare_rule!`: one rule's metadata, docs and check in one place (after clippy's
//! `declare_clippy_lint!`). The doc comment becomes `RuleMeta::docs`, which feeds
//! `cargo dpia-lint explain`, SARIF `help` and `docs/rules.md`.

/// Declares a rule: a `pub static META: RuleMeta`, a unit struct implementing `Rule` whose
/// `check` is the given function, and `pub const RULE: &dyn Rule` (what the registry lists).
/// The rule's name and default level come from its row in the catalogue
/// (`annotations/src/catalogue.rs`), found by `code` at compile time: a code that is not in
/// the catalogue does not compile.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub struct UndeclaredPurpose;
///     code: "DPIA101",
///     summary: "a tag names a purpose missing from the manifest",
///     legal_uk_gdpr: "UK GDPR Art 5(1)(b), 35(7)(a)",
///     legal_part3: "DPA 2018 s36(1)(a), s64(3)(a)",
///     step: "Step 2: purposes",
///     precision: VeryHigh, implemented: true,
///     check: check,
/// }
/// ```
///
/// `check_suppressions: f` (last) gives the rule a second check that runs after the engine
/// applied the suppressions (`Rule::check_suppressions`).
///
/// `name: "..."` after `code` and `level: ...` after `summary` are still accepted (rule files
/// written before the catalogue have them); they must equal the catalogue row, which is
/// checked at compile time. New rules leave them out.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident;
        code: $code:literal,
        $(name: $rule_name:literal,)?
        summary: $summary:literal,
        $(level: $level:ident,)?
        legal_uk_gdpr: $legal_uk_gdpr:literal,
        legal_part3: $legal_part3:literal,
        step: $step:literal,
        precision: $precision:ident,
        implemented: $implemented:literal,
        check: $check:path
        $(, check_suppressions: $check_suppressions:path)? $(,)?
    ) => {
        /// This rule's row in the catalogue.
        pub const ID: &dpia_annotations::RuleId = dpia_annotations::catalogue::by_code($code);

        $(const _: () = assert!(
            dpia_annotations::catalogue::str_eq(ID.name, $rule_name),
            "`name` differs from the catalogue row: leave it out"
        );)?
        $(const _: () = assert!(
            ID.default_level as u8 == dpia_lint_engine::Level::$level as u8,
            "`level` differs from the catalogue row: leave it out"
        );)?

        pub static META: dpia_lint_engine::RuleMeta = dpia_lint_engine::RuleMeta {
            code: $code,
            name: ID.name,
            summary: $summary,
            default_level: ID.default_level,
            legal_uk_gdpr: $legal_uk_gdpr,
            legal_part3: $legal_part3,
            dpia_step: $step,
            precision: dpia_lint_engine::Precision::$precision,
            docs: concat!($($doc, "\n"),*),
            implemented: $implemented,
            file: file!(),
        };

        #[doc = concat!("`", $code, "`: ", $summary, ".")]
        pub struct $name;

        /// The rule, as the registry lists it.
        pub const RULE: &dyn dpia_lint_engine::Rule = &$name;

        impl dpia_lint_engine::Rule for $name {
            fn meta(&self) -> &'static dpia_lint_engine::RuleMeta {
                &META
            }

            fn check(&self, cx: &dpia_lint_engine::RuleContext<'_>, out: &mut Vec<dpia_lint_engine::Finding>) {
                $check(cx, out)
            }

            $(fn check_suppressions(
                &self,
                cx: &dpia_lint_engine::RuleContext<'_>,
                suppressions: &dpia_lint_engine::suppress::Suppressions,
                out: &mut Vec<dpia_lint_engine::Finding>,
            ) {
                $check_suppressions(cx, suppressions, out)
            })?
        }
    };
}

/// The check of a rule that is declared but not implemented yet: it never fires.
#[allow(dead_code)] // kept for rules declared before their check is written
pub(crate) fn not_implemented(
    _: &dpia_lint_engine::RuleContext<'_>,
    _: &mut Vec<dpia_lint_engine::Finding>,
) {
}

/// The `check` of a rule that reports only in `check_suppressions` (DPIA901, DPIA902: the
/// engine applies the suppressions after every other rule, then calls them).
pub(crate) fn after_suppressions_only(
    _: &dpia_lint_engine::RuleContext<'_>,
    _: &mut Vec<dpia_lint_engine::Finding>,
) {
}

/// A finding of the rule whose `META` is given, at its default level.
pub(crate) fn finding(
    meta: &'static dpia_lint_engine::RuleMeta,
    primary: dpia_lint_engine::Span,
    label: impl Into<String>,
    message: impl Into<String>,
) -> dpia_lint_engine::Finding {
    dpia_lint_engine::Finding::new(
        meta.code,
        meta.default_level,
        dpia_lint_engine::Label::new(primary, label),
        message,
    )
}
