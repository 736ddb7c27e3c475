import EntativaCore
import EntativaModels
import Hummingbird

/// `/api/v1/notifications…`: the lists, read marks, deletion and preferences.
struct NotificationRoutes {
    let env: NotificationsEnvironment

    struct MarkReadRequest: Codable, Sendable {
        var upToId: NotificationID?
    }

    func register(signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        let center = NotificationCenter(env: env)
        let limits = env.kernel.config.limits
        signedIn.add(
            .get, "/api/v1/notifications",
            APIOperation(
                "listNotifications", "My notifications, grouped (default) or one by one", tag: "notifications", access: .signedIn,
                response: "NotificationListPage", errors: [422],
                query: [
                    QueryParameter("grouped", Schema.string(values: ["true", "false"]), description: "`false` for the flat list; default `true`"),
                    QueryParameter("types", Schema.string(maxLength: 1000), description: "Comma-separated types to include"),
                    QueryParameter("unread", Schema.string(values: ["true", "false"]), description: "`true` for unread only"),
                    .cursor, .limit,
                ],
                description: "Groups are newest activity first; a group gathers one type about one target inside the grouping window.")
        ) { request, context -> Response in
            let query = request.uri.queryParameters
            var validator = Validator()
            let grouped = query["grouped"].map(String.init) ?? "true"
            validator.check(grouped == "true" || grouped == "false", "grouped", "invalid", "must be true or false")
            let unread = query["unread"].map(String.init) ?? "false"
            validator.check(unread == "true" || unread == "false", "unread", "invalid", "must be true or false")
            let types = (query["types"].map(String.init) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for type in types where env.catalog.kind(type) == nil { validator.add("types", "unknown", "no notification type \(type)") }
            let filter = NotificationFilter(types: types, unreadOnly: unread == "true")
            if grouped == "false" {
                try validator.validate()
                return try await center.flat(context.caller, filter: filter, page: try PageRequest(request, limits: limits)).reply(for: request).response(from: request, context: context)
            }
            let cursor = KeysetCursor.parameter(of: request, into: &validator)
            let limit = PageRequest.limit(of: request, limits: limits, into: &validator)
            try validator.validate()
            return try await center.groups(context.caller, filter: filter, after: cursor, limit: limit).reply(for: request).response(from: request, context: context)
        }
        signedIn.add(
            .get, "/api/v1/notifications/unread_count",
            APIOperation("notificationUnreadCount", "How many notifications and groups are unread", tag: "notifications", access: .signedIn, response: "UnreadCount")
        ) { _, context in Reply(try await center.unreadCount(context.caller)) }
        signedIn.add(
            .get, "/api/v1/notifications/types",
            APIOperation(
                "listNotificationTypes", "Every notification type, with its defaults", tag: "notifications", access: .signedIn,
                response: "NotificationTypePage", description: "The page is complete (`next_cursor` is null).")
        ) { request, _ in Page(items: env.catalog.all.map(\.info), nextCursor: nil).reply(for: request) }
        signedIn.add(
            .post, "/api/v1/notifications/read",
            APIOperation(
                "markAllNotificationsRead", "Mark all my notifications read, or all up to one", tag: "notifications", access: .signedIn,
                body: "MarkNotificationsReadRequest", status: 204, errors: [422]
            ).withOptionalBody()
        ) { request, context in
            let form = try await request.decodeJSONIfPresent(as: MarkReadRequest.self, context: context)
            try await center.markAllRead(context.caller, upTo: form?.upToId)
            return Response.noContent
        }
        signedIn.add(
            .post, "/api/v1/notifications/groups/{group_key}/read",
            APIOperation("markNotificationGroupRead", "Mark one group read", tag: "notifications", access: .signedIn, status: 204, errors: [404])
        ) { _, context in
            try await center.markGroupRead(context.caller, key: try Self.groupKey(context))
            return Response.noContent
        }
        signedIn.add(
            .delete, "/api/v1/notifications/groups/{group_key}",
            APIOperation("deleteNotificationGroup", "Delete one group and its notifications", tag: "notifications", access: .signedIn, status: 204, errors: [404])
        ) { _, context in
            try await center.deleteGroup(context.caller, key: try Self.groupKey(context))
            return Response.noContent
        }
        signedIn.add(
            .delete, "/api/v1/notifications/{id}",
            APIOperation("deleteNotification", "Delete one notification", tag: "notifications", access: .signedIn, status: 204, errors: [404])
        ) { _, context in
            try await center.delete(context.caller, id: try context.parameters.id("id"))
            return Response.noContent
        }
        signedIn.add(
            .get, "/api/v1/notifications/preferences",
            APIOperation("getNotificationPreferences", "My notification preferences", tag: "notifications", access: .signedIn, response: "NotificationPreferences")
        ) { _, context in Reply(try await Preferences(env: env).get(context.caller.accountID)) }
        signedIn.add(
            .put, "/api/v1/notifications/preferences",
            APIOperation(
                "updateNotificationPreferences", "Change my notification preferences (given fields only)", tag: "notifications", access: .signedIn,
                body: "NotificationPreferencesUpdate", response: "NotificationPreferences", errors: [422])
        ) { request, context in
            let form = try await request.decodeJSON(as: NotificationPreferencesUpdate.self, context: context)
            return Reply(try await Preferences(env: env).update(context.caller.accountID, form))
        }
    }

    static func groupKey(_ context: AuthenticatedContext) throws -> String {
        guard let key = context.parameters.get("group_key"), !key.isEmpty, key.utf8.count <= 200 else { throw AppError.notFound("notification group") }
        return key
    }
}

/// `/api/v1/push/…`: devices and the Web Push server key.
struct PushRoutes {
    let env: NotificationsEnvironment
    let vapidPublicKey: String

    func register(anyone: APIRoutes<AppRequestContext>, signedIn: APIRoutes<AuthenticatedContext>) {
        let devices = PushDevices(env: env)
        let key = vapidPublicKey
        anyone.add(
            .get, "/api/v1/push/vapid_key",
            APIOperation("vapidKey", "The Web Push application server key (VAPID)", tag: "push", access: .anyone, response: "VAPIDPublicKey")
        ) { _, _ in Reply(VAPIDPublicKey(publicKey: key)) }
        signedIn.add(
            .post, "/api/v1/push/devices",
            APIOperation(
                "registerPushDevice", "Register a device or browser subscription for push", tag: "push", access: .signedIn,
                body: "RegisterPushDeviceRequest", status: 201, response: "PushDevice", errors: [409, 422])
        ) { request, context in
            let form = try await request.decodeJSON(as: RegisterPushDeviceRequest.self, context: context)
            return Reply(try await devices.register(context.caller, form), status: .created)
        }
        signedIn.add(
            .get, "/api/v1/push/devices",
            APIOperation(
                "listPushDevices", "My push devices", tag: "push", access: .signedIn, response: "PushDevicePage",
                description: "At most 20, so the page is complete (`next_cursor` is null).")
        ) { request, context in Page(items: try await devices.list(context.caller), nextCursor: nil).reply(for: request) }
        signedIn.add(
            .delete, "/api/v1/push/devices/{id}",
            APIOperation("removePushDevice", "Stop push to a device", tag: "push", access: .signedIn, status: 204, errors: [404])
        ) { _, context in
            try await devices.remove(context.caller, id: try context.parameters.id("id"))
            return Response.noContent
        }
    }
}
