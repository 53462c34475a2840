//! What the client commands (`ledger`, `fund`, `federation`, `program`,
//! `subsidy`, `token`) share: the connection and output flags, a change's
//! request id beside the arguments that build its request, the arguments
//! that name a till, a household's status or a repayment method, calling the
//! server with a request id, explaining a refusal and what to do next, and
//! printing an answer as a table or as proto3 JSON.
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use tonic_types::StatusExt;

use super::client::{describe, Conn, Idem};
use super::lang::{choose, lang, LangArg};
use super::CliResult;
use crate::auth::client::AuthChannel;
use crate::i18n::{refusal, Lang};
use crate::pb;

/// How a command prints its answer.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Table,
    Json,
}

/// A client command: where the server is, the token, and how to print.
#[derive(Args)]
pub struct ClientArgs<C: Subcommand> {
    #[command(flatten)]
    pub conn: Conn,
    /// How to print the answer: a table, or JSON for scripts.
    #[arg(long, value_enum, default_value = "table", global = true)]
    pub output: Output,
    /// The language of tables and refusals; default: $HUZHU_LANG, else
    /// Chinese when the locale ($LC_ALL, $LC_MESSAGES, $LANG) is zh_*, else English.
    #[arg(long, value_enum, global = true, env = "HUZHU_LANG")]
    pub lang: Option<LangArg>,
    #[command(subcommand)]
    pub command: C,
}

// A command that changes something: its request id (--request-id, or one
// made up) and its own arguments, whose `request(self, request_id)` builds
// the request (`call!` does both). No doc comment: clap would take it for
// the command's help.
#[derive(Args)]
pub struct Change<A: Args> {
    #[command(flatten)]
    pub idem: Idem,
    #[command(flatten)]
    pub args: A,
}

impl<A: Args> Change<A> {
    /// The request id (the one given, or one made up) and the arguments that
    /// build the request around it.
    pub fn split(self) -> (String, A) {
        (self.idem.id(), self.args)
    }
}

