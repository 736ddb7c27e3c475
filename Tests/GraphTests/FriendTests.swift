import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Graph: Entativa friendships")
struct FriendTests {
    func send(_ api: TestAPI, from: AuthTokens, to: AuthTokens) async throws -> TestResponse {
        try await api.post("/api/v1/friend-requests", SendFriendRequest(accountId: to.account.id), token: from.accessToken)
    }

    @Test("Request, accept, list, unfriend")
    func lifecycle() async throws {
        try await TestApp.run { _, api in
            let ann = try await api.register("ann")
            let ben = try await api.register("ben")
            let sent = try await send(api, from: ann, to: ben).decode(Relationship.self)
            #expect(sent.friendRequested && !sent.friends)
            let outgoing = try await api.get("/api/v1/friend-requests?direction=outgoing", token: ann.accessToken).decode(Page<FriendRequest>.self)
            #expect(outgoing.items.map(\.account.id) == [ben.account.id])
            let incoming = try await api.get("/api/v1/friend-requests", token: ben.accessToken).decode(Page<FriendRequest>.self)
            let request = try #require(incoming.items.first)
            #expect(request.account.id == ann.account.id)
            // Only the recipient accepts, naming the sender; the sender cannot accept its own.
            #expect(try await api.post("/api/v1/friend-requests/\(ben.account.id)/accept", token: ann.accessToken).status == 404)
            let accepted = try await api.post("/api/v1/friend-requests/\(request.account.id)/accept", token: ben.accessToken).decode(Relationship.self)
            #expect(accepted.friends && accepted.id == ann.account.id)
            let friends = try await api.get("/api/v1/accounts/\(ann.account.id)/friends").decode(Page<Account>.self)
            #expect(friends.items.map(\.id) == [ben.account.id])
            #expect(!(try await api.delete("/api/v1/friends/\(ann.account.id)", token: ben.accessToken).decode(Relationship.self).friends))
            #expect(try await api.delete("/api/v1/friends/\(ann.account.id)", token: ben.accessToken).status == 404)
        }
    }

    @Test("Asking someone who already asked you makes you friends at once")
    func mutual() async throws {
        try await TestApp.run { _, api in
            let cat = try await api.register("cat")
            let dan = try await api.register("dan")
            _ = try await send(api, from: cat, to: dan)
            let mutual = try await send(api, from: dan, to: cat).decode(Relationship.self)
            #expect(mutual.friends && !mutual.friendRequested && !mutual.friendRequestedBy)
            #expect(try await api.get("/api/v1/friend-requests", token: dan.accessToken).decode(Page<FriendRequest>.self).items.isEmpty)
        }
    }

    @Test("Decline, cancel, and the denials")
    func declineAndCancel() async throws {
        try await TestApp.run { _, api in
            let eve = try await api.register("eve")
            let fay = try await api.register("fay")
            let gus = try await api.register("gus")
            _ = try await send(api, from: eve, to: fay)
            let request = try #require(try await api.get("/api/v1/friend-requests", token: fay.accessToken).decode(Page<FriendRequest>.self).items.first)
            // Gus has no request to Eve to cancel, and Eve cannot decline the request she sent.
            #expect(try await api.request(.delete, "/api/v1/friend-requests/\(eve.account.id)", token: gus.accessToken).status == 404)
            #expect(try await api.post("/api/v1/friend-requests/\(fay.account.id)/decline", token: eve.accessToken).status == 404)
            let declined = try await api.post("/api/v1/friend-requests/\(request.account.id)/decline", token: fay.accessToken)
            #expect(declined.status == 200)
            #expect(try declined.decode(Relationship.self) == Relationship(id: eve.account.id))
            #expect(try await api.post("/api/v1/friend-requests/\(request.account.id)/decline", token: fay.accessToken).status == 404)
            _ = try await send(api, from: eve, to: gus)
            let mine = try #require(try await api.get("/api/v1/friend-requests?direction=outgoing", token: eve.accessToken).decode(Page<FriendRequest>.self).items.first)
            // The recipient cannot cancel what it received: DELETE is the sender's.
            #expect(try await api.request(.delete, "/api/v1/friend-requests/\(eve.account.id)", token: gus.accessToken).status == 404)
            let cancelled = try await api.request(.delete, "/api/v1/friend-requests/\(mine.account.id)", token: eve.accessToken)
            #expect(cancelled.status == 200)
            #expect(try cancelled.decode(Relationship.self) == Relationship(id: gus.account.id))
            #expect(try await api.post("/api/v1/friend-requests", SendFriendRequest(accountId: eve.account.id), token: eve.accessToken).status == 422)
            #expect(try await api.post("/api/v1/friend-requests", SendFriendRequest(accountId: AccountID(rawValue: 424242)), token: eve.accessToken).status == 404)
            #expect(try await api.post("/api/v1/friend-requests", SendFriendRequest(accountId: fay.account.id)).status == 401)
            #expect(try await api.get("/api/v1/friend-requests?direction=sideways", token: eve.accessToken).status == 422)
        }
    }

