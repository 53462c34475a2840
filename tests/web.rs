//! The web client over plain HTTP against the real server: what a browser
//! cannot be trusted to do is checked here. A form without its CSRF token
//! is refused with 403 and records nothing; a stale, unknown or ended
//! session is sent to sign in; a token outside its scope sees nothing of
//! another fund; a form submitted twice approves once; the language
//! switches; and the reads the pages rely on (ListMembers, ListBooks,
//! PAR30 on ListLoans) answer what the books say.
mod common;

use common::fund::{apply_loan, LoanTerms};
use common::web::*;
use common::*;
use huzhu::pb::{self, Role};

/// A loan applied for (not approved) by `f`'s token, dated today.
async fn applied(f: &mut FundClient, loan: &str, member: &str) -> LoanTerms<'static> {
    let today: &'static str = huzhu::domain::dates::business_today().to_string().leak();
    let terms = LoanTerms::new(
        FUND,
        loan.to_string().leak(),
        member.to_string().leak(),
        "2000",
    )
    .on(today);
    apply_loan(f, &terms).await;
    terms
}

async fn loan_status(s: &TestServer, loan: &str) -> pb::LoanStatus {
    let mut f = s.fund_client().await;
    let request = pb::GetLoanRequest {
        fund_id: FUND.into(),
        loan_id: loan.into(),
    };
    let l = ok(f.get_loan(request).await, "the loan").loan.unwrap();
    pb::LoanStatus::try_from(l.status).unwrap()
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused_and_records_nothing() {
    let s = TestServer::start();
    village_fund(&s).await;
    let mut f = s.fund_client().await;
    applied(&mut f, "L2", "M2").await;
    // A second admin approves (the first applied): only the CSRF token stops it.
    let cookie = sign_in(&s.web, &s.issue(Role::Admin, "all").await);
    let page = get(&s.web, &format!("/fund/{FUND}/approvals"), Some(&cookie));
    assert_eq!(page.status, 200, "{}", page.body);
    let request_id = page.field("request_id").expect("the form's request id");
    let path = format!("/fund/{FUND}/approvals/L2");
    let without = post_form(&s.web, &path, Some(&cookie), &[("request_id", &request_id)]);
    assert_eq!(without.status, 403, "{}", without.body);
    assert!(without.body.contains("安全校验未通过"), "{}", without.body);
    let other = sign_in(&s.web, &s.issue(Role::Admin, "all").await);
    let other_csrf = get(&s.web, &format!("/fund/{FUND}/approvals"), Some(&other))
        .field("csrf")
        .unwrap();
    let wrong = post_form(
        &s.web,
        &path,
        Some(&cookie),
        &[("csrf", &other_csrf), ("request_id", &request_id)],
    );
    assert_eq!(wrong.status, 403, "another session's CSRF token");
    assert_eq!(
        loan_status(&s, "L2").await,
        pb::LoanStatus::Applied,
        "nothing recorded"
    );
}

#[tokio::test]
async fn a_form_submitted_twice_approves_once() {
    let s = TestServer::start();
    village_fund(&s).await;
    let mut f = s.fund_client().await;
    applied(&mut f, "L2", "M2").await;
    let cookie = sign_in(&s.web, &s.issue(Role::Admin, "all").await);
    let page = get(&s.web, &format!("/fund/{FUND}/approvals"), Some(&cookie));
    let (csrf, request_id) = (
        page.field("csrf").unwrap(),
        page.field("request_id").unwrap(),
    );
    let path = format!("/fund/{FUND}/approvals/L2");
    for _ in 0..2 {
        let r = post_form(
            &s.web,
            &path,
            Some(&cookie),
            &[("csrf", &csrf), ("request_id", &request_id)],
        );
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(
            r.header("location"),
            Some(&*format!("/fund/{FUND}/approvals?approved=L2"))
        );
    }
    // Had the second post not been a replay of the first, the server would
    // have refused approving an approved loan (rule loan_status_allows_it).
    assert_eq!(loan_status(&s, "L2").await, pb::LoanStatus::Approved);
    let done = get(
        &s.web,
        &format!("/fund/{FUND}/approvals?approved=L2"),
        Some(&cookie),
    );
    assert!(
        done.body.contains("贷款 L2 已批准") && done.body.contains("没有待审批的贷款"),
        "{}",
        done.body
    );
}

#[tokio::test]
async fn a_stale_unknown_or_missing_session_goes_to_sign_in() {
    let s = TestServer::start();
    village_fund(&s).await;
    let path = format!("/fund/{FUND}");
    for cookie in [None, Some("0123456789abcdef"), Some("")] {
        let r = get(&s.web, &path, cookie);
        assert_eq!(r.status, 303, "{cookie:?}");
        assert_eq!(r.header("location"), Some("/signin"));
        assert!(
            r.set_cookie("huzhu_session").is_none(),
            "no session opened for a page"
        );
    }
    let cookie = sign_in(
        &s.web,
        &s.issue(Role::FundTreasurer, &format!("fund:{FUND}")).await,
    );
    assert_eq!(get(&s.web, &path, Some(&cookie)).status, 200);
    let csrf = get(&s.web, &path, Some(&cookie)).field("csrf").unwrap();
    let out = post_form(&s.web, "/signout", Some(&cookie), &[("csrf", &csrf)]);
    assert_eq!(out.status, 303);
    assert_eq!(out.header("location"), Some("/signin?out=1"));
    let after = get(&s.web, &path, Some(&cookie));
    assert_eq!(
        (after.status, after.header("location")),
        (303, Some("/signin")),
        "ended"
    );
}

#[tokio::test]
async fn a_token_outside_its_scope_sees_nothing_of_another_fund() {
    let s = TestServer::start();
    village_fund(&s).await;
    let mut f = s.fund_client().await;
    let mut other = common::fund::create_fund_request("fund-xicun", None);
    other.name = "西村互助社".into();
    ok(f.create_fund(other).await, "fund B");
    let capital = common::fund::Capital::fiscal("77777.77");
    common::fund::add_capital(&mut f, "capital-b", "fund-xicun", capital, "2025-02-20").await;
    let cookie = sign_in(
        &s.web,
        &s.issue(Role::FundTreasurer, "fund:fund-xicun").await,
    );
    for page in [
        format!("/fund/{FUND}"),
        format!("/fund/{FUND}/members"),
        format!("/fund/{FUND}/approvals"),
    ] {
        let r = get(&s.web, &page, Some(&cookie));
        assert_eq!(r.status, 403, "{page}: {}", r.body);
        assert!(r.body.contains("您的令牌无权查看此页面"), "{}", r.body);
        for secret in [FUND_NAME, "王军", "2,034.56", "245,000.00"] {
            assert!(!r.body.contains(secret), "{page} shows {secret}");
        }
    }
    let own = get(&s.web, "/fund/fund-xicun", Some(&cookie));
    assert!(
        own.body.contains("西村互助社") && own.body.contains("¥77,777.77"),
        "{}",
        own.body
    );
    assert!(
        !own.body.contains("/fund/fund-dongcun"),
        "no link to fund A"
    );
    let books = get(&s.web, "/books", Some(&cookie));
    assert_eq!(
        books.status, 403,
        "the index of books is an administrator's"
    );
}

#[tokio::test]
async fn the_members_are_searchable_with_status_and_shares() {
    let s = TestServer::start();
    village_fund(&s).await;
    let cookie = sign_in(
        &s.web,
        &s.issue(Role::FundClerk, &format!("fund:{FUND}")).await,
    );
    let all = get(&s.web, &format!("/fund/{FUND}/members"), Some(&cookie));
    assert!(all.body.contains("共 2 人"), "{}", all.body);
    let found = get(
        &s.web,
        &format!("/fund/{FUND}/members?q=%E7%8E%8B"),
        Some(&cookie),
    );
    assert!(
        found.body.contains("王军") && !found.body.contains("李梅"),
        "{}",
        found.body
    );
    assert!(
        found.body.contains("建档立卡") && found.body.contains("¥500.00"),
        "{}",
        found.body
    );
    let by_id = get(&s.web, &format!("/fund/{FUND}/members?q=m2"), Some(&cookie));
    assert!(
        by_id.body.contains("李梅")
            && by_id.body.contains("低保")
            && by_id.body.contains("¥300.00")
    );
    let english = get(
        &s.web,
        &format!("/fund/{FUND}/members?lang=en"),
        Some(&cookie),
    );
    assert!(english.body.contains("Registered poor") && english.body.contains("2 members"));
    assert!(
        english.set_cookie("huzhu_lang").is_some_and(|l| l == "en"),
        "the choice is kept"
    );
}

#[tokio::test]
async fn a_bad_token_is_refused_at_sign_in() {
    let s = TestServer::start();
    let page = get(&s.web, "/signin", None);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("登录") && page.body.len() < 200_000);
    let cookie = page.set_cookie("huzhu_session").unwrap();
    let set = page
        .headers
        .iter()
        .find(|(n, v)| n == "set-cookie" && v.starts_with("huzhu_session"))
        .unwrap();
    assert!(
        set.1.contains("HttpOnly")
            && set.1.contains("SameSite=Strict")
            && set.1.contains("Max-Age=")
    );
    let csrf = page.field("csrf").unwrap();
    let body = format!("--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--b\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\nabc.def\r\n--b--\r\n");
    let r = http(
        &s.web,
        "POST",
        "/signin",
        Some(&cookie),
        Some(("multipart/form-data; boundary=b", body.into_bytes())),
    );
    assert_eq!(r.status, 401, "{}", r.body);
    assert!(r.body.contains("令牌无效或已被吊销"), "{}", r.body);
}

