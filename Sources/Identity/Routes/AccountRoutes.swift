import EntativaCore
import EntativaModels
import Hummingbird

/// `/api/v1/accounts/…` and `/api/v1/admin/accounts/…`.
struct AccountRoutes {
    let env: IdentityEnvironment

    func register(anyone: APIRoutes<AppRequestContext>, signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        signedIn.add(
            .get, "/api/v1/accounts/me", APIOperation("getMe", "The caller's account", tag: "accounts", access: .signedIn, response: "Account")
        ) { _, context in
            Reply(try await Profiles(env: env).me(context.caller))
        }
        signedIn.add(
            .patch, "/api/v1/accounts/me",
            APIOperation("updateMe", "Edit the caller's profile", tag: "accounts", access: .signedIn, body: "UpdateAccountRequest", response: "Account")
        ) { request, context in
            let form = try await request.decodeJSON(as: UpdateAccountRequest.self, context: context)
            return Reply(try await Profiles(env: env).update(context.caller, form: form))
        }
        signedIn.add(
            .delete, "/api/v1/accounts/me",
            APIOperation(
                "deleteMe", "Delete the caller's account", tag: "accounts", access: .signedIn, body: "DeleteAccountRequest",
                status: 202, description: "Signs out everywhere now and removes the account's data in the background. The username stays reserved.")
        ) { request, context in
            let form = try await request.decodeJSON(as: DeleteAccountRequest.self, context: context)
            try await AccountLifecycle(env: env).delete(context.caller, password: form.password, client: context.client)
            return Response(status: .accepted)
        }
        signedIn.add(
            .get, "/api/v1/accounts/me/security-events",
            APIOperation(
                "listSecurityEvents", "The caller's security log, newest first", tag: "accounts", access: .signedIn,
                response: "SecurityEventPage", query: [.cursor, .limit])
        ) { request, context in
            let page = try PageRequest(request, limits: env.kernel.config.limits)
            return try await Profiles(env: env).securityEvents(context.caller, page: page).reply(for: request)
        }
        anyone.add(
            .get, "/api/v1/accounts/lookup",
            APIOperation(
                "lookupAccount", "Find an account by username", tag: "accounts", access: .anyone, response: "Account",
                errors: [404], query: [QueryParameter("username", Schema.string(minLength: 1, maxLength: 30), required: true, description: "Case-insensitive")])
        ) { request, context in
            let username = request.uri.queryParameters["username"].map(String.init) ?? ""
            return Reply(try await Profiles(env: env).lookup(username: username, viewer: context.principal))
        }
        anyone.add(
            .get, "/api/v1/accounts/{id}", APIOperation("getAccount", "An account by ID", tag: "accounts", access: .anyone, response: "Account")
        ) { _, context in
            Reply(try await Profiles(env: env).account(try context.parameters.id("id"), viewer: context.principal))
        }
        signedIn.add(
            .post, "/api/v1/admin/accounts/{id}/suspend",
            APIOperation(
                "suspendAccount", "Suspend an account (administrators)", tag: "admin", access: .signedIn,
                body: "SuspendAccountRequest", response: "Account", errors: [403, 409])
        ) { request, context in
            try context.require(.admin)
            let form = try await request.decodeJSON(as: SuspendAccountRequest.self, context: context)
            let id: AccountID = try context.parameters.id("id")
            return Reply(try await AccountLifecycle(env: env).suspend(id, by: context.caller, reason: form.reason, client: context.client))
        }
        signedIn.add(
            .post, "/api/v1/admin/accounts/{id}/unsuspend",
            APIOperation("unsuspendAccount", "Lift a suspension (administrators)", tag: "admin", access: .signedIn, response: "Account", errors: [403])
        ) { _, context in
            let id: AccountID = try context.parameters.id("id")
            return Reply(try await AccountLifecycle(env: env).unsuspend(id, by: context.caller, client: context.client))
        }
    }
}
