import EntativaCore
import EntativaModels
import AsyncHTTPClient
import DeliveryChannels
import Logging
import Synchronization
import Foundation

/// What a push shows on the device.
public struct PushContent: Sendable, Equatable {
    public var title: String
    public var body: String
    public var data: [String: String]
    /// Replaces an earlier push of the same group on the device instead of stacking.
    public var collapseKey: String?
    public var threadID: String?

    public init(title: String, body: String, data: [String: String], collapseKey: String?, threadID: String?) {
        self.title = title
        self.body = body
        self.data = data
        self.collapseKey = collapseKey
        self.threadID = threadID
    }
}

/// A registered device, as a sender needs it.
public struct PushDestination: Sendable, Equatable {
    public var platform: PushPlatform
    public var token: String
    public var appID: String?
    public var p256dh: String?
    public var auth: String?
}

public enum PushOutcome: Sendable, Equatable {
    case delivered
    /// The provider says the token or subscription is dead: the device is removed.
    case invalidToken
    /// Worth trying again later (rate limits, provider trouble, network).
    case retryLater(String)
    /// Refused for good for this message.
    case rejected(String)
}

public protocol PushSending: Sendable {
    func send(_ content: PushContent, to destination: PushDestination, deliveryID: Int64) async throws -> PushOutcome
}

/// The configured sender of each platform; a platform without one skips its devices.
public struct PushChannels: Sendable {
    public var senders: [PushPlatform: any PushSending]

    public init(senders: [PushPlatform: any PushSending] = [:]) { self.senders = senders }
}

extension PushChannels {
    /// The senders the configuration enables: Web Push always (the VAPID key is the server's own),
    /// APNs and FCM when their credentials are set.
    static func configured(_ settings: NotificationSettings, vapid: VAPIDKey, clock: any WallClock, logger: Logger) throws -> PushChannels {
        let client = SharedHTTPClients.client(trusting: settings.pushCAFile)
        let now: @Sendable () -> Date = { clock.now() }
        var senders: [PushPlatform: any PushSending] = [:]
        senders[.web] = WebPushChannel(
            sender: try WebPushSender(
                httpClient: client, vapidKeys: VAPIDKeys(privateKey: vapid.privateKey), contact: settings.webPushSubject, now: now, logger: logger,
                pinned: SharedHTTPClients.pinned(for: settings)))
        if let path = settings.apnsKeyPath, let keyID = settings.apnsKeyID, let teamID = settings.apnsTeamID {
            let pem = try String(contentsOfFile: path, encoding: .utf8)
            let configuration = APNsConfiguration(
                baseURL: settings.apnsBaseURL, keyP8PEM: pem, keyID: keyID, teamID: teamID, defaultTopic: "", trustedCAFile: settings.pushCAFile)
            senders[.apns] = APNsChannel(sender: try APNsSender(configuration: configuration, httpClient: client, now: now, logger: logger))
        }
        if let path = settings.fcmServiceAccountPath {
            let json = try String(contentsOfFile: path, encoding: .utf8)
            let configuration = FCMConfiguration(serviceAccountJSON: json, baseURL: settings.fcmBaseURL, trustedCAFile: settings.pushCAFile)
            senders[.fcm] = FCMChannel(sender: try FCMSender(configuration: configuration, httpClient: client, now: now, logger: logger))
        }
        return PushChannels(senders: senders)
    }
}

/// One HTTP client per set of trusted roots for the life of the process: the providers' tokens
/// and HTTP/2 connections are worth keeping, and a client is never torn down mid-delivery.
enum SharedHTTPClients {
    private static let clients = Mutex<[String: HTTPClient]>([:])

    static func client(trusting caFile: String?) -> HTTPClient {
        clients.withLock { clients in
            if let client = clients[caFile ?? ""] { return client }
            let client = ChannelTLS.makeHTTPClient(trustedCAFile: caFile)
            clients[caFile ?? ""] = client
            return client
        }
    }

    private static let pinnedClients = Mutex<[String: PinnedHTTPClients]>([:])

    /// Clients for user-named endpoints (Web Push), pinned to checked addresses; shared by the
    /// senders and by device registration, which checks a new endpoint the same way.
    static func pinned(for settings: NotificationSettings) -> PinnedHTTPClients {
        let key = "\(settings.pushCAFile ?? "")|\(settings.allowPrivatePushEndpoints)"
        return pinnedClients.withLock { clients in
            if let pinned = clients[key] { return pinned }
            let pinned = PinnedHTTPClients(trustedCAFile: settings.pushCAFile, allowPrivate: settings.allowPrivatePushEndpoints)
            clients[key] = pinned
            return pinned
        }
    }
}

extension PushContent {
    var message: PushMessage {
        PushMessage(title: title, body: body, data: data, collapseKey: collapseKey, threadID: threadID)
    }
}

extension PushDeliveryResult {
    var outcome: PushOutcome {
        switch self {
        case .delivered: .delivered
        case .invalidToken: .invalidToken
        case .retryLater(let reason, _): .retryLater(reason)
        case .rejected(let reason): .rejected(reason)
        }
    }
}

struct WebPushChannel: PushSending {
    let sender: WebPushSender

    func send(_ content: PushContent, to destination: PushDestination, deliveryID: Int64) async throws -> PushOutcome {
        guard let p256dh = destination.p256dh, let auth = destination.auth,
            let subscription = try? WebPushSubscription(endpoint: destination.token, p256dhBase64URL: p256dh, authBase64URL: auth)
        else { return .invalidToken }
        return await sender.send(content.message, to: subscription).outcome
    }
}

struct APNsChannel: PushSending {
    let sender: APNsSender

    func send(_ content: PushContent, to destination: PushDestination, deliveryID: Int64) async throws -> PushOutcome {
        await sender.send(content.message, toDeviceToken: destination.token, topic: destination.appID).outcome
    }
}

struct FCMChannel: PushSending {
    let sender: FCMSender

    func send(_ content: PushContent, to destination: PushDestination, deliveryID: Int64) async throws -> PushOutcome {
        await sender.send(content.message, toToken: destination.token).outcome
    }
}
