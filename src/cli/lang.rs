//! The language the command line speaks: `--lang zh|en`, else
//! `$HUZHU_LANG`, else the locale (`$LC_ALL`, `$LC_MESSAGES`, `$LANG`: one
//! that starts with `zh` is Chinese), else English. One per process, set
//! when a client command starts; the words come from the catalog the web
//! client uses ([`crate::i18n`]).
use std::sync::OnceLock;

use clap::ValueEnum;

use crate::i18n::Lang;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// 中文
    Zh,
    /// English
    En,
}

static CHOSEN: OnceLock<Lang> = OnceLock::new();

/// Fixes the process's language: the flag's (or $HUZHU_LANG's), else the locale's.
pub fn choose(arg: Option<LangArg>) {
    let lang = match arg {
        Some(LangArg::Zh) => Lang::Zh,
        Some(LangArg::En) => Lang::En,
        None => from_locale(locale().as_deref()),
    };
    let _ = CHOSEN.set(lang);
}

/// The process's language (the locale's when no command chose one).
pub fn lang() -> Lang {
    *CHOSEN.get_or_init(|| from_locale(locale().as_deref()))
}

/// The first locale variable set, in POSIX order.
fn locale() -> Option<String> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
}

fn from_locale(locale: Option<&str>) -> Lang {
    match locale {
        Some(l) if l.starts_with("zh") => Lang::Zh,
        _ => Lang::En,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chinese_locale_speaks_chinese_and_any_other_english() {
        assert_eq!(from_locale(Some("zh_CN.UTF-8")), Lang::Zh);
        assert_eq!(from_locale(Some("zh_TW")), Lang::Zh);
        assert_eq!(from_locale(Some("C.UTF-8")), Lang::En);
        assert_eq!(from_locale(Some("en_US.UTF-8")), Lang::En);
        assert_eq!(from_locale(None), Lang::En);
    }
}
