//! The public notice (账目公示) in a real Chromium, printed to PDF as the
//! treasurer would for the village noticeboard, and the PDF read back with
//! pdftotext (poppler-utils).
//!
//! On the fund of `common::collection`, L1 repays 407.60 on 2025-04-11: the
//! repayment accrues L1's fee to the day (March's 7.20 and 10 days of
//! April's 4.80, 1.60: 8.80) and its penalty 0.40, then pays penalty 0.40,
//! fee 7.20 and principal 400.00. At the end of 2025 the books read: cash
//! 400.00 + 407.60 = 807.60, bank 200,000.00 - 6,000.00 = 194,000.00, loans
//! 5,600.00, fee receivable 1.60; assets 200,409.20 = seed capital
//! 200,000.00 + shares 400.00 + the year's result 9.20 (income 8.80 + 0.40,
//! no expense).
mod common;

use common::collection::{collection_fund, repay_first_installment, FUND};
use common::web::*;
use common::*;
use fantoccini::wd::PrintConfiguration;
use huzhu::pb::Role;

#[tokio::test]
async fn the_public_notice_prints_to_pdf_with_the_years_accounts() {
    let s = TestServer::start();
    collection_fund(&s).await;
    let mut f = s.fund_client().await;
    repay_first_installment(&mut f).await;
    let token = s.issue(Role::FundClerk, &format!("fund:{FUND}")).await;
    let b = Browser::start().await;
    b.sign_in(&s.web, &token).await;
    b.goto(&format!("{}/fund/{FUND}/notice?year=2025", s.web))
        .await;
    let text = b.text().await;
    let shown = [
        "西村互助社 2025年度账目公示",
        "资产负债（2025年12月31日）",
        "库存现金",
        "¥807.60",
        "银行存款",
        "¥194,000.00",
        "借出款（本金）",
        "¥5,600.00",
        "资产合计",
        "¥200,409.20",
        "本年结余（未分配）",
        "¥9.20",
        "占用费收入",
        "王军",
        "赵丽",
        "共 4 笔",
        "理事长签字",
    ];
    for want in shown {
        assert!(text.contains(want), "the notice shows {want}:\n{text}");
    }
    b.screenshot("public-notice", 1024).await;
    let pdf = b
        .driver
        .print(PrintConfiguration::default())
        .await
        .expect("a PDF");
    assert!(pdf.starts_with(b"%PDF"), "a PDF file");
    let path = screenshot_dir().join("public-notice.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args([path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext is installed by ./scripts/test (poppler-utils)");
    let printed = String::from_utf8_lossy(&out.stdout).to_string();
    for want in [
        "2025年度账目公示",
        "¥200,409.20",
        "¥9.20",
        "王军",
        "理事长签字",
    ] {
        assert!(
            printed.contains(want),
            "the printed notice shows {want}:\n{printed}"
        );
    }
    assert!(
        !printed.contains("退出"),
        "the page's header is not printed:\n{printed}"
    );
    b.close().await;
}
