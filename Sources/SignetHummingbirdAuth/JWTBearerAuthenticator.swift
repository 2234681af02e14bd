// SPDX-License-Identifier: Apache-2.0

import Base64URL
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import JWS
import Logging
import Metrics
import RemoteJWKS
import ReplayGuard

/// What a verified bearer token gives a route: the token's verified claims and where they came from. Only a token
/// that verified (signature, key binding, claims policy, scopes, replay) ever becomes one.
public struct VerifiedBearer: Sendable {
    /// The verified JWT: header, claims and payload object.
    public let jwt: VerifiedJWT
    /// The token's scopes: its `scope` claim split on spaces (RFC 8693 §4.2), or its `scp` array.
    public let scopes: Set<String>

    /// The verified claims (`iss`, `sub`, `aud`, `exp`, …).
    public var claims: JWTClaims { jwt.claims }
    /// The algorithm the token was verified under.
    public var algorithm: JWSAlgorithm { jwt.jws.algorithm }
    /// The `kid` of the key that verified it, if the token named one.
    public var keyID: String? { jwt.jws.keyID }
}

/// A Hummingbird authenticator for `Authorization: Bearer <JWT>` (RFC 6750): verifies the token with Signet and puts
/// a ``VerifiedBearer`` in the request context, or answers as RFC 6750 §3 says.
///
/// - A request without an `Authorization: Bearer` header: with `isRequired`, `401` and a bare
///   `WWW-Authenticate: Bearer` challenge (§3.1: no error code); otherwise it passes on unauthenticated, for a later
///   middleware or `requireIdentity()`.
/// - A malformed header (empty, no token, two `Authorization` fields, over ``maximumHeaderBytes``, not ASCII, not
///   token68 characters): `400 invalid_request`.
/// - A token that does not verify (size, shape, header, unknown `kid`, algorithm, signature, claims) or was seen
///   before (with a ``replayGuard``): `401 invalid_token`, the description being the typed error's code and reason.
/// - A token without every scope in `requiredScopes`: `403 insufficient_scope` with the scopes named.
///
/// The auth-scheme is matched case-insensitively (RFC 9110 §11.1: `bearer` is `Bearer`). The token never appears in
/// an answer or a log line. Each outcome is counted (`signet_bearer_auth_total`, dimension `result`) and timed
/// (`signet_bearer_auth_duration_seconds`) through swift-metrics; refusals are logged at `debug` with their code.
public struct JWTBearerAuthenticator<Context: AuthRequestContext<VerifiedBearer>>: AuthenticatorMiddleware {
    /// The identity this authenticator puts in the context.
    public typealias Identity = VerifiedBearer

    /// Where the keys come from.
    public let keys: BearerKeySource
    /// Scopes every token must carry (empty: none).
    public let requiredScopes: Set<String>
    /// Records each token's (`sub`, `jti`) until it expires, refusing a second use; `nil`: no replay check.
    public let replayGuard: (any ReplayGuard)?
    /// The realm named in challenges, if any.
    public let realm: String?
    /// Whether a request without bearer credentials is refused here (`401`) rather than passed on.
    public let isRequired: Bool
    /// The longest `Authorization` header read (default 8 KiB); a longer one is `400 invalid_request` unread.
    public let maximumHeaderBytes: Int
    let logger: Logger
    let clock: @Sendable () -> NumericDate
    let outcomes: Outcomes

