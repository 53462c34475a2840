//! `huzhu federation ...`: a township federation treasurer's work over gRPC:
//! member funds and the elected board, balancing surplus and deficit between
//! funds (余缺调剂) with placements and their fees, the relief pool, and the
//! supervision dashboard. Tables for people, `--output json` for scripts.
use clap::{Args, Subcommand, ValueEnum};

use super::client::Idem;
use super::output::{call, get, label, seqs, show, yuan, ClientArgs};
use super::CliResult;
use crate::pb::{self, federation_service_client::FederationServiceClient};

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
    Create {
        #[command(flatten)]
        idem: Idem,
        federation_id: String,
        #[arg(long)]
        name: String,
        #[command(flatten)]
        rules: FederationRuleArgs,
    },
    /// A federation's rules, member funds, board and bank.
    Show { federation_id: String },
    /// Seed capital of the federation itself.
    Capital {
        #[command(flatten)]
        idem: Idem,
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
    },
    /// Admit a fund (a fund belongs to one federation at most).
    Admit {
        #[command(flatten)]
        idem: Idem,
        #[command(flatten)]
        membership: MembershipArgs,
    },
    /// Remove a fund that has no open placement either way.
    Remove {
        #[command(flatten)]
        idem: Idem,
        #[command(flatten)]
        membership: MembershipArgs,
    },
    /// Record the board and supervisors elected by the member funds' delegates.
    ///
    /// Each officer is NAME@FUND: the name and the member fund whose delegate
    /// they are. All are farmers, none on both the board and the supervisors;
    /// a township official (--township-official) may sit but not chair.
    Elect {
        #[command(flatten)]
        idem: Idem,
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
    },
    /// A surplus fund places money with the federation, which pays it the placement rate.
    Place {
        #[command(flatten)]
        idem: Idem,
        #[command(flatten)]
        placement: PlaceArgs,
    },
    /// The federation places money with a deficit fund, at the placement rate plus the spread.
    Lend {
        #[command(flatten)]
        idem: Idem,
        #[command(flatten)]
        placement: PlaceArgs,
    },
    /// Repay principal of a placement, part or all, with its fee
    /// (principal × rate × days since placed / 360, rounded half-up once).
    Repay {
        #[command(flatten)]
        idem: Idem,
        federation_id: String,
        placement_id: String,
        /// Principal repaid, yuan; the fee is computed and added.
        #[arg(long)]
        principal: String,
        #[arg(long)]
        date: String,
    },
    /// A fund's balancing position: capital, limit, placed, borrowed, fees, placements.
    Position {
        federation_id: String,
        fund_id: String,
    },
    /// A member fund's contribution to the relief pool.
    Contribute {
        #[command(flatten)]
        idem: Idem,
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
    },
    /// Request relief for a fund's loan written off (at most its unrecovered loss).
    RequestRelief {
        #[command(flatten)]
        idem: Idem,
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
    },
    /// Approve a requested grant (not by the actor who requested it), within the pool.
    ApproveRelief {
        #[command(flatten)]
        idem: Idem,
        federation_id: String,
        grant_id: String,
        #[arg(long)]
        date: String,
    },
    /// The relief pool's balance and its history.
    Pool { federation_id: String },
    /// Supervision indicators of every member fund as of a date, with alerts.
    Dashboard {
        federation_id: String,
        /// YYYY-MM-DD (default: today).
        #[arg(long, default_value = "")]
        as_of: String,
    },
}

