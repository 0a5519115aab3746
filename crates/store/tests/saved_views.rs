//! Saved views of the task list on both backends: saving, replacing by name, listing per user,
//! and deleting only one's own.

use jiff::{SignedDuration, Timestamp};
use theodoi_domain::ids::UserId;
use theodoi_domain::org::OrgTree;
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::testing::TestDatabase;
use theodoi_store::{Backend, NewUser, Store, on_both_backends};

async fn add_user(store: &Store, username: &str, now: Timestamp) -> UserId {
    let orgs = OrgTree::new(store.organisations().await.unwrap());
    store
        .insert_user(
            &NewUser {
                username: username.into(),
                full_name: format!("Cán bộ {username}"),
                org_id: orgs.by_code("TU-HNI").unwrap().id,
                roles: vec![Role::Updater],
                clearance: Clearance::Normal,
                password_hash: "x".into(),
                language: "vi".into(),
                email: None,
            },
            now,
        )
        .await
        .unwrap()
        .id
}

async fn saved_views_per_user(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let store = database.store().await;
    let now: Timestamp = "2026-03-02T02:00:00Z".parse().unwrap();
    let hanoi = add_user(&store, "hni.capnhat", now).await;
    let haiphong = add_user(&store, "hpg.capnhat", now).await;

    let overdue = store
        .save_view(hanoi, "Quá hạn", "result_state=in_progress_overdue", now)
        .await
        .unwrap();
    assert_eq!(overdue.user_id, hanoi);
    assert_eq!(overdue.name, "Quá hạn");
    assert_eq!(overdue.query, "result_state=in_progress_overdue");
    assert_eq!(overdue.created_at, now);
    let key = store
        .save_view(hanoi, "Trọng tâm", "priority=key", now)
        .await
        .unwrap();
    assert_ne!(key.id, overdue.id);

    let names: Vec<String> = store
        .saved_views(hanoi)
        .await
        .unwrap()
        .into_iter()
        .map(|view| view.name)
        .collect();
    assert_eq!(names, ["Quá hạn", "Trọng tâm"]);
    assert!(store.saved_views(haiphong).await.unwrap().is_empty());

    let later = now + SignedDuration::from_hours(1);
    let replaced = store
        .save_view(
            hanoi,
            "Quá hạn",
            "result_state=in_progress_overdue&breached=true",
            later,
        )
        .await
        .unwrap();
    assert_eq!(replaced.id, overdue.id, "same name keeps the view");
    assert_eq!(
        replaced.query,
        "result_state=in_progress_overdue&breached=true"
    );
    assert_eq!(replaced.created_at, now);
    assert_eq!(replaced.updated_at, later);
    assert_eq!(store.saved_views(hanoi).await.unwrap().len(), 2);

    let same_name_elsewhere = store
        .save_view(haiphong, "Quá hạn", "breached=true", now)
        .await
        .unwrap();
    assert_ne!(same_name_elsewhere.id, overdue.id);

    assert_eq!(
        store.saved_view(hanoi, overdue.id).await.unwrap(),
        Some(replaced.clone())
    );
    assert_eq!(store.saved_view(haiphong, overdue.id).await.unwrap(), None);

    assert!(
        !store.delete_view(haiphong, overdue.id).await.unwrap(),
        "another user's view is not deleted"
    );
    assert!(store.delete_view(hanoi, overdue.id).await.unwrap());
    assert!(
        !store.delete_view(hanoi, overdue.id).await.unwrap(),
        "a second delete finds nothing"
    );
    let left: Vec<i64> = store
        .saved_views(hanoi)
        .await
        .unwrap()
        .into_iter()
        .map(|view| view.id)
        .collect();
    assert_eq!(left, [key.id]);
    assert_eq!(store.saved_views(haiphong).await.unwrap().len(), 1);
}

on_both_backends!(saved_views_per_user);