    /// Creates the authenticator.
    ///
    /// - Parameters:
    ///   - keys: A verifier over fixed keys, or a JWK set by URL.
    ///   - requiredScopes: Scopes every token must carry.
    ///   - replayGuard: Refuses a second use of a token's (`sub`, `jti`); needs both claims and `exp`.
    ///   - realm: The realm named in challenges.
    ///   - isRequired: Refuse requests without bearer credentials (default), or pass them on.
    ///   - maximumHeaderBytes: The longest `Authorization` header read.
    ///   - logger: Where refusals are logged (at `debug`, with their code; never the token).
    ///   - clock: "Now", for the replay guard's records.
    public init(
        keys: BearerKeySource, requiredScopes: Set<String> = [], replayGuard: (any ReplayGuard)? = nil,
        realm: String? = nil, isRequired: Bool = true, maximumHeaderBytes: Int = 8 * 1024,
        logger: Logger = Logger(label: "signet.bearer-auth"),
        clock: @escaping @Sendable () -> NumericDate = { JWTClock.system.now() }
    ) {
        self.keys = keys
        self.requiredScopes = requiredScopes
        self.replayGuard = replayGuard
        self.realm = realm
        self.isRequired = isRequired
        self.maximumHeaderBytes = maximumHeaderBytes
        self.logger = logger
        self.clock = clock
        self.outcomes = Outcomes()
    }

    /// Verifies the request's bearer token (see the type's documentation).
    ///
    /// - Returns: The verified bearer, or `nil` for a request without bearer credentials when not ``isRequired``.
    /// - Throws: ``BearerAuthenticationError`` with the RFC 6750 answer.
    public func authenticate(request: Request, context: Context) async throws -> VerifiedBearer? {
        let start = ContinuousClock.now
        do {
            let verified = try await verify(request.headers)
            outcomes.record(verified == nil ? "anonymous" : "ok", since: start)
            return verified
        } catch {
            outcomes.record(error.code?.rawValue ?? "missing", since: start)
            logger.debug(
                "bearer token refused",
                metadata: [
                    "status": "\(error.status.code)", "code": .string(error.signetCode),
                    "reason": .string(error.reason),
                ])
            throw error
        }
    }

    /// The verification, with every refusal typed.
    func verify(_ headers: HTTPFields) async throws(BearerAuthenticationError) -> VerifiedBearer? {
        let token: String
        switch BearerCredentials.read(headers, maximumBytes: maximumHeaderBytes) {
        case .absent:
            guard isRequired else { return nil }
            throw BearerAuthenticationError(
                .unauthorized, nil, signetCode: "bearer.missing", reason: "no bearer token", realm: realm)
        case .malformed(let code, let reason):
            throw BearerAuthenticationError(
                .badRequest, .invalidRequest, signetCode: code, reason: reason, realm: realm)
        case .token(let t):
            token = t
        }
        let jwt = try await verifiedJWT(token)
        let scopes = Self.scopes(of: jwt.payloadObject)
        let missing = requiredScopes.subtracting(scopes)
        guard missing.isEmpty else {
            throw BearerAuthenticationError(
                .forbidden, .insufficientScope, signetCode: "bearer.insufficient-scope",
                reason: "the token lacks the scope(s) \(missing.sorted().joined(separator: " "))", realm: realm,
                requiredScopes: requiredScopes.sorted())
        }
        if let replayGuard { try await claimOnce(jwt, replayGuard) }
        return VerifiedBearer(jwt: jwt, scopes: scopes)
    }

    /// The token verified with the fixed verifier, or with the remote set's (re-fetched once for an unknown `kid`).
    func verifiedJWT(_ token: String) async throws(BearerAuthenticationError) -> VerifiedJWT {
        switch keys.storage {
        case .fixed(let verifier):
            return try invalidToken { () throws(JWSError) in try verifier.verify(token) }
        case .remote(let remote):
            let verifier: JWSVerifier?
            do {
                verifier = try await remote.current()
            } catch {
                // The keys cannot be had: the token cannot be checked, which is the server's fault, not the token's.
                throw BearerAuthenticationError(
                    .serviceUnavailable, .invalidToken, signetCode: error.code.rawValue,
                    reason: "the signing keys cannot be fetched: \(error.reason)", realm: realm)
            }
            guard let verifier else {
                throw BearerAuthenticationError(
                    .unauthorized, .invalidToken, signetCode: "bearer.no-keys",
                    reason: "the JWK set has no usable key", realm: realm)
            }
            do {
                return try verifier.verify(token)
            } catch  where error.code == .kidUnknown {
                guard let kid = Self.unverifiedKeyID(token), await remote.refetch(forKeyID: kid),
                    let refreshed = try? await remote.current()
                else { throw invalid(error) }
                return try invalidToken { () throws(JWSError) in try refreshed.verify(token) }
            } catch {
                throw invalid(error)
            }
        }
    }

