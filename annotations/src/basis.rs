//! The lawful-basis vocabulary (a contract, docs/manifest.md): which ids exist, what kind each is, and which
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
    /// A DPA 2018 Schedule 1 condition (s10): what UK GDPR Art 9(2)(b), (g)–(j) and Art 10
    /// need; goes in `conditions` under `uk-gdpr`. See [`schedule1`].
    Schedule1Condition,
    /// UK GDPR Art 10(1): criminal-offence data under the control of official authority.
    Art10Condition,
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
        /// Every id of the vocabulary.
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
    "sch1.employment", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 1", "employment, social security and social protection";
    "sch1.health-social-care", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 2", "health or social care purposes";
    "sch1.public-health", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 3", "public health";
    "sch1.research", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 4", "research etc";
    "sch1.statutory", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 6", "statutory and government purposes";
    "sch1.justice-parliament", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 7", "administration of justice and parliamentary purposes";
    "sch1.equality", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 8", "equality of opportunity or treatment";
    "sch1.racial-diversity", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 9", "racial and ethnic diversity at senior levels";
    "sch1.preventing-crime", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 10", "preventing or detecting unlawful acts";
    "sch1.protecting-public", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 11", "protecting the public";
    "sch1.regulatory", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 12", "regulatory requirements";
    "sch1.journalism", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 13", "journalism etc in connection with unlawful acts";
    "sch1.fraud", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 14", "preventing fraud";
    "sch1.terrorist-financing", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 15", "suspicion of terrorist financing or money laundering";
    "sch1.disability-support", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 16", "support for individuals with a particular disability or medical condition";
    "sch1.counselling", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 17", "counselling etc";
    "sch1.safeguarding", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 18", "safeguarding of children and individuals at risk";
    "sch1.economic-wellbeing", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 19", "safeguarding of economic well-being of certain individuals";
    "sch1.insurance", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 20", "insurance";
    "sch1.pensions", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 21", "occupational pensions";
    "sch1.political-parties", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 22", "political parties";
    "sch1.elected-rep-requests", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 23", "elected representatives responding to requests";
    "sch1.elected-rep-disclosure", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 24", "disclosure to elected representatives";
    "sch1.prisoners", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 25", "informing elected representatives about prisoners";
    "sch1.legal-judgments", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 26", "publication of legal judgments";
    "sch1.anti-doping", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 27", "anti-doping in sport";
    "sch1.sport-standards", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 28", "standards of behaviour in sport";
    "sch1.consent", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 29", "consent";
    "sch1.vital-interests", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 30", "protecting individual's vital interests";
    "sch1.not-for-profit", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 31", "processing by not-for-profit bodies";
    "sch1.made-public", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 32", "personal data in the public domain";
    "sch1.legal-claims", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 33", "legal claims";
    "sch1.judicial-acts", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 34", "judicial acts";
    "sch1.indecency-accounts", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 35", "administration of accounts used in commission of indecency offences involving children";
    "sch1.part2-extension", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 36", "extension of conditions in Part 2 referring to substantial public interest";
    "sch1.insurance-extension", Schedule1Condition, UkGdpr, "DPA 2018 Sch 1 para 37", "extension of insurance conditions";
    "art10.official-authority", Art10Condition, UkGdpr, "UK GDPR Art 10(1)", "under the control of official authority";
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

/// What a DPA 2018 Schedule 1 condition is (DPA 2018 Sch 1 Parts 1–2, as UK GDPR Art 9(2) and Art 10 use them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule1 {
    pub id: &'static str,
    /// Part 1 (employment, health, research: Art 9(2)(b), (h)–(j)), Part 2 (substantial public
    /// interest: Art 9(2)(g)) or Part 3 (additional conditions for criminal-offence data only).
    pub part: u8,
    pub paragraph: u8,
    /// Needs an appropriate policy document (Sch 1 Part 4): para 1, every Part 2 condition
    /// (para 5(1)) but 10, 13 and 27, whose sub-paragraphs 10(2), 13(3), 27(3) waive it in
    /// their case (so the linter does not demand it), and para 35.
    pub policy: bool,
    /// May serve criminal-offence data (Art 10, s10(5)): Parts 1–3 except paras 8, 9, 16,
    /// 19–22, which name special categories.
    pub criminal_offence: bool,
}

