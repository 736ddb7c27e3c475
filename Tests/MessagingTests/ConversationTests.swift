import EntativaCore
import EntativaKit
import EntativaModels
import EntativaTestSupport
import Foundation
import Messaging
import Testing

extension TestAPI {
    func conversations(_ member: Member, state: MembershipState = .active, archived: Bool = false) async throws -> [Conversation] {
        let answer = try await get("/api/v1/conversations?state=\(state.rawValue)&archived=\(archived)", token: member.tokens.accessToken)
        guard answer.status == 200 else { throw DeviceTestFailure(description: "conversations: \(answer.status) \(answer.text)") }
        return try answer.decode(Page<Conversation>.self).items
    }

    /// Sends one envelope per device of `to` (and my other devices): the text travels as if it
    /// were ciphertext, which the server cannot tell apart.
    func message(_ text: String, from sender: Member, to recipient: Member) async throws -> SentMessage {
        var envelopes = recipient.devices.map { recipient.envelope($0.device.id, text) }
        if sender.id != recipient.id { envelopes += sender.devices.dropFirst().map { sender.envelope($0.device.id, text) } }
        let answer = try await send(SendMessageRequest(recipientId: recipient.id, envelopes: envelopes), from: sender, device: 1)
        guard answer.status == 201 else { throw DeviceTestFailure(description: "send: \(answer.status) \(answer.text)") }
        return try answer.decode(SentMessage.self)
    }

    func notices(_ member: Member) async throws -> [String] {
        let answer = try await get("/api/v1/notifications?grouped=false", token: member.tokens.accessToken)
        return try answer.decode(Page<AppNotification>.self).items.map(\.type)
    }
}

@Suite("Messaging: conversations and message requests")
struct ConversationTests {
    @Test("A stranger's first message is a request, announced once; accepting it opens calls; a connection's is not")
    func requests() async throws {
        try await TestApp.run { app, api in
            let ada = try await api.member("ada", devices: 1)
            let bob = try await api.member("bob", devices: 1)
            let sent = try await api.message("hello", from: ada, to: bob)
            _ = try await api.message("are you there?", from: ada, to: bob)
            try await app.runJobs()
            let conversation = try #require(sent.conversationId)
            #expect(try await api.conversations(ada).map(\.id) == [conversation])
            #expect(try await api.conversations(bob).isEmpty)
            let request = try #require(try await api.conversations(bob, state: .request).first)
            #expect(request.id == conversation && request.kind == .direct && request.otherAccountId == ada.id && request.state == .request)
            #expect(try await api.notices(bob) == ["message_request"])
            // Envelopes still arrive (the request shows what was said), tagged with the conversation.
            #expect(try await api.waiting(bob, device: 1).items.allSatisfy { $0.conversationId == conversation })
            // Bob may not set the shared timer before accepting; once accepted he may.
            #expect(try await api.put("/api/v1/conversations/\(conversation)/timer", DisappearingTimerRequest(seconds: 3_600), token: bob.tokens.accessToken).status == 403)
            let accepted = try await api.post("/api/v1/conversations/\(conversation)/accept", token: bob.tokens.accessToken)
            #expect(try accepted.decode(Conversation.self).state == .active)
            #expect(try await api.conversations(bob).map(\.id) == [conversation])
            let timed = try await api.put("/api/v1/conversations/\(conversation)/timer", DisappearingTimerRequest(seconds: 3_600), token: bob.tokens.accessToken)
            #expect(try timed.decode(Conversation.self).disappearingSeconds == 3_600)
            #expect(try await api.conversations(ada).first?.disappearingSeconds == 3_600)

            // Carol follows Ada: Ada's first message to her needs no accepting, and no notice.
            let carol = try await api.member("carol", devices: 1)
            #expect(try await api.post("/api/v1/accounts/\(ada.id)/follow", token: carol.tokens.accessToken).status == 200)
            _ = try await api.message("hi carol", from: ada, to: carol)
            try await app.runJobs()
            #expect(try await api.conversations(carol).first?.state == .active)
            #expect(try await api.conversations(carol, state: .request).isEmpty)
            #expect(try await api.notices(carol).contains("message_request") == false)
        }
    }