    /// Claims (`sub`, `jti`) until `exp` with the replay guard; a second use is `invalid_token`.
    func claimOnce(_ jwt: VerifiedJWT, _ replayGuard: any ReplayGuard) async throws(BearerAuthenticationError) {
        let claims = jwt.claims
        guard let jti = claims.id, let expiry = claims.expiresAt else {
            throw BearerAuthenticationError(
                .unauthorized, .invalidToken, signetCode: "bearer.replay-claims-missing",
                reason: "the token needs jti and exp to be checked for replay", realm: realm)
        }
        let now = clock().seconds
        do {
            let claim = try await replayGuard.claim(
                subject: claims.subject ?? "", jti: jti, until: max(expiry.seconds, now + 1), now: now)
            if case .replay = claim {
                throw BearerAuthenticationError(
                    .unauthorized, .invalidToken, signetCode: "bearer.replayed",
                    reason: "this token (jti) was already used", realm: realm)
            }
        } catch let error as BearerAuthenticationError {
            throw error
        } catch let error as ReplayGuardError {
            throw BearerAuthenticationError(
                .serviceUnavailable, .invalidToken, signetCode: error.code.rawValue,
                reason: "the replay check failed: \(error.reason)", realm: realm)
        } catch {
            throw BearerAuthenticationError(
                .serviceUnavailable, .invalidToken, signetCode: "bearer.replay-failed",
                reason: "the replay check failed", realm: realm)
        }
    }

    func invalid(_ error: JWSError) -> BearerAuthenticationError {
        BearerAuthenticationError(
            .unauthorized, .invalidToken, signetCode: error.code.rawValue,
            reason: "\(error.code.rawValue): \(error.reason)", realm: realm)
    }

    func invalidToken(_ body: () throws(JWSError) -> VerifiedJWT) throws(BearerAuthenticationError) -> VerifiedJWT {
        do { return try body() } catch { throw invalid(error) }
    }

    /// `scope` split on spaces, or the strings of an `scp` array.
    static func scopes(of payload: JSONObject) -> Set<String> {
        if case .string(let scope)? = payload["scope"] {
            return Set(scope.split(separator: " ").map(String.init))
        }
        if case .array(let items)? = payload["scp"] {
            return Set(items.compactMap { if case .string(let s) = $0 { s } else { nil } })
        }
        return []
    }

    /// The `kid` of an unverified token's header, only to ask the JWK set for it (nothing else is read).
    static func unverifiedKeyID(_ token: String) -> String? {
        guard let dot = token.utf8.firstIndex(of: UInt8(ascii: ".")),
            let header = try? Base64URL.decode(Array(token.utf8[..<dot])),
            case .object(let object) = try? StrictJSON.parse(header),
            case .string(let kid)? = object["kid"]
        else { return nil }
        return kid
    }
}

/// The counters and timers an authenticator reports to, made once (at the authenticator's creation, after the app
/// bootstrapped its metrics backend), not per request.
struct Outcomes: Sendable {
    static let results = [
        "ok", "anonymous", "missing", "invalid_request", "invalid_token", "insufficient_scope",
    ]
    let counters: [String: Counter]
    let timers: [String: Timer]

    init() {
        var counters: [String: Counter] = [:]
        var timers: [String: Timer] = [:]
        for result in Self.results {
            counters[result] = Counter(label: "signet_bearer_auth_total", dimensions: [("result", result)])
            timers[result] = Timer(label: "signet_bearer_auth_duration_seconds", dimensions: [("result", result)])
        }
        self.counters = counters
        self.timers = timers
    }