#[derive(Args)]
pub struct MembershipArgs {
    federation_id: String,
    fund_id: String,
    #[arg(long)]
    date: String,
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

fn print_federation(f: &pb::FederationResponse) {
    let r = f.rules.clone().unwrap_or_default();
    println!("{} ({})   bank {}", f.federation_id, f.name, yuan(&f.bank));
    println!(
        "  limit {} of capital each way  placement rate {}  spread {}  alerts: PAR30 above {}, liquidity below {}",
        r.limit_share, r.placement_rate_annual, r.spread_annual, r.par30_alert, r.liquidity_alert
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

fn direction(v: i32) -> String {
    label(
        v,
        pb::PlacementDirection::as_str_name,
        "PLACEMENT_DIRECTION_",
    )
}

fn print_placements(ps: &[pb::Placement]) {
    println!(
        "  {:<12} {:<14} {:<9} {:>12} {:>6} {:<10} {:>12} {:>10}",
        "placement", "fund", "direction", "principal", "rate", "placed", "outstanding", "fees"
    );
    for p in ps {
        println!(
            "  {:<12} {:<14} {:<9} {:>12} {:>6} {:<10} {:>12} {:>10}",
            p.placement_id,
            p.fund_id,
            direction(p.direction),
            yuan(&p.principal),
            p.rate_annual,
            p.placed_on,
            yuan(&p.outstanding),
            yuan(&p.fees_paid)
        );
    }
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

fn print_position(p: &pb::BalancingPosition) {
    println!(
        "{}: capital {}  limit {} each way",
        p.fund_id,
        yuan(&p.capital),
        yuan(&p.limit)
    );
    println!(
        "  placed {}  borrowed {}  fees received {}  fees paid {}",
        yuan(&p.placed),
        yuan(&p.borrowed),
        yuan(&p.fees_received),
        yuan(&p.fees_paid)
    );
    if !p.placements.is_empty() {
        print_placements(&p.placements);
    }
}

fn print_relief(r: &pb::ReliefResponse) {
    println!("relief pool {}", yuan(&r.pool));
    for l in &r.history {
        let kind = label(l.kind, pb::ReliefKind::as_str_name, "RELIEF_KIND_");
        println!(
            "  {:<10} {:<16} {:<14} {:>12} {:<10} {}",
            l.date,
            kind,
            l.fund_id,
            yuan(&l.amount),
            l.actor,
            l.detail
        );
    }
    seqs(&r.entry_seqs, r.replayed);
}

/// A ratio for the dashboard: "-" when its denominator is zero.
fn ratio(text: &str) -> &str {
    if text.is_empty() {
        "-"
    } else {
        text
    }
}

fn print_dashboard(d: &pb::Dashboard) {
    println!("{} as of {}", d.federation_id, d.as_of);
    println!(
        "  bank {}  placements {}  borrowings {}  seed capital {}  relief pool {}  fee income {}",
        yuan(&d.bank),
        yuan(&d.placements),
        yuan(&d.borrowings),
        yuan(&d.seed_capital),
        yuan(&d.relief_pool),
        yuan(&d.fee_income)
    );
    println!(
        "{:<14} {:>7} {:>7} {:>9} {:>9} {:>11} {:>8} {:>7} {:>8}  alerts",
        "fund",
        "PAR30",
        "PAR90",
        "write-off",
        "liquidity",
        "utilization",
        "largest",
        "poor",
        "reserve"
    );
    for f in &d.funds {
        let line = format!(
            "{:<14} {:>7} {:>7} {:>9} {:>9} {:>11} {:>8} {:>7} {:>8}  {}",
            f.fund_id,
            ratio(&f.par30),
            ratio(&f.par90),
            ratio(&f.write_off_ratio),
            ratio(&f.liquidity),
            ratio(&f.utilization),
            ratio(&f.largest_borrower_share),
            ratio(&f.poor_share),
            ratio(&f.reserve_cover),
            f.alerts.join("; ")
        );
        println!("{}", line.trim_end());
    }
    println!("{} alert(s)", d.alerts);
}

pub async fn run(args: ClientArgs<FederationCommand>) -> CliResult {
    let (mut c, output, command) = args.open(FederationServiceClient::new).await?;
    let place = |p: PlaceArgs| {
        move |request_id| pb::PlaceRequest {
            request_id,
            federation_id: p.federation_id,
            placement_id: p.placement_id,
            fund_id: p.fund,
            amount: p.amount,
            value_date: p.date,
        }
    };
    let membership = |m: MembershipArgs| {
        move |request_id| pb::FundMembershipRequest {
            request_id,
            federation_id: m.federation_id,
            fund_id: m.fund_id,
            date: m.date,
        }
    };
    use FederationCommand as F;
    match command {
        F::Create {
            idem,
            federation_id,
            name,
            rules: r,
        } => {
            let r = call!(c, create_federation, idem.id(), |request_id| {
                pb::CreateFederationRequest {
                    request_id,
                    federation_id,
                    name,
                    rules: Some(pb::FederationRules {
                        limit_share: r.limit_share.unwrap_or_default(),
                        placement_rate_annual: r.placement_rate.unwrap_or_default(),
                        spread_annual: r.spread.unwrap_or_default(),
                        par30_alert: r.par30_alert.unwrap_or_default(),
                        liquidity_alert: r.liquidity_alert.unwrap_or_default(),
                    }),
                }
            });
            show(output, &r, print_federation)
        }
        F::Show { federation_id } => {
            let r = get!(
                c,
                get_federation,
                pb::GetFederationRequest { federation_id }
            );
            show(output, &r, print_federation)
        }
        F::Capital {
            idem,
            federation_id,
            source,
            amount,
            date,
        } => {
            let r = call!(c, add_federation_capital, idem.id(), |request_id| {
                pb::AddFederationCapitalRequest {
                    request_id,
                    federation_id,
                    source,
                    amount,
                    value_date: date,
                }
            });
            show(output, &r, |r| seqs(&r.entry_seqs, r.replayed))
        }
        F::Admit {
            idem,
            membership: m,
        } => {
            let r = call!(c, admit_fund, idem.id(), membership(m));
            show(output, &r, print_federation)
        }
        F::Remove {
            idem,
            membership: m,
        } => {
            let r = call!(c, remove_fund, idem.id(), membership(m));
            show(output, &r, print_federation)
        }
        F::Elect {
            idem,
            federation_id,
            chair,
            directors,
            supervisors,
            officials,
            date,
        } => {
            let all = |specs: &[String]| {
                specs
                    .iter()
                    .map(|s| officer(s, &officials))
                    .collect::<Result<Vec<_>, _>>()
            };
            let (chair, directors, supervisors) = (
                officer(&chair, &officials)?,
                all(&directors)?,
                all(&supervisors)?,
            );
            let r = call!(c, elect_board, idem.id(), |request_id| {
                pb::ElectBoardRequest {
                    request_id,
                    federation_id,
                    chair: Some(chair),
                    directors,
                    supervisors,
                    date,
                }
            });
            show(output, &r, print_federation)
        }
        F::Place { idem, placement } => {
            let r = call!(c, place_with_federation, idem.id(), place(placement));
            show(output, &r, print_placement)
        }
        F::Lend { idem, placement } => {
            let r = call!(c, lend_to_fund, idem.id(), place(placement));
            show(output, &r, print_placement)
        }
        F::Repay {
            idem,
            federation_id,
            placement_id,
            principal,
            date,
        } => {
            let r = call!(c, repay_placement, idem.id(), |request_id| {
                pb::RepayPlacementRequest {
                    request_id,
                    federation_id,
                    placement_id,
                    principal,
                    value_date: date,
                }
            });
            show(output, &r, print_placement)
        }
        F::Position {
            federation_id,
            fund_id,
        } => {
            let r = get!(
                c,
                get_balancing_position,
                pb::GetBalancingPositionRequest {
                    federation_id,
                    fund_id
                }
            );
            show(output, &r, print_position)
        }
        F::Contribute {
            idem,
            federation_id,
            contribution_id,
            fund,
            basis,
            amount,
            share,
            date,
        } => {
            let basis = match basis {
                BasisArg::Fixed => pb::ContributionBasis::Fixed,
                BasisArg::FeeShare => pb::ContributionBasis::FeeShare,
            } as i32;
            let r = call!(c, contribute_relief, idem.id(), |request_id| {
                pb::ContributeReliefRequest {
                    request_id,
                    federation_id,
                    contribution_id,
                    fund_id: fund,
                    basis,
                    amount,
                    share,
                    value_date: date,
                }
            });
            show(output, &r, print_relief)
        }
        F::RequestRelief {
            idem,
            federation_id,
            grant_id,
            fund,
            loan,
            amount,
            reason,
            date,
        } => {
            let r = call!(c, request_relief, idem.id(), |request_id| {
                pb::RequestReliefRequest {
                    request_id,
                    federation_id,
                    grant_id,
                    fund_id: fund,
                    loan_id: loan,
                    amount,
                    reason,
                    date,
                }
            });
            show(output, &r, print_relief)
        }
        F::ApproveRelief {
            idem,
            federation_id,
            grant_id,
            date,
        } => {
            let r = call!(c, approve_relief, idem.id(), |request_id| {
                pb::ApproveReliefRequest {
                    request_id,
                    federation_id,
                    grant_id,
                    value_date: date,
                }
            });
            show(output, &r, print_relief)
        }
        F::Pool { federation_id } => {
            let r = get!(
                c,
                get_relief_pool,
                pb::GetReliefPoolRequest { federation_id }
            );
            show(output, &r, print_relief)
        }
        F::Dashboard {
            federation_id,
            as_of,
        } => {
            let r = get!(
                c,
                get_dashboard,
                pb::GetDashboardRequest {
                    federation_id,
                    as_of
                }
            );
            show(output, &r, print_dashboard)
        }
    }
}
