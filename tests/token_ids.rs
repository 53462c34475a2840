//! Token ids are random: two new stores never share their first admin's id,
//! a token taken to another store is unknown there, and a retry of an issue
//! still answers the token it made.
mod common;

use common::TestServer;
use huzhu::pb::{self, token_service_client::TokenServiceClient};

fn id_of(bearer: &str) -> String {
    bearer.split('.').next().unwrap().to_string()
}

#[tokio::test]
async fn every_store_draws_its_own_admin_token_id_and_knows_no_other() {
    let a = TestServer::start();
    let b = TestServer::start();
    let (id_a, id_b) = (id_of(&a.admin_token()), id_of(&b.admin_token()));
    assert_ne!(id_a, id_b, "two new stores, one admin token id");
    for id in [&id_a, &id_b] {
        let hex = id.strip_prefix("tk-").expect("tk- prefix");
        assert!(
            hex.len() == 12 && hex.chars().all(|c| c.is_ascii_hexdigit()),
            "{id}"
        );
    }

    let mut on_b = TokenServiceClient::new(b.channel_as(&a.admin_token()).await);
    let refused = on_b
        .who_am_i(pb::WhoAmIRequest {})
        .await
        .expect_err("store B takes store A's token");
    assert_eq!(refused.code(), tonic::Code::Unauthenticated);
    assert!(
        refused.message().contains(&format!("unknown token {id_a}")),
        "{}",
        refused.message()
    );
}

#[tokio::test]
async fn a_retried_issue_answers_the_token_it_made() {
    let s = TestServer::start();
    let mut t = TokenServiceClient::new(s.channel().await);
    let request = pb::IssueTokenRequest {
        request_id: "issue-regulator".into(),
        role: pb::Role::Regulator as i32,
        scope: "all".into(),
        label: "county office".into(),
    };
    let first = t.issue_token(request.clone()).await.unwrap().into_inner();
    let again = t.issue_token(request).await.unwrap().into_inner();
    let id = first.token.as_ref().unwrap().token_id.clone();
    assert_eq!(id_of(&first.bearer), id);
    assert!(!first.replayed);
    assert!(again.replayed);
    assert_eq!(again.token.unwrap().token_id, id, "the stored token's id");
    assert!(again.bearer.is_empty(), "a retry never shows the secret");

    let listed = t
        .list_tokens(pb::ListTokensRequest {})
        .await
        .unwrap()
        .into_inner()
        .tokens;
    let ids: Vec<&str> = listed.iter().map(|t| t.token_id.as_str()).collect();
    assert_eq!(ids.len(), 2, "the admin's and the regulator's: {ids:?}");
    assert!(ids.contains(&id.as_str()));

    let mut as_regulator = TokenServiceClient::new(s.channel_as(&first.bearer).await);
    let me = as_regulator
        .who_am_i(pb::WhoAmIRequest {})
        .await
        .unwrap()
        .into_inner()
        .token
        .unwrap();
    assert_eq!(me.token_id, id);
}
