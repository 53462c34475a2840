//! The server killed with SIGKILL in the middle of a load keeps every entry it
//! acknowledged, and its chain and balances verify after the restart.
mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use huzhu::pb::{self, BookKind};
use parking_lot::Mutex;

const FUND: &str = "fund-crash";

fn spend(id: String) -> pb::PostEntryRequest {
    transfer(&id, "2025-03-01", FUND, "5001", "1002", "1.00")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_load_loses_no_acknowledged_entry() {
    let mut server = TestServer::start();
    let mut c = server.client().await;
    create_book(&mut c, FUND, BookKind::Fund).await;
    post(
        &mut c,
        transfer("seed", "2025-03-01", FUND, "1002", "3004", "1000000.00"),
    )
    .await;

    for round in 0..2 {
        // (request, seq, hash) of every acknowledged entry.
        let acked: Arc<Mutex<Vec<(pb::PostEntryRequest, u64, String)>>> = Arc::default();
        let mut tasks = tokio::task::JoinSet::new();
        for t in 0..16 {
            let mut c = server.client().await;
            let acked = acked.clone();
            tasks.spawn(async move {
                for i in 0.. {
                    let batch = t % 4 == 0;
                    let reqs: Vec<_> = if batch {
                        (0..20)
                            .map(|k| spend(format!("r{round}-t{t}-{i}-{k}")))
                            .collect()
                    } else {
                        vec![spend(format!("r{round}-t{t}-{i}"))]
                    };
                    let answer = if batch {
                        c.post_entries(pb::PostEntriesRequest {
                            entries: reqs.clone(),
                        })
                        .await
                        .map(|r| {
                            r.into_inner()
                                .results
                                .into_iter()
                                .map(|x| x.entry.unwrap())
                                .collect::<Vec<_>>()
                        })
                    } else {
                        c.post_entry(reqs[0].clone())
                            .await
                            .map(|r| vec![r.into_inner().entry.unwrap()])
                    };
                    match answer {
                        Ok(entries) => {
                            let mut a = acked.lock();
                            for (req, e) in reqs.into_iter().zip(entries) {
                                a.push((req, e.seq, e.hash));
                            }
                        }
                        Err(_) => return, // the server is gone
                    }
                }
            });
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        server.kill();
        while tasks.join_next().await.is_some() {}
        let acked = std::mem::take(&mut *acked.lock());
        assert!(
            acked.len() > 100,
            "the load ran ({} acknowledged)",
            acked.len()
        );

        server.restart();
        let mut c = server.client().await;
        // Retrying every acknowledged request answers it from the record:
        // same place in the sequence, same hash.
        for chunk in acked.chunks(500) {
            let entries = chunk.iter().map(|(req, _, _)| req.clone()).collect();
            let again = c
                .post_entries(pb::PostEntriesRequest { entries })
                .await
                .unwrap()
                .into_inner();
            for ((req, seq, hash), r) in chunk.iter().zip(again.results) {
                assert!(r.replayed, "acknowledged {} is on disk", req.request_id);
                let e = r.entry.unwrap();
                assert_eq!(
                    (e.seq, &e.hash),
                    (*seq, hash),
                    "{} kept its place in the chain",
                    req.request_id
                );
            }
        }
        let v = c
            .verify_chain(pb::VerifyChainRequest {})
            .await
            .unwrap()
            .into_inner();
        assert!(v.ok, "{:?}", v.problems);
        // Every entry after the seed spends 1.00 from the bank.
        let spent = v.head_seq - 1;
        assert!(spent >= acked.len() as u64);
        let expected = format!("{}.00", 1_000_000 - spent);
        assert_eq!(balance(&mut c, FUND, "1002").await, expected);
        assert_eq!(balance(&mut c, FUND, "5001").await, format!("{spent}.00"));
        let tb = trial_balance(&mut c, FUND, "").await;
        assert_eq!(tb.total_debit, tb.total_credit);
    }
}
