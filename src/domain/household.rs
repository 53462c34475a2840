//! A household's poverty status (DOMAIN.md §4): a set of flags with
//! history, not a single value. A household may be registered poor (建档立卡),
//! low-income (低收入), on 低保 or 五保 (both of which are low-income too),
//! monitored (监测对象, with one of the eight causes the field reports name)
//! and unstable after exit (脱贫不稳定, itself a kind of monitored household).
//!
//! The status drives eligibility: which flags make a household eligible is
//! a setting, per fund for allocated shares (配股) and per program for
//! guaranteed loans and subsidies, defaulting to what the ledger did before
//! the flags existed (registered poor; and monitored, for programs).
//!
//! Records written before carried one [`PovertyStatus`]; it reads as the
//! flags it meant ([`Status::from_legacy`]), and every change still records
//! the one value closest to its flags ([`Status::primary`]) beside them.
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::refusal::FundError;

/// The rule a monitored household without its cause breaks.
pub const MONITORED_CAUSE: &str = "monitored_status_has_risk_cause";

/// A household's poverty status; it drives eligibility and the reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PovertyStatus {
    /// 建档立卡
    RegisteredPoor,
    LowIncome,
    /// 低保
    Dibao,
    /// 五保
    Wubao,
    /// Monitored: on the edge of poverty (边缘易致贫户).
    MonitoredEdge,
    /// Monitored: unstable after leaving poverty (脱贫不稳定户).
    MonitoredUnstable,
    None,
}

impl PovertyStatus {
    pub fn is_monitored(self) -> bool {
        matches!(self, Self::MonitoredEdge | Self::MonitoredUnstable)
    }

    /// The status's name in reports and extracts.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RegisteredPoor => "registered_poor",
            Self::LowIncome => "low_income",
            Self::Dibao => "dibao",
            Self::Wubao => "wubao",
            Self::MonitoredEdge => "monitored_edge",
            Self::MonitoredUnstable => "monitored_unstable",
            Self::None => "none",
        }
    }
}

/// One poverty status flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// 建档立卡
    RegisteredPoor,
    /// 低收入
    LowIncome,
    /// 低保 (also low-income)
    Dibao,
    /// 五保 (also low-income)
    Wubao,
    /// 监测对象, with a [`RiskCause`]
    Monitored,
    /// 脱贫不稳定 (also monitored)
    UnstableAfterExit,
}

impl Flag {
    pub const ALL: [Flag; 6] = [
        Flag::RegisteredPoor,
        Flag::LowIncome,
        Flag::Dibao,
        Flag::Wubao,
        Flag::Monitored,
        Flag::UnstableAfterExit,
    ];

    /// The flag's name in reports and extracts.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::RegisteredPoor => "registered_poor",
            Flag::LowIncome => "low_income",
            Flag::Dibao => "dibao",
            Flag::Wubao => "wubao",
            Flag::Monitored => "monitored",
            Flag::UnstableAfterExit => "unstable_after_exit",
        }
    }
}

/// Why a monitored household is at risk: the eight causes of the field reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskCause {
    /// 因病/因残
    IllnessOrDisability,
    /// 就业不稳
    UnstableEmployment,
    /// 产业失败
    BusinessFailure,
    /// 突发事件
    Emergency,
    /// 因学
    Education,
    /// 因疫情
    Epidemic,
    /// 因灾
    Disaster,
    /// 其他
    Other,
}

/// The flags a setting names when it is left empty: who was eligible before.
pub const ALLOCATION_ELIGIBLE: &[Flag] = &[Flag::RegisteredPoor];
pub const PROGRAM_ELIGIBLE: &[Flag] = &[
    Flag::RegisteredPoor,
    Flag::Monitored,
    Flag::UnstableAfterExit,
];

/// A household's status: its flags, and the cause when it is monitored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Status {
    flags: BTreeSet<Flag>,
    cause: Option<RiskCause>,
}

impl Status {
    /// A status from the flags given: 低保 and 五保 add low-income, unstable
    /// after exit adds monitored; a monitored household names its cause, and
    /// only a monitored one does.
    pub fn new(flags: &[Flag], cause: Option<RiskCause>) -> Result<Self, FundError> {
        let status = Self::normalized(flags, cause);
        match (status.has(Flag::Monitored), cause) {
            (true, None) => Err(FundError::Rule {
                rule: MONITORED_CAUSE,
                detail: "a monitored household (监测对象) names its risk cause".into(),
            }),
            (false, Some(_)) => Err(FundError::Invalid {
                field: "cause".into(),
                reason: "is only for a monitored household".into(),
            }),
            _ => Ok(status),
        }
    }

    /// The flags with the ones they imply, unchecked (a stored change).
    pub fn normalized(flags: &[Flag], cause: Option<RiskCause>) -> Self {
        let mut set: BTreeSet<Flag> = flags.iter().copied().collect();
        if set.contains(&Flag::Dibao) || set.contains(&Flag::Wubao) {
            set.insert(Flag::LowIncome);
        }
        if set.contains(&Flag::UnstableAfterExit) {
            set.insert(Flag::Monitored);
        }
        Self { flags: set, cause }
    }

