import EntativaCore
import EntativaModels
import Foundation
import SQLKit

struct CreateNotificationTables: SQLMigration {
    let name = "notifications.0001_tables"

    func prepare(sql: any SQLDatabase) async throws {
        // An absent target is stored as '' so grouping compares plain values, never NULLs.
        try await sql.create(table: "notification_groups")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("account_id", type: .bigint, .notNull)
            .column("group_key", type: .text, .notNull, .unique)
            .column("type", type: .text, .notNull)
            .column("target_kind", type: .text, .notNull)
            .column("target_id", type: .text, .notNull)
            .column("count", type: .int, .notNull)
            .column("unread_count", type: .int, .notNull)
            .column("latest_notification_id", type: .bigint, .notNull)
            .column("first_at", type: .bigint, .notNull)
            .column("latest_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "notification_groups_list").on("notification_groups").column("account_id").column("latest_at").column("id").run()
        try await sql.create(index: "notification_groups_open").on("notification_groups")
            .column("account_id").column("type").column("target_kind").column("target_id").column("latest_at").run()

        try await sql.create(table: "notifications")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("account_id", type: .bigint, .notNull)
            .column("group_id", type: .bigint, .notNull)
            .column("type", type: .text, .notNull)
            .column("actor_id", type: .bigint)
            .column("target_kind", type: .text, .notNull)
            .column("target_id", type: .text, .notNull)
            .column("object_kind", type: .text, .notNull)
            .column("object_id", type: .text, .notNull)
            .column("data", type: .text, .notNull)
            .column("dedupe_key", type: .text, .notNull, .unique)
            .column("created_at", type: .bigint, .notNull)
            .column("read_at", type: .bigint)
            .run()
        try await sql.create(index: "notifications_list").on("notifications").column("account_id").column("id").run()
        try await sql.create(index: "notifications_group").on("notifications").column("group_id").column("created_at").run()
        try await sql.create(index: "notifications_target").on("notifications").column("target_kind").column("target_id").run()
        try await sql.create(index: "notifications_actor").on("notifications").column("actor_id").run()

        try await sql.create(table: "notification_preferences")
            .column("account_id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("settings", type: .text, .notNull)
            .column("paused_until", type: .bigint)
            .column("last_digest_at", type: .bigint)
            .column("updated_at", type: .bigint, .notNull)
            .run()

        try await sql.create(table: "push_devices")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("account_id", type: .bigint, .notNull)
            .column("platform", type: .text, .notNull)
            .column("token", type: .text, .notNull)
            .column("app_id", type: .text)
            .column("p256dh", type: .text)
            .column("auth", type: .text)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "push_devices_token").unique().on("push_devices").column("platform").column("token").run()
        try await sql.create(index: "push_devices_account").on("push_devices").column("account_id").run()

        // One row per (notification, channel, device): a retried job finds the row already sent.
        try await sql.create(table: "notification_deliveries")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("notification_id", type: .bigint, .notNull)
            .column("account_id", type: .bigint, .notNull)
            .column("channel", type: .text, .notNull)
            .column("device_id", type: .bigint, .notNull)
            .column("state", type: .text, .notNull)
            .column("detail", type: .text)
            .column("created_at", type: .bigint, .notNull)
            .column("sent_at", type: .bigint)
            .run()
        try await sql.create(index: "notification_deliveries_once").unique().on("notification_deliveries")
            .column("notification_id").column("channel").column("device_id").run()
        try await sql.create(index: "notification_deliveries_digest").on("notification_deliveries").column("account_id").column("channel").column("state").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        for table in ["notification_deliveries", "push_devices", "notification_preferences", "notifications", "notification_groups"] {
            try await sql.drop(table: table).ifExists().run()
        }
    }
}

/// Finding whether an actor is already in a group, for every notification stored.
struct IndexNotificationGroupActors: SQLMigration {
    let name = "notifications.0002_group_actor_index"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.create(index: "notifications_group_actor").on("notifications").column("group_id").column("actor_id").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(index: "notifications_group_actor").run()
    }
}

/// The post a notification hangs off, in a column of its own: deleting a post found its notices
/// by matching bytes inside the JSON `data` (`LIKE '%"post_id":"…"%'`), a full scan of the table
/// that also broke with any other spelling of the same JSON. Existing rows are filled from their
/// post targets and from `data.post_id`, read as JSON.
struct AddNotificationPostReference: SQLMigration {
    let name = "notifications.0003_post_reference"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.raw("ALTER TABLE notifications ADD COLUMN post_id BIGINT").run()
        try await sql.create(index: "notifications_post").on("notifications").column("post_id").run()
        // A share notice names the share as its object: deleting the share finds it by this index.
        try await sql.create(index: "notifications_object").on("notifications").column("object_kind").column("object_id").run()
        try await Self.backfill(on: sql)
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(index: "notifications_object").run()
        try await sql.drop(index: "notifications_post").run()
        try await sql.raw("ALTER TABLE notifications DROP COLUMN post_id").run()
    }

    /// Fills `post_id` where it is missing, a thousand rows at a time.
    static func backfill(on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE notifications SET post_id = CAST(target_id AS BIGINT) WHERE post_id IS NULL AND target_kind = 'post'
            """).run()
        var after: Int64 = 0
        while true {
            let rows = try await sql.raw("""
                SELECT id, data FROM notifications WHERE post_id IS NULL AND id > \(bind: after) ORDER BY id LIMIT 1000
                """).all()
            guard let last = rows.last else { return }
            after = try last.decode(column: "id", as: Int64.self)
            for row in rows {
                let data = try row.decode(column: "data", as: String.self)
                guard let fields = try? JSONDecoder().decode([String: String].self, from: Data(data.utf8)),
                    let post = fields["post_id"].flatMap(PostID.init)
                else { continue }
                try await sql.raw("""
                    UPDATE notifications SET post_id = \(bind: post.rawValue) WHERE id = \(bind: try row.decode(column: "id", as: Int64.self))
                    """).run()
            }
        }
    }
}
