import Crypto
import EntativaCore
import EntativaModels
import Foundation
import Hummingbird

/// `/api/v1/calls/turn`.
struct CallRoutes {
    let env: MessagingEnvironment

    func register(signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        signedIn.add(
            .get, "/api/v1/calls/turn",
            APIOperation(
                "turnCredentials", "TURN credentials for a call", tag: "messaging", access: .signedIn, response: "TurnCredentials", errors: [404],
                description: "Time-limited credentials for the configured TURN servers (the TURN REST scheme: username `<expiry>:<account id>`, password base64 HMAC-SHA1 of it with the shared secret). 404 when the server has no TURN secret configured.")
        ) { _, context in
            guard let secret = env.settings.turnSecret else { throw AppError.notFound("TURN configuration") }
            return Reply(Self.credentials(for: context.caller.accountID, secret: secret, settings: env.settings, now: env.now))
        }
    }

    static func credentials(for account: AccountID, secret: String, settings: MessagingSettings, now: Int64) -> TurnCredentials {
        let expiry = now / 1_000 + Int64(settings.turnCredentialSeconds)
        let username = "\(expiry):\(account)"
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(username.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return TurnCredentials(username: username, password: Data(mac).base64EncodedString(), ttl: settings.turnCredentialSeconds, uris: settings.turnURIs)
    }

    static func registerSchemas(in document: OpenAPIDocument) {
        document.addSchema(
            "TurnCredentials",
            Schema.object(
                [
                    "username": Schema.string(pattern: "^[0-9]+:[1-9][0-9]{0,18}$"), "password": Schema.string(minLength: 28, maxLength: 28),
                    "ttl": Schema.integer(minimum: 60, maximum: 86_400), "uris": Schema.array(Schema.string(maxLength: 200), maxItems: 8),
                ],
                required: ["username", "password", "ttl", "uris"]))
    }
}
