//! The lawful-basis vocabulary of DESIGN §4: which ids exist, what kind each is, and which
//! regime accepts it where.

/// The legal regime of a DPIA (`[dpia] regime` in the manifest).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Regime {
    /// `"uk-gdpr"`: UK GDPR (general processing).
    UkGdpr,
    /// `"dpa2018-part3"`: DPA 2018 Part 3 (law-enforcement processing).
    Part3,
}

impl Regime {
    pub const ALL: [Regime; 2] = [Regime::UkGdpr, Regime::Part3];

    pub fn as_str(self) -> &'static str {
        match self {
            Regime::UkGdpr => "uk-gdpr",
            Regime::Part3 => "dpa2018-part3",
        }
    }

    pub fn parse(s: &str) -> Option<Regime> {
        Regime::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// What an id is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IdKind {
    /// A lawful basis: goes in `basis`. UK GDPR Art 6(1) or DPA 2018 s35(2).
    Basis,
    /// A UK GDPR Art 9(2) condition: goes in `conditions` under `uk-gdpr`.
    Art9Condition,
    /// A Part 3 sensitive-processing route, s35(4) or s35(5): goes in `conditions`.
    Part3Route,
    /// A DPA 2018 Schedule 8 condition (needed with the s35(5) route): goes in `conditions`.
    Schedule8Condition,
}

/// One entry of the vocabulary.
#[derive(Clone, Copy, Debug)]
pub struct LawfulId {
    pub id: &'static str,
    pub kind: IdKind,
    pub regime: Regime,
    /// E.g. "UK GDPR Art 6(1)(e)".
    pub legal_reference: &'static str,
    /// E.g. "public task".
    pub title: &'static str,
}

macro_rules! ids {
    ($($id:literal, $kind:ident, $regime:ident, $legal:literal, $title:literal;)*) => {
        /// Every id of DESIGN §4.
        pub const ALL: &[LawfulId] = &[
            $(LawfulId { id: $id, kind: IdKind::$kind, regime: Regime::$regime, legal_reference: $legal, title: $title },)*
        ];
    };
}

ids! {
    "art6.consent", Basis, UkGdpr, "UK GDPR Art 6(1)(a)", "consent";
    "art6.contract", Basis, UkGdpr, "UK GDPR Art 6(1)(b)", "contract";
    "art6.legal-obligation", Basis, UkGdpr, "UK GDPR Art 6(1)(c)", "legal obligation";
    "art6.vital-interests", Basis, UkGdpr, "UK GDPR Art 6(1)(d)", "vital interests";
    "art6.public-task", Basis, UkGdpr, "UK GDPR Art 6(1)(e)", "public task";
    "art6.recognised-legitimate-interest", Basis, UkGdpr, "UK GDPR Art 6(1)(ea)", "recognised legitimate interest";
    "art6.legitimate-interests", Basis, UkGdpr, "UK GDPR Art 6(1)(f)", "legitimate interests";
    "art9.explicit-consent", Art9Condition, UkGdpr, "UK GDPR Art 9(2)(a)", "explicit consent";
    "art9.employment", Art9Condition, UkGdpr, "UK GDPR Art 9(2)(b)", "employment, social security and social protection";
    "art9.vital-interests", Art9Condition, UkGdpr, "UK GDPR Art 9(2)(c)", "vital interests";
    "art9.not-for-profit", Art9Condition, UkGdpr, "UK GDPR Art 9(2)(d)", "not-for-profit bodies";
    "art9.made-public", Art9Condition, UkGdpr, "UK GDPR Art 9(2)(e)", "made public by the data subject";
    "art9.legal-claims", Art9Condition, UkGdpr, "UK GDPR Art 9(2)(f)", "legal claims and judicial acts";
    "art9.substantial-public-interest", Art9Condition, UkGdpr, "UK GDPR Art 9(2)(g)", "reasons of substantial public interest";
    "art9.health-care", Art9Condition, UkGdpr, "UK GDPR Art 9(2)(h)", "health and social care";
    "art9.public-health", Art9Condition, UkGdpr, "UK GDPR Art 9(2)(i)", "public health";
    "art9.archiving", Art9Condition, UkGdpr, "UK GDPR Art 9(2)(j)", "archiving, research and statistics";
    "part3.consent", Basis, Part3, "DPA 2018 s35(2)(a)", "consent of the data subject";
    "part3.task", Basis, Part3, "DPA 2018 s35(2)(b)", "performance of a task for a law enforcement purpose";
    "part3.sensitive-consent", Part3Route, Part3, "DPA 2018 s35(4)", "sensitive processing with consent";
    "part3.strictly-necessary", Part3Route, Part3, "DPA 2018 s35(5)", "sensitive processing strictly necessary for the law enforcement purpose";
    "sch8.statutory", Schedule8Condition, Part3, "DPA 2018 Sch 8 para 1", "statutory purposes";
    "sch8.justice", Schedule8Condition, Part3, "DPA 2018 Sch 8 para 2", "administration of justice";
    "sch8.vital-interests", Schedule8Condition, Part3, "DPA 2018 Sch 8 para 3", "protecting individual's vital interests";
    "sch8.safeguarding", Schedule8Condition, Part3, "DPA 2018 Sch 8 para 4", "safeguarding of children and individuals at risk";
    "sch8.made-public", Schedule8Condition, Part3, "DPA 2018 Sch 8 para 5", "personal data already in the public domain";
    "sch8.legal-claims", Schedule8Condition, Part3, "DPA 2018 Sch 8 para 6", "legal claims";
    "sch8.judicial-acts", Schedule8Condition, Part3, "DPA 2018 Sch 8 para 7", "judicial acts";
    "sch8.fraud", Schedule8Condition, Part3, "DPA 2018 Sch 8 para 8", "preventing fraud";
    "sch8.archiving", Schedule8Condition, Part3, "DPA 2018 Sch 8 para 9", "archiving";
}

