import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Notification preferences, quiet hours and filters")
struct PreferenceTests {
    /// Moves the manual clock to the next `hour:minute` UTC.
    static func setClock(_ app: TestApp, hour: Int, minute: Int = 0) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let target = calendar.nextDate(after: app.clock.now(), matching: DateComponents(hour: hour, minute: minute), matchingPolicy: .nextTime)!
        app.clock.advance(by: .seconds(target.timeIntervalSince(app.clock.now())))
    }

    @Test("Defaults list every type; updates change only what they name; bad input is a 422 that changes nothing")
    func readAndUpdate() async throws {
        try await TestApp.run { _, api in
            let alice = try await api.register("alice")
            let defaults = try await api.get("/api/v1/notifications/preferences", token: alice.accessToken).decode(NotificationPreferences.self)
            // The 13 types identity, the graph and posts register; later domains add theirs.
            #expect(defaults.types.count >= 13 && defaults.emailDigest == .off && defaults.quietHours == nil)
            #expect(defaults.types["new_login"]?.email == true && defaults.types["reaction"]?.email == false)
            let types = try await api.get("/api/v1/notifications/types", token: alice.accessToken).decode(Page<NotificationTypeInfo>.self).items
            #expect(types.count == defaults.types.count && types.allSatisfy { !$0.description.isEmpty })

            let updated = try await api.preferences(
                NotificationPreferencesUpdate(
                    types: ["reaction": TypePreferencePatch(push: false), "follow": TypePreferencePatch(from: .friends)],
                    quietHours: QuietHours(enabled: true, start: "22:00", end: "07:00", timeZone: "Europe/Paris"), pauseHours: 2, emailDigest: .weekly),
                token: alice.accessToken)
            #expect(updated.types["reaction"] == TypePreference(inApp: true, push: false, email: false, from: .everyone))
            #expect(updated.types["follow"]?.from == .friends && updated.types["comment"] == defaults.types["comment"])
            #expect(updated.pausedUntil != nil && updated.emailDigest == .weekly && updated.quietHours?.timeZone == "Europe/Paris")

            for bad in [
                #"{"types": {"nope": {"push": false}}}"#, #"{"quiet_hours": {"enabled": true, "start": "25:00", "end": "07:00", "time_zone": "UTC", "exceptions": {"close_friends": false, "types": []}}}"#,
                #"{"quiet_hours": {"enabled": true, "start": "22:00", "end": "07:00", "time_zone": "Mars/Olympus", "exceptions": {"close_friends": false, "types": []}}}"#,
                #"{"pause_hours": 9999}"#, #"{"email_digest": "hourly"}"#,
            ] {
                let response = try await api.request(.put, "/api/v1/notifications/preferences", raw: bad, token: alice.accessToken)
                #expect(response.status == 422 || response.status == 400, "\(bad)")
            }
            #expect(try await api.get("/api/v1/notifications/preferences", token: alice.accessToken).decode(NotificationPreferences.self) == updated)
            #expect(try await api.get("/api/v1/notifications/preferences").status == 401)
        }
    }

    @Test("Quiet hours defer email to their end in the user's time zone, never drop it; close friends and listed types come through")
    func quietHoursDefer() async throws {
        try await TestApp.run { app, api in
            // 03:30 UTC is 22:30 or 23:30 in New York: inside quiet hours.
            Self.setClock(app, hour: 3, minute: 30)
            let alice = try await api.register("alice")
            let bob = try await api.register("bob")
            let carol = try await api.register("carol")
            _ = try await api.post("/api/v1/accounts/\(carol.account.id)/close-friend", token: alice.accessToken)
            _ = try await api.preferences(
                NotificationPreferencesUpdate(
                    types: ["follow": TypePreferencePatch(email: true)],
                    quietHours: QuietHours(
                        enabled: true, start: "22:00", end: "07:00", timeZone: "America/New_York", exceptions: QuietHoursExceptions(closeFriends: true))),
                token: alice.accessToken)
            let followMails = { app.mail.sent.filter { $0.to == "alice@example.com" && $0.subject.contains("followed") } }
            try await api.follow(alice.account.id, token: bob.accessToken)
            try await api.follow(alice.account.id, token: carol.accessToken)
            try await app.runJobs()
            #expect(followMails().map(\.subject) == ["Entativa: carol followed you"])
            #expect(followMails().first?.html?.contains("carol followed you") == true)
            #expect(try await api.groups(token: alice.accessToken).first?.count == 2)

            // Still quiet an hour later; at 07:00 New York time (11:00 or 12:00 UTC) the deferred mail goes.
            app.clock.advance(by: .seconds(3600))
            try await app.runJobs()
            #expect(followMails().count == 1)
            Self.setClock(app, hour: 12, minute: 30)
            try await app.runJobs()
            #expect(followMails().map(\.subject) == ["Entativa: carol followed you", "Entativa: bob followed you"])
            #expect(try await app.deliveries(alice.account.id, channel: "email") == ["sent", "sent"])
        }
    }

    @Test("Pausing drops push and email for its hours but keeps the in-app list; in-app off hides a type; from whom filters actors")
    func pauseAndFilters() async throws {
        try await TestApp.run { app, api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob")
            let carol = try await api.register("carol")
            try await api.follow(bob.account.id, token: alice.accessToken)
            try await app.runJobs()
            _ = try await api.preferences(
                NotificationPreferencesUpdate(types: ["follow": TypePreferencePatch(email: true, from: .following)], pauseHours: 1), token: alice.accessToken)
            try await api.follow(alice.account.id, token: bob.accessToken)
            try await api.follow(alice.account.id, token: carol.accessToken)
            try await app.runJobs()
            let groups = try await api.groups(token: alice.accessToken)
            #expect(groups.first?.actors.map(\.username) == ["bob"] && groups.first?.count == 1)
            #expect(!app.mail.sent.contains { $0.subject.contains("followed you") })
            #expect(try await app.deliveries(alice.account.id, channel: "email").isEmpty)

            let post = try await api.textPost("hi", token: alice.accessToken)
            _ = try await api.preferences(
                NotificationPreferencesUpdate(types: ["reaction": TypePreferencePatch(inApp: false, push: false)], pauseHours: 0), token: alice.accessToken)
            try await api.react(post.id, token: bob.accessToken)
            try await app.runJobs()
            #expect(try await api.groups(token: alice.accessToken, query: "types=reaction").isEmpty)
        }
    }

    @Test("Blocked and muted actors, content the recipient can't see, and deleted content never notify")
    func blocksMutesAndVisibility() async throws {
        try await TestApp.run { app, api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob")
            let carol = try await api.register("carol")
            let dave = try await api.register("dave")
            let post = try await api.textPost("hi", token: alice.accessToken)
            _ = try await api.post("/api/v1/accounts/\(bob.account.id)/block", token: alice.accessToken)
            _ = try await api.post("/api/v1/accounts/\(carol.account.id)/mute", token: alice.accessToken)
            try await api.follow(alice.account.id, token: carol.accessToken)
            try await api.react(post.id, token: carol.accessToken)
            try await app.runJobs()
            #expect(try await api.groups(token: alice.accessToken).isEmpty)

            // Dave mentions alice in a post only dave can see.
            _ = try await api.textPost("secret @alice", audience: .onlyMe, token: dave.accessToken)
            let visible = try await api.textPost("hey @alice", token: dave.accessToken)
            try await app.runJobs()
            var groups = try await api.groups(token: alice.accessToken)
            #expect(groups.map(\.type) == ["mention"] && groups.first?.target?.id == visible.id.description)

            // Deleting the post takes its notification away.
            #expect(try await api.delete("/api/v1/posts/\(visible.id)", token: dave.accessToken).status == 204)
            try await app.runJobs()
            groups = try await api.groups(token: alice.accessToken)
            #expect(groups.isEmpty)
        }
    }

    @Test("A sign-in from a new device is a new_login notification and a mail in HTML and text")
    func newLogin() async throws {
        try await TestApp.run { app, api in
            _ = try await api.register("alice")
            let response = try await api.post(
                "/api/v1/auth/login", LoginRequest(login: "alice", password: TestAPI.defaultPassword, deviceName: "Someone's laptop"))
            let tokens = try response.decode(AuthTokens.self)
            try await app.runJobs()
            let groups = try await api.groups(token: tokens.accessToken)
            #expect(groups.map(\.type) == ["new_login"] && groups.first?.actors.isEmpty == true)
            let mail = try #require(app.mail.sent.last { $0.to == "alice@example.com" })
            #expect(mail.subject.contains("New sign-in") && mail.html?.contains("<html") == true)
        }
    }
}
