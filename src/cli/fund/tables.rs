//! How a fund's answers read as tables.
use serde::Serialize;

use crate::cli::lang::lang;
use crate::cli::output::{
    headed, label, poverty, print_schedule, repayment_method, seqs, table, yuan,
};
use crate::i18n::Lang;
use crate::pb;
use crate::web::fund::flag_id;
use crate::web::member::loan_status_id;

fn loan_status(v: i32) -> String {
    label(v, pb::LoanStatus::as_str_name, "LOAN_STATUS_")
}

/// The entries an operation posted.
pub fn print_operation(r: &pb::OperationResponse) {
    seqs(&r.entry_seqs, r.replayed);
}

pub fn print_fund(f: &pb::FundResponse) {
    let r = f.rules.clone().unwrap_or_default();
    println!("{} ({})", f.fund_id, f.name);
    println!(
        "  members {}   cash {}   bank {}",
        f.active_members,
        yuan(&f.cash),
        yuan(&f.bank)
    );
    println!(
        "  share {}  first loan <= {}  loan <= {}  term <= {} months  fee {} a year{}  penalty {}",
        yuan(&r.share_price),
        yuan(&r.first_loan_max),
        yuan(&r.loan_max),
        r.term_max_months,
        r.fee_rate_annual,
        if r.fee_upfront { " (upfront)" } else { "" },
        r.penalty_rate_annual
    );
    println!(
        "  days counted {}",
        label(r.day_count, pb::DayCount::as_str_name, "DAY_COUNT_")
    );
    println!(
        "  surplus: welfare {}  accumulation {}  risk {}  dividends {}",
        r.welfare_share, r.accumulation_share, r.risk_share, r.dividend_share
    );
}

/// The borrower's household status: its flags in `lang` (建档立卡, 低保…).
fn household(l: &pb::LoanLine, lang: Lang) -> String {
    if l.member_flags.is_empty() {
        return lang.t("flag-none");
    }
    let flags: Vec<String> = l.member_flags.iter().map(|f| lang.t(flag_id(*f))).collect();
    flags.join(" / ")
}

/// The loan ledger (台账): a row per loan, in the command line's language.
pub fn print_loan_lines(lines: &[pb::LoanLine]) {
    let lang = lang();
    let rows = lines
        .iter()
        .map(|l| {
            let mut status = lang.t(loan_status_id(l.status));
            if l.restructured {
                status = format!("{status} ({})", lang.t("restructured"));
            }
            vec![
                l.loan_id.clone(),
                l.member_id.clone(),
                household(l, lang),
                status,
                yuan(&l.principal),
                yuan(&l.outstanding_principal),
                yuan(&l.fee_due),
                yuan(&l.penalty_due),
                l.days_past_due.to_string(),
                l.bucket.clone(),
                l.maturity.clone(),
            ]
        })
        .collect();
    let header = [
        "loan-id",
        "col-member",
        "household-status",
        "loan-status",
        "principal",
        "outstanding",
        "fee-due",
        "penalty",
        "days-past-due",
        "bucket",
        "maturity",
    ];
    println!("{}", headed(&header, &[4, 5, 6, 7, 8], rows));
}

pub fn print_member(m: &pb::MemberResponse) {
    let p = m.member.clone().unwrap_or_default();
    let left = if p.left.is_empty() {
        String::new()
    } else {
        format!(", left {}", p.left)
    };
    println!(
        "{} {} (household {}), {}, joined {}{left}",
        p.member_id,
        p.name,
        p.household_id,
        poverty(p.status),
        p.joined
    );
    println!(
        "  own shares {}   allocated shares {}   group {}",
        yuan(&m.own_shares),
        yuan(&m.allocated_shares),
        if m.guarantee_group.is_empty() {
            "-"
        } else {
            &m.guarantee_group
        }
    );
    if !m.next_due_date.is_empty() {
        println!(
            "  next installment {} on {}",
            yuan(&m.next_due_amount),
            m.next_due_date
        );
    }
    if !m.loans.is_empty() {
        print_loan_lines(&m.loans);
    }
    seqs(&m.entry_seqs, m.replayed);
}

/// A loan's life: applied, approved, disbursed, written off, restructured, closed.
fn trail(l: &pb::Loan) -> String {
    let mut trail = format!("  applied {} by {}", l.applied_on, l.applied_by);
    if !l.approved_on.is_empty() {
        trail.push_str(&format!(
            "; approved {} by {}{}",
            l.approved_on,
            l.approved_by,
            if l.board_approved {
                " and the board"
            } else {
                ""
            }
        ));
    }
    if !l.disbursed_on.is_empty() {
        trail.push_str(&format!("; disbursed {}", l.disbursed_on));
    }
    if !l.write_off_requested_by.is_empty() {
        trail.push_str(&format!(
            "; write-off asked by {} ({})",
            l.write_off_requested_by, l.write_off_requested_decision
        ));
    }
    if !l.written_off_by.is_empty() {
        trail.push_str(&format!(
            "; written off {} by {}",
            yuan(&l.written_off),
            l.written_off_by
        ));
    }
    if l.restructured {
        trail.push_str(&format!(
            "; restructured, rescheduled from {}",
            l.rescheduled_from
        ));
    }
    if !l.closed_on.is_empty() {
        trail.push_str(&format!("; closed {}", l.closed_on));
    }
    trail
}

