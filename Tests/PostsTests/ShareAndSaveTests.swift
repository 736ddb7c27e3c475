import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Posts: shares, saves and collections")
struct ShareAndSaveTests {
    @Test("One share per account; a share of a share points at the original; never wider than the original", arguments: Platform.allCases)
    func shares(platform: Platform) async throws {
        try await TestApp.run(platform: platform) { app, api in
            let ada = try await api.register("ada")
            let bob = try await api.register("bob")
            let cat = try await api.register("cat")
            let media = try await api.readyImage(app, token: ada.accessToken)
            let original = try await api.publish(CreatePostRequest(text: "original", mediaIds: [media]), token: ada.accessToken)
            let shared = try await api.post("/api/v1/posts/\(original.id)/share", SharePostRequest(text: "look @cat"), token: bob.accessToken)
            #expect(shared.status == 201)
            let share = try shared.decode(Post.self)
            #expect(share.sharedPostId == original.id && share.sharedPost?.id == original.id && share.mentions.map(\.id) == [cat.account.id])
            #expect(try await api.post("/api/v1/posts/\(original.id)/share", token: bob.accessToken).status == 409)
            let reshare = try await api.post("/api/v1/posts/\(share.id)/share", token: cat.accessToken).decode(Post.self)
            #expect(reshare.sharedPostId == original.id)
            #expect(try await api.post("/api/v1/posts/\(share.id)/share", token: bob.accessToken).status == 409, "same original")
            #expect(try await api.get("/api/v1/posts/\(original.id)").decode(Post.self).shareCount == 2)
            let listed = try await api.get("/api/v1/posts/\(original.id)/shares").decode(Page<Post>.self)
            #expect(Set(listed.items.map(\.id)) == [share.id, reshare.id])

            let narrow: PostAudience = platform == .entativa ? .friends : .followers
            let limited = try await api.publish(CreatePostRequest(text: "few", mediaIds: [try await api.readyImage(app, token: ada.accessToken)], audience: narrow), token: ada.accessToken)
            if platform == .entativa { try await api.befriend(ada, bob) } else { _ = try await api.post("/api/v1/accounts/\(ada.account.id)/follow", token: bob.accessToken) }
            let wider = try await api.post("/api/v1/posts/\(limited.id)/share", SharePostRequest(audience: .public), token: bob.accessToken)
            #expect(wider.status == 422 && wider.fieldErrors == ["audience"])
            let same = try await api.post("/api/v1/posts/\(limited.id)/share", token: bob.accessToken).decode(Post.self)
            #expect(same.audience == narrow)
            let widenedShare = try await api.patch("/api/v1/posts/\(same.id)", UpdatePostRequest(audience: .public), token: bob.accessToken)
            #expect(widenedShare.fieldErrors == ["audience"])
            #expect(try await api.post("/api/v1/posts/\(limited.id)/share", token: cat.accessToken).status == 404)

            #expect(try await api.delete("/api/v1/posts/\(share.id)", token: bob.accessToken).status == 204)
            #expect(try await api.get("/api/v1/posts/\(original.id)").decode(Post.self).shareCount == 1)
            #expect(try await api.post("/api/v1/posts/\(original.id)/share", token: bob.accessToken).status == 201, "after deleting, again")
            #expect(try await api.delete("/api/v1/posts/\(original.id)", token: ada.accessToken).status == 204)
            let orphan = try await api.get("/api/v1/posts/\(reshare.id)").decode(Post.self)
            #expect(orphan.isShare && orphan.sharedPostId == nil && orphan.sharedPost == nil)
            try await app.runJobs()
            #expect(try await TestAPI.eventCount(app, topic: "post.shared") == 4)
        }
    }

    @Test("Saves are private, filed in named collections, and skip posts I can no longer see")
    func saves() async throws {
        try await TestApp.run { _, api in
            let ada = try await api.register("ada")
            let bob = try await api.register("bob")
            let first = try await api.publish(CreatePostRequest(text: "first"), token: ada.accessToken)
            let second = try await api.publish(CreatePostRequest(text: "second"), token: ada.accessToken)
            let saved = try await api.post("/api/v1/posts/\(first.id)/save", token: bob.accessToken).decode(Post.self)
            #expect(saved.saved == true)
            #expect(try await api.get("/api/v1/posts/\(first.id)", token: ada.accessToken).decode(Post.self).saved == false)
            let trips = try await api.post("/api/v1/collections", CollectionForm(name: "Trips"), token: bob.accessToken)
            #expect(trips.status == 201)
            let collection = try trips.decode(SavedCollection.self)
            #expect(try await api.post("/api/v1/collections", CollectionForm(name: "trips"), token: bob.accessToken).status == 409)
            #expect(try await api.post("/api/v1/collections", CollectionForm(name: "  "), token: bob.accessToken).status == 422)
            _ = try await api.post("/api/v1/posts/\(second.id)/save", SavePostRequest(collectionId: collection.id), token: bob.accessToken)
            let all = try await api.get("/api/v1/saved", token: bob.accessToken).decode(Page<Post>.self)
            #expect(all.items.map(\.id) == [second.id, first.id])
            let filed = try await api.get("/api/v1/saved?collection_id=\(collection.id)", token: bob.accessToken).decode(Page<Post>.self)
            #expect(filed.items.map(\.id) == [second.id])
            #expect(try await api.get("/api/v1/saved?collection_id=\(collection.id)", token: ada.accessToken).status == 404)
            #expect(try await api.post("/api/v1/posts/\(first.id)/save", SavePostRequest(collectionId: collection.id), token: ada.accessToken).fieldErrors == ["collection_id"])
            let renamed = try await api.patch("/api/v1/collections/\(collection.id)", CollectionForm(name: "Travel"), token: bob.accessToken)
                .decode(SavedCollection.self)
            #expect(renamed.name == "Travel" && renamed.postCount == 1)
            let put = try await api.put("/api/v1/collections/\(collection.id)/posts/\(first.id)", CollectionForm(name: "ignored"), token: bob.accessToken)
            #expect(try put.decode(SavedCollection.self).postCount == 2)

            _ = try await api.patch("/api/v1/posts/\(second.id)", UpdatePostRequest(audience: .onlyMe), token: ada.accessToken)
            #expect(try await api.get("/api/v1/saved", token: bob.accessToken).decode(Page<Post>.self).items.map(\.id) == [first.id])
            #expect(try await api.delete("/api/v1/posts/\(first.id)/save", token: bob.accessToken).status == 204)
            #expect(try await api.get("/api/v1/saved?collection_id=\(collection.id)", token: bob.accessToken).decode(Page<Post>.self).items.isEmpty)
            #expect(try await api.get("/api/v1/collections", token: bob.accessToken).decode(Page<SavedCollection>.self).items.map(\.postCount) == [1])
            #expect(try await api.delete("/api/v1/collections/\(collection.id)", token: ada.accessToken).status == 404)
            #expect(try await api.delete("/api/v1/collections/\(collection.id)", token: bob.accessToken).status == 204)
            #expect(try await api.get("/api/v1/saved").status == 401)
        }
    }
}
