import Crypto
import EntativaCore
import EntativaModels
import Foundation
import JWTKit
import SQLKit

/// Signs and checks the JWTs Entativa hands out: 15-minute access tokens (audience `access`),
/// 5-minute second-factor tokens (audience `mfa`, whose `jti` names their row in
/// `mfa_challenges`) and year-long device tokens (audience `device`, decision 0009), all EdDSA
/// over Ed25519. The signing key is
/// made once and kept in the database, so every instance sharing it accepts every token.
public struct AccessTokens: Sendable {
    let keys: JWTKeyCollection
    let clock: any WallClock
    let issuer: String
    let verified = VerifiedTokens<Claims>(capacity: 50_000)

    struct Claims: JWTPayload {
        var sub: SubjectClaim
        var sid: String?
        var jti: IDClaim?
        var aud: AudienceClaim
        var iss: IssuerClaim
        var iat: IssuedAtClaim
        var exp: ExpirationClaim

        // Expiry is checked against the injected clock in `verify`, not here.
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static let keyID = "ed25519-1"

    public static func load(database: AppDatabase, clock: any WallClock, issuer: String) async throws -> AccessTokens {
        let generated = Curve25519.Signing.PrivateKey()
        let stored = try await SigningKeyStore.keep(
            kid: keyID, algorithm: "EdDSA", candidate: generated.rawRepresentation.base64EncodedString(), now: clock.nowMillis(),
            on: database.sql)
        guard let stored, let raw = Data(base64Encoded: stored)
        else { throw AppError.unavailable("The signing key could not be loaded.") }
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        let keys = JWTKeyCollection()
        await keys.add(eddsa: EdDSA.PrivateKey(backing: key), kid: JWKIdentifier(string: keyID))
        return AccessTokens(keys: keys, clock: clock, issuer: issuer)
    }

    public func issueAccess(account: AccountID, session: SessionID, lifetime: Duration) async throws -> String {
        try await sign(subject: account, session: session, id: nil, audience: "access", lifetime: lifetime)
    }

    public func issueMFA(account: AccountID, challenge: Int64, lifetime: Duration) async throws -> String {
        try await sign(subject: account, session: nil, id: String(challenge), audience: "mfa", lifetime: lifetime)
    }

    /// The account and session of a valid access token; any failure is a 401.
    public func verifyAccess(_ token: String) async throws -> (AccountID, SessionID) {
        let claims = try await verify(token, audience: "access")
        guard let sid = claims.sid, let session = SessionID(sid) else { throw AppError.unauthenticated() }
        return (try account(in: claims), session)
    }

    /// Proof that a device signed in to `account`, which earns it a sign-in budget of its own.
    public func issueDevice(account: AccountID, id: Int64, lifetime: Duration) async throws -> String {
        try await sign(subject: account, session: nil, id: String(id), audience: "device", lifetime: lifetime)
    }

    /// The account and ID of a valid device token; nil for anything else, which only means the
    /// device is not trusted, not that the request is refused.
    public func verifyDevice(_ token: String) async -> (account: AccountID, id: String)? {
        guard let claims = try? await verify(token, audience: "device"), let id = claims.jti?.value,
            let account = try? account(in: claims)
        else { return nil }
        return (account, id)
    }

    /// The account and the challenge of a valid second-factor token.
    public func verifyMFA(_ token: String) async throws -> (account: AccountID, challenge: Int64) {
        let claims = try await verify(token, audience: "mfa")
        guard let challenge = claims.jti.flatMap({ Int64($0.value) }) else { throw AppError.unauthenticated("The token is not valid.") }
        return (try account(in: claims), challenge)
    }

    private func sign(subject: AccountID, session: SessionID?, id: String?, audience: String, lifetime: Duration) async throws -> String {
        let now = clock.now()
        let claims = Claims(
            sub: .init(value: subject.description), sid: session?.description, jti: id.map { IDClaim(value: $0) }, aud: .init(value: [audience]),
            iss: .init(value: issuer), iat: .init(value: now), exp: .init(value: now.addingTimeInterval(lifetime.timeInterval)))
        return try await keys.sign(claims, kid: JWKIdentifier(string: Self.keyID))
    }

    private func verify(_ token: String, audience: String) async throws -> Claims {
        let key = VerifiedTokens<Claims>.key(token)
        let claims: Claims
        if let known = verified.claims(for: key) {
            claims = known
        } else {
            do {
                claims = try await keys.verify(token, as: Claims.self)
            } catch {
                throw AppError.unauthenticated("The token is not valid.")
            }
            verified.remember(claims, for: key, expires: claims.exp.value, now: clock.now())
        }
        guard claims.aud.value.contains(audience), claims.iss.value == issuer else {
            throw AppError.unauthenticated("The token is not valid here.")
        }
        guard claims.exp.value > clock.now() else { throw AppError.unauthenticated("The token has expired.") }
        return claims
    }

    private func account(in claims: Claims) throws -> AccountID {
        guard let id = AccountID(claims.sub.value) else { throw AppError.unauthenticated() }
        return id
    }
}