    /// What a status recorded before the flags meant.
    pub fn from_legacy(status: PovertyStatus, cause: Option<RiskCause>) -> Self {
        let flags: &[Flag] = match status {
            PovertyStatus::RegisteredPoor => &[Flag::RegisteredPoor],
            PovertyStatus::LowIncome => &[Flag::LowIncome],
            PovertyStatus::Dibao => &[Flag::Dibao, Flag::LowIncome],
            PovertyStatus::Wubao => &[Flag::Wubao, Flag::LowIncome],
            PovertyStatus::MonitoredEdge => &[Flag::Monitored],
            PovertyStatus::MonitoredUnstable => &[Flag::Monitored, Flag::UnstableAfterExit],
            PovertyStatus::None => &[],
        };
        let monitored = status.is_monitored();
        Self {
            flags: flags.iter().copied().collect(),
            cause: monitored.then_some(cause.unwrap_or(RiskCause::Other)),
        }
    }

    /// The one value closest to the flags (the most specific first), for
    /// readers of the single status.
    pub fn primary(&self) -> PovertyStatus {
        let has = |f| self.flags.contains(&f);
        if has(Flag::RegisteredPoor) {
            PovertyStatus::RegisteredPoor
        } else if has(Flag::UnstableAfterExit) {
            PovertyStatus::MonitoredUnstable
        } else if has(Flag::Monitored) {
            PovertyStatus::MonitoredEdge
        } else if has(Flag::Wubao) {
            PovertyStatus::Wubao
        } else if has(Flag::Dibao) {
            PovertyStatus::Dibao
        } else if has(Flag::LowIncome) {
            PovertyStatus::LowIncome
        } else {
            PovertyStatus::None
        }
    }

    pub fn flags(&self) -> impl Iterator<Item = Flag> + '_ {
        self.flags.iter().copied()
    }

    pub fn has(&self, flag: Flag) -> bool {
        self.flags.contains(&flag)
    }

    pub fn cause(&self) -> Option<RiskCause> {
        self.cause
    }

    /// Any flag: the household counts as poor for the fund's targets.
    pub fn is_poor(&self) -> bool {
        !self.flags.is_empty()
    }

    /// Eligible under a setting: it has one of the flags `eligible` names
    /// (`default` when the setting is empty).
    pub fn eligible(&self, eligible: &[Flag], default: &[Flag]) -> bool {
        let wanted = if eligible.is_empty() {
            default
        } else {
            eligible
        };
        wanted.iter().any(|f| self.flags.contains(f))
    }

    /// The flags in reports and extracts: "registered_poor", "dibao" (the
    /// low-income flag it implies left out), "none" for no flag, several
    /// joined by "+".
    pub fn label(&self) -> String {
        let implied = |f: &Flag| {
            (*f == Flag::LowIncome && (self.has(Flag::Dibao) || self.has(Flag::Wubao)))
                || (*f == Flag::Monitored && self.has(Flag::UnstableAfterExit))
        };
        let names: Vec<&str> = self
            .flags
            .iter()
            .filter(|f| !implied(f))
            .map(|f| f.as_str())
            .collect();
        if names.is_empty() {
            "none".into()
        } else {
            names.join("+")
        }
    }
}

/// How an eligibility setting reads: the flags named, or the default's.
pub fn eligible_label(eligible: &[Flag], default: &[Flag]) -> String {
    let flags = if eligible.is_empty() {
        default
    } else {
        eligible
    };
    flags
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dibao_and_wubao_are_low_income_and_unstable_is_monitored() {
        let s = Status::new(&[Flag::Dibao], None).unwrap();
        assert!(s.has(Flag::LowIncome));
        assert_eq!(s.label(), "dibao");
        assert_eq!(s.primary(), PovertyStatus::Dibao);
        let u = Status::new(
            &[Flag::UnstableAfterExit],
            Some(RiskCause::IllnessOrDisability),
        )
        .unwrap();
        assert!(u.has(Flag::Monitored));
        assert_eq!(u.primary(), PovertyStatus::MonitoredUnstable);
        assert_eq!(u.label(), "unstable_after_exit");
        let both = Status::new(&[Flag::RegisteredPoor, Flag::Wubao], None).unwrap();
        assert_eq!(both.label(), "registered_poor+wubao");
        assert_eq!(Status::default().label(), "none");
    }

    #[test]
    fn a_monitored_household_names_its_cause() {
        assert!(matches!(
            Status::new(&[Flag::Monitored], None),
            Err(FundError::Rule { .. })
        ));
        assert!(matches!(
            Status::new(&[Flag::LowIncome], Some(RiskCause::Disaster)),
            Err(FundError::Invalid { .. })
        ));
    }

    #[test]
    fn records_written_before_read_as_the_flags_they_meant() {
        for legacy in [
            PovertyStatus::RegisteredPoor,
            PovertyStatus::LowIncome,
            PovertyStatus::Dibao,
            PovertyStatus::Wubao,
            PovertyStatus::MonitoredEdge,
            PovertyStatus::MonitoredUnstable,
            PovertyStatus::None,
        ] {
            let s = Status::from_legacy(legacy, None);
            assert_eq!(s.primary(), legacy, "{legacy:?} reads back as itself");
        }
    }

    #[test]
    fn eligibility_is_a_setting_defaulting_to_what_was_eligible_before() {
        let low = Status::new(&[Flag::LowIncome], None).unwrap();
        assert!(!low.eligible(&[], PROGRAM_ELIGIBLE));
        assert!(low.eligible(&[Flag::LowIncome], PROGRAM_ELIGIBLE));
        let dibao = Status::new(&[Flag::Dibao], None).unwrap();
        assert!(dibao.eligible(&[Flag::LowIncome], PROGRAM_ELIGIBLE));
        let monitored = Status::new(&[Flag::Monitored], Some(RiskCause::Other)).unwrap();
        assert!(monitored.eligible(&[], PROGRAM_ELIGIBLE));
        assert!(!monitored.eligible(&[], ALLOCATION_ELIGIBLE));
    }
}
