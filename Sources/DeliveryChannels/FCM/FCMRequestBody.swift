/// The `messages:send` request body (FCM HTTP v1 `Message` resource), only the fields we set.
struct FCMRequestBody: Encodable {
    struct Message: Encodable {
        var token: String
        var notification: Notification?
        var data: [String: String]?
        var android: Android
        var apns: APNs?
    }

    struct Notification: Encodable {
        var title: String
        var body: String
    }

    struct Android: Encodable {
        var collapseKey: String?
        var priority: String
        /// A protobuf Duration: seconds with an "s" suffix.
        var ttl: String

        enum CodingKeys: String, CodingKey {
            case collapseKey = "collapse_key"
            case priority, ttl
        }
    }

    /// Apple-specific overrides for tokens FCM forwards to APNs.
    struct APNs: Encodable {
        var headers: [String: String]
        var payload: Payload
    }

    struct Payload: Encodable {
        var aps: APS
    }

    struct APS: Encodable {
        var badge: Int?
        var threadID: String?
        var mutableContent: Int?
        var contentAvailable: Int?

        enum CodingKeys: String, CodingKey {
            case badge
            case threadID = "thread-id"
            case mutableContent = "mutable-content"
            case contentAvailable = "content-available"
        }
    }

    var message: Message

    init(_ push: PushMessage, token: String) {
        var apnsHeaders = ["apns-priority": push.isSilent ? "5" : "10"]
        if let collapseKey = push.collapseKey {
            apnsHeaders["apns-collapse-id"] = APNsSender.collapseID(collapseKey)
        }
        let aps = APS(
            badge: push.isSilent ? nil : push.badge,
            threadID: push.threadID,
            mutableContent: push.mutableContent ? 1 : nil,
            contentAvailable: push.isSilent ? 1 : nil
        )
        message = Message(
            token: token,
            notification: push.isSilent ? nil : Notification(title: push.title, body: push.body),
            data: push.data.isEmpty ? nil : push.data,
            android: Android(
                collapseKey: push.collapseKey,
                priority: push.isSilent ? "normal" : "high",
                ttl: "\(push.timeToLiveSeconds)s"
            ),
            apns: APNs(headers: apnsHeaders, payload: Payload(aps: aps))
        )
    }
}
