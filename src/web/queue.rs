//! What the loan queues share (the approval queue, the disbursement
//! queue): the fund's loans in one status with their borrowers' names, and
//! the answer to a queue's action: to the queue with a note when the call
//! was taken, the queue again with the refusal when it was not.
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup};

use super::ctx::Ctx;
use super::grpc::{explain, Refusal};
use super::session::SignedIn;
use super::state::Web;
use crate::i18n::Lang;
use crate::pb;

/// A note above the queue: its class and its text.
pub type Note = Option<(&'static str, String)>;

/// A queue of the fund's loans in one status.
pub struct Queue {
    pub status: pb::LoanStatus,
    /// The queue's path under `/fund/{fund}/` and the query key of the loan
    /// an action was taken on.
    pub path: &'static str,
    pub done_key: &'static str,
    pub render: fn(&Ctx, &SignedIn, &str, &[Waiting], Note) -> Markup,
}

impl Queue {
    /// The queue with `note` above it.
    pub async fn show(&self, ctx: &Ctx, user: &SignedIn, fund: &str, note: Note) -> Response {
        match loans_in(&ctx.web, user, fund, self.status, ctx.lang).await {
            Ok(loans) => ctx.answer(StatusCode::OK, (self.render)(ctx, user, fund, &loans, note)),
            Err(refusal) => ctx.refused(refusal),
        }
    }

    /// The answer to an action on `loan`: to the queue (`?done_key=loan`)
    /// when it was taken, the queue with the refusal (409) otherwise.
    pub async fn answer(
        &self,
        ctx: &Ctx,
        user: &SignedIn,
        fund: &str,
        loan: &str,
        called: Result<(), Refusal>,
    ) -> Response {
        let text = match called {
            Ok(()) => {
                let to = format!("/fund/{fund}/{}?{}={loan}", self.path, self.done_key);
                return ctx.redirect(&to);
            }
            Err(Refusal::Said(text)) => text,
            Err(other) => return ctx.refused(other),
        };
        tracing::info!(fund = %fund, loan = %loan, queue = self.path, "web action refused");
        match loans_in(&ctx.web, user, fund, self.status, ctx.lang).await {
            Ok(loans) => {
                let page = (self.render)(ctx, user, fund, &loans, Some(("refusal", text)));
                ctx.answer(StatusCode::CONFLICT, page)
            }
            Err(refusal) => ctx.refused(refusal),
        }
    }
}

/// A loan waiting in a queue, with its borrower's name.
pub struct Waiting {
    pub loan: pb::Loan,
    pub borrower: String,
}

/// The fund's loans in `status`, each read whole (GetLoan) with its
/// borrower's name: the approval and the disbursement queues.
pub async fn loans_in(
    web: &Web,
    user: &SignedIn,
    fund: &str,
    status: pb::LoanStatus,
    lang: Lang,
) -> Result<Vec<Waiting>, Refusal> {
    let mut f = web.backend().funds(&user.bearer)?;
    let read = async {
        let request = pb::ListLoansRequest {
            fund_id: fund.to_string(),
            as_of: String::new(),
        };
        let lines = f.list_loans(request).await?.into_inner().loans;
        let names = super::fund::member_names(&mut f, fund).await?;
        let mut loans = Vec::new();
        for line in lines.iter().filter(|l| l.status == status as i32) {
            let request = pb::GetLoanRequest {
                fund_id: fund.to_string(),
                loan_id: line.loan_id.clone(),
            };
            let loan = f.get_loan(request).await?.into_inner().loan;
            loans.extend(loan.map(|loan| Waiting {
                borrower: names.get(&loan.member_id).cloned().unwrap_or_default(),
                loan,
            }));
        }
        Ok::<_, tonic::Status>(loans)
    };
    read.await.map_err(|s| explain(&s, lang))
}

/// An actor ("<token id>/<role>") as a person reads it: the role's name,
/// then the token id.
pub fn actor(actor: &str, lang: Lang) -> Markup {
    let (token, role) = actor.split_once('/').unwrap_or((actor, ""));
    let role = lang
        .lookup(&format!("role-{role}"), &[])
        .unwrap_or_else(|| role.to_string());
    html! { (role) br; small { (token) } }
}

/// The borrower's name, linked to the member's page.
pub fn borrower(fund: &str, w: &Waiting) -> Markup {
    let m = &w.loan.member_id;
    html! { a href={ "/fund/" (fund) "/members/" (m) } { (w.borrower) } br; small { (m) } }
}
