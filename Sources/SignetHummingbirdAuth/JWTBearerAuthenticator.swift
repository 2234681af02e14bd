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
    public var keys: BearerKeySource { verification.keys }
    /// Scopes every token must carry (empty: none).
    public var requiredScopes: Set<String> { verification.requiredScopes }
    /// Records each token's (`sub`, `jti`) until it expires, refusing a second use; `nil`: no replay check.
    public var replayGuard: (any ReplayGuard)? { verification.replayGuard }
    /// The realm named in challenges, if any.
    public var realm: String? { verification.realm }
    /// Whether a request without bearer credentials is refused here (`401`) rather than passed on.
    public var isRequired: Bool { verification.isRequired }
    /// The longest `Authorization` header read (default 8 KiB); a longer one is `400 invalid_request` unread.
    public var maximumHeaderBytes: Int { verification.maximumHeaderBytes }
    /// The verification itself, which does not depend on `Context` (so it runs as concrete code, not through
    /// generic value witnesses).
    let verification: BearerVerification
    let logger: Logger
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
        self.verification = BearerVerification(
            keys: keys, requiredScopes: requiredScopes, replayGuard: replayGuard, realm: realm, isRequired: isRequired,
            maximumHeaderBytes: maximumHeaderBytes, clock: clock)
        self.logger = logger
        self.outcomes = Outcomes()
    }

    /// Verifies the request's bearer token (see the type's documentation).
    ///
    /// - Returns: The verified bearer, or `nil` for a request without bearer credentials when not ``isRequired``.
    /// - Throws: ``BearerAuthenticationError`` with the RFC 6750 answer.
    public func authenticate(request: Request, context: Context) async throws -> VerifiedBearer? {
        let start = ContinuousClock.now
        do {
            let verified = try await verifiedBearer(in: request.headers)
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

    /// The bearer credentials in `headers` verified as the middleware verifies them (without its metrics and log
    /// line): for a server that is not a Hummingbird router, or a WebSocket upgrade.
    ///
    /// The token is read in place from the header field and verified on `JWSVerifier`'s zero-allocation path, its
    /// payload decoded into a temporary buffer (on the stack for a payload under 1 KiB); required scopes are checked
    /// on the verified view. What allocates is the ``VerifiedBearer`` kept afterwards: its payload copy and its
    /// strings longer than 15 bytes.
    ///
    /// - Parameter headers: The request's header fields.
    /// - Returns: The verified bearer, or `nil` for no bearer credentials when not ``isRequired``.
    /// - Throws: ``BearerAuthenticationError`` with the RFC 6750 answer.
    public func verifiedBearer(in headers: HTTPFields) async throws(BearerAuthenticationError) -> VerifiedBearer? {
        try await verification.verifiedBearer(in: headers)
    }
}

/// The bearer verification behind ``JWTBearerAuthenticator``, apart from its request context type.
struct BearerVerification: Sendable {
    let keys: BearerKeySource
    let requiredScopes: Set<String>
    let replayGuard: (any ReplayGuard)?
    let realm: String?
    let isRequired: Bool
    let maximumHeaderBytes: Int
    let clock: @Sendable () -> NumericDate

    /// See ``JWTBearerAuthenticator/verifiedBearer(in:)``.
    func verifiedBearer(in headers: HTTPFields) async throws(BearerAuthenticationError) -> VerifiedBearer? {
        let bearer: VerifiedBearer
        switch try firstPass(headers) {
        case .anonymous: return nil
        case .verified(let verified): bearer = verified
        case .remote(let field, let range, let remote): bearer = try await remoteBearer(field, range, remote)
        }
        if let replayGuard { try await claimOnce(bearer, replayGuard) }
        return bearer
    }

    /// What the synchronous part settled: no credentials, a bearer verified over fixed keys, or a token for the
    /// remote set.
    enum FirstPass {
        case anonymous
        case verified(VerifiedBearer)
        case remote(field: String, range: Range<Int>, RemoteVerifier)
    }

    /// Reads the credentials and, over fixed keys, verifies them. Synchronous and never inlined into the async
    /// caller, whose frame (allocated per call from the task's allocator, from malloc once it outgrows the task's
    /// first slab) then holds little more than the bearer.
    @inline(never)
    func firstPass(_ headers: HTTPFields) throws(BearerAuthenticationError) -> FirstPass {
        guard let (field, range) = try credentials(in: headers) else { return .anonymous }
        switch keys.storage {
        case .fixed(let verifier): return .verified(try settled(attempt(field, range, with: verifier)))
        case .remote(let remote): return .remote(field: field, range: range, remote)
        }
    }

    /// The token's place in its `Authorization` field; `nil` for no bearer credentials when not ``isRequired``.
    func credentials(in headers: HTTPFields) throws(BearerAuthenticationError) -> (String, Range<Int>)? {
        switch BearerCredentials.read(headers, maximumBytes: maximumHeaderBytes) {
        case .absent:
            guard isRequired else { return nil }
            throw BearerAuthenticationError(
                .unauthorized, nil, signetCode: "bearer.missing", reason: "no bearer token", realm: realm)
        case .malformed(let code, let reason):
            throw BearerAuthenticationError(
                .badRequest, .invalidRequest, signetCode: code, reason: reason, realm: realm)
        case .token(let field, let range):
            return (field, range)
        }
    }

    /// The token verified over the remote set's current keys, the set re-fetched once for an unknown `kid`.
    @inline(never)
    func remoteBearer(
        _ field: String, _ range: Range<Int>, _ remote: RemoteVerifier
    ) async throws(BearerAuthenticationError) -> VerifiedBearer {
        let verifier = try await currentVerifier(remote)
        let first = attempt(field, range, with: verifier)
        guard case .refused(let error) = first, error.code == .kidUnknown else { return try settled(first) }
        // A key the set did not have when last fetched: ask the set once (within its cooldown).
        guard let kid = Self.unverifiedKeyID(field, range), await remote.refetch(forKeyID: kid),
            let refreshed = try? await remote.current()
        else { throw invalid(error) }
        return try settled(attempt(field, range, with: refreshed))
    }

    /// How one verification came out (the remote path tells an unknown `kid` from the other refusals).
    enum Attempt {
        case verified(VerifiedBearer)
        case refused(JWSError)
        case lacksScopes([String])
    }

    /// Verifies the token `field[range]` with `verifier` on the zero-allocation path, checks the required scopes on
    /// the verified view, and only then copies out the bearer. Never inlined into the async callers: its temporary
    /// buffers (and the verifier's, up to 1 KiB for a header) stay on the thread's stack instead of growing their
    /// task allocation.
    @inline(never)
    func attempt(_ field: String, _ range: Range<Int>, with verifier: JWSVerifier) -> Attempt {
        let needed = unsafe verifier.scratchByteCount(for: field.utf8Span.span.extracting(range).bytes)
        return unsafe withUnsafeTemporaryAllocation(byteCount: max(needed, 1), alignment: 8) { buffer -> Attempt in
            var scratch = unsafe MutableRawSpan(_unsafeBytes: buffer)
            do throws(JWSError) {
                let view = try unsafe verifier.verify(field.utf8Span.span.extracting(range).bytes, scratch: &scratch)
                if let missing = missingScopes(in: view) { return .lacksScopes(missing) }
                return .verified(VerifiedBearer(view))
            } catch {
                return .refused(error)
            }
        }
    }

    /// The outcome as the bearer or the RFC 6750 refusal.
    func settled(_ attempt: Attempt) throws(BearerAuthenticationError) -> VerifiedBearer {
        switch attempt {
        case .verified(let bearer):
            return bearer
        case .refused(let error):
            throw invalid(error)
        case .lacksScopes(let missing):
            throw BearerAuthenticationError(
                .forbidden, .insufficientScope, signetCode: "bearer.insufficient-scope",
                reason: "the token lacks the scope(s) \(missing.joined(separator: " "))", realm: realm,
                requiredScopes: requiredScopes.sorted())
        }
    }

    /// The required scopes the verified token lacks, sorted; `nil` when it has them all. A plain `scope` string is
    /// read in place; an escaped one or an `scp` array is decided on the parsed payload.
    func missingScopes(in view: borrowing VerifiedClaimsView) -> [String]? {
        guard !requiredScopes.isEmpty else { return nil }
        if let raw = view.rawValue(ofClaim: "scope"), let missing = BearerScopes.missing(requiredScopes, in: raw) {
            return missing.isEmpty ? nil : missing
        }
        let object: JSONObject
        if case .object(let o)? = try? StrictJSON.parse(view.payload) {
            object = o
        } else {
            object = JSONObject(members: [])
        }
        let missing = requiredScopes.subtracting(BearerScopes.all(in: object))
        return missing.isEmpty ? nil : missing.sorted()
    }

    /// The remote set's current verifier, or the refusal when its keys cannot be had or none is usable.
    func currentVerifier(_ remote: RemoteVerifier) async throws(BearerAuthenticationError) -> JWSVerifier {
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
        return verifier
    }

    /// Claims (`sub`, `jti`) until `exp` with the replay guard; a second use is `invalid_token`.
    @inline(never)
    func claimOnce(_ bearer: VerifiedBearer, _ replayGuard: any ReplayGuard) async throws(BearerAuthenticationError) {
        guard let jti = bearer.id, let expiry = bearer.expiresAt else {
            throw BearerAuthenticationError(
                .unauthorized, .invalidToken, signetCode: "bearer.replay-claims-missing",
                reason: "the token needs jti and exp to be checked for replay", realm: realm)
        }
        let now = clock().seconds
        do {
            let claim = try await replayGuard.claim(
                subject: bearer.subject ?? "", jti: jti, until: max(expiry.seconds, now + 1), now: now)
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

    /// The `kid` of an unverified token's header, only to ask the JWK set for it (nothing else is read).
    static func unverifiedKeyID(_ field: String, _ range: Range<Int>) -> String? {
        let token = Array(field.utf8.dropFirst(range.lowerBound).prefix(range.count))
        guard let dot = token.firstIndex(of: UInt8(ascii: ".")),
            let header = try? Base64URL.decode(Array(token[..<dot])),
            case .object(let object) = try? StrictJSON.parse(header),
            case .string(let kid)? = object["kid"]
        else { return nil }
        return kid
    }
}

/// Scopes as RFC 8693 §4.2 (`scope`, space-separated) and common practice (`scp`, an array) carry them.
enum BearerScopes {
    /// `scope` split on spaces, or the strings of an `scp` array.
    static func all(in payload: JSONObject) -> Set<String> {
        if case .string(let scope)? = payload["scope"] {
            return Set(scope.split(separator: " ").map(String.init))
        }
        if case .array(let items)? = payload["scp"] {
            return Set(items.compactMap { if case .string(let s) = $0 { s } else { nil } })
        }
        return []
    }

    /// The members of `required` that the JSON text `raw` (a `scope` claim's value) lacks, sorted, read in place;
    /// `nil` when `raw` is not a string without escapes (then the caller parses).
    ///
    /// - Allocation: none unless a scope is missing.
    static func missing(_ required: Set<String>, in raw: RawSpan) -> [String]? {
        unsafe raw.withUnsafeBytes { (text) -> [String]? in
            let quote = UInt8(ascii: "\"")
            let space = UInt8(ascii: " ")
            guard text.count >= 2, unsafe text[0] == quote, unsafe text[text.count - 1] == quote,
                unsafe !text[1..<(text.count - 1)].contains(UInt8(ascii: "\\"))
            else { return nil }
            var missing: [String] = []
            for scope in required {
                var found = false
                var start = 1
                while !found, start < text.count - 1 {
                    var end = start
                    while unsafe end < text.count - 1 && text[end] != space { end += 1 }
                    found =
                        unsafe end > start
                        && UnsafeRawBufferPointer(rebasing: text[start..<end]).elementsEqual(scope.utf8)
                    start = end + 1
                }
                if !found { missing.append(scope) }
            }
            return missing.isEmpty ? missing : missing.sorted()
        }
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
    /// The token: the UTF-8 offsets `range` of the field's value `field` (read in place, not copied).
    case token(field: String, range: Range<Int>)

    /// Reads `headers` (at most `maximumBytes` of the field), byte by byte in place: the field is ASCII or refused.
    static func read(_ headers: HTTPFields, maximumBytes: Int) -> BearerCredentials {
        var found: String?
        var count = 0
        for field in headers where field.name == .authorization {
            if found == nil { found = field.value }
            count += 1
        }
        guard let value = found else { return .absent }
        guard count == 1 else {
            return .malformed(
                code: "bearer.header-repeated", reason: "the request has \(count) Authorization fields; send one")
        }
        let bytes = value.utf8Span.span
        guard bytes.count <= maximumBytes else {
            return .malformed(
                code: "bearer.header-too-large",
                reason: "the Authorization field is \(bytes.count) bytes; at most \(maximumBytes) are read")
        }
        for offset in 0..<bytes.count where bytes[offset] < 0x20 || bytes[offset] > 0x7E {
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
        guard Self.isBearer(bytes.extracting(start..<schemeEnd)) else { return .absent }
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
        for bad in tokenStart..<bodyEnd where !Self.isB64TokenByte(bytes[bad]) {
            return .malformed(
                code: "bearer.token-syntax",
                reason:
                    "the bearer token has '\(Character(Unicode.Scalar(bytes[bad])))' at character \(bad - tokenStart), outside RFC 6750's b64token"
            )
        }
        guard bodyEnd > tokenStart else {
            return .malformed(code: "bearer.token-syntax", reason: "the bearer token is only '=' padding")
        }
        return .token(field: value, range: tokenStart..<tokenEnd)
    }

    /// `bearer` in any case.
    static func isBearer(_ scheme: Span<UInt8>) -> Bool {
        guard scheme.count == 6 else { return false }
        var i = 0
        for expected in "bearer".utf8 {
            guard scheme[i] | 0x20 == expected else { return false }
            i += 1
        }
        return true
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
