import Foundation
import Testing

@testable import DeliveryChannels

@Suite("Push payloads and answers")
struct PushSenderTests {
    @Test("APNs payload nests aps and keeps app data at top level")
    func apnsPayload() throws {
        let message = PushMessage(title: "T", body: "B", data: ["k": "v", "aps": "hijack"], threadID: "t", badge: 1, mutableContent: true)
        let data = try #require(try APNsPayload(message).encodedWithinLimit())
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let aps = try #require(json["aps"] as? [String: Any])
        #expect(json["k"] as? String == "v")
        #expect(aps["thread-id"] as? String == "t" && aps["mutable-content"] as? Int == 1 && aps["sound"] as? String == "default")
    }

    @Test("APNs payload is cut to 4096 bytes, or refused when data alone is too big")
    func apnsLimit() throws {
        let long = PushMessage(title: "T", body: String(repeating: "\"é", count: 3000))
        let data = try #require(try APNsPayload(long).encodedWithinLimit())
        #expect(data.count <= APNsPayload.maximumSize && data.count > 4000)
        let huge = PushMessage(title: "T", body: "B", data: ["blob": String(repeating: "x", count: 5000)])
        #expect(try APNsPayload(huge).encodedWithinLimit() == nil)
    }

    @Test("APNs collapse ids and device tokens")
    func apnsIdentifiers() {
        #expect(APNsSender.collapseID("short") == "short")
        #expect(APNsSender.collapseID(String(repeating: "k", count: 65)).count == 64)
        #expect(APNsSender.isWellFormed(String(repeating: "ab", count: 32)))
        #expect(!APNsSender.isWellFormed("xyz"))
        #expect(APNsSender.reason(in: Data(#"{"reason":"Unregistered","timestamp":1}"#.utf8)) == "Unregistered")
    }

    @Test(
        "FCM errors that mean the token is dead",
        arguments: [
            (404, #"{"error":{"code":404,"status":"NOT_FOUND","message":"x","details":[{"errorCode":"UNREGISTERED"}]}}"#, true),
            (
                400, #"{"error":{"code":400,"status":"INVALID_ARGUMENT","message":"x","details":[{"fieldViolations":[{"field":"message.token"}]}]}}"#,
                true
            ),
            (
                400, #"{"error":{"code":400,"status":"INVALID_ARGUMENT","message":"The registration token is not a valid FCM registration token"}}"#,
                true
            ),
            (403, #"{"error":{"code":403,"status":"PERMISSION_DENIED","message":"x","details":[{"errorCode":"SENDER_ID_MISMATCH"}]}}"#, true),
            (
                400,
                #"{"error":{"code":400,"status":"INVALID_ARGUMENT","message":"bad data","details":[{"fieldViolations":[{"field":"message.data"}]}]}}"#,
                false
            ),
        ])
    func fcmErrors(status: UInt, body: String, dead: Bool) throws {
        let error = try #require(FCMErrorBody.parse(Data(body.utf8)))
        #expect(error.meansTokenIsDead(status: status) == dead)
    }

    @Test("FCM body carries notification, data and platform overrides")
    func fcmBody() throws {
        let body = FCMRequestBody(PushMessage(title: "T", body: "B", data: ["a": "1"], collapseKey: "c", timeToLive: .seconds(60)), token: "tok")
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(body)) as? [String: Any])
        let message = try #require(json["message"] as? [String: Any])
        #expect(message["token"] as? String == "tok")
        #expect((message["android"] as? [String: String]) == ["collapse_key": "c", "priority": "high", "ttl": "60s"])
    }

    @Test("Retry-After as seconds or HTTP-date")
    func retryAfter() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(RetryAfter.parse("120", now: now) == .seconds(120))
        #expect(RetryAfter.parse("Tue, 14 Nov 2023 22:14:20 GMT", now: now) == .seconds(60))
        #expect(RetryAfter.parse("soon", now: now) == nil)
        #expect(RetryAfter.parse("99999999", now: now) == RetryAfter.ceiling)
    }
}