/// Looks an id up.
pub fn lookup(id: &str) -> Option<&'static LawfulId> {
    ALL.iter().find(|l| l.id == id)
}

/// The ids that may stand in `basis` under `regime`.
pub fn bases(regime: Regime) -> impl Iterator<Item = &'static LawfulId> {
    ALL.iter()
        .filter(move |l| l.regime == regime && l.kind == IdKind::Basis)
}

/// The ids that may stand in `conditions` under `regime`.
pub fn conditions(regime: Regime) -> impl Iterator<Item = &'static LawfulId> {
    ALL.iter()
        .filter(move |l| l.regime == regime && l.kind != IdKind::Basis)
}

/// Why `id` may not stand in `basis` under `regime`, or `None` if it may.
pub fn check_basis(id: &str, regime: Regime) -> Option<String> {
    match lookup(id) {
        None => Some(format!("unknown lawful basis `{id}`")),
        Some(l) if l.kind != IdKind::Basis => Some(format!(
            "`{id}` is a condition ({}), not a lawful basis: it belongs in `conditions`",
            l.legal_reference
        )),
        Some(l) if l.regime != regime => Some(format!(
            "`{id}` ({}) is not a lawful basis under regime `{}`",
            l.legal_reference,
            regime.as_str()
        )),
        Some(_) => None,
    }
}

/// Why `id` may not stand in `conditions` under `regime`, or `None` if it may.
pub fn check_condition(id: &str, regime: Regime) -> Option<String> {
    match lookup(id) {
        None => Some(format!("unknown condition `{id}`")),
        Some(l) if l.kind == IdKind::Basis => Some(format!(
            "`{id}` is a lawful basis ({}), not a condition: it belongs in `basis`",
            l.legal_reference
        )),
        Some(l) if l.regime != regime => Some(format!(
            "`{id}` ({}) is not a condition under regime `{}`",
            l.legal_reference,
            regime.as_str()
        )),
        Some(_) => None,
    }
}

/// The closest known id to `id`, for "did you mean".
pub fn suggest(id: &str) -> Option<&'static str> {
    ALL.iter()
        .map(|l| (strsim::jaro_winkler(id, l.id), l.id))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, id)| id)
}
