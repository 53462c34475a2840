//! The one message catalog of the web client and the command line: Project
//! Fluent bundles for zh-CN (first) and en, embedded in the binary from
//! `src/i18n/*.ftl`. Every
//! string a person reads on a page comes from here, by message id.
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// The languages of the catalog; Chinese is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// From a `lang` cookie or `?lang=` value: `zh`/`zh-CN` or `en`.
    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "zh" | "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The code a link or cookie carries, and the page's `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The other language, the one the switch on every page offers.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The message `id`, or the id itself when the catalog lacks it (a
    /// test checks the catalog has every id the pages use).
    pub fn t(self, id: &str) -> String {
        self.format(id, None).unwrap_or_else(|| id.to_string())
    }

    /// The message `id` with its arguments, as name and value pairs.
    pub fn t_args(self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, value.clone());
        }
        self.format(id, Some(&fluent))
            .unwrap_or_else(|| id.to_string())
    }

    /// The message `id` when the catalog has it (a refusal's rule or field).
    pub fn lookup(self, id: &str, args: &[(&str, FluentValue<'_>)]) -> Option<String> {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, value.clone());
        }
        self.format(id, Some(&fluent))
    }

    fn format(self, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        let bundle = bundle(self);
        let pattern = bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        errors.is_empty().then(|| text.into_owned())
    }
}

