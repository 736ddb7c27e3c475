import EntativaCore
import EntativaModels
import Hummingbird

/// `/api/v1/conversations…`: the metadata of conversations (who is in them, each member's
/// settings, requests); never what is said.
struct ConversationRoutes {
    let env: MessagingEnvironment

    func register(signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        let limits = env.kernel.config.limits
        signedIn.add(
            .get, "/api/v1/conversations",
            APIOperation(
                "listConversations", "My conversations, latest activity first", tag: "messaging", access: .signedIn, response: "ConversationPage",
                errors: [404, 422],
                query: [
                    QueryParameter("state", Schema.string(values: MembershipState.allCases.map(\.rawValue)), description: "`active` (default) or `request`: message requests waiting for me"),
                    QueryParameter("archived", Schema.string(values: ["true", "false"]), description: "`true` lists archived ones; default `false`"),
                    .cursor, .limit,
                ],
                description: "Direct conversations with accounts that are gone, suspended, or blocked either way are left out.")
        ) { request, context in
            var validator = Validator()
            let limit = PageRequest.limit(of: request, limits: limits, into: &validator)
            let query = request.uri.queryParameters
            let state = query["state"].map { MembershipState(rawValue: String($0)) } ?? .active
            validator.check(state != nil, "state", "invalid", "must be active or request")
            let archived = query["archived"].map(String.init)
            validator.check(archived == nil || archived == "true" || archived == "false", "archived", "invalid", "must be true or false")
            let cursor = query["cursor"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            validator.check(cursor.map { Conversations.position($0) != nil } ?? true, "cursor", "invalid", "is not a cursor this server gave out")
            try validator.validate()
            return try await Conversations(env: env).list(
                caller: context.caller, state: state ?? .active, archived: archived == "true", cursor: cursor, limit: limit
            ).reply(for: request)
        }
        signedIn.add(
            .post, "/api/v1/conversations",
            APIOperation(
                "createConversation", "Start a conversation", tag: "messaging", access: .signedIn, body: "CreateConversationRequest", status: 201,
                response: "Conversation", errors: [404, 422, 429],
                description: "`direct` with one account: our conversation, made if needed (a first message makes it too). `group` with 1–100 other accounts, me its admin. Someone with no connection to me (not following me, not my friend) gets it as a request; each such request counts against my daily budget (429 past it).")
                .idempotent()
        ) { request, context in
            let form = try await request.decodeJSON(as: CreateConversationRequest.self, context: context)
            return Reply(try await Groups(env: env).create(form, caller: context.caller), status: .created)
        }
        signedIn.add(
            .get, "/api/v1/conversations/{id}",
            APIOperation("getConversation", "One of my conversations", tag: "messaging", access: .signedIn, response: "Conversation")
        ) { _, context in
            Reply(try await Conversations(env: env).one(try context.parameters.id("id"), caller: context.caller))
        }
        signedIn.add(
            .delete, "/api/v1/conversations/{id}",
            APIOperation(
                "deleteConversation", "Delete a conversation for me", tag: "messaging", access: .signedIn, status: 204,
                description: "A direct conversation leaves my lists and what waits for my devices in it is dropped; the other side's next message brings it back (as a request unless we are connected). A group: I leave it. Declining a request is deleting it.")
        ) { _, context in
            try await MessageRequests(env: env).delete(try context.parameters.id("id"), caller: context.caller)
            return Response.noContent
        }
        signedIn.add(
            .post, "/api/v1/conversations/{id}/accept",
            APIOperation(
                "acceptConversation", "Accept a message request", tag: "messaging", access: .signedIn, response: "Conversation",
                description: "Receipts, typing and calls from the other side reach me from then on. Accepting an accepted conversation changes nothing.")
                .withOptionalBody()
        ) { _, context in
            Reply(try await MessageRequests(env: env).accept(try context.parameters.id("id"), caller: context.caller))
        }
        signedIn.add(
            .post, "/api/v1/conversations/{id}/block",
            APIOperation(
                "blockConversation", "Block whoever brought a conversation, and delete it", tag: "messaging", access: .signedIn, status: 204,
                errors: [422],
                description: "Blocks the other account of a direct conversation, or the member who added me to a group, then deletes the conversation for me.")
                .withOptionalBody()
        ) { _, context in
            try await MessageRequests(env: env).block(try context.parameters.id("id"), caller: context.caller)
            return Response.noContent
        }
        signedIn.add(
            .patch, "/api/v1/conversations/{id}/settings",
            APIOperation(
                "updateConversationSettings", "Mute or archive a conversation for me", tag: "messaging", access: .signedIn,
                body: "ConversationSettingsRequest", response: "Conversation", errors: [422],
                description: "A field left out keeps its value; `muted_until: null` unmutes. A new message brings an archived conversation back unless it is muted.")
        ) { request, context in
            let form = try await request.decodeJSON(as: ConversationSettingsRequest.self, context: context)
            return Reply(try await Conversations(env: env).updateSettings(try context.parameters.id("id"), form, caller: context.caller))
        }
        signedIn.add(
            .put, "/api/v1/conversations/{id}/timer",
            APIOperation(
                "setDisappearingTimer", "Set the disappearing-messages timer", tag: "messaging", access: .signedIn, body: "DisappearingTimerRequest",
                response: "Conversation", errors: [403, 422],
                description: "For every member: 30 s to 4 weeks, or null for off. Clients delete a message that long after it is read. A member who has accepted a direct conversation sets it; in a group, an admin.")
        ) { request, context in
            let form = try await request.decodeJSON(as: DisappearingTimerRequest.self, context: context)
            return Reply(try await Conversations(env: env).setTimer(try context.parameters.id("id"), seconds: form.seconds, caller: context.caller))
        }
        signedIn.add(
            .put, "/api/v1/conversations/{id}/metadata",
            APIOperation(
                "setGroupMetadata", "Replace a group's encrypted metadata", tag: "messaging", access: .signedIn, body: "GroupMetadataRequest",
                response: "Conversation", errors: [403, 422],
                description: "Base64 of at most 4,096 bytes the members encrypt (name, picture): the server never reads it. Admins only.")
        ) { request, context in
            let form = try await request.decodeJSON(as: GroupMetadataRequest.self, context: context)
            return Reply(try await Conversations(env: env).setMetadata(try context.parameters.id("id"), form.metadata, caller: context.caller))
        }
        registerMembers(signedIn: signedIn)
    }

    private func registerMembers(signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        let limits = env.kernel.config.limits
        signedIn.add(
            .get, "/api/v1/conversations/{id}/members",
            APIOperation(
                "listConversationMembers", "A conversation's members", tag: "messaging", access: .signedIn, response: "ConversationMemberPage",
                errors: [422], query: [.cursor, .limit], description: "By account ID. The cursor is the last account ID seen.")
        ) { request, context in
            var validator = Validator()
            let limit = PageRequest.limit(of: request, limits: limits, into: &validator)
            var after: AccountID?
            if let cursor = request.uri.queryParameters["cursor"].map(String.init), !cursor.isEmpty {
                after = AccountID(cursor)
                validator.check(after != nil, "cursor", "invalid", "is not a cursor this server gave out")
            }
            try validator.validate()
            return try await Conversations(env: env).members(try context.parameters.id("id"), caller: context.caller, after: after, limit: limit)
                .reply(for: request)
        }
        signedIn.add(
            .post, "/api/v1/conversations/{id}/members",
            APIOperation(
                "addConversationMembers", "Add members to a group", tag: "messaging", access: .signedIn, body: "AddMembersRequest",
                response: "Conversation", errors: [403, 422, 429],
                description: "Admins only; 1–100 accounts at a time, up to the group's limit (1,500). Accounts already in it are left as they are. Someone with no connection to me gets the group as a request, counted against my daily budget.")
        ) { request, context in
            let form = try await request.decodeJSON(as: AddMembersRequest.self, context: context)
            return Reply(try await Groups(env: env).add(form.accountIds, to: try context.parameters.id("id"), caller: context.caller))
        }
        signedIn.add(
            .delete, "/api/v1/conversations/{id}/members/{account_id}",
            APIOperation(
                "removeConversationMember", "Remove a member from a group, or leave it", tag: "messaging", access: .signedIn, status: 204,
                errors: [403, 422],
                description: "Anyone may remove themselves; admins remove others. When the last admin goes, the longest-standing member becomes admin; the last member out deletes the group.")
        ) { _, context in
            try await Groups(env: env).remove(try context.parameters.id("account_id"), from: try context.parameters.id("id"), caller: context.caller)
            return Response.noContent
        }
        signedIn.add(
            .patch, "/api/v1/conversations/{id}/members/{account_id}",
            APIOperation(
                "changeConversationMember", "Make a member an admin, or an admin a member", tag: "messaging", access: .signedIn,
                body: "ChangeMemberRequest", response: "ConversationMember", errors: [403, 409, 422],
                description: "Admins only, for members who have accepted; the last admin cannot step down (409).")
        ) { request, context in
            let form = try await request.decodeJSON(as: ChangeMemberRequest.self, context: context)
            return Reply(
                try await Groups(env: env).changeRole(
                    of: try context.parameters.id("account_id"), in: try context.parameters.id("id"), to: form.role, caller: context.caller))
        }
    }

    static func registerSchemas(in document: OpenAPIDocument) {
        let states = Schema.string(values: MembershipState.allCases.map(\.rawValue))
        let roles = Schema.string(values: MemberRole.allCases.map(\.rawValue))
        let metadata = Schema.string(minLength: 4, maxLength: (Conversation.maxMetadataBytes + 2) / 3 * 4, description: "base64 of 1–4096 bytes")
        let timer = Schema.integer(minimum: DisappearingTimer.seconds.lowerBound, maximum: DisappearingTimer.seconds.upperBound)
        document.addSchema(
            "Conversation",
            Schema.object(
                [
                    "id": Schema.id, "kind": Schema.string(values: ConversationKind.allCases.map(\.rawValue)), "other_account_id": Schema.id,
                    "member_count": Schema.integer(minimum: 0), "state": states, "role": roles, "muted_until": Schema.timestamp, "archived": Schema.boolean,
                    "disappearing_seconds": timer, "metadata": Schema.string(), "created_by": Schema.id, "created_at": Schema.timestamp,
                    "last_message_at": Schema.timestamp,
                ],
                required: ["id", "kind", "member_count", "state", "role", "archived", "created_by", "created_at"]))
        document.addSchema("ConversationPage", Schema.page(of: "Conversation"))
        document.addSchema(
            "ConversationMember",
            Schema.object(
                ["account_id": Schema.id, "role": roles, "state": states, "joined_at": Schema.timestamp], required: ["account_id", "role", "state", "joined_at"]))
        document.addSchema("ConversationMemberPage", Schema.page(of: "ConversationMember"))
        let members = Schema.array(Schema.id, minItems: 1, maxItems: CreateConversationRequest.maxMembersPerRequest)
        document.addSchema(
            "CreateConversationRequest",
            Schema.object(
                ["kind": Schema.string(values: ConversationKind.allCases.map(\.rawValue)), "member_ids": members, "metadata": metadata],
                required: ["kind", "member_ids"]))
        document.addSchema("AddMembersRequest", Schema.object(["account_ids": members], required: ["account_ids"]))
        document.addSchema("ChangeMemberRequest", Schema.object(["role": roles], required: ["role"]))
        document.addSchema(
            "ConversationSettingsRequest", Schema.object(["muted_until": Schema.nullable(Schema.timestamp), "archived": Schema.boolean]))
        document.addSchema("DisappearingTimerRequest", Schema.object(["seconds": Schema.nullable(timer)], required: ["seconds"]))
        document.addSchema("GroupMetadataRequest", Schema.object(["metadata": metadata], required: ["metadata"]))
    }
}
