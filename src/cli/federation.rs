//! `huzhu federation ...`: a township federation treasurer's work over gRPC:
//! member funds and the elected board, balancing surplus and deficit between
//! funds (余缺调剂) with placements and their fees, the relief pool, and the
//! supervision dashboard. Tables for people, `--output json` for scripts.
use clap::{Args, Subcommand, ValueEnum};

use fluent_bundle::FluentValue;

use super::lang::lang;
use super::output::{
    call, get, headed, label, percent, seqs, show, yuan, Change, ClientArgs, DayCountArg,
};
use super::CliResult;
use crate::pb::{self, federation_service_client::FederationServiceClient};
use crate::web::federation::alert_text;
use crate::web::{balancing, relief};

/// A federation's rules at creation; anything not given takes DOMAIN.md's default.
#[derive(Args)]
pub struct FederationRuleArgs {
    /// A fund's placements, and separately its borrowings, at most this share
    /// of its capital (default 0.30).
    #[arg(long)]
    limit_share: Option<String>,
    /// Annual rate paid to a fund that places with the federation (default 0.036).
    #[arg(long)]
    placement_rate: Option<String>,
    /// Kept by the federation on top of the placement rate when it lends to a
    /// fund (default 0.012).
    #[arg(long)]
    spread: Option<String>,
    /// Alert when a fund's PAR30 is above this (default 0.05).
    #[arg(long)]
    par30_alert: Option<String>,
    /// Alert when a fund's liquidity is below this (default 0.10).
    #[arg(long)]
    liquidity_alert: Option<String>,
    /// How balancing fees count days (default months-and-days).
    #[arg(long, value_enum)]
    day_count: Option<DayCountArg>,
    /// Days after a quarter by which member funds must close it (default 5).
    #[arg(long)]
    report_due_days: Option<u32>,
}

