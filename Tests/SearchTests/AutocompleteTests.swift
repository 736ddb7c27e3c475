import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Search: autocomplete")
struct AutocompleteTests {
    @Test("Prefixes of names and public hashtags, most popular first, my follows and friends first among equals, nothing hidden")
    func suggestions() async throws {
        try await TestApp.run { app, api in
            let annabel = try await api.register("annabel")
            let anna = try await api.register("anna_k")
            let zed = try await api.register("zed")
            _ = try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(displayName: "Anna Karenina"), token: anna.accessToken)
            for name in ["f1", "f2", "f3"] {
                let fan = try await api.register("fan_\(name)")
                try await api.follow(fan, anna)
            }
            try await api.follow(zed, annabel)
            _ = try await api.publish("#coffee #cofounder", token: anna.accessToken)
            _ = try await api.publish("more #coffee", token: annabel.accessToken)
            _ = try await api.publish("#cofriends only", audience: .friends, token: annabel.accessToken)
            try await app.runJobs()

            func suggest(_ q: String, token: String? = nil) async throws -> AutocompleteResults {
                let answer = try await api.get("/api/v1/search/autocomplete?q=\(TestAPI.escape(q))", token: token)
                guard answer.status == 200 else { throw SearchTestFailure(description: "\(q): \(answer.status) \(answer.text)") }
                return try answer.decode(AutocompleteResults.self)
            }
            // Three followers put anna_k above annabel; following annabel puts her first for zed.
            #expect(try await suggest("ann").accounts.map(\.username) == ["anna_k", "annabel"])
            #expect(try await suggest("Ann", token: zed.accessToken).accounts.map(\.username) == ["annabel", "anna_k"])
            #expect(try await suggest("kar").accounts.map(\.username) == ["anna_k"])
            #expect(try await suggest("anna kar").accounts.map(\.username) == ["anna_k"])
            #expect(try await suggest("anna zzz").accounts.isEmpty)
            let tags = try await suggest("#cof")
            #expect(tags.accounts.isEmpty && tags.hashtags.map(\.name) == ["coffee", "cofounder"] && tags.hashtags.map(\.uses) == [2, 1])
            #expect(try await suggest("@ann").hashtags.isEmpty)
            #expect(try await suggest("cofr").hashtags.isEmpty, "a friends-only tag is suggested to no one")

            #expect(try await api.post("/api/v1/accounts/\(zed.account.id)/block", token: annabel.accessToken).status == 200)
            try await app.runJobs()
            #expect(try await suggest("ann", token: zed.accessToken).accounts.map(\.username) == ["anna_k"])

            // A rename moves the account; a deleted post takes its tag's use back.
            _ = try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(displayName: "Anna Kasparova"), token: anna.accessToken)
            try await app.runJobs()
            #expect(try await suggest("kar").accounts.isEmpty)
            #expect(try await suggest("kasp").accounts.map(\.username) == ["anna_k"])

            // A CJK name is found by its run, not only by its pairs.
            let yamada = try await api.register("yamada")
            _ = try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(displayName: "山田太郎"), token: yamada.accessToken)
            try await app.runJobs()
            #expect(try await suggest("山田太").accounts.map(\.username) == ["yamada"])

            for (query, field) in [("", "q"), ("q=%21%21", "q"), ("q=a&limit=21", "limit"), ("q=a&limit=x", "limit")] {
                let answer = try await api.get("/api/v1/search/autocomplete?\(query)")
                #expect(answer.status == 422 && answer.fieldErrors == [field], "\(query): \(answer.text)")
            }
        }
    }
}
