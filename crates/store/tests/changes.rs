//! Change notices on PostgreSQL (sent at commit, never for a rolled-back transaction, small),
//! event summaries for notified ids, and claims on scheduled job runs on both backends.

mod support;

use jiff::SignedDuration;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use support::{World, local, task_input};
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::task::TaskCommand;
use theodoi_domain::user::Clearance;
use theodoi_store::changes::{ChangeListener, ChangeNotice, ListenerError, Liveness};
use theodoi_store::testing::reject_events_at_commit;
use theodoi_store::{Backend, Store, UserChanges, on_both_backends};

/// Generous ceiling for a notice to arrive; a healthy server takes milliseconds.
const CEILING: Duration = Duration::from_secs(10);

async fn next_notice(listener: &mut ChangeListener) -> ChangeNotice {
    tokio::time::timeout(CEILING, listener.next())
        .await
        .expect("a notice within the ceiling")
        .expect("listener connected")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commit_sends_event_ids() {
    let world = World::new(Backend::Postgres).await;
    let mut listener = ChangeListener::connect(world.database_url())
        .await
        .expect("listen");
    let at = local(2026, 3, 2, 9, 0);
    let document = world
        .resolution(
            "57-NQ/TW",
            "Nghị quyết về khoa học",
            jiff::civil::date(2026, 3, 2),
        )
        .await;
    let lead = world.org("TU-HNI");
    let task = world
        .create_task(&document, &task_input("Xây dựng đề án", lead, None), at)
        .await;

    let created = next_notice(&mut listener).await;
    assert_eq!(created.origin, world.store.origin());
    assert_eq!(created.events.len(), 1);
    assert!(!created.reference);

    let committed = world.transfer(task.id, at).await;
    let transferred = next_notice(&mut listener).await;
    let ids: Vec<i64> = committed.events.iter().map(|event| event.id).collect();
    assert_eq!(transferred.events, ids);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rolled_back_change_is_not_announced() {
    let world = World::new(Backend::Postgres).await;
    let at = local(2026, 3, 2, 9, 0);
    let document = world
        .resolution(
            "57-NQ/TW",
            "Nghị quyết về khoa học",
            jiff::civil::date(2026, 3, 2),
        )
        .await;
    let lead = world.org("TU-HNI");
    let doomed = world
        .create_task(&document, &task_input("Nhiệm vụ bị huỷ", lead, None), at)
        .await;
    let kept = world
        .create_task(&document, &task_input("Nhiệm vụ được giữ", lead, None), at)
        .await;
    // Commands on `doomed` now fail at COMMIT, after their notice was queued.
    reject_events_at_commit(world.database_url(), doomed.id.0)
        .await
        .expect("install trigger");
    let mut listener = ChangeListener::connect(world.database_url())
        .await
        .expect("listen");

    let failed = world
        .try_run(&world.office, doomed.id, Some(1), at, TaskCommand::Transfer)
        .await;
    assert!(failed.is_err(), "the commit is rejected");
    let committed = world.transfer(kept.id, at).await;

    // Notices arrive in commit order, so the doomed one would come first.
    let notice = next_notice(&mut listener).await;
    let ids: Vec<i64> = committed.events.iter().map(|event| event.id).collect();
    assert_eq!(notice.events, ids, "the first notice is the kept task's");
    assert_eq!(world.history(doomed.id).await.events.len(), 1);
}

/// A TCP forwarder on 127.0.0.1 to the test PostgreSQL server. Once frozen it drops every
/// byte and keeps the connections open, as a dropped network path does.
struct Forwarder {
    frozen: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Forwarder {
    /// Starts forwarding; returns the forwarder and `url` rewritten to go through it.
    async fn start(url: &str) -> (Forwarder, String) {
        let (prefix, rest) = url.split_once('@').expect("URL with user");
        let (server, database) = rest.split_once('/').expect("URL with database");
        let server = server.to_owned();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("address").port();
        let frozen = Arc::new(AtomicBool::new(false));
        let flag = frozen.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    return;
                };
                let upstream = tokio::net::TcpStream::connect(&server)
                    .await
                    .expect("connect to PostgreSQL");
                let (client_read, client_write) = client.into_split();
                let (upstream_read, upstream_write) = upstream.into_split();
                tokio::spawn(pump(client_read, upstream_write, flag.clone()));
                tokio::spawn(pump(upstream_read, client_write, flag.clone()));
            }
        });
        let forwarded = format!("{prefix}@127.0.0.1:{port}/{database}");
        (Forwarder { frozen, task }, forwarded)
    }

    fn freeze(&self) {
        self.frozen.store(true, Ordering::SeqCst);
    }
}

