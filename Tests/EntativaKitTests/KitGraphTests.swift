import EntativaCore
import EntativaKit
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("EntativaKit: graph")
struct KitGraphTests {
    @Test("Follow and friend requests through the SDK, each answered by the account ID it was sent to; counts; complete lists as pages")
    func requests() async throws {
        try await TestApp.run(testMode: .live) { _, api in
            let port = try #require(api.port)
            let ada = EntativaClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            let bob = EntativaClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            let adaID = try await ada.register(RegisterRequest(username: "kit_ada", email: "ada@example.com", password: TestAPI.defaultPassword)).account.id
            let bobID = try await bob.register(RegisterRequest(username: "kit_bob", email: "bob@example.com", password: TestAPI.defaultPassword)).account.id

            _ = try await bob.updateMe(UpdateAccountRequest(isPrivate: true))
            #expect(try await ada.follow(bobID).requested)
            let asking = try #require(try await bob.followRequests().items.first)
            #expect(try await bob.approveFollowRequest(from: asking.account.id).followedBy)
            #expect(try await ada.followers(of: bobID).items.map(\.id) == [adaID])
            #expect(try await bob.following(of: adaID).items.map(\.id) == [bobID])
            let counted = try await ada.account(bobID)
            #expect(counted.followersCount == 1 && counted.followingCount == 0 && counted.friendsCount == 0 && counted.postsCount == 0)

            #expect(try await ada.sendFriendRequest(to: bobID).id == bobID)
            let incoming = try #require(try await bob.friendRequests().items.first)
            #expect(try await bob.declineFriendRequest(from: incoming.account.id).friendRequestedBy == false)
            _ = try await ada.sendFriendRequest(to: bobID, idempotencyKey: "kit-friend-2")
            #expect(try await ada.friendRequests(.outgoing).items.map(\.account.id) == [bobID])
            #expect(try await ada.cancelFriendRequest(to: bobID).friendRequested == false)
            _ = try await ada.sendFriendRequest(to: bobID)
            #expect(try await bob.acceptFriendRequest(from: adaID).friends)
            #expect(try await ada.friends(of: adaID).items.map(\.id) == [bobID])
            #expect(try await ada.relationships(with: [bobID]).items.first?.friends == true)
            #expect(try await ada.unfriend(bobID).friends == false)

            #expect(try await ada.mute(bobID).muting)
            #expect(try await ada.mutes().items.map(\.id) == [bobID])
            #expect(try await ada.unmute(bobID).muting == false)
            #expect(try await ada.addCloseFriend(bobID).closeFriend)
            #expect(try await ada.closeFriends().items.map(\.id) == [bobID])
            #expect(try await ada.removeCloseFriend(bobID).closeFriend == false)
            #expect(try await bob.removeFollower(adaID).followedBy == false)
            #expect(try await ada.block(bobID).blocking)
            #expect(try await ada.blocks().items.map(\.id) == [bobID])
            #expect(try await ada.unblock(bobID).blocking == false)
            await #expect(throws: EntativaError.self) { try await ada.acceptFriendRequest(from: bobID) }

            // Complete lists come back as pages too.
            let relationships = try await ada.relationships(with: [bobID, bobID])
            #expect(relationships.items.map(\.id) == [bobID, bobID] && relationships.nextCursor == nil)
            let post = try await ada.publish(CreatePostRequest(text: "v1"))
            _ = try await ada.updatePost(post.id, UpdatePostRequest(text: "v2"))
            #expect(try await ada.postHistory(post.id).items.map(\.text) == ["v2", "v1"])
            #expect(try await ada.account(adaID).postsCount == 1)
            #expect(try await ada.notificationTypes().items.contains { $0.name == "friend_request" })
            #expect(try await ada.vapidKey().publicKey.isEmpty == false)
            let device = try await ada.registerPushDevice(
                RegisterPushDeviceRequest(platform: .apns, token: String(repeating: "ab", count: 32), appId: "dev.entativa.app"))
            #expect(try await ada.pushDevices().items.map(\.id) == [device.id])
            try await ada.removePushDevice(device.id)
            #expect(try await ada.pushDevices().items.isEmpty)
        }
    }
}
