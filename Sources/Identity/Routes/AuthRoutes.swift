import EntativaCore
import EntativaModels
import Hummingbird

/// `/api/v1/auth/…`: thin handlers that decode, call one use case and answer.
struct AuthRoutes {
    let env: IdentityEnvironment

    func register(anyone: APIRoutes<AppRequestContext>, signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        anyone.add(
            .post, "/api/v1/auth/register",
            APIOperation(
                "register", "Create an account and sign in", tag: "auth", access: .anyone, body: "RegisterRequest",
                status: 201, response: "AuthTokens", errors: [409],
                description: "Send an `Idempotency-Key` header to make retries safe.")
        ) { request, context in
            let form = try await request.decodeJSON(as: RegisterRequest.self, context: context)
            return Reply(try await Registration(env: env).register(form, client: context.client), status: .created)
        }
        anyone.add(
            .post, "/api/v1/auth/login",
            APIOperation(
                "login", "Sign in with a username or email and a password", tag: "auth", access: .anyone,
                body: "LoginRequest", response: "LoginResult", errors: [403],
                description: "With two-factor authentication on, answers `mfa_required` and an `mfa_token` for `/auth/login/mfa`.")
        ) { request, context in
            let form = try await request.decodeJSON(as: LoginRequest.self, context: context)
            return Reply(try await Authentication(env: env).logIn(form, client: context.client))
        }
        anyone.add(
            .post, "/api/v1/auth/login/mfa",
            APIOperation(
                "loginMfa", "Finish signing in with a TOTP or recovery code", tag: "auth", access: .anyone,
                body: "MFALoginRequest", response: "AuthTokens")
        ) { request, context in
            let form = try await request.decodeJSON(as: MFALoginRequest.self, context: context)
            return Reply(try await Authentication(env: env).completeMFA(form, client: context.client))
        }
        anyone.add(
            .post, "/api/v1/auth/refresh",
            APIOperation(
                "refresh", "Trade a refresh token for a new token pair", tag: "auth", access: .anyone,
                body: "RefreshRequest", response: "AuthTokens",
                description: "Each refresh token works once. Presenting a spent one revokes its whole session.")
        ) { request, context in
            let form = try await request.decodeJSON(as: RefreshRequest.self, context: context)
            return Reply(try await Authentication(env: env).refresh(form, client: context.client))
        }
        anyone.add(
            .post, "/api/v1/auth/email/verify",
            APIOperation(
                "verifyEmail", "Confirm an email address with the mailed token", tag: "auth", access: .anyone,
                body: "EmailVerificationRequest", status: 204)
        ) { request, context in
            let form = try await request.decodeJSON(as: EmailVerificationRequest.self, context: context)
            try await EmailVerification(env: env).verify(form, client: context.client)
            return Response.noContent
        }
        anyone.add(
            .post, "/api/v1/auth/password/forgot",
            APIOperation(
                "forgotPassword", "Mail a password-reset link", tag: "auth", access: .anyone, body: "PasswordResetRequest",
                status: 202, description: "Answers 202 whether or not the address is registered.")
        ) { request, context in
            let form = try await request.decodeJSON(as: PasswordResetRequest.self, context: context)
            try await Passwords(env: env).requestReset(form, client: context.client)
            return Response(status: .accepted)
        }
        anyone.add(
            .post, "/api/v1/auth/password/reset",
            APIOperation(
                "resetPassword", "Set a new password with a mailed token", tag: "auth", access: .anyone,
                body: "PasswordResetConfirmation", status: 204, description: "Signs out every session of the account.")
        ) { request, context in
            let form = try await request.decodeJSON(as: PasswordResetConfirmation.self, context: context)
            try await Passwords(env: env).reset(form, client: context.client)
            return Response.noContent
        }
        registerSignedIn(signedIn)
    }

    private func registerSignedIn(_ routes: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        routes.add(
            .post, "/api/v1/auth/logout", APIOperation("logout", "End the current session", tag: "auth", access: .signedIn, status: 204)
        ) { _, context in
            try await Authentication(env: env).logOut(context.caller, client: context.client)
            return Response.noContent
        }
        routes.add(
            .post, "/api/v1/auth/password",
            APIOperation(
                "changePassword", "Change the password", tag: "auth", access: .signedIn, body: "ChangePasswordRequest",
                status: 204, description: "Signs out every other session.")
        ) { request, context in
            let form = try await request.decodeJSON(as: ChangePasswordRequest.self, context: context)
            try await Passwords(env: env).change(context.caller, form: form, client: context.client)
            return Response.noContent
        }
        routes.add(
            .post, "/api/v1/auth/email/resend",
            APIOperation("resendVerification", "Mail a new verification link", tag: "auth", access: .signedIn, status: 202, errors: [409])
        ) { _, context in
            try await EmailVerification(env: env).resend(context.caller)
            return Response(status: .accepted)
        }
        routes.add(
            .get, "/api/v1/auth/sessions",
            APIOperation(
                "listSessions", "The signed-in devices of this account", tag: "sessions", access: .signedIn,
                response: "SessionPage", query: [.cursor, .limit])
        ) { request, context in
            let page = try PageRequest(request, limits: env.kernel.config.limits)
            return try await Sessions(env: env).list(context.caller, page: page).reply(for: request)
        }
        routes.add(
            .delete, "/api/v1/auth/sessions",
            APIOperation("revokeOtherSessions", "Sign out every other device", tag: "sessions", access: .signedIn, status: 204)
        ) { _, context in
            try await Sessions(env: env).revokeOthers(context.caller, client: context.client)
            return Response.noContent
        }
        routes.add(
            .delete, "/api/v1/auth/sessions/{id}",
            APIOperation("revokeSession", "Sign out one device", tag: "sessions", access: .signedIn, status: 204)
        ) { _, context in
            try await Sessions(env: env).revoke(try context.parameters.id("id"), caller: context.caller, client: context.client)
            return Response.noContent
        }
        routes.add(
            .post, "/api/v1/auth/totp",
            APIOperation(
                "enrollTotp", "Start two-factor enrolment", tag: "two-factor", access: .signedIn, response: "TOTPEnrollment",
                errors: [409])
        ) { _, context in
            Reply(try await SecondFactor(env: env).enroll(context.caller))
        }
        routes.add(
            .post, "/api/v1/auth/totp/confirm",
            APIOperation(
                "confirmTotp", "Turn two-factor authentication on", tag: "two-factor", access: .signedIn,
                body: "TOTPCodeRequest", response: "RecoveryCodes", errors: [409],
                description: "Answers ten single-use recovery codes, shown only this once.")
        ) { request, context in
            let form = try await request.decodeJSON(as: TOTPCodeRequest.self, context: context)
            return Reply(try await SecondFactor(env: env).confirm(context.caller, code: form.code, client: context.client))
        }
        routes.add(
            .delete, "/api/v1/auth/totp",
            APIOperation(
                "disableTotp", "Turn two-factor authentication off", tag: "two-factor", access: .signedIn,
                body: "TOTPDisableRequest", status: 204, errors: [409])
        ) { request, context in
            let form = try await request.decodeJSON(as: TOTPDisableRequest.self, context: context)
            try await SecondFactor(env: env).disable(context.caller, form: form, client: context.client)
            return Response.noContent
        }
    }
}
