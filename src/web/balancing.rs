//! Surplus and deficit balancing (资金余缺调剂) for the federation
//! treasurer: each member fund's placements with the federation and its
//! borrowings from it against the limit its capital gives
//! (GetBalancingPosition), the share of the limit used as a percentage and
//! a meter, and every placement still outstanding.
use axum::extract::{Path, State};
use axum::response::Response;
use maud::{html, Markup};
use rust_decimal::Decimal;

use super::ctx::{Ctx, Signed};
use super::format::{date, percent, yuan, MISSING};
use super::fund::fund_name;
use super::grpc::{explain, Refusal};
use super::page::page;
use super::session::SignedIn;
use super::state::Web;
use crate::domain::money::round_ratio;
use crate::i18n::Lang;
use crate::pb;

struct Position {
    name: String,
    position: pb::BalancingPosition,
}

struct Balancing {
    federation: pb::FederationResponse,
    funds: Vec<Position>,
}

async fn read(web: &Web, user: &SignedIn, id: &str, lang: Lang) -> Result<Balancing, Refusal> {
    let mut fed = web.backend().federations(&user.bearer)?;
    let mut funds = web.backend().funds(&user.bearer)?;
    let read = async {
        let request = pb::GetFederationRequest {
            federation_id: id.to_string(),
        };
        let federation = fed.get_federation(request).await?.into_inner();
        let mut positions = Vec::new();
        for fund_id in &federation.member_funds {
            let request = pb::GetBalancingPositionRequest {
                federation_id: id.to_string(),
                fund_id: fund_id.clone(),
            };
            let position = fed.get_balancing_position(request).await?.into_inner();
            let name = fund_name(&mut funds, fund_id).await?;
            positions.push(Position { name, position });
        }
        Ok::<_, tonic::Status>(Balancing {
            federation,
            funds: positions,
        })
    };
    read.await.map_err(|s| explain(&s, lang))
}

/// `used` of `limit` as a ratio; None without a limit.
fn share_of_limit(used: &str, limit: &str) -> Option<Decimal> {
    let used = used.parse::<Decimal>().ok()?;
    let limit = limit.parse::<Decimal>().ok()?;
    (limit > Decimal::ZERO).then(|| round_ratio(used / limit))
}

/// An amount with the share of the limit it uses, and a meter of it; red
/// when over the limit (the fund's capital fell after it was placed).
fn against_limit(used: &str, limit: &str) -> Markup {
    let share = share_of_limit(used, limit);
    let over = share.is_some_and(|s| s > Decimal::ONE);
    html! {
        td.num { (yuan(used)) }
        td.num.alert[over] {
            @match share {
                Some(s) => {
                    (percent(&s.to_string()))
                    meter min="0" max="1" low="0.8" high="0.95" optimum="0" value=(s.min(Decimal::ONE)) {}
                }
                None => { (MISSING) }
            }
        }
    }
}

pub fn direction(p: &pb::Placement, lang: Lang) -> String {
    match pb::PlacementDirection::try_from(p.direction) {
        Ok(pb::PlacementDirection::FromFund) => lang.t("placement-from-fund"),
        Ok(pb::PlacementDirection::ToFund) => lang.t("placement-to-fund"),
        _ => MISSING.to_string(),
    }
}

fn open_placements(b: &Balancing, lang: Lang) -> Markup {
    let open: Vec<(&Position, &pb::Placement)> = b
        .funds
        .iter()
        .flat_map(|f| f.position.placements.iter().map(move |p| (f, p)))
        .filter(|(_, p)| {
            p.outstanding
                .parse::<Decimal>()
                .is_ok_and(|o| o > Decimal::ZERO)
        })
        .collect();
    html! {
        h2 { (lang.t("placements-open")) }
        @if open.is_empty() {
            p.notice { (lang.t("placements-none")) }
        } @else {
            div.wrap { table {
                tr {
                    th { (lang.t("placement-id")) } th { (lang.t("fund")) } th { (lang.t("placement-direction")) }
                    th.num { (lang.t("principal")) } th.num { (lang.t("placement-outstanding")) }
                    th.num { (lang.t("rate-annual")) } th { (lang.t("placed-on")) }
                }
                @for (f, p) in open {
                    tr {
                        td { (p.placement_id) } td { (f.name) } td { (direction(p, lang)) }
                        td.num { (yuan(&p.principal)) } td.num { (yuan(&p.outstanding)) }
                        td.num { (percent(&p.rate_annual)) } td { (date(&p.placed_on, lang)) }
                    }
                }
            } }
        }
    }
}

fn rules_hint(b: &Balancing, lang: Lang) -> Markup {
    let Some(r) = &b.federation.rules else {
        return html! {};
    };
    let args = [
        ("share", percent(&r.limit_share).into()),
        ("rate", percent(&r.placement_rate_annual).into()),
        ("spread", percent(&r.spread_annual).into()),
    ];
    html! { p.hint { (lang.t_args("balancing-rules", &args)) } }
}

fn render(ctx: &Ctx, b: &Balancing) -> Markup {
    let lang = ctx.lang;
    let title = lang.t_args(
        "balancing-title",
        &[("federation", b.federation.name.clone().into())],
    );
    page(
        ctx,
        &title,
        html! {
            (rules_hint(b, lang))
            div.wrap { table {
                tr {
                    th { (lang.t("fund")) } th.num { (lang.t("fund-capital")) } th.num { (lang.t("balancing-limit")) }
                    th.num { (lang.t("fund-placed")) } th.num { (lang.t("of-limit")) }
                    th.num { (lang.t("fund-borrowed")) } th.num { (lang.t("of-limit")) }
                    th.num { (lang.t("fees-received-paid")) }
                }
                @for f in &b.funds {
                    @let p = &f.position;
                    tr {
                        td.name { (f.name) br; small { (p.fund_id) } }
                        td.num { (yuan(&p.capital)) } td.num { (yuan(&p.limit)) }
                        (against_limit(&p.placed, &p.limit))
                        (against_limit(&p.borrowed, &p.limit))
                        td.num { (yuan(&p.fees_received)) br; (yuan(&p.fees_paid)) }
                    }
                }
            } }
            (open_placements(b, lang))
        },
    )
}

/// GET `/federation/{federation}/balancing`.
pub async fn show(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(federation): Path<String>,
) -> Response {
    let read = read(&web, &user, &federation, ctx.lang).await;
    ctx.shown(read, |b| render(&ctx, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_share_of_the_limit_is_kept_to_the_ratio_places() {
        let s = |u, l| share_of_limit(u, l).map(|d| d.to_string());
        assert_eq!(s("40000.00", "60000.00").as_deref(), Some("0.6667"));
        assert_eq!(s("0.00", "60000.00").as_deref(), Some("0"));
        assert_eq!(s("100.00", "0.00"), None);
        let over = against_limit("70000.00", "60000.00").into_string();
        assert!(over.contains("116.67%") && over.contains("alert"), "{over}");
    }
}