    @Test("Deleting a request drops what waits for it; the next message brings it back; blocking from it blocks the sender")
    func deleteAndBlock() async throws {
        try await TestApp.run { app, api in
            let ada = try await api.member("ada", devices: 1)
            let bob = try await api.member("bob", devices: 1)
            let conversation = try #require(try await api.message("buy my course", from: ada, to: bob).conversationId)
            #expect(try await api.delete("/api/v1/conversations/\(conversation)", token: bob.tokens.accessToken).status == 204)
            #expect(try await api.conversations(bob, state: .request).isEmpty)
            #expect(try await api.waiting(bob, device: 1).items.isEmpty)
            #expect(try await api.get("/api/v1/conversations/\(conversation)", token: bob.tokens.accessToken).status == 404)
            _ = try await api.message("really, buy it", from: ada, to: bob)
            try await app.runJobs()
            #expect(try await api.conversations(bob, state: .request).map(\.id) == [conversation])
            // Announced again: the same actor's notice moves to the front rather than repeating.
            #expect(try await api.notices(bob) == ["message_request"])

            #expect(try await api.post("/api/v1/conversations/\(conversation)/block", token: bob.tokens.accessToken).status == 204)
            #expect(try await api.conversations(bob, state: .request).isEmpty)
            let refused = try await api.send(SendMessageRequest(recipientId: bob.id, envelopes: [bob.envelope(1, "hello?")]), from: ada, device: 1)
            #expect(refused.status == 404)
            // Ada no longer sees the conversation either: Bob blocks her.
            #expect(try await api.conversations(ada).isEmpty)
            #expect(try await api.get("/api/v1/conversations/\(conversation)", token: ada.tokens.accessToken).status == 404)
        }
    }

    @Test("Strangers' requests are limited per day, counted before anything is stored")
    func requestBudget() async throws {
        try await TestApp.run(configure: { $0.messaging.messageRequestsPerDay = 2 }) { _, api in
            let spammer = try await api.member("spammer", devices: 1)
            var targets: [Member] = []
            for name in ["target1", "target2", "target3"] { targets.append(try await api.member(name, devices: 1)) }
            _ = try await api.message("offer", from: spammer, to: targets[0])
            _ = try await api.message("offer", from: spammer, to: targets[1])
            // Further messages in a started request cost nothing.
            _ = try await api.message("offer again", from: spammer, to: targets[0])
            let third = try await api.send(SendMessageRequest(recipientId: targets[2].id, envelopes: [targets[2].envelope(1, "offer")]), from: spammer, device: 1)
            #expect(third.status == 429)
            #expect(try await api.waiting(targets[2], device: 1).items.isEmpty)
            #expect(try await api.conversations(targets[2], state: .request).isEmpty)
        }
    }

    @Test("Mute and archive are mine; a new message unarchives unless muted; bad values change nothing")
    func settings() async throws {
        try await TestApp.run { app, api in
            let ada = try await api.member("ada", devices: 1)
            let bob = try await api.member("bob", devices: 1)
            let conversation = try #require(try await api.message("hi", from: ada, to: bob).conversationId)
            let path = "/api/v1/conversations/\(conversation)/settings"
            let archived = try await api.patch(path, ConversationSettingsRequest(archived: true), token: ada.tokens.accessToken)
            #expect(try archived.decode(Conversation.self).archived)
            #expect(try await api.conversations(ada).isEmpty)
            #expect(try await api.conversations(ada, archived: true).map(\.id) == [conversation])
            _ = try await api.message("back?", from: bob, to: ada)
            #expect(try await api.conversations(ada).map(\.id) == [conversation])

            let until = Date(timeIntervalSince1970: Double(app.clock.nowMillis() / 1000 + 86_400))
            _ = try await api.patch(path, ConversationSettingsRequest(mutedUntil: .some(until), archived: true), token: ada.tokens.accessToken)
            _ = try await api.message("still muted", from: bob, to: ada)
            let muted = try #require(try await api.conversations(ada, archived: true).first)
            #expect(muted.archived && muted.mutedUntil == until)
            let unmuted = try await api.patch(path, ConversationSettingsRequest(mutedUntil: .some(nil)), token: ada.tokens.accessToken)
            #expect(try unmuted.decode(Conversation.self).mutedUntil == nil)

            let farFuture = Date(timeIntervalSince1970: Double(app.clock.nowMillis() / 1000) + 200 * 366 * 86_400)
            #expect(try await api.patch(path, ConversationSettingsRequest(mutedUntil: .some(farFuture)), token: ada.tokens.accessToken).fieldErrors == ["muted_until"])
            for seconds in [0, 29, 4 * 7 * 86_400 + 1] {
                let answer = try await api.put("/api/v1/conversations/\(conversation)/timer", DisappearingTimerRequest(seconds: seconds), token: ada.tokens.accessToken)
                #expect(answer.status == 422 && answer.fieldErrors == ["seconds"])
            }
            #expect(try await api.put("/api/v1/conversations/\(conversation)/timer", ["metadata": "x"], token: ada.tokens.accessToken).status == 422)
            #expect(try await api.conversations(ada, archived: true).first?.disappearingSeconds == nil)
            // Bob's side is untouched by Ada's settings.
            let bobs = try #require(try await api.get("/api/v1/conversations/\(conversation)", token: bob.tokens.accessToken).decode(Conversation.self) as Conversation?)
            #expect(!bobs.archived && bobs.mutedUntil == nil)
        }
    }