/// Every Schedule 1 condition, in paragraph order.
pub const SCHEDULE_1: &[Schedule1] = &[
    Schedule1 {
        id: "sch1.employment",
        part: 1,
        paragraph: 1,
        policy: true,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.health-social-care",
        part: 1,
        paragraph: 2,
        policy: false,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.public-health",
        part: 1,
        paragraph: 3,
        policy: false,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.research",
        part: 1,
        paragraph: 4,
        policy: false,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.statutory",
        part: 2,
        paragraph: 6,
        policy: true,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.justice-parliament",
        part: 2,
        paragraph: 7,
        policy: true,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.equality",
        part: 2,
        paragraph: 8,
        policy: true,
        criminal_offence: false,
    },
    Schedule1 {
        id: "sch1.racial-diversity",
        part: 2,
        paragraph: 9,
        policy: true,
        criminal_offence: false,
    },
    Schedule1 {
        id: "sch1.preventing-crime",
        part: 2,
        paragraph: 10,
        policy: false,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.protecting-public",
        part: 2,
        paragraph: 11,
        policy: true,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.regulatory",
        part: 2,
        paragraph: 12,
        policy: true,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.journalism",
        part: 2,
        paragraph: 13,
        policy: false,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.fraud",
        part: 2,
        paragraph: 14,
        policy: true,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.terrorist-financing",
        part: 2,
        paragraph: 15,
        policy: true,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.disability-support",
        part: 2,
        paragraph: 16,
        policy: true,
        criminal_offence: false,
    },
    Schedule1 {
        id: "sch1.counselling",
        part: 2,
        paragraph: 17,
        policy: true,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.safeguarding",
        part: 2,
        paragraph: 18,
        policy: true,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.economic-wellbeing",
        part: 2,
        paragraph: 19,
        policy: true,
        criminal_offence: false,
    },
    Schedule1 {
        id: "sch1.insurance",
        part: 2,
        paragraph: 20,
        policy: true,
        criminal_offence: false,
    },
    Schedule1 {
        id: "sch1.pensions",
        part: 2,
        paragraph: 21,
        policy: true,
        criminal_offence: false,
    },
    Schedule1 {
        id: "sch1.political-parties",
        part: 2,
        paragraph: 22,
        policy: true,
        criminal_offence: false,
    },
    Schedule1 {
        id: "sch1.elected-rep-requests",
        part: 2,
        paragraph: 23,
        policy: true,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.elected-rep-disclosure",
        part: 2,
        paragraph: 24,
        policy: true,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.prisoners",
        part: 2,
        paragraph: 25,
        policy: true,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.legal-judgments",
        part: 2,
        paragraph: 26,
        policy: true,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.anti-doping",
        part: 2,
        paragraph: 27,
        policy: false,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.sport-standards",
        part: 2,
        paragraph: 28,
        policy: true,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.consent",
        part: 3,
        paragraph: 29,
        policy: false,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.vital-interests",
        part: 3,
        paragraph: 30,
        policy: false,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.not-for-profit",
        part: 3,
        paragraph: 31,
        policy: false,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.made-public",
        part: 3,
        paragraph: 32,
        policy: false,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.legal-claims",
        part: 3,
        paragraph: 33,
        policy: false,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.judicial-acts",
        part: 3,
        paragraph: 34,
        policy: false,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.indecency-accounts",
        part: 3,
        paragraph: 35,
        policy: true,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.part2-extension",
        part: 3,
        paragraph: 36,
        policy: false,
        criminal_offence: true,
    },
    Schedule1 {
        id: "sch1.insurance-extension",
        part: 3,
        paragraph: 37,
        policy: false,
        criminal_offence: true,
    },
];

/// The Schedule 1 entry of a `sch1.*` id.
pub fn schedule1(id: &str) -> Option<&'static Schedule1> {
    SCHEDULE_1.iter().find(|s| s.id == id)
}

/// What an Art 9(2) condition needs from Schedule 1 (DPA 2018 s10(2)–(3)): `Some(1)` for
/// (b), (h), (i), (j) with the Part 1 paragraph that matches it, `Some(2)` for (g) (any Part 2
/// condition); `None` for (a), (c)–(f), which stand alone.
pub fn art9_needs_schedule1(id: &str) -> Option<(u8, Option<u8>)> {
    match id {
        "art9.employment" => Some((1, Some(1))),
        "art9.health-care" => Some((1, Some(2))),
        "art9.public-health" => Some((1, Some(3))),
        "art9.archiving" => Some((1, Some(4))),
        "art9.substantial-public-interest" => Some((2, None)),
        _ => None,
    }
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
    crate::suggest(id, ALL.iter().map(|l| l.id))
}