/// The token file `huzhu token issue --out` writes (the token and a line
/// end) chosen at sign-in instead of pasted: signed in as that token.
#[tokio::test]
async fn a_token_file_chosen_at_sign_in_signs_in() {
    let s = TestServer::start();
    village_fund(&s).await;
    let token = s.issue(Role::FundTreasurer, &format!("fund:{FUND}")).await;
    let file = format!("{token}\n");
    let r = sign_in_part(
        &s.web,
        "token_file",
        Some("treasurer.token"),
        file.as_bytes(),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let cookie = r.set_cookie("huzhu_session").expect("a session");
    let home = get(&s.web, "/", Some(&cookie));
    let overview = format!("/fund/{FUND}");
    assert_eq!(
        home.header("location"),
        Some(&*overview),
        "home is the overview"
    );
    let page = get(&s.web, &format!("/fund/{FUND}"), Some(&cookie));
    assert!(
        page.body.contains("互助社会计"),
        "signed in as the treasurer: {}",
        page.body
    );
    let wrong = sign_in_part(&s.web, "token_file", Some("other.token"), b"tk-0.00\n");
    assert_eq!(wrong.status, 401, "a file of no valid token is refused");
}

#[tokio::test]
async fn the_reads_behind_the_pages() {
    let s = TestServer::start();
    village_fund(&s).await;
    let mut f = s.fund_client().await;
    let members = ok(
        f.list_members(pb::ListMembersRequest {
            fund_id: FUND.into(),
        })
        .await,
        "members",
    )
    .members;
    let shares: Vec<_> = members
        .iter()
        .map(|m| {
            (
                m.member.as_ref().unwrap().name.as_str(),
                m.own_shares.as_str(),
                m.allocated_shares.as_str(),
            )
        })
        .collect();
    assert_eq!(
        shares,
        [("王军", "500.00", "0.00"), ("李梅", "300.00", "0.00")]
    );
    let loans = ok(
        f.list_loans(pb::ListLoansRequest {
            fund_id: FUND.into(),
            as_of: "2025-07-05".into(),
        })
        .await,
        "loans",
    );
    // L1 fell due 2025-06-01: 34 days past due on 2025-07-05, in PAR30 but not PAR90.
    assert_eq!(
        (
            loans.gross_portfolio.as_str(),
            loans.par30.as_str(),
            loans.par90.as_str()
        ),
        ("5000.00", "1", "0")
    );
    let early = ok(
        f.list_loans(pb::ListLoansRequest {
            fund_id: FUND.into(),
            as_of: "2025-06-20".into(),
        })
        .await,
        "loans",
    );
    assert_eq!(
        (early.par30_balance.as_str(), early.par30.as_str()),
        ("0.00", "0")
    );
    let mut l = s.client().await;
    let books = ok(l.list_books(pb::ListBooksRequest {}).await, "books").books;
    assert_eq!(
        books
            .iter()
            .map(|b| (b.book_id.as_str(), b.name.as_str()))
            .collect::<Vec<_>>(),
        [(FUND, FUND_NAME)]
    );
    let admin = sign_in(&s.web, &s.admin_token());
    let index = get(&s.web, "/books", Some(&admin));
    assert!(
        index.body.contains(&format!("href=\"/fund/{FUND}\"")) && index.body.contains("村级互助社"),
        "{}",
        index.body
    );
}

/// The loan ledger (台账) of the village fund today: L1, 5,000.00 bullet
/// due 2025-06-01 and unpaid, is over 90 days late, so the 90+ bucket holds
/// ¥5,000.00 and PAR30 and PAR90 are 100.00%.
#[tokio::test]
async fn the_loan_ledger_shows_each_loan_in_its_bucket() {
    let s = TestServer::start();
    village_fund(&s).await;
    let cookie = sign_in(
        &s.web,
        &s.issue(Role::FundClerk, &format!("fund:{FUND}")).await,
    );
    let page = get(&s.web, &format!("/fund/{FUND}/loans"), Some(&cookie));
    assert_eq!(page.status, 200, "{}", page.body);
    for shown in [
        "贷款台账",
        "逾期90天以上",
        "¥5,000.00",
        "100.00%",
        "王军",
        "建档立卡",
    ] {
        assert!(
            page.body.contains(shown),
            "the ledger shows {shown}: {}",
            page.body
        );
    }
    let before = get(
        &s.web,
        &format!("/fund/{FUND}/loans?as_of=2025-05-31"),
        Some(&cookie),
    );
    assert!(
        before.body.contains("0.00%"),
        "not yet due on 2025-05-31: {}",
        before.body
    );
}

/// Without the page's script the preview button posts the form back: the
/// schedule shows (5,000.00 bullet over 3 months at 0.6% a month: a fee of
/// 5,000 × 0.6% × 3 = 90.00, ¥5,090.00 at maturity) and nothing is
/// recorded. The application submitted twice with its request id applies
/// once.
#[tokio::test]
async fn an_application_previews_without_script_and_submitted_twice_applies_once() {
    let s = TestServer::start();
    village_fund(&s).await;
    let cookie = sign_in(
        &s.web,
        &s.issue(Role::FundClerk, &format!("fund:{FUND}")).await,
    );
    let path = format!("/fund/{FUND}/apply");
    let form = get(&s.web, &format!("{path}?member=M2"), Some(&cookie));
    assert_eq!(form.status, 200, "{}", form.body);
    let (csrf, rid) = (
        form.field("csrf").unwrap(),
        form.field("request_id").unwrap(),
    );
    let fields = |action: &'static str| {
        [
            ("csrf", csrf.clone()),
            ("request_id", rid.clone()),
            ("action", action.to_string()),
            ("member", "M2".to_string()),
            ("loan_id", "L2".to_string()),
            ("principal", "5000".to_string()),
            ("term_months", "3".to_string()),
            ("method", "REPAYMENT_METHOD_BULLET".to_string()),
            ("purpose_category", "PURPOSE_CATEGORY_LIVESTOCK".to_string()),
            ("purpose", "养牛".to_string()),
            ("date", "2025-03-10".to_string()),
        ]
    };
    let send = |action: &'static str| {
        let f = fields(action);
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        post_form(&s.web, &path, Some(&cookie), &pairs)
    };
    let preview = send("preview");
    assert_eq!(preview.status, 200, "{}", preview.body);
    for shown in ["¥90.00", "¥5,090.00", "2025年6月10日"] {
        assert!(
            preview.body.contains(shown),
            "the preview shows {shown}: {}",
            preview.body
        );
    }
    let mut f = s.fund_client().await;
    let listed = |f: &mut FundClient| {
        let request = pb::ListLoansRequest {
            fund_id: FUND.into(),
            as_of: String::new(),
        };
        let mut f = f.clone();
        async move { ok(f.list_loans(request).await, "loans").loans.len() }
    };
    assert_eq!(listed(&mut f).await, 1, "a preview records nothing");
    for _ in 0..2 {
        let applied = send("apply");
        assert_eq!(applied.status, 303, "{}", applied.body);
    }
    assert_eq!(listed(&mut f).await, 2, "applied once");
    assert_eq!(loan_status(&s, "L2").await, pb::LoanStatus::Applied);
}