impl FederationRuleArgs {
    fn rules(self) -> pb::FederationRules {
        pb::FederationRules {
            limit_share: self.limit_share.unwrap_or_default(),
            placement_rate_annual: self.placement_rate.unwrap_or_default(),
            spread_annual: self.spread.unwrap_or_default(),
            par30_alert: self.par30_alert.unwrap_or_default(),
            liquidity_alert: self.liquidity_alert.unwrap_or_default(),
            day_count: self.day_count.map_or(0, DayCountArg::wire),
            report_due_days: self.report_due_days.unwrap_or_default(),
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum BasisArg {
    /// A fixed amount (--amount).
    Fixed,
    /// A share (--share) of the fund's fee income to date.
    FeeShare,
}

#[derive(Subcommand)]
pub enum FederationCommand {
    /// Create a federation: its book and its rules.
    Create(Change<CreateArgs>),
    /// A federation's rules, member funds, board and bank.
    Show(ShowArgs),
    /// Seed capital of the federation itself.
    Capital(Change<CapitalArgs>),
    /// Admit a fund (a fund belongs to one federation at most).
    Admit(Change<MembershipArgs>),
    /// Remove a fund that has no open placement either way.
    Remove(Change<MembershipArgs>),
    /// Record the board and supervisors elected by the member funds' delegates.
    ///
    /// Each officer is NAME@FUND: the name and the member fund whose delegate
    /// they are. All are farmers, none on both the board and the supervisors;
    /// a township official (--township-official) may sit but not chair.
    Elect(Change<ElectArgs>),
    /// A surplus fund places money with the federation, which pays it the placement rate.
    Place(Change<PlaceArgs>),
    /// The federation places money with a deficit fund, at the placement rate plus the spread.
    Lend(Change<PlaceArgs>),
    /// Repay principal of a placement, part or all, with its fee
    /// (principal × rate × days since placed / 360, rounded half-up once).
    Repay(Change<RepayArgs>),
    /// A fund's balancing position: capital, limit, placed, borrowed, fees, placements.
    Position(PositionArgs),
    /// A member fund's contribution to the relief pool.
    Contribute(Change<ContributeArgs>),
    /// Request relief for a fund's loan written off (at most its unrecovered loss).
    RequestRelief(Change<RequestReliefArgs>),
    /// Approve a requested grant (not by the actor who requested it), within the pool.
    ApproveRelief(Change<ApproveReliefArgs>),
    /// The relief pool's balance and its history.
    Pool(PoolArgs),
    /// Supervision indicators of every member fund as of a date, with alerts.
    Dashboard(DashboardArgs),
}

#[derive(Args)]
pub struct CreateArgs {
    federation_id: String,
    #[arg(long)]
    name: String,
    #[command(flatten)]
    rules: FederationRuleArgs,
}

impl CreateArgs {
    fn request(self, request_id: String) -> pb::CreateFederationRequest {
        pb::CreateFederationRequest {
            request_id,
            federation_id: self.federation_id,
            name: self.name,
            rules: Some(self.rules.rules()),
        }
    }
}

#[derive(Args)]
pub struct ShowArgs {
    federation_id: String,
}

impl ShowArgs {
    fn request(self) -> pb::GetFederationRequest {
        pb::GetFederationRequest {
            federation_id: self.federation_id,
        }
    }
}

#[derive(Args)]
pub struct CapitalArgs {
    federation_id: String,
    /// Where it comes from: letters, digits, '-', '_', '.', e.g. county.
    #[arg(long)]
    source: String,
    /// Yuan, e.g. 20000 or 2500.50.
    #[arg(long)]
    amount: String,
    /// Value date, YYYY-MM-DD.
    #[arg(long)]
    date: String,
}

impl CapitalArgs {
    fn request(self, request_id: String) -> pb::AddFederationCapitalRequest {
        pb::AddFederationCapitalRequest {
            request_id,
            federation_id: self.federation_id,
            source: self.source,
            amount: self.amount,
            value_date: self.date,
        }
    }
}

#[derive(Args)]
pub struct MembershipArgs {
    federation_id: String,
    fund_id: String,
    #[arg(long)]
    date: String,
}

impl MembershipArgs {
    fn request(self, request_id: String) -> pb::FundMembershipRequest {
        pb::FundMembershipRequest {
            request_id,
            federation_id: self.federation_id,
            fund_id: self.fund_id,
            date: self.date,
        }
    }
}

#[derive(Args)]
pub struct ElectArgs {
    federation_id: String,
    /// NAME@FUND, e.g. "Li Ming@fund-a".
    #[arg(long)]
    chair: String,
    /// NAME@FUND; repeatable.
    #[arg(long = "director")]
    directors: Vec<String>,
    /// NAME@FUND; repeatable.
    #[arg(long = "supervisor")]
    supervisors: Vec<String>,
    /// The name of an officer who is a township official; repeatable.
    #[arg(long = "township-official")]
    officials: Vec<String>,
    #[arg(long)]
    date: String,
}

impl ElectArgs {
    /// The board's request; refused when an officer is not NAME@FUND.
    fn request(self, request_id: String) -> Result<pb::ElectBoardRequest, String> {
        let officials = &self.officials;
        let all = |specs: &[String]| {
            specs
                .iter()
                .map(|s| officer(s, officials))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(pb::ElectBoardRequest {
            request_id,
            federation_id: self.federation_id,
            chair: Some(officer(&self.chair, officials)?),
            directors: all(&self.directors)?,
            supervisors: all(&self.supervisors)?,
            date: self.date,
        })
    }
}

/// Parses NAME@FUND; `officials` names the township officials.
fn officer(spec: &str, officials: &[String]) -> Result<pb::Officer, String> {
    let (name, fund_id) = spec
        .rsplit_once('@')
        .ok_or_else(|| format!("{spec:?} is not NAME@FUND, e.g. \"Li Ming@fund-a\""))?;
    Ok(pb::Officer {
        name: name.into(),
        fund_id: fund_id.into(),
        township_official: officials.iter().any(|o| o == name),
    })
}

#[derive(Args)]
pub struct PlaceArgs {
    federation_id: String,
    placement_id: String,
    /// The fund that places, or is lent to.
    #[arg(long)]
    fund: String,
    /// Yuan, within the fund's limit.
    #[arg(long)]
    amount: String,
    /// Value date, YYYY-MM-DD.
    #[arg(long)]
    date: String,
}

impl PlaceArgs {
    fn request(self, request_id: String) -> pb::PlaceRequest {
        pb::PlaceRequest {
            request_id,
            federation_id: self.federation_id,
            placement_id: self.placement_id,
            fund_id: self.fund,
            amount: self.amount,
            value_date: self.date,
        }
    }
}

#[derive(Args)]
pub struct RepayArgs {
    federation_id: String,
    placement_id: String,
    /// Principal repaid, yuan; the fee is computed and added.
    #[arg(long)]
    principal: String,
    #[arg(long)]
    date: String,
}

impl RepayArgs {
    fn request(self, request_id: String) -> pb::RepayPlacementRequest {
        pb::RepayPlacementRequest {
            request_id,
            federation_id: self.federation_id,
            placement_id: self.placement_id,
            principal: self.principal,
            value_date: self.date,
        }
    }
}

#[derive(Args)]
pub struct PositionArgs {
    federation_id: String,
    fund_id: String,
}

impl PositionArgs {
    fn request(self) -> pb::GetBalancingPositionRequest {
        pb::GetBalancingPositionRequest {
            federation_id: self.federation_id,
            fund_id: self.fund_id,
        }
    }
}

#[derive(Args)]
pub struct ContributeArgs {
    federation_id: String,
    contribution_id: String,
    #[arg(long)]
    fund: String,
    #[arg(long, value_enum)]
    basis: BasisArg,
    /// Yuan, with --basis fixed.
    #[arg(long, default_value = "")]
    amount: String,
    /// A fraction of the fund's fee income to date, with --basis fee-share, e.g. 0.05.
    #[arg(long, default_value = "")]
    share: String,
    #[arg(long)]
    date: String,
}

impl ContributeArgs {
    fn request(self, request_id: String) -> pb::ContributeReliefRequest {
        let basis = match self.basis {
            BasisArg::Fixed => pb::ContributionBasis::Fixed,
            BasisArg::FeeShare => pb::ContributionBasis::FeeShare,
        };
        pb::ContributeReliefRequest {
            request_id,
            federation_id: self.federation_id,
            contribution_id: self.contribution_id,
            fund_id: self.fund,
            basis: basis as i32,
            amount: self.amount,
            share: self.share,
            value_date: self.date,
        }
    }
}

#[derive(Args)]
pub struct RequestReliefArgs {
    federation_id: String,
    grant_id: String,
    #[arg(long)]
    fund: String,
    /// The fund's loan written off.
    #[arg(long)]
    loan: String,
    #[arg(long)]
    amount: String,
    #[arg(long)]
    reason: String,
    #[arg(long)]
    date: String,
}

impl RequestReliefArgs {
    fn request(self, request_id: String) -> pb::RequestReliefRequest {
        pb::RequestReliefRequest {
            request_id,
            federation_id: self.federation_id,
            grant_id: self.grant_id,
            fund_id: self.fund,
            loan_id: self.loan,
            amount: self.amount,
            reason: self.reason,
            date: self.date,
        }
    }
}

#[derive(Args)]
pub struct ApproveReliefArgs {
    federation_id: String,
    grant_id: String,
    #[arg(long)]
    date: String,
}

impl ApproveReliefArgs {
    fn request(self, request_id: String) -> pb::ApproveReliefRequest {
        pb::ApproveReliefRequest {
            request_id,
            federation_id: self.federation_id,
            grant_id: self.grant_id,
            value_date: self.date,
        }
    }
}

#[derive(Args)]
pub struct PoolArgs {
    federation_id: String,
}

impl PoolArgs {
    fn request(self) -> pb::GetReliefPoolRequest {
        pb::GetReliefPoolRequest {
            federation_id: self.federation_id,
        }
    }
}

#[derive(Args)]
pub struct DashboardArgs {
    federation_id: String,
    /// YYYY-MM-DD (default: today).
    #[arg(long, default_value = "")]
    as_of: String,
    /// First day of the period the ratios cover, YYYY-MM-DD (default:
    /// January 1 of --as-of's year).
    #[arg(long, default_value = "")]
    period_from: String,
}

impl DashboardArgs {
    fn request(self) -> pb::GetDashboardRequest {
        pb::GetDashboardRequest {
            federation_id: self.federation_id,
            as_of: self.as_of,
            period_from: self.period_from,
        }
    }
}

fn print_federation(f: &pb::FederationResponse) {
    let r = f.rules.clone().unwrap_or_default();
    println!("{} ({})   bank {}", f.federation_id, f.name, yuan(&f.bank));
    println!(
        "  limit {} of capital each way  placement rate {}  spread {}  alerts: PAR30 above {}, liquidity below {}",
        r.limit_share, r.placement_rate_annual, r.spread_annual, r.par30_alert, r.liquidity_alert
    );
    println!(
        "  fee days counted {}  quarters due {} days after their end",
        label(r.day_count, pb::DayCount::as_str_name, "DAY_COUNT_"),
        r.report_due_days
    );
    println!("  member funds: {}", f.member_funds.join(", "));
    let names = |os: &[pb::Officer]| {
        os.iter()
            .map(|o| format!("{} ({})", o.name, o.fund_id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(chair) = &f.chair {
        println!(
            "  board elected {}: chair {}; directors {}; supervisors {}",
            f.board_elected_on,
            names(std::slice::from_ref(chair)),
            names(&f.directors),
            names(&f.supervisors)
        );
    }
    seqs(&[], f.replayed);
}

fn print_placements(ps: &[pb::Placement]) {
    let rows = ps
        .iter()
        .map(|p| {
            vec![
                p.placement_id.clone(),
                p.fund_id.clone(),
                balancing::direction(p, lang()),
                yuan(&p.principal),
                percent(&p.rate_annual),
                p.placed_on.clone(),
                yuan(&p.outstanding),
                yuan(&p.fees_paid),
            ]
        })
        .collect();
    let header = [
        "placement-id",
        "fund",
        "placement-direction",
        "principal",
        "rate-annual",
        "placed-on",
        "placement-outstanding",
        "col-fees",
    ];
    println!("{}", headed(&header, &[3, 4, 6, 7], rows));
}

fn print_placement(r: &pb::PlacementResponse) {
    let p = r.placement.clone().unwrap_or_default();
    print_placements(std::slice::from_ref(&p));
    for x in &p.repayments {
        println!(
            "    repaid {} on {} with a fee of {}",
            yuan(&x.principal),
            x.date,
            yuan(&x.fee)
        );
    }
    seqs(&r.entry_seqs, r.replayed);
}

/// Named texts as a message's arguments.
fn fluent_args<const N: usize>(
    named: [(&'static str, String); N],
) -> Vec<(&'static str, FluentValue<'static>)> {
    named.into_iter().map(|(k, v)| (k, v.into())).collect()
}

fn print_position(p: &pb::BalancingPosition) {
    let money = [
        ("fund", p.fund_id.clone()),
        ("capital", yuan(&p.capital)),
        ("limit", yuan(&p.limit)),
        ("placed", yuan(&p.placed)),
        ("borrowed", yuan(&p.borrowed)),
        ("received", yuan(&p.fees_received)),
        ("paid", yuan(&p.fees_paid)),
    ];
    let args = fluent_args(money);
    println!("{}", lang().t_args("cli-position-head", &args));
    println!("  {}", lang().t_args("cli-position-money", &args));
    if !p.placements.is_empty() {
        print_placements(&p.placements);
    }
}

fn print_relief(r: &pb::ReliefResponse) {
    let lang = lang();
    println!(
        "{}",
        lang.t_args("cli-relief-pool", &[("pool", yuan(&r.pool).into())])
    );
    let rows = r
        .history
        .iter()
        .map(|l| {
            vec![
                l.date.clone(),
                relief::kind(l, lang),
                l.fund_id.clone(),
                yuan(&l.amount),
                l.actor.clone(),
                relief::detail(l, lang),
            ]
        })
        .collect();
    let header = [
        "date-column",
        "relief-kind",
        "fund",
        "amount",
        "relief-by",
        "relief-detail",
    ];
    println!("{}", headed(&header, &[3], rows));
    seqs(&r.entry_seqs, r.replayed);
}

/// A ratio for the dashboard: "-" when its denominator is zero.
/// The dashboard: the federation's money, then one row per member fund
/// with its ratios as percentages (`!` marks a fund with alerts), then
/// each fund's alerts in the web client's words.
fn print_dashboard(d: &pb::Dashboard) {
    let lang = lang();
    let money = [
        ("federation", d.federation_id.clone()),
        ("as_of", d.as_of.clone()),
        ("bank", yuan(&d.bank)),
        ("placements", yuan(&d.placements)),
        ("borrowings", yuan(&d.borrowings)),
        ("seed", yuan(&d.seed_capital)),
        ("pool", yuan(&d.relief_pool)),
        ("fees", yuan(&d.fee_income)),
    ];
    let args = fluent_args(money);
    println!("{}", lang.t_args("cli-dashboard-head", &args));
    println!("  {}", lang.t_args("cli-dashboard-money", &args));
    let rows = d
        .funds
        .iter()
        .map(|f| {
            let ratios = [
                &f.par30,
                &f.par90,
                &f.write_off_ratio,
                &f.liquidity,
                &f.utilization,
                &f.largest_borrower_share,
                &f.poor_share,
                &f.reserve_cover,
            ];
            let alerted = if f.alerts.is_empty() { "" } else { "!" };
            let fund = format!("{}{alerted}", f.fund_id);
            [fund]
                .into_iter()
                .chain(ratios.map(|r| percent(r)))
                .collect()
        })
        .collect();
    let header = [
        "fund",
        "col-par30",
        "col-par90",
        "col-write-off",
        "liquidity",
        "utilization",
        "col-largest",
        "col-poor",
        "reserve-cover",
    ];
    println!("{}", headed(&header, &[1, 2, 3, 4, 5, 6, 7, 8], rows));
    for f in d.funds.iter().filter(|f| !f.alerts.is_empty()) {
        let alerts: Vec<String> = f.alerts.iter().map(|a| alert_text(a, lang)).collect();
        println!("  ! {}: {}", f.fund_id, alerts.join("; "));
    }
    println!(
        "{}",
        lang.t_args("alerts-count", &[("count", d.alerts.into())])
    );
}

pub async fn run(args: ClientArgs<FederationCommand>) -> CliResult {
    let (mut c, output, command) = args.open(FederationServiceClient::new).await?;
    use FederationCommand as F;
    match command {
        F::Create(a) => show(output, &call!(c, create_federation, a), print_federation),
        F::Show(a) => show(
            output,
            &get!(c, get_federation, a.request()),
            print_federation,
        ),
        F::Capital(a) => show(output, &call!(c, add_federation_capital, a), |r| {
            seqs(&r.entry_seqs, r.replayed)
        }),
        F::Admit(a) => show(output, &call!(c, admit_fund, a), print_federation),
        F::Remove(a) => show(output, &call!(c, remove_fund, a), print_federation),
        F::Elect(a) => show(output, &call!(c, elect_board, a?), print_federation),
        F::Place(a) => show(output, &call!(c, place_with_federation, a), print_placement),
        F::Lend(a) => show(output, &call!(c, lend_to_fund, a), print_placement),
        F::Repay(a) => show(output, &call!(c, repay_placement, a), print_placement),
        F::Position(a) => {
            let r = get!(c, get_balancing_position, a.request());
            show(output, &r, print_position)
        }
        F::Contribute(a) => show(output, &call!(c, contribute_relief, a), print_relief),
        F::RequestRelief(a) => show(output, &call!(c, request_relief, a), print_relief),
        F::ApproveRelief(a) => show(output, &call!(c, approve_relief, a), print_relief),
        F::Pool(a) => show(output, &get!(c, get_relief_pool, a.request()), print_relief),
        F::Dashboard(a) => show(
            output,
            &get!(c, get_dashboard, a.request()),
            print_dashboard,
        ),
    }
}