impl<C: Subcommand> ClientArgs<C> {
    /// Connects to --server as the service's client `make`; answers the
    /// client, the output and the command.
    pub async fn open<T>(
        self,
        make: impl FnOnce(AuthChannel) -> T,
    ) -> Result<(T, Output, C), String> {
        choose(self.lang);
        let client = make(self.conn.channel().await?);
        Ok((client, self.output, self.command))
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum TillArg {
    Cash,
    Bank,
}

pub fn till(t: TillArg) -> i32 {
    (match t {
        TillArg::Cash => pb::Till::Cash,
        TillArg::Bank => pb::Till::Bank,
    }) as i32
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StatusArg {
    /// Registered poor household (建档立卡).
    RegisteredPoor,
    LowIncome,
    /// Minimum living guarantee (低保).
    Dibao,
    /// Five guarantees (五保).
    Wubao,
    /// Monitored: at the edge of poverty.
    MonitoredEdge,
    /// Monitored: unstable after leaving poverty.
    MonitoredUnstable,
    None,
}

/// A poverty status flag (a household may carry several).
#[derive(Clone, Copy, ValueEnum)]
pub enum FlagArg {
    /// 建档立卡
    RegisteredPoor,
    /// 低收入
    LowIncome,
    /// 低保 (also low-income)
    Dibao,
    /// 五保 (also low-income)
    Wubao,
    /// 监测对象 (give --cause)
    Monitored,
    /// 脱贫不稳定 (also monitored)
    UnstableAfterExit,
}

/// Why a monitored household is at risk.
#[derive(Clone, Copy, ValueEnum)]
pub enum CauseArg {
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

pub fn flags(f: &[FlagArg]) -> Vec<i32> {
    use pb::HouseholdFlag as H;
    f.iter()
        .map(|f| {
            (match f {
                FlagArg::RegisteredPoor => H::RegisteredPoor,
                FlagArg::LowIncome => H::LowIncome,
                FlagArg::Dibao => H::Dibao,
                FlagArg::Wubao => H::Wubao,
                FlagArg::Monitored => H::Monitored,
                FlagArg::UnstableAfterExit => H::UnstableAfterExit,
            }) as i32
        })
        .collect()
}

pub fn cause(c: Option<CauseArg>) -> i32 {
    use pb::RiskCause as R;
    (match c {
        None => R::Unspecified,
        Some(CauseArg::IllnessOrDisability) => R::IllnessOrDisability,
        Some(CauseArg::UnstableEmployment) => R::UnstableEmployment,
        Some(CauseArg::BusinessFailure) => R::BusinessFailure,
        Some(CauseArg::Emergency) => R::Emergency,
        Some(CauseArg::Education) => R::Education,
        Some(CauseArg::Epidemic) => R::Epidemic,
        Some(CauseArg::Disaster) => R::Disaster,
        Some(CauseArg::Other) => R::Other,
    }) as i32
}

/// A household's poverty status, as flags or (as before) one value.
#[derive(Args)]
pub struct HouseholdArgs {
    /// The status as one value (or give --flag, once for each flag).
    #[arg(long, value_enum, required_unless_present = "flag")]
    status: Option<StatusArg>,
    /// A status flag; repeat for several (--flag registered-poor --flag dibao).
    #[arg(long, value_enum, conflicts_with = "status")]
    flag: Vec<FlagArg>,
    /// The risk cause of a monitored household.
    #[arg(long, value_enum)]
    cause: Option<CauseArg>,
    /// Why a monitored household is at risk, in words.
    #[arg(long, default_value = "")]
    risk_cause: String,
}

/// What a request carries of a household's status: (status, flags, cause, note).
pub type HouseholdFields = (i32, Vec<i32>, i32, String);

impl HouseholdArgs {
    pub fn fields(self) -> HouseholdFields {
        (
            self.status.map_or(0, status),
            flags(&self.flag),
            cause(self.cause),
            self.risk_cause,
        )
    }
}

pub fn status(s: StatusArg) -> i32 {
    use pb::PovertyStatus as P;
    (match s {
        StatusArg::RegisteredPoor => P::RegisteredPoor,
        StatusArg::LowIncome => P::LowIncome,
        StatusArg::Dibao => P::Dibao,
        StatusArg::Wubao => P::Wubao,
        StatusArg::MonitoredEdge => P::MonitoredEdge,
        StatusArg::MonitoredUnstable => P::MonitoredUnstable,
        StatusArg::None => P::None,
    }) as i32
}

/// A loan's repayment method, as `huzhu schedule` previews it and a fund
/// or a bank records it.
#[derive(Clone, Copy, ValueEnum)]
pub enum MethodArg {
    /// Principal and fee together at maturity.
    Bullet,
    /// Fee every month, principal at maturity.
    FeeMonthly,
    /// Equal installments of principal and fee (等额本息).
    EqualInstallments,
    /// Equal principal each month, fee on the outstanding (等额本金).
    EqualPrincipal,
}

pub fn method(m: MethodArg) -> i32 {
    use pb::RepaymentMethod as R;
    (match m {
        MethodArg::Bullet => R::Bullet,
        MethodArg::FeeMonthly => R::FeeMonthly,
        MethodArg::EqualInstallments => R::EqualInstallments,
        MethodArg::EqualPrincipal => R::EqualPrincipal,
    }) as i32
}

/// How days are counted (DOMAIN.md §2).
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DayCountArg {
    /// Whole months at annual / 12, odd days at annual / 360 (the PBoC rule).
    MonthsAndDays,
    /// Actual days at annual / 360, as many banks charge.
    #[value(name = "actual-360")]
    Actual360,
}

impl DayCountArg {
    pub fn domain(self) -> crate::domain::daycount::DayCount {
        use crate::domain::daycount::DayCount;
        match self {
            DayCountArg::MonthsAndDays => DayCount::MonthsAndDays,
            DayCountArg::Actual360 => DayCount::Actual360,
        }
    }

    /// The request's value: the convention's `pb::DayCount`.
    pub fn wire(self) -> i32 {
        (match self {
            DayCountArg::MonthsAndDays => pb::DayCount::MonthsAndDays,
            DayCountArg::Actual360 => pb::DayCount::Actual360,
        }) as i32
    }
}

pub fn poverty(v: i32) -> String {
    label(v, pb::PovertyStatus::as_str_name, "POVERTY_STATUS_")
}

/// A loan's repayment method read plainly: "equal installments".
pub fn repayment_method(v: i32) -> String {
    label(v, pb::RepaymentMethod::as_str_name, "REPAYMENT_METHOD_")
}

/// A ratio as a percentage for tables: "0.1754" -> "17.54%"; "" (no
/// denominator) -> "-".
pub fn percent(ratio: &str) -> String {
    match ratio.parse::<rust_decimal::Decimal>() {
        Ok(r) => crate::domain::money::percent_text(r),
        Err(_) if ratio.is_empty() => "-".into(),
        Err(_) => ratio.into(),
    }
}

/// A table for people, measured by display width so that Chinese names
/// stay aligned; the columns numbered in `right` (amounts) align right.
pub fn table(header: &[&str], right: &[usize], rows: Vec<Vec<String>>) -> comfy_table::Table {
    use comfy_table::{presets, CellAlignment, ContentArrangement, Table};
    let mut t = Table::new();
    t.load_preset(presets::ASCII_BORDERS_ONLY_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    // A list of labels and values has no header.
    if header.iter().any(|h| !h.is_empty()) {
        t.set_header(header.to_vec());
    }
    for row in rows {
        t.add_row(row);
    }
    for &i in right {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// A [`table`] whose header is catalog ids, said in the command line's language.
pub fn headed(ids: &[&str], right: &[usize], rows: Vec<Vec<String>>) -> comfy_table::Table {
    let lang = lang();
    let header: Vec<String> = ids.iter().map(|id| lang.t(id)).collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    table(&header, right, rows)
}

/// Yuan with thousands separators for tables: "12345.60" -> "12,345.60";
/// what is not an amount is shown as it came.
pub fn yuan(text: &str) -> String {
    match text.parse::<rust_decimal::Decimal>() {
        Ok(d) => crate::domain::money::grouped(d, 2),
        Err(_) => text.to_string(),
    }
}

/// An enum's name without its type prefix, lower-case: "LOAN_STATUS_DISBURSED" -> "disbursed".
fn short(full: &str, prefix: &str) -> String {
    full.strip_prefix(prefix)
        .unwrap_or(full)
        .to_ascii_lowercase()
        .replace('_', " ")
}

/// A proto enum's value read plainly: `label(v, pb::LoanStatus::as_str_name,
/// "LOAN_STATUS_")` -> "disbursed"; empty for a value this client does not know.
pub fn label<E: TryFrom<i32>>(v: i32, name: fn(&E) -> &'static str, prefix: &str) -> String {
    E::try_from(v)
        .map(|e| short(name(&e), prefix))
        .unwrap_or_default()
}

/// The entries an operation posted, or that it was answered from the record.
pub fn seqs(s: &[u64], replayed: bool) {
    if replayed {
        println!("(already recorded under this request id: this is the first result)");
    }
    if !s.is_empty() {
        let list: Vec<String> = s.iter().map(|n| format!("#{n}")).collect();
        println!("entries: {}", list.join(" "));
    }
}

/// A loan's schedule with its totals; `charge` is the catalog id of what is
/// paid on top of principal (`col-fee`, `col-interest`).
pub fn print_schedule(schedule: &[pb::Installment], charge: &str) {
    if schedule.is_empty() {
        return;
    }
    let sum = |f: fn(&pb::Installment) -> &String| -> String {
        let total: rust_decimal::Decimal = schedule
            .iter()
            .filter_map(|i| f(i).parse::<rust_decimal::Decimal>().ok())
            .sum();
        yuan(&total.to_string())
    };
    let mut rows: Vec<Vec<String>> = schedule
        .iter()
        .map(|i| {
            vec![
                i.no.to_string(),
                i.due_date.clone(),
                yuan(&i.principal),
                yuan(&i.fee),
                yuan(&i.payment),
                yuan(&i.outstanding_after),
            ]
        })
        .collect();
    rows.push(vec![
        String::new(),
        lang().t("col-total"),
        sum(|i| &i.principal),
        sum(|i| &i.fee),
        sum(|i| &i.payment),
        String::new(),
    ]);
    let header = [
        "col-no",
        "col-due",
        "col-principal",
        charge,
        "col-payment",
        "col-outstanding",
    ];
    println!("{}", headed(&header, &[0, 2, 3, 4, 5], rows));
}

/// The maker-checker rules: what one token asked for, another approves.
const MAKER_CHECKER: [&str; 4] = [
    crate::domain::loan::rule::APPROVER,
    crate::domain::loan::rule::SELF_APPROVAL,
    crate::domain::federation::rule::SELF_APPROVAL,
    crate::domain::subsidy::rule::APPROVER,
];

fn broke_maker_checker(status: &tonic::Status) -> bool {
    status
        .get_error_details()
        .precondition_failure()
        .is_some_and(|pf| {
            pf.violations
                .iter()
                .any(|v| MAKER_CHECKER.contains(&v.r#type.as_str()))
        })
}

fn names_request_id(status: &tonic::Status) -> bool {
    status
        .get_error_details()
        .bad_request()
        .is_some_and(|br| br.field_violations.iter().any(|v| v.field == "request_id"))
}

/// What to do next after a refusal of `status`, as a catalog id.
fn hint(status: &tonic::Status) -> Option<&'static str> {
    use tonic::Code;
    Some(match status.code() {
        Code::FailedPrecondition if broke_maker_checker(status) => "cli-hint-maker-checker",
        Code::InvalidArgument | Code::FailedPrecondition | Code::NotFound => "cli-hint-correct",
        Code::AlreadyExists if names_request_id(status) => "cli-hint-request-id-reused",
        Code::AlreadyExists => "cli-hint-exists",
        Code::Unauthenticated => "cli-hint-unauthenticated",
        Code::PermissionDenied => "cli-hint-permission",
        Code::ResourceExhausted => "cli-hint-exhausted",
        Code::Cancelled | Code::Unknown | Code::Unavailable => "cli-hint-unreachable",
        _ => return None,
    })
}

/// A refused or failed call, told with its field or rule and what to do
/// next, in the command line's language (in Chinese the catalog's words for
/// the rule or field come first, the server's technical line after).
/// `request_id` is the change's (a read has none): only a change says that
/// nothing was recorded, or how to retry when the outcome is unknown.
pub fn refused(status: &tonic::Status, request_id: Option<&str>) -> String {
    refused_in(status, request_id, lang())
}

fn refused_in(status: &tonic::Status, request_id: Option<&str>, lang: Lang) -> String {
    let hint = hint(status);
    let unknown = matches!(hint, None | Some("cli-hint-unreachable"));
    let mut out = match lang {
        Lang::En => describe(status),
        Lang::Zh => {
            let said = refusal(status, lang);
            let args = [("reason", said.into())];
            format!(
                "{}\n  {}",
                lang.t_args("cli-refused", &args),
                describe(status).replace('\n', "\n  ")
            )
        }
    };
    if let Some(id) = hint {
        let text = lang.t(id);
        let text = if request_id.is_some() && !unknown {
            lang.t_args("cli-nothing-recorded", &[("hint", text.into())])
        } else {
            text
        };
        out.push_str(&format!("\n{text}"));
    }
    if let (Some(id), true) = (request_id, unknown) {
        let retry = lang.t_args("cli-retry", &[("id", id.to_string().into())]);
        out.push_str(&format!("\n{retry}"));
    }
    out
}

/// Prints an answer as JSON or with `table`.
pub fn show<T: Serialize>(output: Output, value: &T, table: impl FnOnce(&T)) -> CliResult {
    match output {
        Output::Json => println!("{}", serde_json::to_string_pretty(value)?),
        Output::Table => table(value),
    }
    Ok(ExitCode::SUCCESS)
}

/// Calls the server with a change's request: `call!(c, method, change)`, or
/// `call!(c, method, change?)` when building the request parses arguments
/// and may fail. A refusal is mapped to its explanation, with the request id
/// to retry with when the outcome is unknown.
macro_rules! call {
    (@send $c:expr, $method:ident, $id:ident, $request:ident) => {
        $c.$method($request)
            .await
            .map_err(|s| $crate::cli::output::refused(&s, Some(&$id)))?
            .into_inner()
    };
    ($c:expr, $method:ident, $change:ident ?) => {{
        let (id, args) = $change.split();
        let request = args.request(id.clone())?;
        $crate::cli::output::call!(@send $c, $method, id, request)
    }};
    ($c:expr, $method:ident, $change:expr) => {{
        let (id, args) = $change.split();
        let request = args.request(id.clone());
        $crate::cli::output::call!(@send $c, $method, id, request)
    }};
}

/// A read: no request id; a refusal mapped to its explanation.
macro_rules! get {
    ($c:expr, $method:ident, $req:expr) => {
        $c.$method($req)
            .await
            .map_err(|s| $crate::cli::output::refused(&s, None))?
            .into_inner()
    };
}

pub(crate) use {call, get};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_groups_thousands() {
        assert_eq!(yuan("1234567.80"), "1,234,567.80");
        assert_eq!(yuan("-1000.00"), "-1,000.00");
        assert_eq!(yuan("999.99"), "999.99");
        assert_eq!(yuan("0.00"), "0.00");
        assert_eq!(yuan(""), "");
    }
}