    func record(_ result: String, since start: ContinuousClock.Instant) {
        counters[result]?.increment()
        let elapsed = ContinuousClock.now - start
        timers[result]?.recordNanoseconds(
            elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}

/// The bearer credentials of a request, read from its `Authorization` fields.
enum BearerCredentials: Equatable {
    /// No `Authorization` field, or one with another scheme.
    case absent
    /// A header that cannot be read as one bearer token.
    case malformed(code: String, reason: String)
    /// The token.
    case token(String)

    /// Reads `headers` (at most `maximumBytes` of the field), byte by byte: the field is ASCII or refused.
    static func read(_ headers: HTTPFields, maximumBytes: Int) -> BearerCredentials {
        let values = headers[values: .authorization]
        guard let value = values.first else { return .absent }
        guard values.count == 1 else {
            return .malformed(
                code: "bearer.header-repeated", reason: "the request has \(values.count) Authorization fields; send one"
            )
        }
        guard value.utf8.count <= maximumBytes else {
            return .malformed(
                code: "bearer.header-too-large",
                reason: "the Authorization field is \(value.utf8.count) bytes; at most \(maximumBytes) are read")
        }
        let bytes = Array(value.utf8)
        if let offset = bytes.firstIndex(where: { $0 < 0x20 || $0 > 0x7E }) {
            return .malformed(
                code: "bearer.header-not-ascii",
                reason: "the Authorization field has a byte outside printable ASCII at offset \(offset)")
        }
        let space = UInt8(ascii: " ")
        var start = 0
        while start < bytes.count, bytes[start] == space { start += 1 }
        guard start < bytes.count else {
            return .malformed(code: "bearer.header-empty", reason: "the Authorization field is empty")
        }
        var schemeEnd = start
        while schemeEnd < bytes.count, bytes[schemeEnd] != space { schemeEnd += 1 }
        // Another scheme (Basic, DPoP, …) carries no bearer credentials (RFC 6750 §3.1); schemes are matched
        // case-insensitively (RFC 9110 §11.1).
        guard Self.isBearer(bytes[start..<schemeEnd]) else { return .absent }
        var tokenStart = schemeEnd
        while tokenStart < bytes.count, bytes[tokenStart] == space { tokenStart += 1 }
        var tokenEnd = bytes.count
        while tokenEnd > tokenStart, bytes[tokenEnd - 1] == space { tokenEnd -= 1 }
        guard tokenStart < tokenEnd else {
            return .malformed(
                code: "bearer.token-missing", reason: "the Authorization field says Bearer but has no token")
        }
        // RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
        var bodyEnd = tokenEnd
        while bodyEnd > tokenStart, bytes[bodyEnd - 1] == UInt8(ascii: "=") { bodyEnd -= 1 }
        if let bad = bytes[tokenStart..<bodyEnd].firstIndex(where: { !Self.isB64TokenByte($0) }) {
            return .malformed(
                code: "bearer.token-syntax",
                reason:
                    "the bearer token has '\(Character(Unicode.Scalar(bytes[bad])))' at character \(bad - tokenStart), outside RFC 6750's b64token"
            )
        }
        guard bodyEnd > tokenStart else {
            return .malformed(code: "bearer.token-syntax", reason: "the bearer token is only '=' padding")
        }
        return .token(String(decoding: bytes[tokenStart..<tokenEnd], as: UTF8.self))
    }

    /// `bearer` in any case.
    static func isBearer(_ scheme: ArraySlice<UInt8>) -> Bool {
        guard scheme.count == 6 else { return false }
        return zip(scheme, "bearer".utf8).allSatisfy { $0 | 0x20 == $1 }
    }

    /// A byte of RFC 6750's b64token (ALPHA, DIGIT, `-`, `.`, `_`, `~`, `+`, `/`).
    static func isB64TokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"),
            UInt8(ascii: "/"):
            true
        default: false
        }
    }
}
