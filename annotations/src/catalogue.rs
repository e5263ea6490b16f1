//! The rule catalogue: every rule's code, name, group and default level, in code order.
//! It is the one place a rule is listed. Everything else reads it: the tag grammar (rule
//! names in `allow`), the engine (`-D/-W/-A`, `[lints]`, suppressions), the rules crate
//! (its group modules and its registry are generated from it by [`catalogue!`]), the docs
//! (`docs/rules.md`, the README table) and `cargo dpia-lint rules`.
//!
//! Adding a rule is one row in [`catalogue!`] (`cargo run -p xtask -- new-rule <group>
//! <name>` writes it). Codes are append-only: a published code keeps its meaning forever.

/// A rule's level: `deny` findings are errors (exit 1), `warn` findings warnings, `allow`
/// findings are not reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

impl Level {
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "allow" => Some(Level::Allow),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            _ => None,
        }
    }

    /// `error` / `warning` / `none`, as rustc and SARIF say it.
    pub const fn severity(self) -> &'static str {
        match self {
            Level::Deny => "error",
            Level::Warn => "warning",
            Level::Allow => "none",
        }
    }
}

/// One row of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleId {
    /// `DPIA102`.
    pub code: &'static str,
    /// `function-creep`; the rule's file is `rules/src/<group>/function_creep.rs`.
    pub name: &'static str,
    /// `purposes`: the folder of the rule's file.
    pub group: &'static str,
    pub default_level: Level,
}

impl RuleId {
    /// Does `name` (a code in any case, or a name with `-` or `_`) designate this rule? The
    /// one rule-name matcher: `allow` tags, `[lints]`, `[[waivers]]`, `-D/-W/-A`, `explain`.
    pub fn matches(&self, name: &str) -> bool {
        designates(self.code, self.name, name)
    }
}

/// Does `name` designate the rule `code`/`rule_name`: the code in any case, or the name
/// with `-` or `_`? The one rule-name matcher (`RuleId::matches`, `RuleMeta::matches`).
pub fn designates(code: &str, rule_name: &str, name: &str) -> bool {
    name.eq_ignore_ascii_case(code)
        || (name.len() == rule_name.len()
            && name
                .bytes()
                .zip(rule_name.bytes())
                .all(|(a, b)| a == b || (a == b'_' && b == b'-')))
}

/// The catalogue, as rows for a callback macro: `catalogue!(my_macro)` expands to
/// `my_macro! { group { "CODE" "name" module Level; ... } ... }`, groups and rows in code
/// order. One row per rule; the `module` is the name with `_` (the rule's file name).
#[macro_export]
macro_rules! catalogue {
    ($callback:ident) => {
        $callback! {
            syntax {
                "DPIA001" "parse-error" parse_error Warn;
            }
            annotations {
                "DPIA002" "invalid-annotation" invalid_annotation Deny;
            }
            purposes {
                "DPIA101" "undeclared-purpose" undeclared_purpose Deny;
                "DPIA102" "function-creep" function_creep Deny;
                "DPIA103" "untagged-processing" untagged_processing Deny;
                "DPIA104" "lawful-basis-mismatch" lawful_basis_mismatch Deny;
            }
            discovery {
                "DPIA201" "undeclared-personal-data" undeclared_personal_data Warn;
                "DPIA202" "unknown-category" unknown_category Deny;
                "DPIA203" "unused-declaration" unused_declaration Warn;
            }
            flows {
                "DPIA301" "undeclared-recipient" undeclared_recipient Deny;
                "DPIA302" "personal-data-in-logs" personal_data_in_logs Deny;
                "DPIA303" "undeclared-personal-data-flow" undeclared_personal_data_flow Warn;
                "DPIA304" "international-transfer" international_transfer Deny;
            }
            lifecycle {
                "DPIA401" "retention-exceeds-dpia" retention_exceeds_dpia Deny;
                "DPIA402" "missing-retention" missing_retention Deny;
                "DPIA403" "no-erasure-routine" no_erasure_routine Deny;
            }
            legal {
                "DPIA501" "sensitive-without-condition" sensitive_without_condition Deny;
                "DPIA502" "missing-audit-log" missing_audit_log Deny;
                "DPIA503" "automated-decision-without-review" automated_decision_without_review Deny;
            }
            review {
                "DPIA601" "dpia-drift" dpia_drift Deny;
                "DPIA602" "screening-mismatch" screening_mismatch Warn;
            }
            suppression {
                "DPIA901" "allow-without-reason" allow_without_reason Warn;
                "DPIA902" "unused-allow" unused_allow Warn;
            }
        }
    };
}

macro_rules! table {
    ($( $group:ident { $( $code:literal $name:literal $module:ident $level:ident; )* } )*) => {
        /// Every rule of the catalogue, in code order.
        pub const RULES: &[RuleId] = &[
            $( $( RuleId {
                code: $code,
                name: $name,
                group: stringify!($group),
                default_level: Level::$level,
            }, )* )*
        ];
    };
}

catalogue!(table);

/// The rule a code (`DPIA102`, any case) or a name (`function-creep`, `function_creep`)
/// designates.
pub fn rule(name_or_code: &str) -> Option<&'static RuleId> {
    RULES.iter().find(|r| r.matches(name_or_code))
}

/// The catalogue row of `code`, at compile time: `declare_rule!` reads a rule's name,
/// group and level from here. Panics (a compile error in a `const`) for a code that is
/// not in the catalogue.
pub const fn by_code(code: &str) -> &'static RuleId {
    let mut i = 0;
    while i < RULES.len() {
        if str_eq(RULES[i].code, code) {
            return &RULES[i];
        }
        i += 1;
    }
    panic!("this rule code is not in the catalogue (annotations/src/catalogue.rs)")
}

/// `a == b` in a `const`.
pub const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_ascend_and_names_are_unique_kebab_case() {
        for w in RULES.windows(2) {
            assert!(w[0].code < w[1].code, "{} before {}", w[0].code, w[1].code);
        }
        for (i, r) in RULES.iter().enumerate() {
            assert!(
                r.code.len() == 7 && r.code.starts_with("DPIA"),
                "{}",
                r.code
            );
            assert!(
                r.name.bytes().all(|c| c.is_ascii_lowercase() || c == b'-'),
                "{}: kebab-case",
                r.code
            );
            assert!(RULES[..i].iter().all(|o| o.name != r.name), "{}", r.name);
        }
    }

    #[test]
    fn the_matcher_takes_codes_and_both_spellings() {
        assert_eq!(rule("DPIA102").unwrap().name, "function-creep");
        assert_eq!(rule("dpia102").unwrap().name, "function-creep");
        assert_eq!(rule("function_creep").unwrap().code, "DPIA102");
        assert_eq!(rule("function-creep").unwrap().code, "DPIA102");
        assert!(rule("function-crep").is_none());
        assert!(rule("Function-Creep").is_none());
        assert_eq!(by_code("DPIA902").default_level, Level::Warn);
    }
}
