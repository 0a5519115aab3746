//! Files attached to tasks on both backends: bytes kept exactly, metadata, one copy for a
//! repeated upload, and lookups of missing files.

mod support;

use jiff::civil::date;
use support::{World, local, task_input};
use theodoi_store::{AttachmentId, Backend, NewAttachment, on_both_backends};

/// Bytes that a text column would mangle: zeros, invalid UTF-8, and more than one page.
fn binary(len: usize) -> Vec<u8> {
    (0..len).map(|index| (index * 7 % 256) as u8).collect()
}

async fn attachments_store_and_read(backend: Backend) {
    let world = World::new(backend).await;
    let document = world
        .resolution("57-NQ/TW", "Nghị quyết về chuyển đổi số", date(2026, 3, 2))
        .await;
    let task = world
        .create_transferred(
            &document,
            &task_input(
                "Xây dựng đề án",
                world.org("TU-HNI"),
                Some(date(2026, 6, 30)),
            ),
            local(2026, 3, 2, 9, 0),
        )
        .await;
    let data = binary(300_000);
    let now = local(2026, 3, 3, 10, 15);
    let new = NewAttachment {
        task_id: task.id,
        uploaded_by: world.updater.user_id,
        body: world.updater.org_id,
        file_name: "Báo cáo sơ kết quý I.pdf",
        content_type: "application/pdf",
        data: &data,
        now,
    };

    let stored = world.store.insert_attachment(&new).await.unwrap();
    assert!(!stored.replayed, "the first upload stores the file");
    let attachment = stored.value;
    assert_eq!(attachment.task_id, task.id);
    assert_eq!(attachment.uploaded_by, world.updater.user_id);
    assert_eq!(attachment.body, world.org("TU-HNI"));
    assert_eq!(attachment.file_name, "Báo cáo sơ kết quý I.pdf");
    assert_eq!(attachment.content_type, "application/pdf");
    assert_eq!(attachment.size, 300_000);
    assert_eq!(attachment.sha256.len(), 64);
    assert_eq!(attachment.created_at, now);

    let (read, bytes) = world
        .store
        .attachment_data(attachment.id)
        .await
        .unwrap()
        .expect("the stored file");
    assert_eq!(read, attachment);
    assert_eq!(bytes, data, "the bytes come back unchanged");
    assert_eq!(
        world.store.attachment(attachment.id).await.unwrap(),
        Some(attachment.clone())
    );

    let again = world.store.insert_attachment(&new).await.unwrap();
    assert!(again.replayed, "the same upload again is recognised");
    assert_eq!(again.value.id, attachment.id);

    let renamed = world
        .store
        .insert_attachment(&NewAttachment {
            file_name: "Phụ lục.pdf",
            ..new
        })
        .await
        .unwrap();
    assert!(!renamed.replayed, "another name is another file");
    assert_ne!(renamed.value.id, attachment.id);

    let empty = world
        .store
        .insert_attachment(&NewAttachment {
            file_name: "trống.zip",
            content_type: "application/zip",
            data: &[],
            ..new
        })
        .await
        .unwrap();
    assert_eq!(empty.value.size, 0);

    let listed = world
        .store
        .attachments(&[renamed.value.id, AttachmentId(999_999), attachment.id])
        .await
        .unwrap();
    let ids: Vec<AttachmentId> = listed.iter().map(|found| found.id).collect();
    assert_eq!(
        ids,
        [attachment.id, renamed.value.id],
        "existing files in id order"
    );
    assert!(world.store.attachments(&[]).await.unwrap().is_empty());
    assert_eq!(
        world.store.attachment(AttachmentId(999_999)).await.unwrap(),
        None
    );
    assert!(
        world
            .store
            .attachment_data(AttachmentId(999_999))
            .await
            .unwrap()
            .is_none()
    );
}

on_both_backends!(attachments_store_and_read);