/// What a refused call says to a person, in `lang`: the broken rule's
/// message (PreconditionFailure), or the field's name with the server's
/// reason (BadRequest), from the catalog; the server's own text when the
/// catalog has no message for it. The web client's refusals and the
/// command line's.
pub fn refusal(status: &tonic::Status, lang: Lang) -> String {
    use tonic_types::StatusExt;
    if let Some(v) = status
        .get_details_precondition_failure()
        .and_then(|p| p.violations.into_iter().next())
    {
        let text = lang.lookup(&format!("rule-{}", v.r#type), &[]);
        return text.unwrap_or_else(|| status.message().to_string());
    }
    if let Some(v) = status
        .get_details_bad_request()
        .and_then(|b| b.field_violations.into_iter().next())
    {
        let field = lang
            .lookup(&format!("field-{}", v.field), &[])
            .unwrap_or(v.field);
        let args = [
            ("field", FluentValue::from(field)),
            ("reason", FluentValue::from(v.description)),
        ];
        return lang.t_args("refusal-field", &args);
    }
    status.message().to_string()
}

const ZH_CN: &str = include_str!("zh-CN.ftl");
const EN: &str = include_str!("en.ftl");

type Bundle = FluentBundle<FluentResource>;

fn build(lang: Lang) -> Bundle {
    let (source, id) = match lang {
        Lang::Zh => (ZH_CN, "zh-CN"),
        Lang::En => (EN, "en"),
    };
    let langid: LanguageIdentifier = id.parse().expect("a valid language id");
    let resource = FluentResource::try_new(source.to_string())
        .unwrap_or_else(|(_, e)| panic!("the {id} catalog does not parse: {e:?}"));
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Plain text in HTML: no bidi isolation marks around arguments.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .unwrap_or_else(|e| panic!("the {id} catalog repeats a message: {e:?}"));
    bundle
}

fn bundle(lang: Lang) -> &'static Bundle {
    static ZH: OnceLock<Bundle> = OnceLock::new();
    static EN_: OnceLock<Bundle> = OnceLock::new();
    match lang {
        Lang::Zh => ZH.get_or_init(|| build(Lang::Zh)),
        Lang::En => EN_.get_or_init(|| build(Lang::En)),
    }
}

/// The message ids of a catalog source, in order: every line that starts
/// a message (`id = ...`).
#[cfg(test)]
fn ids(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogs_have_the_same_messages() {
        let (zh, en) = (ids(ZH_CN), ids(EN));
        let missing_en: Vec<_> = zh.iter().filter(|id| !en.contains(id)).collect();
        let missing_zh: Vec<_> = en.iter().filter(|id| !zh.contains(id)).collect();
        assert!(missing_en.is_empty(), "missing in en.ftl: {missing_en:?}");
        assert!(
            missing_zh.is_empty(),
            "missing in zh-CN.ftl: {missing_zh:?}"
        );
    }

    #[test]
    fn chinese_is_the_default_and_arguments_are_filled_in() {
        assert_eq!(Lang::default().t("sign-in"), "登录");
        assert_eq!(Lang::En.t("sign-in"), "Sign in");
        let args = [
            ("year", FluentValue::from("2025")),
            ("month", FluentValue::from(3)),
            ("day", FluentValue::from("31")),
        ];
        assert_eq!(Lang::Zh.t_args("date", &args), "2025年3月31日");
        assert_eq!(Lang::En.t_args("date", &args), "31 Mar 2025");
    }

    /// Every message id a page or a command names literally (`t("id")`, `t_args("id"`,
    /// `("nav-…", …)` labels) is in both catalogs.
    #[test]
    fn every_id_the_pages_name_is_in_the_catalog() {
        let zh = ids(ZH_CN);
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src/");
        let mut missing = Vec::new();
        let dirs = ["web", "cli", "cli/fund"].map(|d| format!("{root}{d}"));
        let entries = dirs
            .iter()
            .flat_map(|d| std::fs::read_dir(d).expect("a source folder"));
        for entry in entries {
            let path = entry.expect("an entry").path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).expect("a page source");
            for id in named_ids(&source) {
                if !zh.contains(&id) {
                    missing.push(format!("{}: {id}", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "ids not in the catalog: {missing:?}");
    }

    /// The ids in `.t("…")`, `.t_args("…"` and `("nav-…"` of a source.
    fn named_ids(source: &str) -> Vec<String> {
        let mut found = Vec::new();
        for opener in [".t(\"", ".t_args(\"", "(\"nav-"] {
            for (at, _) in source.match_indices(opener) {
                let start = at + opener.len();
                let rest = &source[start..];
                let Some(end) = rest.find('"') else { continue };
                let id = format!(
                    "{}{}",
                    if opener.contains("nav-") { "nav-" } else { "" },
                    &rest[..end]
                );
                if id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
                    && !id.is_empty()
                {
                    found.push(id);
                }
            }
        }
        found
    }

    /// The rule names a source gives: its `&str` constants in snake_case
    /// (the rule names; the cookies' names start with `huzhu_`) and the
    /// rules named where they are raised (`LedgerError::rule(` with a
    /// literal on the next line).
    fn rule_names(source: &str) -> Vec<String> {
        let literal = |line: &str| -> Option<String> {
            let start = line.find('"')? + 1;
            let end = start + line[start..].find('"')?;
            Some(line[start..end].to_string())
        };
        let snake = |n: &String| {
            n.contains('_')
                && !n.starts_with("huzhu_")
                && n.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        };
        let mut names = Vec::new();
        let mut raised = false;
        for line in source.lines() {
            let t = line.trim();
            if (t.contains("const ") && t.contains(": &str = \"")) || raised {
                names.extend(literal(t).filter(snake));
            }
            raised = t.ends_with("LedgerError::rule(");
        }
        names
    }

    fn sources(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("a source folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                sources(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }

    /// A refusal is said in the person's language whatever rule it names:
    /// every rule of the server has a message in both catalogs.
    #[test]
    fn every_rule_has_a_message() {
        let (zh, en) = (ids(ZH_CN), ids(EN));
        let mut files = Vec::new();
        sources(
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
            &mut files,
        );
        let mut rules: Vec<String> = files
            .iter()
            .flat_map(|f| rule_names(&std::fs::read_to_string(f).expect("a source")))
            .collect();
        rules.sort();
        rules.dedup();
        assert!(rules.len() > 80, "the scan found the rules: {rules:?}");
        let missing: Vec<_> = rules
            .iter()
            .filter(|r| !zh.contains(&format!("rule-{r}")) || !en.contains(&format!("rule-{r}")))
            .collect();
        assert!(missing.is_empty(), "rules without a message: {missing:?}");
    }

    #[test]
    fn a_missing_message_shows_its_id() {
        assert_eq!(Lang::Zh.t("no-such-message"), "no-such-message");
        assert_eq!(Lang::Zh.lookup("rule-no_such_rule", &[]), None);
    }
}
