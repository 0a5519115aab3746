//! The scheduler's audit checkpoint on both backends: with two processes on one database, one
//! signs the period's checkpoint, which covers every entry written through the API and
//! verifies with the public key.

mod support;

use std::sync::Arc;
use support::fixture::{Cast, document};
use support::{TestServer, at};
use theodoi_domain::audit::{NoteSigner, ORIGIN};
use theodoi_server::{AppState, ManualClock, ServerConfig};
use theodoi_store::{Backend, on_both_backends};

async fn signing_process(url: &str, signer: &Arc<NoteSigner>) -> AppState {
    let mut config = ServerConfig::new(url);
    config.audit_signer = Some(signer.clone());
    theodoi_server::state(config, Arc::new(ManualClock::new(at("2026-03-02 10:00"))))
        .await
        .expect("start a process")
}

async fn scheduler_signs_checkpoint_once(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    document(&server, &people.office, "11-KL/TW", "normal").await;
    let signer = Arc::new(NoteSigner::from_seed(ORIGIN, [5; 32]));
    let url = server.state.config.database_url.clone();
    let first = signing_process(&url, &signer).await;
    let second = signing_process(&url, &signer).await;

    let (first_run, second_run) = tokio::join!(
        theodoi_server::scheduler::checkpoint_due(&first),
        theodoi_server::scheduler::checkpoint_due(&second)
    );
    let runs: Vec<u64> = [
        first_run.expect("first run"),
        second_run.expect("second run"),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert_eq!(runs.len(), 1, "one process signs the period: {runs:?}");

    let verification = server
        .state
        .store
        .verify_audit(&signer.verifier())
        .await
        .expect("verify");
    assert_eq!(verification.problem, None);
    assert_eq!(verification.checkpoints, 1);
    assert_eq!(
        runs[0], verification.size,
        "the checkpoint covers every entry"
    );
    assert!(verification.size > 0, "logins and the document were logged");
    assert_eq!(
        theodoi_server::scheduler::checkpoint_due(&second)
            .await
            .expect("rerun"),
        None,
        "the signed period does not run again"
    );
    assert_eq!(
        theodoi_server::scheduler::checkpoint_due(&server.state)
            .await
            .expect("run without a key"),
        None,
        "a process without a key signs nothing"
    );
}

on_both_backends!(scheduler_signs_checkpoint_once);
