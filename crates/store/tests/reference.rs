//! Reference data on both backends: the organisation tree and its closure table, user accounts
//! with their sessions and API tokens, the classification catalogues and the calendar
//! revisions.

mod support;

use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeSet;
use support::{World, local};
use theodoi_calendar::hours::WorkingHours;
use theodoi_calendar::schedule::{SpecialDay, builtin_year};
use theodoi_domain::catalogue::{Axis, CatalogueEntry, default_entries};
use theodoi_domain::error::{Code, ErrorKind};
use theodoi_domain::ids::{OrgId, UserId};
use theodoi_domain::org::{NewOrganisation, OrgCategory};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, NewUser, SessionRecord, StoreError, UserChanges, on_both_backends};

/// The field and code of a store error that should be one invalid field.
fn field_error(error: StoreError) -> (String, Code) {
    match error {
        StoreError::Domain(error) => {
            assert_eq!(error.kind, ErrorKind::Invalid, "{error}");
            assert_eq!(error.violations.len(), 1, "{error}");
            let violation = &error.violations[0];
            (violation.field.clone(), violation.code)
        }
        other => panic!("expected a field error, got {other:?}"),
    }
}

async fn organisations_seeded(backend: Backend) {
    let world = World::new(backend).await;
    let organisations = world.store.organisations().await.unwrap();
    assert_eq!(organisations.len(), 56);

    let count = |category: OrgCategory| {
        organisations
            .iter()
            .filter(|org| org.category == category)
            .count()
    };
    assert_eq!(count(OrgCategory::AssigningAuthority), 5);
    assert_eq!(count(OrgCategory::CentralPartyBody), 5);
    assert_eq!(count(OrgCategory::InspectionCommission), 1);
    assert_eq!(count(OrgCategory::CommitteeUnderCc), 6);
    assert_eq!(count(OrgCategory::CentralUnit), 4);
    assert_eq!(count(OrgCategory::StateAgency), 1);
    assert_eq!(count(OrgCategory::ProvincialCommittee), 34);

    let hanoi = world.orgs.by_code("TU-HNI").unwrap();
    assert_eq!(hanoi.name_vi, "Thành uỷ Hà Nội");
    assert_eq!(hanoi.province_code, Some(1));
    assert_eq!(
        world.orgs.by_code("TU-CMU").unwrap().province_code,
        Some(96)
    );
    assert_eq!(
        world.orgs.by_code("TU-HCM").unwrap().province_code,
        Some(79)
    );

    let provinces: BTreeSet<u16> = organisations
        .iter()
        .filter(|org| org.category == OrgCategory::ProvincialCommittee)
        .map(|org| org.province_code.expect("every province has a code"))
        .collect();
    assert_eq!(provinces.len(), 34, "province codes are distinct");
    assert!(
        organisations
            .iter()
            .filter(|org| org.category != OrgCategory::ProvincialCommittee)
            .all(|org| org.province_code.is_none())
    );

    let parent_code = |code: &str| {
        let parent = world.orgs.by_code(code).unwrap().parent_id?;
        world
            .orgs
            .iter()
            .find(|org| org.id == parent)
            .map(|org| org.code.clone())
    };
    assert_eq!(parent_code("TW"), None);
    assert_eq!(parent_code("BCT"), Some("TW".to_owned()));
    assert_eq!(parent_code("TTBBT"), Some("BBT".to_owned()));
    assert_eq!(parent_code("BCYCP"), Some("DUCP".to_owned()));
    assert_eq!(parent_code("TU-HNI"), Some("TW".to_owned()));

    // Parents come before their children, so a reader can build the tree in one pass.
    let mut seen = BTreeSet::new();
    for org in &organisations {
        if let Some(parent) = org.parent_id {
            assert!(
                seen.contains(&parent),
                "{} listed before its parent",
                org.code
            );
        }
        seen.insert(org.id);
    }

    assert_eq!(
        world
            .store
            .seed_organisations(Timestamp::now())
            .await
            .unwrap(),
        0
    );
    assert_eq!(world.store.organisations().await.unwrap().len(), 56);
}

