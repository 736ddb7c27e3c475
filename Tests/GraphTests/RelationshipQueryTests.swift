import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Relationships query")
struct RelationshipQueryTests {
    @Test("`id[]` is accepted as documented, written literally or percent-encoded, and `id` too")
    func bracketedIDs() async throws {
        try await TestApp.run { _, api in
            let me = try await api.register("asker")
            let ada = try await api.register("ada")
            let bob = try await api.register("bob")
            for query in [
                "id[]=\(ada.account.id)&id[]=\(bob.account.id)",
                "id%5B%5D=\(ada.account.id)&id%5B%5D=\(bob.account.id)",
                "id%5b%5d=\(ada.account.id)&id=\(bob.account.id)",
            ] {
                let answer = try await api.get("/api/v1/accounts/relationships?\(query)", token: me.accessToken)
                #expect(answer.status == 200, "\(query)")
                #expect(try answer.decode(Page<Relationship>.self).items.map(\.id) == [ada.account.id, bob.account.id], "\(query)")
            }
            #expect(try await api.get("/api/v1/accounts/relationships?id%5B%5D=-1", token: me.accessToken).status == 422)
        }
    }
}
