import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Notification grouping and the lists")
struct GroupingTests {
    @Test("Reactions to one post inside the window form one group with the newest actors first; later ones start a new group")
    func reactionsGroup() async throws {
        try await TestApp.run { app, api in
            let alice = try await api.register("alice")
            let post = try await api.textPost("hello", token: alice.accessToken)
            var fans: [AuthTokens] = []
            for index in 0..<10 {
                let fan = try await api.register("fan\(index)")
                fans.append(fan)
                try await api.react(post.id, token: fan.accessToken)
                try await app.runJobs()
                app.clock.advance(by: .seconds(60))
            }
            var groups = try await api.groups(token: alice.accessToken)
            #expect(groups.count == 1)
            let group = try #require(groups.first)
            #expect(group.type == "reaction" && group.count == 10 && group.unread)
            #expect(group.actors.map(\.username) == (2..<10).reversed().map { "fan\($0)" })
            #expect(group.text == "fan9 and 9 others reacted to your post")
            #expect(group.target == NotificationTarget(kind: "post", id: post.id.description))

            // Changing a reaction moves the actor to the front without counting them twice.
            try await api.react(post.id, .haha, token: fans[0].accessToken)
            try await app.runJobs()
            groups = try await api.groups(token: alice.accessToken)
            #expect(groups.first?.count == 10 && groups.first?.actors.first?.username == "fan0" && groups.first?.groupKey == group.groupKey)

            // The window rolls from the group's latest activity: 25 hours of quiet start a new group.
            app.clock.advance(by: .seconds(25 * 3600))
            let late = try await api.register("late")
            try await api.react(post.id, token: late.accessToken)
            try await app.runJobs()
            let token = try await api.login("alice").accessToken
            groups = try await api.groups(token: token)
            #expect(groups.map(\.count) == [1, 10])
            #expect(groups.first?.groupKey != group.groupKey)
            #expect(try await api.flat(token: token).count == 11)
        }
    }

    @Test("Every groupable type groups: follows, comments and friend requests each fold into one group")
    func everyTypeGroups() async throws {
        try await TestApp.run { app, api in
            let alice = try await api.register("alice")
            let post = try await api.textPost("hello", token: alice.accessToken)
            for index in 0..<3 {
                let other = try await api.register("other\(index)")
                try await api.follow(alice.account.id, token: other.accessToken)
                _ = try await api.post("/api/v1/posts/\(post.id)/comments", CreateCommentRequest(text: "nice \(index)"), token: other.accessToken)
                _ = try await api.post("/api/v1/friend-requests", SendFriendRequest(accountId: alice.account.id), token: other.accessToken)
            }
            try await app.runJobs()
            let groups = try await api.groups(token: alice.accessToken)
            #expect(Set(groups.map(\.type)) == ["follow", "comment", "friend_request"])
            #expect(groups.allSatisfy { $0.count == 3 && $0.actors.count == 3 })
            #expect(groups.first { $0.type == "follow" }?.text == "other2 and 2 others followed you")
            let only = try await api.groups(token: alice.accessToken, query: "types=follow,comment")
            #expect(only.count == 2)
            #expect(try await api.get("/api/v1/notifications?types=bogus", token: alice.accessToken).status == 422)
            #expect(try await api.get("/api/v1/notifications?grouped=maybe", token: alice.accessToken).status == 422)
            #expect(try await api.get("/api/v1/notifications?cursor=zz", token: alice.accessToken).status == 422)
            #expect(try await api.get("/api/v1/notifications").status == 401)
        }
    }

    @Test("Pages of groups follow the cursor without gaps or repeats")
    func pagination() async throws {
        try await TestApp.run { app, api in
            let alice = try await api.register("alice")
            for index in 0..<5 {
                let post = try await api.textPost("post \(index)", token: alice.accessToken)
                let fan = try await api.register("fan\(index)")
                try await api.react(post.id, token: fan.accessToken)
                try await app.runJobs()
                app.clock.advance(by: .seconds(1))
            }
            var keys: [String] = []
            var cursor: String?
            repeat {
                let response = try await api.get("/api/v1/notifications?limit=2\(cursor.map { "&cursor=\($0)" } ?? "")", token: alice.accessToken)
                let page = try response.decode(Page<NotificationGroup>.self)
                keys += page.items.map(\.groupKey)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(keys.count == 5 && Set(keys).count == 5)
        }
    }

    @Test("Read marks per group and for all, unread counts, deletion, and nobody else's groups")
    func readAndDelete() async throws {
        try await TestApp.run { app, api in
            let alice = try await api.register("alice")
            let mallory = try await api.register("mallory")
            let post = try await api.textPost("hello", token: alice.accessToken)
            for index in 0..<3 {
                let fan = try await api.register("fan\(index)")
                try await api.react(post.id, token: fan.accessToken)
                try await api.follow(alice.account.id, token: fan.accessToken)
            }
            try await app.runJobs()
            var unread = try await api.get("/api/v1/notifications/unread_count", token: alice.accessToken).decode(UnreadCount.self)
            #expect(unread == UnreadCount(notifications: 6, groups: 2))
            let groups = try await api.groups(token: alice.accessToken)
            let reactions = try #require(groups.first { $0.type == "reaction" })
            #expect(try await api.post("/api/v1/notifications/groups/\(reactions.groupKey)/read", token: mallory.accessToken).status == 404)
            #expect(try await api.delete("/api/v1/notifications/groups/\(reactions.groupKey)", token: mallory.accessToken).status == 404)
            #expect(try await api.post("/api/v1/notifications/groups/\(reactions.groupKey)/read", token: alice.accessToken).status == 204)
            unread = try await api.get("/api/v1/notifications/unread_count", token: alice.accessToken).decode(UnreadCount.self)
            #expect(unread == UnreadCount(notifications: 3, groups: 1))
            #expect(try await api.groups(token: alice.accessToken, query: "unread=true").map(\.type) == ["follow"])

            #expect(try await api.post("/api/v1/notifications/read", token: alice.accessToken).status == 204)
            unread = try await api.get("/api/v1/notifications/unread_count", token: alice.accessToken).decode(UnreadCount.self)
            #expect(unread == UnreadCount(notifications: 0, groups: 0))

            let single = try #require(try await api.flat(token: alice.accessToken).first)
            #expect(try await api.delete("/api/v1/notifications/\(single.id)", token: mallory.accessToken).status == 404)
            #expect(try await api.delete("/api/v1/notifications/\(single.id)", token: alice.accessToken).status == 204)
            #expect(try await api.flat(token: alice.accessToken).count == 5)
            #expect(try await api.delete("/api/v1/notifications/groups/\(reactions.groupKey)", token: alice.accessToken).status == 204)
            #expect(try await api.groups(token: alice.accessToken).count == 1)
        }
    }
}