async fn organisations_closure(backend: Backend) {
    let world = World::new(backend).await;
    for org in world.orgs.iter() {
        assert_eq!(
            world.store.subtree(org.id).await.unwrap(),
            world.orgs.subtree(org.id),
            "subtree of {}",
            org.code
        );
    }
    assert_eq!(
        world.store.subtree(world.org("TW")).await.unwrap().len(),
        56
    );
    assert_eq!(
        world.store.subtree(world.org("BBT")).await.unwrap(),
        vec![world.org("BBT"), world.org("TTBBT")]
    );
    assert_eq!(
        world.store.subtree(world.org("TU-HNI")).await.unwrap(),
        vec![world.org("TU-HNI")]
    );
    assert!(world.store.subtree(OrgId(9_999)).await.unwrap().is_empty());
}

async fn organisations_add_unit(backend: Backend) {
    let mut world = World::new(backend).await;
    let hanoi = world.org("TU-HNI");
    let unit = world
        .add_unit("HNI-BTG", "Ban Tuyên giáo Thành uỷ Hà Nội", "TU-HNI")
        .await;
    let ward = world
        .add_unit("HNI-BTG-P1", "Phòng Tuyên truyền", "HNI-BTG")
        .await;

    let stored = world.store.organisations().await.unwrap();
    assert_eq!(stored.len(), 58);
    let added = stored.iter().find(|org| org.id == ward).unwrap();
    assert_eq!(added.category, OrgCategory::SubordinateUnit);
    assert_eq!(added.parent_id, Some(unit));
    assert_eq!(added.province_code, Some(1), "a unit inherits its province");
    assert_eq!(added.name_en, "Phòng Tuyên truyền");

    assert_eq!(
        world.store.subtree(hanoi).await.unwrap(),
        vec![hanoi, unit, ward]
    );
    assert_eq!(world.store.subtree(unit).await.unwrap(), vec![unit, ward]);
    assert_eq!(world.store.subtree(ward).await.unwrap(), vec![ward]);
    let everything = world.store.subtree(world.org("TW")).await.unwrap();
    assert_eq!(everything.len(), 58);
    assert!(everything.contains(&ward));
    assert!(
        !world
            .store
            .subtree(world.org("TU-HPG"))
            .await
            .unwrap()
            .contains(&unit)
    );
}

async fn organisations_duplicate_code(backend: Backend) {
    let mut world = World::new(backend).await;
    world
        .add_unit("HNI-BTG", "Ban Tuyên giáo Thành uỷ Hà Nội", "TU-HNI")
        .await;
    let haiphong = world.orgs.by_code("TU-HPG").unwrap().clone();
    let again = NewOrganisation::subordinate("hni-btg", "Ban khác", None, &haiphong).unwrap();
    let error = world
        .store
        .insert_organisation(&again, local(2026, 1, 6, 8, 0))
        .await
        .unwrap_err();
    assert_eq!(
        field_error(error),
        ("code".to_owned(), Code::OrgCodeDuplicate)
    );

    // The failed insert left neither a row nor a closure entry behind.
    assert_eq!(world.store.organisations().await.unwrap().len(), 57);
    assert_eq!(
        world.store.subtree(haiphong.id).await.unwrap(),
        vec![haiphong.id]
    );
    let seeded = NewOrganisation {
        code: "VPTW".into(),
        name_vi: "Văn phòng".into(),
        name_en: "Office".into(),
        category: OrgCategory::CentralPartyBody,
        parent_id: None,
        province_code: None,
    };
    let error = world
        .store
        .insert_organisation(&seeded, local(2026, 1, 6, 8, 0))
        .await
        .unwrap_err();
    assert_eq!(
        field_error(error),
        ("code".to_owned(), Code::OrgCodeDuplicate)
    );
}