/// A loan's purpose: its industry, the business that uses it, the words.
fn purpose(l: &pb::Loan) -> String {
    let category = label(
        l.purpose_category,
        pb::PurposeCategory::as_str_name,
        "PURPOSE_CATEGORY_",
    );
    let used_by = if l.business.is_empty() {
        String::new()
    } else {
        format!(", used by {}", l.business)
    };
    format!("purpose {category}{used_by}: {}", l.purpose)
}

pub fn print_loan(r: &pb::LoanResponse) {
    let l = r.loan.clone().unwrap_or_default();
    let method = repayment_method(l.method);
    println!(
        "loan {} of {}: {} over {} months, {method}, {} a year: {}",
        l.loan_id,
        l.member_id,
        yuan(&l.principal),
        l.term_months,
        l.rate_annual,
        loan_status(l.status)
    );
    println!("{}", trail(&l));
    println!("  {}", purpose(&l));
    println!("  outstanding principal {}", yuan(&l.outstanding_principal));
    print_schedule(&l.schedule, "col-fee");
    for p in &l.repayments {
        println!(
            "  paid {} on {}: penalty {}, fee {}, principal {}",
            yuan(&p.amount),
            p.date,
            yuan(&p.penalty),
            yuan(&p.fee),
            yuan(&p.principal)
        );
    }
    seqs(&r.entry_seqs, r.replayed);
}

pub fn print_year_end(y: &pb::YearEndResponse) {
    println!("year-end {}: surplus {}", y.year, yuan(&y.surplus));
    println!(
        "  welfare {}  accumulation {}  risk {}  dividends {}",
        yuan(&y.welfare),
        yuan(&y.accumulation),
        yuan(&y.risk),
        yuan(&y.dividends)
    );
    for d in &y.member_dividends {
        println!("  {:<12} {:>12}", d.member_id, yuan(&d.amount));
    }
    seqs(&y.entry_seqs, y.replayed);
}

pub fn print_group(g: &pb::GuaranteeGroupResponse) {
    println!(
        "group {} formed {}: {}",
        g.group_id,
        g.formed,
        g.member_ids.join(", ")
    )
}

pub fn print_loans(r: &pb::ListLoansResponse) {
    let args = [("date", r.as_of.clone().into())];
    println!("{}", lang().t_args("cli-loan-ledger", &args));
    print_loan_lines(&r.loans);
}

/// One fund's day-end for one date, as printed in JSON (`fundId` beside
/// the answer's own fields, in its proto3 style).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DayEndRun {
    pub fund_id: String,
    #[serde(flatten)]
    pub result: pb::DayEndResponse,
}

pub fn print_day_end(runs: &[DayEndRun]) {
    let lang = lang();
    let rows = runs
        .iter()
        .map(|r| {
            let mut date = r.result.date.clone();
            if r.result.replayed {
                date = format!("{date} ({})", lang.t("cli-already-run"));
            }
            vec![
                r.fund_id.clone(),
                date,
                r.result.loans_accrued.to_string(),
                yuan(&r.result.fee_accrued),
                yuan(&r.result.penalty_accrued),
            ]
        })
        .collect();
    let header = ["fund", "date-column", "col-loans", "col-fee", "penalty"];
    println!("{}", headed(&header, &[2, 3, 4], rows));
}

/// The collection sheet: one table, a group's lines under its name, the
/// members in no group last, then the sheet's total.
pub fn print_collection_sheet(s: &pb::CollectionSheetResponse) {
    println!("collection sheet of {}", s.date);
    let mut rows = Vec::new();
    for g in &s.groups {
        for l in &g.lines {
            rows.push(vec![
                group_name(g).to_string(),
                l.member_id.clone(),
                l.member_name.clone(),
                l.loan_id.clone(),
                format!("{} {}", l.installment_no, l.due_date),
                yuan(&l.overdue),
                yuan(&l.due),
                yuan(&l.penalty),
                yuan(&l.total),
                l.days_past_due.to_string(),
            ]);
        }
    }
    let header = [
        "group",
        "member",
        "name",
        "loan",
        "installment",
        "overdue",
        "due",
        "penalty",
        "total",
        "dpd",
    ];
    println!("{}", table(&header, &[5, 6, 7, 8, 9], rows));
    let groups = s
        .groups
        .iter()
        .map(|g| format!("{} {}", group_name(g), yuan(&g.total)));
    println!(
        "total {}  ({})",
        yuan(&s.total),
        groups.collect::<Vec<_>>().join(", ")
    );
}

fn group_name(g: &pb::CollectionGroup) -> &str {
    if g.group_id.is_empty() {
        "no group"
    } else {
        &g.group_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_names_read_plainly() {
        assert_eq!(loan_status(pb::LoanStatus::Disbursed as i32), "disbursed");
        assert_eq!(
            poverty(pb::PovertyStatus::RegisteredPoor as i32),
            "registered poor"
        );
    }
}