impl Drop for Forwarder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    frozen: Arc<AtomicBool>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        let read = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => read,
        };
        if frozen.load(Ordering::SeqCst) {
            continue;
        }
        if to.write_all(&buffer[..read]).await.is_err() {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_connection_counts_as_lost() {
    let world = World::new(Backend::Postgres).await;
    let (forwarder, url) = Forwarder::start(world.database_url()).await;
    let liveness = Liveness {
        idle: Duration::from_millis(200),
        timeout: Duration::from_millis(500),
    };
    let mut listener = ChangeListener::connect_with(&url, liveness)
        .await
        .expect("listen");

    // A notice sent after several idle checks still arrives: checks keep a live connection.
    let store = world.store.clone();
    let by = world.office.user_id;
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        store
            .save_working_hours(
                &"07:30-11:30,13:00-17:00".parse().expect("hours"),
                by,
                local(2026, 3, 2, 9, 0),
            )
            .await
            .expect("save hours");
    });
    assert!(next_notice(&mut listener).await.reference);

    forwarder.freeze();
    let outcome = tokio::time::timeout(CEILING, listener.next())
        .await
        .expect("the listener gives up within the ceiling");
    assert!(
        matches!(outcome, Err(ListenerError::Disconnected)),
        "{outcome:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reference_change_is_announced() {
    let world = World::new(Backend::Postgres).await;
    let mut listener = ChangeListener::connect(world.database_url())
        .await
        .expect("listen");
    world
        .store
        .save_working_hours(
            &"07:30-11:30,13:00-17:00".parse().expect("hours"),
            world.office.user_id,
            local(2026, 3, 2, 9, 0),
        )
        .await
        .expect("save hours");
    let notice = next_notice(&mut listener).await;
    assert!(notice.reference);
    assert!(notice.events.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_change_is_announced() {
    let world = World::new(Backend::Postgres).await;
    let mut listener = ChangeListener::connect(world.database_url())
        .await
        .expect("listen");
    let changes = UserChanges {
        clearance: Some(Clearance::Normal),
        ..UserChanges::default()
    };
    world
        .store
        .update_user(world.office.user_id, None, &changes)
        .await
        .expect("update user");
    let notice = next_notice(&mut listener).await;
    assert!(notice.access);
    assert!(!notice.reference);

    world
        .store
        .delete_session("no-such-session")
        .await
        .expect("delete session");
    assert!(next_notice(&mut listener).await.access);
}

async fn event_summaries_scope_classified(backend: Backend) {
    let world = World::new(backend).await;
    let at = local(2026, 3, 2, 9, 0);
    let document = world
        .register(
            "resolution",
            "58-NQ/TW",
            "Nghị quyết mật",
            jiff::civil::date(2026, 3, 2),
            Confidentiality::Secret,
        )
        .await;
    let lead = world.org("TU-HNI");
    let mut input = task_input("", lead, None);
    input.content = None;
    let task = world.create_task(&document, &input, at).await;
    let committed = world.transfer(task.id, at).await;
    let ids: Vec<i64> = committed.events.iter().map(|event| event.id).collect();

    let summaries = world
        .store
        .event_summaries(&[ids.clone(), vec![i64::MAX]].concat())
        .await
        .expect("summaries");
    assert_eq!(
        summaries.iter().map(|s| s.id).collect::<Vec<_>>(),
        ids,
        "unknown ids are left out"
    );
    let first = &summaries[0];
    assert_eq!(first.task_id, task.id);
    assert_eq!(first.kind, "transferred");
    assert_eq!(first.confidentiality, Confidentiality::Secret);
    assert!(first.bodies.contains(&lead));
    assert!(first.bodies.contains(&task.monitoring_body));
}

async fn job_run_claimed_once(backend: Backend) {
    let world = World::new(backend).await;
    // A second process on the same database.
    let other = Store::open(world.database_url())
        .await
        .expect("second store");
    let now = local(2026, 3, 2, 9, 0);
    let lease = SignedDuration::from_mins(15);
    let mut racers = Vec::new();
    for index in 0..8 {
        let store = if index % 2 == 0 {
            world.store.clone()
        } else {
            other.clone()
        };
        racers.push(tokio::spawn(async move {
            store
                .claim_job_run("refill", "2026-03-02T02:00:00Z", now, lease)
                .await
                .expect("claim")
        }));
    }
    let mut won = 0;
    for racer in racers {
        if racer.await.expect("racer") {
            won += 1;
        }
    }
    assert_eq!(won, 1);
    assert!(
        world
            .store
            .claim_job_run("refill", "2026-03-02T03:00:00Z", now, lease)
            .await
            .expect("claim"),
        "another period is a new run"
    );
    other.close().await;
}

async fn job_lease_runs_out(backend: Backend) {
    let world = World::new(backend).await;
    let other = Store::open(world.database_url())
        .await
        .expect("second store");
    let now = local(2026, 3, 2, 9, 0);
    let lease = SignedDuration::from_mins(15);
    let period = "2026-03-02T02:00:00Z";
    assert!(
        world
            .store
            .claim_job_run("refill", period, now, lease)
            .await
            .unwrap()
    );

    let before_expiry = now + SignedDuration::from_mins(14);
    assert!(
        !other
            .claim_job_run("refill", period, before_expiry, lease)
            .await
            .unwrap()
    );
    // The first process died holding the lease; once it runs out the other takes over.
    let after_expiry = now + SignedDuration::from_mins(15);
    assert!(
        other
            .claim_job_run("refill", period, after_expiry, lease)
            .await
            .unwrap()
    );
    assert!(
        !world
            .store
            .finish_job_run("refill", period, after_expiry)
            .await
            .unwrap(),
        "the first process lost its claim"
    );
    assert!(
        other
            .finish_job_run("refill", period, after_expiry)
            .await
            .unwrap()
    );

    let much_later = now + SignedDuration::from_hours(5);
    assert!(
        !world
            .store
            .claim_job_run("refill", period, much_later, lease)
            .await
            .unwrap(),
        "a finished run is never claimed again"
    );
    other.close().await;
}

on_both_backends!(
    event_summaries_scope_classified,
    job_run_claimed_once,
    job_lease_runs_out
);