fn new_user(username: &str, org: OrgId) -> NewUser {
    NewUser {
        username: username.to_owned(),
        full_name: "Nguyễn Văn Đức".into(),
        org_id: org,
        roles: vec![Role::Updater, Role::Approver, Role::Updater],
        clearance: Clearance::Normal,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$c2VjcmV0".into(),
        language: "vi".into(),
        email: None,
    }
}

async fn users_insert_and_read(backend: Backend) {
    let world = World::new(backend).await;
    let hanoi = world.org("TU-HNI");
    let created = local(2026, 2, 2, 9, 0);
    let user = world
        .store
        .insert_user(&new_user("hni.daumoi", hanoi), created)
        .await
        .unwrap();
    assert_eq!(user.username, "hni.daumoi");
    assert_eq!(
        user.roles,
        [Role::Approver, Role::Updater],
        "sorted, without repeats"
    );
    assert_eq!(user.full_name, "Nguyễn Văn Đức");
    assert_eq!(user.clearance, Clearance::Normal);
    assert_eq!(user.created_at, created);
    assert_eq!(user.version, 1);
    assert!(!user.disabled);

    assert_eq!(world.store.user(user.id).await.unwrap(), Some(user.clone()));
    assert_eq!(
        world.store.user_by_username("hni.daumoi").await.unwrap(),
        Some(user.clone())
    );
    assert_eq!(world.store.user_by_username("nobody").await.unwrap(), None);
    assert_eq!(world.store.user(UserId(9_999)).await.unwrap(), None);

    let of_hanoi: Vec<String> = world
        .store
        .users(Some(hanoi))
        .await
        .unwrap()
        .into_iter()
        .map(|user| user.username)
        .collect();
    assert_eq!(of_hanoi, ["hni.capnhat", "hni.daumoi", "hni.pheduyet"]);
    assert_eq!(world.store.users(None).await.unwrap().len(), 5);

    let debug = format!("{user:?}");
    assert!(
        !debug.contains("argon2"),
        "the hash stays out of Debug: {debug}"
    );
}

async fn users_duplicate_username(backend: Backend) {
    let world = World::new(backend).await;
    let error = world
        .store
        .insert_user(
            &new_user("hni.capnhat", world.org("TU-HPG")),
            local(2026, 2, 2, 9, 0),
        )
        .await
        .unwrap_err();
    assert_eq!(
        field_error(error),
        ("username".to_owned(), Code::UsernameTaken)
    );
    assert_eq!(world.store.users(None).await.unwrap().len(), 4);
}