    @Test("Blocking ends a friendship and pending requests")
    func blockSevers() async throws {
        try await TestApp.run { _, api in
            let hal = try await api.register("hal")
            let ivy = try await api.register("ivy")
            _ = try await send(api, from: hal, to: ivy)
            _ = try await send(api, from: ivy, to: hal)
            _ = try await api.post("/api/v1/accounts/\(ivy.account.id)/block", token: hal.accessToken)
            let view = try await api.get("/api/v1/accounts/relationships?id[]=\(ivy.account.id)", token: hal.accessToken).decode(Page<Relationship>.self).items
            #expect(view.first?.friends == false && view.first?.blocking == true)
            #expect(try await send(api, from: ivy, to: hal).status == 404)
        }
    }

    @Test("Friendships do not exist on Vignette")
    func vignette() async throws {
        try await TestApp.run(platform: .vignette) { _, api in
            let one = try await api.register("vig_one")
            let two = try await api.register("vig_two")
            #expect(try await send(api, from: one, to: two).status == 404)
            #expect(try await api.get("/api/v1/accounts/\(one.account.id)/friends").status == 404)
        }
    }

    @Test("The daily cap holds under 60 concurrent requests: exactly 50 go through")
    func dailyCapUnderConcurrency() async throws {
        try await TestApp.run { app, api in
            let sender = try await api.register("eager")
            var targets: [AuthTokens] = []
            for index in 0..<60 { targets.append(try await api.register("target_\(index)")) }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for target in targets {
                    group.addTask {
                        // An overloaded run answers 503 with Retry-After before any work is done;
                        // a client retries, and the cap must still let exactly 50 through.
                        for _ in 0..<10 {
                            let status = try await send(api, from: sender, to: target).status
                            if status != 503 { return status }
                            try await Task.sleep(for: .seconds(1))
                        }
                        return 503
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 50, "\(statuses)")
            #expect(statuses.filter { $0 == 429 }.count == 10)
            let pending = try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM friend_requests").first()
            #expect(try pending?.decode(column: "n", as: Int.self) == 50)
        }
    }

    @Test("The friend cap holds on both sides under 50 concurrent accepts")
    func friendCapUnderConcurrency() async throws {
        try await TestApp.run(configure: { $0.graph.maxFriends = 10 }) { app, api in
            let popular = try await api.register("popular")
            var askers: [AuthTokens] = []
            for index in 0..<50 {
                let asker = try await api.register("asker_\(index)")
                askers.append(asker)
                #expect(try await send(api, from: asker, to: popular).status == 200)
            }
            let requests = try await api.get("/api/v1/friend-requests?limit=100", token: popular.accessToken).decode(Page<FriendRequest>.self).items
            #expect(requests.count == 50)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for request in requests {
                    group.addTask { try await api.post("/api/v1/friend-requests/\(request.account.id)/accept", token: popular.accessToken).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 10, "\(statuses)")
            #expect(statuses.filter { $0 == 409 }.count == 40)
            let count = try await app.kernel.database.sql.raw(
                "SELECT COUNT(*) AS n FROM friendships WHERE account_id = \(bind: popular.account.id.rawValue)").first()
            #expect(try count?.decode(column: "n", as: Int.self) == 10)
        }
    }
}