    @Test("Nobody outside a conversation reads or changes it")
    func outsiders() async throws {
        try await TestApp.run { _, api in
            let ada = try await api.member("ada", devices: 1)
            let bob = try await api.member("bob", devices: 1)
            let eve = try await api.member("eve", devices: 1)
            let conversation = try #require(try await api.message("secret plans", from: ada, to: bob).conversationId)
            let base = "/api/v1/conversations/\(conversation)"
            let token = eve.tokens.accessToken
            #expect(try await api.get(base, token: token).status == 404)
            #expect(try await api.get("\(base)/members", token: token).status == 404)
            #expect(try await api.post("\(base)/accept", token: token).status == 404)
            #expect(try await api.post("\(base)/block", token: token).status == 404)
            #expect(try await api.delete(base, token: token).status == 404)
            #expect(try await api.patch("\(base)/settings", ConversationSettingsRequest(archived: true), token: token).status == 404)
            #expect(try await api.put("\(base)/timer", DisappearingTimerRequest(seconds: 60), token: token).status == 404)
            #expect(try await api.post("\(base)/members", AddMembersRequest(accountIds: [eve.id]), token: token).status == 404)
            #expect(try await api.delete("\(base)/members/\(ada.id)", token: token).status == 404)
            #expect(try await api.get(base).status == 401)
            #expect(try await api.get("/api/v1/conversations?state=maybe", token: token).fieldErrors == ["state"])
            #expect(try await api.get("/api/v1/conversations?cursor=nope", token: token).fieldErrors == ["cursor"])
            // A direct conversation's members are fixed, and it has no metadata.
            #expect(try await api.delete("\(base)/members/\(bob.id)", token: ada.tokens.accessToken).status == 422)
            #expect(try await api.put("\(base)/metadata", GroupMetadataRequest(metadata: "AAAA"), token: ada.tokens.accessToken).status == 422)
        }
    }