async fn users_update_versions(backend: Backend) {
    let world = World::new(backend).await;
    let user = world
        .store
        .user_by_username("hni.capnhat")
        .await
        .unwrap()
        .unwrap();
    let renamed = world
        .store
        .update_user(
            user.id,
            Some(1),
            &UserChanges {
                full_name: Some("Lê Thị Hà".into()),
                language: Some("en".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.version, 2);
    assert_eq!(renamed.full_name, "Lê Thị Hà");
    assert_eq!(renamed.language, "en");
    assert_eq!(renamed.roles, user.roles, "unchanged fields are kept");

    let stale = world
        .store
        .update_user(
            user.id,
            Some(1),
            &UserChanges {
                full_name: Some("Tên cũ".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(stale, StoreError::VersionConflict { current: 2 }),
        "{stale:?}"
    );
    let unchanged = world.store.user(user.id).await.unwrap().unwrap();
    assert_eq!(unchanged, renamed);

    let missing = world
        .store
        .update_user(UserId(9_999), None, &UserChanges::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&missing, StoreError::Domain(error) if error.code == Code::UserNotFound),
        "{missing:?}"
    );
}

fn session(hash: &str, user: UserId, at: Timestamp) -> SessionRecord {
    SessionRecord {
        id_hash: hash.to_owned(),
        user_id: user,
        csrf_token: format!("csrf-{hash}"),
        created_at: at,
        last_seen_at: at,
        expires_at: at + SignedDuration::from_hours(1),
    }
}

async fn sessions_expire_and_delete(backend: Backend) {
    let world = World::new(backend).await;
    let user = world.updater.user_id;
    let start = local(2026, 2, 2, 9, 0);
    world
        .store
        .insert_session(&session("s1", user, start))
        .await
        .unwrap();

    let (found, owner) = world.store.session("s1", start).await.unwrap().unwrap();
    assert_eq!(found.user_id, user);
    assert_eq!(found.csrf_token, "csrf-s1");
    assert_eq!(found.expires_at, start + SignedDuration::from_hours(1));
    assert_eq!(owner.username, "hni.capnhat");

    let expiry = start + SignedDuration::from_hours(1);
    let just_before = expiry - SignedDuration::from_millis(1);
    assert!(
        world
            .store
            .session("s1", just_before)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        world.store.session("s1", expiry).await.unwrap().is_none(),
        "a session is over at its expiry instant"
    );
    assert!(
        world
            .store
            .session("unknown", start)
            .await
            .unwrap()
            .is_none()
    );

    let later = start + SignedDuration::from_mins(50);
    world
        .store
        .touch_session("s1", later, later + SignedDuration::from_hours(1))
        .await
        .unwrap();
    let (touched, _) = world.store.session("s1", expiry).await.unwrap().unwrap();
    assert_eq!(touched.last_seen_at, later);
    assert_eq!(touched.created_at, start);

    world.store.delete_session("s1").await.unwrap();
    assert!(world.store.session("s1", later).await.unwrap().is_none());
}

async fn sessions_end_on_security_change(backend: Backend) {
    let world = World::new(backend).await;
    let user = world.updater.user_id;
    let start = local(2026, 2, 2, 9, 0);
    let changes = [
        (
            "password",
            UserChanges {
                password_hash: Some("$argon2id$new".into()),
                ..Default::default()
            },
        ),
        (
            "roles",
            UserChanges {
                roles: Some(vec![Role::Updater, Role::Approver]),
                ..Default::default()
            },
        ),
        (
            "clearance",
            UserChanges {
                clearance: Some(Clearance::Normal),
                ..Default::default()
            },
        ),
        (
            "organisation",
            UserChanges {
                org_id: Some(world.org("TU-HPG")),
                ..Default::default()
            },
        ),
        (
            "disabled",
            UserChanges {
                disabled: Some(true),
                ..Default::default()
            },
        ),
    ];
    for (index, (name, change)) in changes.into_iter().enumerate() {
        let first = format!("{name}-a");
        let second = format!("{name}-b");
        world
            .store
            .insert_session(&session(&first, user, start))
            .await
            .unwrap();
        world
            .store
            .insert_session(&session(&second, user, start))
            .await
            .unwrap();
        let other = format!("{name}-other");
        world
            .store
            .insert_session(&session(&other, world.approver.user_id, start))
            .await
            .unwrap();

        let updated = world.store.update_user(user, None, &change).await.unwrap();
        assert_eq!(updated.version, i64::try_from(index).unwrap() + 2, "{name}");
        assert!(
            world.store.session(&first, start).await.unwrap().is_none(),
            "{name} change ends the session"
        );
        assert!(
            world.store.session(&second, start).await.unwrap().is_none(),
            "{name} change ends every session"
        );
        assert!(
            world.store.session(&other, start).await.unwrap().is_some(),
            "{name} change keeps other users' sessions"
        );
    }

    // Re-enabling, renaming or a new language keep the account's sessions.
    world
        .store
        .insert_session(&session("kept", user, start))
        .await
        .unwrap();
    world
        .store
        .update_user(
            user,
            None,
            &UserChanges {
                full_name: Some("Tên mới".into()),
                language: Some("en".into()),
                disabled: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(world.store.session("kept", start).await.unwrap().is_some());
}

async fn tokens_expire(backend: Backend) {
    let world = World::new(backend).await;
    let user = world.monitor.user_id;
    let start = local(2026, 2, 2, 9, 0);
    let expiry = start + SignedDuration::from_hours(24 * 30);
    let token = world
        .store
        .insert_token("hash-1", user, "Đồng bộ báo cáo", start, expiry)
        .await
        .unwrap();
    assert_eq!(token.user_id, user);
    assert_eq!(token.expires_at, expiry);

    let (found, owner) = world.store.token("hash-1", start).await.unwrap().unwrap();
    assert_eq!(found.id, token.id);
    assert_eq!(found.name, "Đồng bộ báo cáo");
    assert_eq!(found.created_at, start);
    assert_eq!(owner.id, user);

    let just_before = expiry - SignedDuration::from_millis(1);
    assert!(
        world
            .store
            .token("hash-1", just_before)
            .await
            .unwrap()
            .is_some()
    );
    assert!(world.store.token("hash-1", expiry).await.unwrap().is_none());
    assert!(world.store.token("hash-2", start).await.unwrap().is_none());

    // A token outlives a disabled account, so its user comes back marked disabled.
    world
        .store
        .update_user(
            user,
            None,
            &UserChanges {
                disabled: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let (_, owner) = world.store.token("hash-1", start).await.unwrap().unwrap();
    assert!(owner.disabled);
}

async fn catalogue_seeded(backend: Backend) {
    let world = World::new(backend).await;
    let stored = world.store.catalogue_entries().await.unwrap();
    assert!(stored.iter().all(|entry| entry.version == 1));
    let mut entries: Vec<CatalogueEntry> = stored.into_iter().map(|stored| stored.entry).collect();
    let mut defaults = default_entries();
    let key = |entry: &CatalogueEntry| (entry.axis, entry.position, entry.code.clone());
    entries.sort_by_key(key);
    defaults.sort_by_key(key);
    assert_eq!(entries, defaults);
    assert_eq!(world.store.seed_catalogue().await.unwrap(), 0);
    assert_eq!(world.store.catalogue_entries().await.unwrap().len(), 13);
}

async fn catalogue_duplicate_code(backend: Backend) {
    let world = World::new(backend).await;
    let entry =
        CatalogueEntry::validate(Axis::Priority, "key", "Trọng điểm", "Key", true, 20).unwrap();
    let error = world
        .store
        .insert_catalogue_entry(&entry)
        .await
        .unwrap_err();
    assert_eq!(
        field_error(error),
        ("code".to_owned(), Code::CatalogueCodeDuplicate)
    );

    // Codes are unique per axis only.
    let other_axis = CatalogueEntry::validate(
        Axis::Other,
        "key",
        "Nhiệm vụ then chốt",
        "Key task",
        true,
        20,
    )
    .unwrap();
    let stored = world
        .store
        .insert_catalogue_entry(&other_axis)
        .await
        .unwrap();
    assert_eq!(stored.version, 1);
    assert_eq!(world.store.catalogue_entries().await.unwrap().len(), 14);
}

async fn catalogue_update_versions(backend: Backend) {
    let world = World::new(backend).await;
    let entry = CatalogueEntry::validate(
        Axis::Scope,
        "digital",
        "Chuyển đổi số",
        "Digital transformation",
        true,
        30,
    )
    .unwrap();
    assert_eq!(
        world
            .store
            .insert_catalogue_entry(&entry)
            .await
            .unwrap()
            .version,
        1
    );

    let renamed = CatalogueEntry {
        name_vi: "Chuyển đổi số quốc gia".into(),
        ..entry.clone()
    };
    let updated = world
        .store
        .update_catalogue_entry(&renamed, Some(1))
        .await
        .unwrap();
    assert_eq!(updated.version, 2);

    let stale = CatalogueEntry {
        active: false,
        ..entry.clone()
    };
    let error = world
        .store
        .update_catalogue_entry(&stale, Some(1))
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::VersionConflict { current: 2 }),
        "{error:?}"
    );

    let stored = world.store.catalogue_entries().await.unwrap();
    let current = stored
        .iter()
        .find(|stored| stored.entry.code == "digital")
        .unwrap();
    assert_eq!(current.entry, renamed, "the stale update wrote nothing");
    assert_eq!(current.version, 2);

    let retired = world
        .store
        .update_catalogue_entry(&stale, None)
        .await
        .unwrap();
    assert_eq!(retired.version, 3);

    let unknown = CatalogueEntry {
        code: "unknown".into(),
        ..entry
    };
    let error = world
        .store
        .update_catalogue_entry(&unknown, None)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, StoreError::Domain(domain) if domain.code == Code::CatalogueUnknownCode),
        "{error:?}"
    );
}

async fn calendar_revisions(backend: Backend) {
    let world = World::new(backend).await;
    let admin = world.office.user_id;
    let initial = world.store.calendar_overrides().await.unwrap();
    assert_eq!(initial.revision, 0);
    assert!(initial.years.is_empty());
    assert_eq!(initial.hours, None);
    assert_eq!(initial.version_label(), "builtin-1");

    let first_2027 = builtin_year(2027);
    let mut second_2027 = builtin_year(2027);
    // The administrator adds a swapped day off on Friday 15 October 2027.
    let swapped = jiff::civil::date(2027, 10, 15);
    second_2027.days.push(SpecialDay::swapped(swapped));
    second_2027.days.sort_by_key(|day| day.date);
    let hours: WorkingHours = "07:30-11:30,13:00-16:30".parse().unwrap();

    let mut revisions = Vec::new();
    let mut labels = vec![initial.version_label()];
    let at = local(2026, 12, 1, 9, 0);
    revisions.push(
        world
            .store
            .save_calendar_year(&first_2027, admin, at)
            .await
            .unwrap(),
    );
    labels.push(
        world
            .store
            .calendar_overrides()
            .await
            .unwrap()
            .version_label(),
    );
    revisions.push(
        world
            .store
            .save_working_hours(&hours, admin, at)
            .await
            .unwrap(),
    );
    labels.push(
        world
            .store
            .calendar_overrides()
            .await
            .unwrap()
            .version_label(),
    );
    revisions.push(
        world
            .store
            .save_calendar_year(&second_2027, admin, at)
            .await
            .unwrap(),
    );
    labels.push(
        world
            .store
            .calendar_overrides()
            .await
            .unwrap()
            .version_label(),
    );
    revisions.push(
        world
            .store
            .save_calendar_year(&builtin_year(2028), admin, at)
            .await
            .unwrap(),
    );
    labels.push(
        world
            .store
            .calendar_overrides()
            .await
            .unwrap()
            .version_label(),
    );

    assert!(
        revisions.windows(2).all(|pair| pair[0] < pair[1]),
        "revisions increase: {revisions:?}"
    );
    let distinct: BTreeSet<&String> = labels.iter().collect();
    assert_eq!(
        distinct.len(),
        labels.len(),
        "each save changes the label: {labels:?}"
    );

    let overrides = world.store.calendar_overrides().await.unwrap();
    assert_eq!(overrides.revision, revisions[3]);
    assert_eq!(
        overrides.version_label(),
        format!("builtin-1+r{}", revisions[3])
    );
    assert_eq!(overrides.hours.as_deref(), Some("07:30-11:30,13:00-16:30"));
    let years: Vec<i16> = overrides.years.iter().map(|year| year.year).collect();
    assert_eq!(years, [2027, 2028]);
    assert_eq!(
        overrides.years[0], second_2027,
        "the latest revision of 2027 is in force"
    );

    let calendar = overrides.calendar();
    assert_eq!(calendar.hours(), &hours);
    assert!(!calendar.is_working_day(swapped));
    assert!(world.calendar.is_working_day(swapped));
    assert_eq!(calendar.version().0, overrides.version_label());
}

on_both_backends!(
    organisations_seeded,
    organisations_closure,
    organisations_add_unit,
    organisations_duplicate_code,
    users_insert_and_read,
    users_duplicate_username,
    users_update_versions,
    sessions_expire_and_delete,
    sessions_end_on_security_change,
    tokens_expire,
    catalogue_seeded,
    catalogue_duplicate_code,
    catalogue_update_versions,
    calendar_revisions,
);
