import EntativaCore
import EntativaModels

enum NotificationSchemas {
    static func register(in document: OpenAPIDocument, catalog: NotificationCatalog) {
        let types = Schema.string(values: catalog.all.map(\.name))
        let target = Schema.object(["kind": Schema.string(), "id": Schema.string()], required: ["kind", "id"])
        document.addSchema("NotificationTarget", target)
        document.addSchema(
            "Notification",
            Schema.object(
                [
                    "id": Schema.id, "type": types, "actor": Schema.nullable(Schema.ref("Account")),
                    "target": Schema.nullable(Schema.ref("NotificationTarget")), "object": Schema.nullable(Schema.ref("NotificationTarget")),
                    "group_key": Schema.string(), "text": Schema.string(), "data": Schema.map(of: Schema.string()), "read": Schema.boolean,
                    "created_at": Schema.timestamp,
                ], required: ["id", "type", "group_key", "text", "data", "read", "created_at"]))
        document.addSchema(
            "NotificationGroup",
            Schema.object(
                [
                    "group_key": Schema.string(), "type": types, "target": Schema.nullable(Schema.ref("NotificationTarget")),
                    "actors": Schema.array(Schema.ref("Account"), maxItems: 8), "count": Schema.integer(minimum: 1), "unread": Schema.boolean,
                    "text": Schema.string(), "latest_notification_id": Schema.id, "first_at": Schema.timestamp, "latest_at": Schema.timestamp,
                ], required: ["group_key", "type", "actors", "count", "unread", "text", "latest_notification_id", "first_at", "latest_at"]))
        document.addSchema("NotificationPage", Schema.page(of: "Notification"))
        document.addSchema("NotificationGroupPage", Schema.page(of: "NotificationGroup"))
        document.addSchema("NotificationListPage", ["anyOf": [Schema.ref("NotificationGroupPage"), Schema.ref("NotificationPage")]])
        document.addSchema(
            "UnreadCount",
            Schema.object(["notifications": Schema.integer(minimum: 0), "groups": Schema.integer(minimum: 0)], required: ["notifications", "groups"]))
        let source = Schema.string(values: NotificationSource.allCases.map(\.rawValue))
        let preference = Schema.object(
            ["in_app": Schema.boolean, "push": Schema.boolean, "email": Schema.boolean, "from": source], required: ["in_app", "push", "email", "from"])
        document.addSchema("TypePreference", preference)
        document.addSchema(
            "NotificationType",
            Schema.object(
                [
                    "name": Schema.string(), "description": Schema.string(), "groupable": Schema.boolean, "target_kind": Schema.string(),
                    "default_preference": Schema.ref("TypePreference"),
                ], required: ["name", "description", "groupable", "default_preference"]))
        document.addSchema("NotificationTypePage", Schema.page(of: "NotificationType"))
        let time = Schema.string(pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$")
        document.addSchema(
            "QuietHours",
            Schema.object(
                [
                    "enabled": Schema.boolean, "start": time, "end": time, "time_zone": Schema.string(minLength: 1, maxLength: 64),
                    "exceptions": Schema.object(
                        ["close_friends": Schema.boolean, "types": Schema.array(types, maxItems: 50)], required: ["close_friends", "types"]),
                ], required: ["enabled", "start", "end", "time_zone", "exceptions"]))
        let digest = Schema.string(values: EmailDigest.allCases.map(\.rawValue))
        document.addSchema(
            "NotificationPreferences",
            Schema.object(
                [
                    "types": Schema.map(of: Schema.ref("TypePreference")), "quiet_hours": Schema.nullable(Schema.ref("QuietHours")),
                    "paused_until": Schema.nullable(Schema.timestamp), "email_digest": digest,
                ], required: ["types", "email_digest"]))
        document.addSchema(
            "NotificationPreferencesUpdate",
            Schema.object(
                [
                    "types": Schema.map(of: Schema.object(["in_app": Schema.boolean, "push": Schema.boolean, "email": Schema.boolean, "from": source])),
                    "quiet_hours": Schema.ref("QuietHours"), "pause_hours": Schema.integer(minimum: 0, maximum: 720), "email_digest": digest,
                ]))
        document.addSchema("MarkNotificationsReadRequest", Schema.object(["up_to_id": Schema.id]))
        let platform = Schema.string(values: PushPlatform.allCases.map(\.rawValue))
        document.addSchema(
            "RegisterPushDeviceRequest",
            Schema.object(
                [
                    "platform": platform, "token": Schema.string(minLength: 1, maxLength: 4096), "app_id": Schema.string(minLength: 1, maxLength: 255),
                    "keys": Schema.object(["p256dh": Schema.string(), "auth": Schema.string()], required: ["p256dh", "auth"]),
                ], required: ["platform", "token"]))
        document.addSchema(
            "PushDevice",
            Schema.object(
                ["id": Schema.id, "platform": platform, "app_id": Schema.string(), "token_hint": Schema.string(), "created_at": Schema.timestamp],
                required: ["id", "platform", "token_hint", "created_at"]))
        document.addSchema("PushDevicePage", Schema.page(of: "PushDevice"))
        document.addSchema("VAPIDPublicKey", Schema.object(["public_key": Schema.string()], required: ["public_key"]))
    }
}