    @Test("Groups: admins add and remove, connections join at once and strangers get a request, the last admin is succeeded")
    func groups() async throws {
        try await TestApp.run(configure: { $0.messaging.maxGroupMembers = 4 }) { app, api in
            let ada = try await api.member("ada", devices: 1)
            let bob = try await api.member("bob", devices: 1)
            let carol = try await api.member("carol", devices: 1)
            let dan = try await api.member("dan", devices: 1)
            let eve = try await api.member("eve", devices: 1)
            #expect(try await api.post("/api/v1/accounts/\(ada.id)/follow", token: bob.tokens.accessToken).status == 200)
            let metadata = Data("encrypted name".utf8).base64EncodedString()
            let created = try await api.post(
                "/api/v1/conversations", CreateConversationRequest(kind: .group, memberIds: [bob.id, carol.id], metadata: metadata), token: ada.tokens.accessToken)
            #expect(created.status == 201)
            let group = try created.decode(Conversation.self)
            #expect(group.kind == .group && group.memberCount == 3 && group.role == .admin && group.metadata == metadata)
            try await app.runJobs()
            #expect(try await api.conversations(bob).map(\.id) == [group.id])
            #expect(try await api.conversations(carol, state: .request).map(\.id) == [group.id])
            #expect(try await api.notices(carol) == ["message_request"])
            let base = "/api/v1/conversations/\(group.id)"

            // Members are not admins: they cannot add, remove others, or rename.
            #expect(try await api.post("\(base)/members", AddMembersRequest(accountIds: [dan.id]), token: bob.tokens.accessToken).status == 403)
            #expect(try await api.delete("\(base)/members/\(carol.id)", token: bob.tokens.accessToken).status == 403)
            #expect(try await api.put("\(base)/metadata", GroupMetadataRequest(metadata: metadata), token: bob.tokens.accessToken).status == 403)
            // The size limit holds, and a bad member list says which entry is wrong.
            #expect(try await api.post("\(base)/members", AddMembersRequest(accountIds: [dan.id, eve.id]), token: ada.tokens.accessToken).status == 422)
            let bad = try await api.post("\(base)/members", AddMembersRequest(accountIds: [dan.id, ada.id, dan.id]), token: ada.tokens.accessToken)
            #expect(Set(bad.fieldErrors) == ["account_ids.1", "account_ids.2"])
            let grown = try await api.post("\(base)/members", AddMembersRequest(accountIds: [dan.id]), token: ada.tokens.accessToken)
            #expect(try grown.decode(Conversation.self).memberCount == 4)
            let members = try await api.get("\(base)/members?limit=3", token: carol.tokens.accessToken)
            #expect(try members.decode(Page<ConversationMember>.self).items.count == 3)

            // The last admin cannot step down while alone; making Bob admin first works.
            #expect(try await api.patch("\(base)/members/\(ada.id)", ChangeMemberRequest(role: .member), token: ada.tokens.accessToken).status == 409)
            #expect(try await api.patch("\(base)/members/\(carol.id)", ChangeMemberRequest(role: .admin), token: ada.tokens.accessToken).status == 409)
            let promoted = try await api.patch("\(base)/members/\(bob.id)", ChangeMemberRequest(role: .admin), token: ada.tokens.accessToken)
            #expect(try promoted.decode(ConversationMember.self).role == .admin)
            #expect(try await api.delete("\(base)/members/\(dan.id)", token: bob.tokens.accessToken).status == 204)
            // Leaving: Ada and then Bob go; Carol, who never accepted, is the only one left and takes over.
            #expect(try await api.delete("\(base)/members/\(ada.id)", token: ada.tokens.accessToken).status == 204)
            #expect(try await api.delete(base, token: bob.tokens.accessToken).status == 204)
            let left = try await api.get(base, token: carol.tokens.accessToken).decode(Conversation.self)
            #expect(left.memberCount == 1 && left.role == .admin)
            // Blocking a group invitation blocks whoever added me, and leaves: the last one out deletes it.
            #expect(try await api.post("\(base)/block", token: carol.tokens.accessToken).status == 204)
            let relationship = try await api.get("/api/v1/accounts/relationships?id[]=\(ada.id)", token: carol.tokens.accessToken)
            #expect(try relationship.decode(Page<Relationship>.self).items.first?.blocking == true)
            let rows = try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM messaging_conversations WHERE kind = 'group'").first()?
                .decode(column: "n", as: Int.self)
            #expect(rows == 0)
        }
    }

    @Test("A deleted account's direct conversations go for both sides, and it leaves its groups")
    func erasure() async throws {
        try await TestApp.run { app, api in
            let ada = try await api.member("ada", devices: 1)
            let bob = try await api.member("bob", devices: 1)
            let carol = try await api.member("carol", devices: 1)
            _ = try await api.message("hi", from: ada, to: bob)
            let group = try await api.post(
                "/api/v1/conversations", CreateConversationRequest(kind: .group, memberIds: [bob.id, carol.id]), token: ada.tokens.accessToken
            ).decode(Conversation.self)
            let deleted = try await api.delete("/api/v1/accounts/me", DeleteAccountRequest(password: TestAPI.defaultPassword), token: ada.tokens.accessToken)
            #expect(deleted.status == 202)
            try await app.runJobs()
            #expect(try await api.conversations(bob, state: .request).map(\.id) == [group.id])
            let left = try await api.get("/api/v1/conversations/\(group.id)", token: bob.tokens.accessToken).decode(Conversation.self)
            #expect(left.memberCount == 2)
            let members = try await api.get("/api/v1/conversations/\(group.id)/members", token: bob.tokens.accessToken).decode(Page<ConversationMember>.self)
            #expect(members.items.contains { $0.role == .admin } && !members.items.contains { $0.accountId == ada.id })
            let direct = try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM messaging_conversations WHERE kind = 'direct'").first()?
                .decode(column: "n", as: Int.self)
            #expect(direct == 0)
        }
    }
}
