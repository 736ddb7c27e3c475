import EntativaCore
import EntativaModels

/// The JSON Schemas of identity's wire types, for the OpenAPI document. They state the same
/// limits the use cases enforce.
enum IdentitySchemas {
    static func register(in document: OpenAPIDocument, platform: Platform) {
        let username = Schema.string(minLength: 3, maxLength: 30, pattern: "^[A-Za-z0-9_]{3,30}$")
        let device = Schema.string(maxLength: 100)
        document.addSchema("Account", account(platform: platform))
        document.addSchema(
            "RegisterRequest",
            Schema.object(
                [
                    "username": username, "email": Schema.string(maxLength: 254, format: "email"),
                    "password": Schema.string(minLength: 10, maxLength: 72), "device_name": device,
                ],
                required: ["username", "email", "password"]))
        document.addSchema(
            "LoginRequest",
            Schema.object(
                [
                    "login": Schema.string(minLength: 1, maxLength: 254), "password": Schema.string(minLength: 1, maxLength: 1024),
                    "device_name": device, "device_token": Schema.string(maxLength: 1024),
                ],
                required: ["login", "password"]))
        document.addSchema(
            "MFALoginRequest",
            Schema.object(
                ["mfa_token": Schema.string(minLength: 1), "code": Schema.string(minLength: 1, maxLength: 32), "device_name": device],
                required: ["mfa_token", "code"]))
        document.addSchema(
            "RefreshRequest", Schema.object(["refresh_token": Schema.string(minLength: 1, maxLength: 200)], required: ["refresh_token"]))
        let tokens = Schema.object(
            [
                "account": Schema.ref("Account"), "access_token": Schema.string(), "refresh_token": Schema.string(),
                "token_type": Schema.string(values: ["Bearer"]), "expires_in": Schema.integer(minimum: 1),
                "device_token": Schema.string(description: "After a sign-in or registration; send it with this device's next login"),
            ],
            required: ["account", "access_token", "refresh_token", "token_type", "expires_in"])
        document.addSchema("AuthTokens", tokens)
        document.addSchema(
            "MFAChallenge",
            Schema.object(
                ["mfa_required": Schema.boolean, "mfa_token": Schema.string(), "expires_in": Schema.integer(minimum: 1)],
                required: ["mfa_required", "mfa_token", "expires_in"]))
        document.addSchema("LoginResult", Schema.oneOf([Schema.ref("AuthTokens"), Schema.ref("MFAChallenge")]))
        document.addSchema(
            "ChangePasswordRequest",
            Schema.object(
                ["current_password": Schema.string(minLength: 1), "new_password": Schema.string(minLength: 10, maxLength: 72)],
                required: ["current_password", "new_password"]))
        document.addSchema(
            "PasswordResetRequest", Schema.object(["email": Schema.string(maxLength: 254, format: "email")], required: ["email"]))
        document.addSchema(
            "PasswordResetConfirmation",
            Schema.object(
                ["token": Schema.string(minLength: 1, maxLength: 200), "password": Schema.string(minLength: 10, maxLength: 72)],
                required: ["token", "password"]))
        document.addSchema(
            "EmailVerificationRequest", Schema.object(["token": Schema.string(minLength: 1, maxLength: 200)], required: ["token"]))
        document.addSchema(
            "UpdateAccountRequest",
            Schema.object([
                "display_name": Schema.string(maxLength: 64), "bio": Schema.string(maxLength: 500),
                "links": Schema.array(Schema.string(maxLength: 200, format: "uri"), maxItems: 4), "is_private": Schema.boolean,
            ]))
        document.addSchema("DeleteAccountRequest", Schema.object(["password": Schema.string(minLength: 1)], required: ["password"]))
        document.addSchema("SuspendAccountRequest", Schema.object(["reason": Schema.string(maxLength: 500)]))
        document.addSchema(
            "Session",
            Schema.object(
                [
                    "id": Schema.id, "device_name": Schema.string(), "ip": Schema.string(), "created_at": Schema.timestamp,
                    "last_used_at": Schema.timestamp, "current": Schema.boolean,
                ],
                required: ["id", "device_name", "ip", "created_at", "last_used_at", "current"]))
        document.addSchema("SessionPage", Schema.page(of: "Session"))
        document.addSchema(
            "TOTPEnrollment",
            Schema.object(["secret": Schema.string(), "otpauth_uri": Schema.string()], required: ["secret", "otpauth_uri"]))
        document.addSchema("TOTPCodeRequest", Schema.object(["code": Schema.string(minLength: 1, maxLength: 32)], required: ["code"]))
        document.addSchema(
            "RecoveryCodes", Schema.object(["recovery_codes": Schema.array(Schema.string())], required: ["recovery_codes"]))
        document.addSchema(
            "TOTPDisableRequest",
            Schema.object(
                ["password": Schema.string(minLength: 1), "code": Schema.string(minLength: 1, maxLength: 32)],
                required: ["password", "code"]))
        document.addSchema(
            "SecurityEvent",
            Schema.object(
                [
                    "id": Schema.id, "kind": Schema.string(), "ip": Schema.string(), "user_agent": Schema.string(),
                    "detail": Schema.string(), "created_at": Schema.timestamp,
                ],
                required: ["id", "kind", "ip", "user_agent", "created_at"]))
        document.addSchema("SecurityEventPage", Schema.page(of: "SecurityEvent"))
    }

    /// Every rendered account carries its counts (decision 0012); `friends_count` exists only
    /// where friendships do, on Entativa.
    static func account(platform: Platform) -> JSONValue {
        var schema = Schema.object(
            [
                "id": Schema.id, "username": Schema.string(), "display_name": Schema.string(), "bio": Schema.string(),
                "links": Schema.array(Schema.string()), "is_private": Schema.boolean,
                "role": Schema.string(values: ["user", "moderator", "admin"]), "created_at": Schema.timestamp,
                "followers_count": count("Accounts following this one"), "following_count": count("Accounts this one follows"),
                "posts_count": count("Live posts and shares in every audience, not only those the caller may see"),
                "email": Schema.string(description: "Owner and administrators only"),
                "email_verified": Schema.boolean, "totp_enabled": Schema.boolean, "suspended": Schema.boolean,
            ],
            required: [
                "id", "username", "display_name", "bio", "links", "is_private", "role", "created_at", "followers_count", "following_count",
                "posts_count",
            ])
        if platform == .entativa, var properties = schema["properties"], case .array(let required)? = schema["required"] {
            properties.set("friends_count", count("Entativa only: the account's friends"))
            schema.set("properties", properties)
            schema.set("required", .array(required + ["friends_count"]))
        }
        return schema
    }

    static func count(_ description: String) -> JSONValue {
        var schema = Schema.integer(minimum: 0)
        schema.set("description", .string(description))
        return schema
    }

}
