import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@testable import Stories

/// The stories skeleton: its table, its route, its notification type and its job, each
/// exercised through the real composition root. Stories are written through the store until
/// for the archive tests, which need stories without media.
@Suite("Stories skeleton")
struct StorySkeletonTests {
    func addStory(_ app: TestApp, author: AccountID, caption: String, lifetime: Duration = .seconds(86_400)) async throws -> StoryID {
        let id = app.kernel.ids.next(StoryID.self)
        let now = app.clock.nowMillis()
        let expiresAt = now + Int64(lifetime.components.seconds) * 1000
        try await app.kernel.database.transaction { db in
            try await StoryStore.insert(id: id, author: author, caption: caption, now: now, expiresAt: expiresAt, on: db)
        }
        return id
    }

    func archive(_ api: TestAPI, token: String, query: String = "") async throws -> Page<ArchivedStory> {
        try await api.get("/api/v1/stories/archive\(query)", token: token).decode(Page<ArchivedStory>.self)
    }

    @Test("Expired stories reach their owner's archive through the sweep job, newest first, a page at a time; nobody else's")
    func archiveSweep() async throws {
        try await TestApp.run { app, api in
            let ann = try await api.register("ann")
            let bob = try await api.register("bob")
            var expired: [StoryID] = []
            for index in 1...3 { expired.append(try await addStory(app, author: ann.account.id, caption: "old \(index)", lifetime: .seconds(60))) }
            _ = try await addStory(app, author: ann.account.id, caption: "still in the tray")
            _ = try await addStory(app, author: bob.account.id, caption: "bob's", lifetime: .seconds(60))
            #expect(try await archive(api, token: ann.accessToken).items.isEmpty, "nothing has expired yet")

            app.clock.advance(by: .seconds(61))
            #expect(try await archive(api, token: ann.accessToken).items.isEmpty, "the sweep has not run")
            try await app.kernel.database.transaction { db in _ = try await app.kernel.jobs.enqueue(StoryArchive.sweepJob, StoryArchive.Sweep(), on: db) }
            try await app.runJobs()

            let first = try await archive(api, token: ann.accessToken, query: "?limit=2")
            #expect(first.items.map(\.id) == [expired[2], expired[1]])
            #expect(first.items.allSatisfy { $0.archivedAt == $0.expiresAt })
            let cursor = try #require(first.nextCursor)
            let second = try await archive(api, token: ann.accessToken, query: "?limit=2&cursor=\(cursor)")
            #expect(second.items.map(\.caption) == ["old 1"])
            #expect(second.nextCursor == nil)
            #expect(try await archive(api, token: bob.accessToken).items.map(\.caption) == ["bob's"])
        }
    }

    @Test("The archive needs a signed-in caller and answers bad paging with a 422")
    func archiveDenials() async throws {
        try await TestApp.run { _, api in
            let ann = try await api.register("ann")
            #expect(try await api.get("/api/v1/stories/archive").status == 401)
            #expect(try await api.get("/api/v1/stories/archive", token: "not-a-token").status == 401)
            for query in ["?limit=0", "?limit=101", "?cursor=-5", "?cursor=abc", "?limit=99999999999999999999"] {
                let response = try await api.get("/api/v1/stories/archive\(query)", token: ann.accessToken)
                #expect(response.status == 422, "\(query)")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(!response.fieldErrors.isEmpty, "\(query)")
            }
        }
    }

    @Test("A story mention reaches the mentioned account while the story is in the tray, never across a block or after it")
    func storyMentionVisibility() async throws {
        try await TestApp.run { app, api in
            let ann = try await api.register("ann")
            let bob = try await api.register("bob")
            let cat = try await api.register("cat")
            let story = try await api.postStory(app, token: ann.accessToken, caption: "with @bob and @cat").id
            _ = try await api.post("/api/v1/accounts/\(ann.account.id)/block", token: cat.accessToken)
            let notifier = app.runtime.notifications.notifier
            func mention(_ recipient: AccountID, _ key: String) -> NotificationDraft {
                NotificationDraft(
                    recipient: recipient, type: "story_mention", actor: ann.account.id, target: NotificationTarget(kind: "story", id: story.description),
                    dedupeKey: key)
            }
            #expect(try await notifier.notify([mention(bob.account.id, "m-1"), mention(cat.account.id, "m-2")]).count == 1)
            let notices = try await api.get("/api/v1/notifications", token: bob.accessToken).decode(Page<NotificationGroup>.self).items
            #expect(notices.map(\.type) == ["story_mention"])

            app.clock.advance(by: .seconds(86_400))
            #expect(try await notifier.notify([mention(bob.account.id, "m-3")]).isEmpty, "an expired story is out of sight")
            #expect(try await notifier.notify([
                NotificationDraft(
                    recipient: bob.account.id, type: "story_mention", actor: ann.account.id, target: NotificationTarget(kind: "story", id: "999"),
                    dedupeKey: "m-4")
            ]).isEmpty, "an unknown story is invisible")
        }
    }

    @Test("Deleting an account deletes its stories, archived or not")
    func accountDeletion() async throws {
        try await TestApp.run { app, api in
            let gone = try await api.register("gone")
            let stays = try await api.register("stays")
            _ = try await addStory(app, author: gone.account.id, caption: "live")
            _ = try await addStory(app, author: gone.account.id, caption: "expiring", lifetime: .seconds(1))
            _ = try await addStory(app, author: stays.account.id, caption: "kept", lifetime: .seconds(1))
            app.clock.advance(by: .seconds(2))
            try await StoryArchive(env: app.runtime.stories.env).archiveExpired()
            #expect(try await api.delete("/api/v1/accounts/me", DeleteAccountRequest(password: TestAPI.defaultPassword), token: gone.accessToken).status == 202)
            try await app.runJobs()
            let authors = try await app.kernel.database.sql.raw("SELECT author_id FROM stories").all().map { try $0.decode(column: "author_id", as: Int64.self) }
            #expect(authors == [stays.account.id.rawValue])
        }
    }
}
