//! The fund whose year-end the tests run, worked by hand.
//!
//! In 2025 the fund earns 1,234.56 of deposit interest and spends 234.55 on
//! management: surplus 1,000.01. At 10/20/30/40: welfare 100.001 → 100.00,
//! risk 300.003 → 300.00, dividends 400.004 → 400.00, and the accumulation
//! reserve takes the rest, 200.01. Dividends by shares held on December 31
//! (M1 100 own + 200 allocated = 300, M2 200, M3 100): 200.00, 133.333... and
//! 66.666...; floors 200.00, 133.33, 66.66 leave a fen for the largest
//! remainder, M3: 66.67.
use super::fund::*;
use super::{post, transfer, Client, FundClient};
use huzhu::pb::{self, PovertyStatus};

pub async fn fund(f: &mut FundClient, c: &mut Client, id: &str, rules: Option<pb::FundRules>) {
    fund_with_capital(f, id, rules, &[Capital::fiscal("10000")], "2025-01-02").await;
    for (m, own, status) in [
        ("M1", "100", PovertyStatus::RegisteredPoor),
        ("M2", "200", PovertyStatus::None),
        ("M3", "100", PovertyStatus::None),
    ] {
        member_with_shares(f, id, m, status, own, "2025-01-02").await;
    }
    allocate_shares(f, id, "M1", "200", "2025-01-02").await;
    post(
        c,
        transfer(
            &format!("interest-{id}"),
            "2025-06-30",
            id,
            "1002",
            "4002",
            "1234.56",
        ),
    )
    .await;
    post(
        c,
        transfer(
            &format!("expense-{id}"),
            "2025-09-30",
            id,
            "5001",
            "1001",
            "234.55",
        ),
    )
    .await;
    // January 2026 income belongs to next year's surplus.
    post(
        c,
        transfer(
            &format!("interest-2026-{id}"),
            "2026-01-05",
            id,
            "1002",
            "4002",
            "50.00",
        ),
    )
    .await;
}
