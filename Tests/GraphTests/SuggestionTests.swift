import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Graph: account suggestions")
struct SuggestionTests {
    /// Me: friends with F1, F2, F3; following G1, G2. F1, F2 and F3 are all friends with X
    /// (3 mutual friends); F1 with Y (1). G1 and G2 both follow Z (2), G1 follows Y. Scores add
    /// both ties: X 3, Y 1 + 1 = 2, Z 2; Y's stronger tie is a mutual friend, which comes first
    /// at equal scores, so X (3 mutual friends), Y (1 mutual friend), Z (followed by 2). G2
    /// follows B, who blocked me, and M, whom I muted; F1 is friends with me and G1 follows G2,
    /// whom I follow already: none of them is suggested.
    @Test("Friends of friends and co-follows, strongest first with reasons; never followed, friends, blocked, muted, dismissed")
    func handBuiltGraph() async throws {
        try await TestApp.run { _, api in
            var users: [String: AuthTokens] = [:]
            for name in ["myself", "friend1", "friend2", "friend3", "followed1", "followed2", "xavier", "yvonne", "zelda", "blocker", "mutee"] { users[name] = try await api.register(name) }
            func id(_ name: String) -> AccountID { users[name]!.account.id }
            func befriend(_ a: String, _ b: String) async throws {
                _ = try await api.post("/api/v1/friend-requests", SendFriendRequest(accountId: id(b)), token: users[a]!.accessToken)
                let answer = try await api.post("/api/v1/friend-requests", SendFriendRequest(accountId: id(a)), token: users[b]!.accessToken)
                #expect(try answer.decode(Relationship.self).friends)
            }
            func follow(_ a: String, _ b: String) async throws {
                #expect(try await api.post("/api/v1/accounts/\(id(b))/follow", token: users[a]!.accessToken).status == 200)
            }
            for friend in ["friend1", "friend2", "friend3"] { try await befriend("myself", friend) }
            for friend in ["friend1", "friend2", "friend3"] { try await befriend(friend, "xavier") }
            try await befriend("friend1", "yvonne")
            try await follow("myself", "followed1")
            try await follow("myself", "followed2")
            for name in ["followed1", "followed2"] { try await follow(name, "zelda") }
            try await follow("followed1", "yvonne")
            try await follow("followed1", "followed2")
            try await follow("followed2", "blocker")
            try await follow("followed2", "mutee")
            #expect(try await api.post("/api/v1/accounts/\(id("myself"))/block", token: users["blocker"]!.accessToken).status == 200)
            #expect(try await api.post("/api/v1/accounts/\(id("mutee"))/mute", token: users["myself"]!.accessToken).status == 200)

            let me = users["myself"]!.accessToken
            func suggestions() async throws -> [AccountSuggestion] {
                let response = try await api.get("/api/v1/suggestions/accounts", token: me)
                #expect(response.status == 200, "\(response.text)")
                return try response.decode(Page<AccountSuggestion>.self).items
            }
            let first = try await suggestions()
            #expect(first.map(\.account.username) == ["xavier", "yvonne", "zelda"])
            #expect(first.map(\.reason) == [
                SuggestionReason(kind: .mutualFriends, count: 3), SuggestionReason(kind: .mutualFriends, count: 1),
                SuggestionReason(kind: .followedByFollowing, count: 2),
            ])
            #expect(try await api.delete("/api/v1/suggestions/accounts/\(id("zelda"))", token: me).status == 204)
            #expect(try await suggestions().map(\.account.username) == ["xavier", "yvonne"])
            // Following a suggestion takes it out.
            try await follow("myself", "xavier")
            #expect(try await suggestions().map(\.account.username) == ["yvonne"])
            #expect(try await api.get("/api/v1/suggestions/accounts?limit=1", token: me).status == 200)
        }
    }

    @Test("Suggestions need a token; dismissing myself is a 422, a missing account or a malformed ID a 404")
    func denials() async throws {
        try await TestApp.run { _, api in
            #expect(try await api.get("/api/v1/suggestions/accounts").status == 401)
            let me = try await api.register("myself")
            #expect(try await api.delete("/api/v1/suggestions/accounts/\(me.account.id)", token: me.accessToken).status == 422)
            #expect(try await api.delete("/api/v1/suggestions/accounts/999999", token: me.accessToken).status == 404)
            #expect(try await api.delete("/api/v1/suggestions/accounts/abc", token: me.accessToken).status == 404)
            #expect(try await api.get("/api/v1/suggestions/accounts?limit=0", token: me.accessToken).status == 422)
            let empty = try await api.get("/api/v1/suggestions/accounts", token: me.accessToken).decode(Page<AccountSuggestion>.self)
            #expect(empty.items.isEmpty && empty.nextCursor == nil)
        }
    }
}
