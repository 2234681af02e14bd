// SPDX-License-Identifier: Apache-2.0

import ClientAssertion
import JWS
import ReplayGuard
import SignetKeys

/// APIM's `POST /oauth2/token` for signed-JWT authentication: `client_credentials` with a client assertion, and the
/// CIS2 id_token → APIM token exchange. It applies APIM's checks in APIM's order (NHS-RULES §I) and answers with
/// APIM's status codes, `error` values and exact `error_description` strings (§J).
///
/// The order, each step switchable by ``APIMCheck``:
/// 1. `Content-Type` exactly `application/x-www-form-urlencoded` (415);
/// 2. the form: `grant_type` present and known, `client_assertion_type`, then for token exchange the routing on
///    `grant_type` and `subject_token_type`;
/// 3. `client_assertion` present and decodable;
/// 4. APIM's JavaScript claim checks: alg → expired → kid → typ → exp missing → exp type → iss/sub → jti missing →
///    jti type → **jti reuse** → exp more than 310 s ahead;
/// 5. `sub` is a known API key (401), a JWKS is registered (403) and reachable (403);
/// 6. `VerifyJWT`: `aud` (401), `kid` lookup (401), signature (401);
/// 7. token exchange only: the `subject_token` (§G) against the CIS2 issuer and JWKS.
///
/// Like APIM, the `jti` is burned at step 4, before the signature is checked (rule 13): a replayed token is refused
/// even when its first use failed later. A request that does not parse burns nothing.
///
/// Answers where APIM's own behaviour is not documented (a body that is not a valid form: repeated fields, bad
/// escapes, invalid UTF-8) are `400 invalid_request` in APIM's shape with a description that says what is wrong.
public final class APIMTokenEndpoint: Sendable {
    /// The exact media type APIM accepts (rule 20).
    public static let contentType = "application/x-www-form-urlencoded"

    let applications: [String: KeySource]
    let audience: @Sendable () -> String
    let checks: EmulatorConfiguration.Checks
    let replayGuard: any ReplayGuard
    let replaySkew: Int64
    let accessTokenLifetime: Int
    let refreshTokenLifetime: Int
    let cis2Issuer: @Sendable () -> String
    let cis2Keys: KeySource

    /// Creates the endpoint.
    ///
    /// - Parameters:
    ///   - applications: Each application's API key and where its JWKS comes from.
    ///   - audience: The `aud` demanded (the token URL).
    ///   - cis2Issuer: The issuer an exchanged id_token must carry, exactly.
    ///   - cis2Keys: The CIS2 JWKS.
    ///   - replayGuard: Where used `(sub, jti)` pairs are recorded.
    ///   - configuration: Lifetimes, the replay skew and the check switches.
    init(
        applications: [String: KeySource], audience: @escaping @Sendable () -> String,
        cis2Issuer: @escaping @Sendable () -> String, cis2Keys: KeySource,
        replayGuard: any ReplayGuard, configuration: EmulatorConfiguration
    ) {
        self.applications = applications
        self.audience = audience
        self.checks = configuration.checks
        self.replayGuard = replayGuard
        self.replaySkew = Int64(configuration.replay.skewSeconds)
        self.accessTokenLifetime = configuration.apim.accessTokenLifetime
        self.refreshTokenLifetime = configuration.apim.refreshTokenLifetime
        self.cis2Issuer = cis2Issuer
        self.cis2Keys = cis2Keys
    }

    /// Answers one token request.
    ///
    /// - Parameters:
    ///   - contentType: The request's `Content-Type` header, as sent.
    ///   - body: The request body (already bounded by the server's cap).
    ///   - now: The current time, seconds since the epoch.
    /// - Returns: APIM's answer.
    public func respond(contentType: String?, body: [UInt8], now: Int64) async -> EndpointResponse {
        typealias E = NHSEndpointMessages
        if checks.isOn(.contentType), contentType != Self.contentType {
            return .apimError(415, "invalid_request", E.contentTypeInvalid)
        }
        let form: ParsedForm
        switch FormReading.read(body) {
        case .success(let f): form = f
        case .failure(let response): return response
        }
        let grant = form["grant_type"]?.value
        let subjectTokenType = form["subject_token_type"]?.value
        let exchange = TokenRequestForm.tokenExchangeGrantType
        if checks.isOn(.grantType) {
            guard let grant else { return .apimError(400, "invalid_request", E.grantTypeMissing) }
            if grant != "client_credentials" && grant != exchange && subjectTokenType != TokenRequestForm.idTokenType {
                return .apimError(400, "unsupported_grant_type", E.grantTypeInvalid)
            }
        }
        if checks.isOn(.clientAssertionType),
            form["client_assertion_type"]?.value != TokenRequestForm.jwtBearerAssertionType
        {
            return .apimError(400, "invalid_request", E.clientAssertionTypeInvalid)
        }
        let isExchange = grant == exchange
        if checks.isOn(.subjectTokenType) {
            if !isExchange && subjectTokenType == TokenRequestForm.idTokenType {
                return .apimError(400, "invalid_request", E.grantTypeInvalid)
            }
            if isExchange && subjectTokenType != TokenRequestForm.idTokenType {
                return .apimError(400, "invalid_request", E.subjectTokenTypeInvalid)
            }
        }
        guard let assertionText = form["client_assertion"]?.value else {
            return .apimError(400, "invalid_request", E.clientAssertionMissing)
        }
        guard let assertion = UnverifiedJWT(assertionText) else {
            return .apimError(400, "invalid_request", E.assertionMalformed)
        }
        if let refusal = await checkClaims(assertion, now: now) { return refusal }
        if let refusal = await verify(assertion) { return refusal }
        if isExchange {
            if checks.isOn(.subjectToken), let refusal = await checkSubjectToken(form["subject_token"]?.value, now: now)
            {
                return refusal
            }
            return success(exchange: true, now: now)
        }
        return success(exchange: false, now: now)
    }

    /// Step 4: APIM's JavaScript checks on the unverified claims, in its order, with the `jti` burned before the
    /// last one (NHS-RULES rules 4–16, §I).
    private func checkClaims(_ jwt: UnverifiedJWT, now: Int64) async -> EndpointResponse? {
        typealias E = NHSEndpointMessages
        let header = jwt.header
        let claims = jwt.claims
        if checks.isOn(.alg), header["alg"]?.stringValue != "RS512" {
            return .apimError(400, "invalid_request", E.assertionAlg)
        }
        let exp = claims["exp"]
        let expValue = exp?.numberValue?.doubleValue
        if checks.isOn(.expired), let expValue, Double(now) > expValue {
            return .apimError(400, "invalid_request", E.assertionExpired)
        }
        if checks.isOn(.kid), !UnverifiedJWT.isTruthy(header["kid"]) {
            return .apimError(400, "invalid_request", E.assertionKidMissing)
        }
        if checks.isOn(.typ), header["typ"]?.stringValue?.lowercased() != "jwt" {
            return .apimError(400, "invalid_request", E.assertionTyp)
        }
        if checks.isOn(.expMissing), !UnverifiedJWT.isTruthy(exp) {
            return .apimError(400, "invalid_request", E.assertionExpMissing)
        }
        if checks.isOn(.expType), exp != nil, expValue == nil {
            return .apimError(400, "invalid_request", E.assertionExpNotInteger)
        }
        let sub = claims["sub"]?.stringValue
        if checks.isOn(.issSub), sub == nil || claims["iss"]?.stringValue != sub {
            return .apimError(400, "invalid_request", E.assertionIssSub)
        }
        let jti = claims["jti"]
        if checks.isOn(.jtiMissing), !UnverifiedJWT.isTruthy(jti) {
            return .apimError(400, "invalid_request", E.assertionJtiMissing)
        }
        if checks.isOn(.jtiType), jti != nil, jti?.stringValue == nil {
            return .apimError(400, "invalid_request", E.assertionJtiNotString)
        }
        if checks.isOn(.jtiReplay), let jtiText = jti?.stringValue {
            // The store holds fields up to a limit: a longer one is the client's fault (400), never the store's (500).
            let limit = ReplayGuardLimits.defaultMaximumFieldLength
            if jtiText.utf8.count > limit { return .apimError(400, "invalid_request", E.assertionJtiNotString) }
            if (sub ?? "").utf8.count > limit { return .apimError(400, "invalid_request", E.assertionIssSubInvalid) }
            // Remembered until exp + skew, and no longer than an accepted token can live: an older token fails the
            // expiry check before it reaches this one, a later exp fails the next check.
            let longest = checks.isOn(.expTooFar) ? Self.longestLifetime : ReplayWindow.apimCacheSeconds
            let until = ReplayWindow.expiry(exp: expValue, now: now, longestLifetime: longest, skew: replaySkew)
            do throws(ReplayGuardError) {
                let claim = try await replayGuard.claim(subject: sub ?? "", jti: jtiText, until: until, now: now)
                if case .replay = claim {
                    return .apimError(400, "invalid_request", E.assertionJtiReused)
                }
            } catch {
                return Self.refusal(for: error)
            }
        }
        if checks.isOn(.expTooFar), let expValue, expValue - Double(now) > Double(Self.longestLifetime) {
            return .apimError(400, "invalid_request", E.assertionExpTooFar)
        }
        return nil
    }

    /// The longest `exp - now` APIM accepts: 5 minutes and 10 s of grace (rule 16).
    static let longestLifetime: Int64 = 310

    /// The answer when the replay guard cannot record a `jti`. An overloaded or unreachable store is the server's
    /// condition, answered as an overloaded APIM would be (503 with a retry hint), never a 500 that blames nothing.
    static func refusal(for error: ReplayGuardError) -> EndpointResponse {
        if isOverload(error) { return .temporarilyUnavailable() }
        switch error.code {
        case .invalidInput:
            return .apimError(400, "invalid_request", NHSEndpointMessages.assertionJtiNotString)
        default:
            return .unknownError()
        }
    }

    /// Whether the replay guard failed for the server's own condition (full, unreachable, too slow), which both
    /// realms answer with 503 and a retry hint.
    static func isOverload(_ error: ReplayGuardError) -> Bool {
        switch error.code {
        case .capacity, .storeUnavailable, .timeout: true
        default: false
        }
    }

    /// Steps 5–6: the API key, the JWKS, then `VerifyJWT` (aud, kid, signature).
    private func verify(_ jwt: UnverifiedJWT) async -> EndpointResponse? {
        typealias E = NHSEndpointMessages
        let sub = jwt.claims["sub"]?.stringValue ?? ""
        let source: KeySource
        if let app = applications[sub] {
            source = app
        } else if checks.isOn(.apiKey) {
            return .apimError(401, "invalid_request", E.assertionIssSubInvalid)
        } else {
            source = applications.values.first ?? .none
        }
        if checks.isOn(.aud), !Self.audience(jwt.claims["aud"], contains: audience()) {
            return .apimError(401, "invalid_request", E.assertionAud)
        }
        let kid = jwt.header["kid"]?.stringValue ?? ""
        let key: JWKSet.Key
        switch await source.lookup(kid) {
        case .notRegistered:
            return .apimError(403, "public_key error", E.publicKeyNotRegistered)
        case .unreachable:
            return .apimError(403, "public_key error", E.jwksUnreachable)
        case .unknownKeyID:
            guard !checks.isOn(.kidLookup) else { return .apimError(401, "invalid_request", E.assertionKidUnknown) }
            return checks.isOn(.signature) ? .apimError(401, "public_key error", E.signatureFailed) : nil
        case .key(let k):
            key = k
        }
        if checks.isOn(.signature), !key.verifies(jwt.signature, over: jwt.signingInput, algorithm: .rs512) {
            return .apimError(401, "public_key error", E.signatureFailed)
        }
        return nil
    }

    /// Step 7: the exchanged CIS2 id_token (NHS-RULES §G rules 33–36).
    private func checkSubjectToken(_ text: String?, now: Int64) async -> EndpointResponse? {
        typealias E = NHSEndpointMessages
        guard let text else { return .apimError(400, "invalid_request", E.subjectTokenMissing) }
        guard let jwt = UnverifiedJWT(text) else { return .apimError(400, "invalid_request", E.subjectTokenMalformed) }
        let header = jwt.header
        let claims = jwt.claims
        if !UnverifiedJWT.isTruthy(header["kid"]) { return .apimError(400, "invalid_request", E.subjectKidMissing) }
        if header["typ"]?.stringValue?.lowercased() != "jwt" { return .apimError(400, "invalid_request", E.subjectTyp) }
        if !UnverifiedJWT.isTruthy(header["alg"]) { return .apimError(400, "invalid_request", E.subjectAlgMissing) }
        let exp = claims["exp"]
        if !UnverifiedJWT.isTruthy(exp) { return .apimError(400, "invalid_request", E.subjectExpMissing) }
        guard let expValue = exp?.numberValue?.doubleValue else {
            return .apimError(400, "invalid_request", E.subjectExpNotInteger)
        }
        if Double(now) > expValue { return .apimError(400, "invalid_request", E.subjectExpired) }
        if !UnverifiedJWT.isTruthy(claims["iss"]) { return .apimError(400, "invalid_request", E.subjectIssMissing) }
        if !UnverifiedJWT.isTruthy(claims["aud"]) { return .apimError(401, "invalid_request", E.subjectAudMissing) }
        if claims["iss"]?.stringValue != cis2Issuer() {
            return .apimError(400, "invalid_request", E.subjectIssuerMismatch)
        }
        let kid = header["kid"]?.stringValue ?? ""
        switch await cis2Keys.lookup(kid) {
        case .notRegistered, .unreachable:
            return .unknownError()
        case .unknownKeyID:
            return .apimError(401, "invalid_request", E.subjectKidUnknown)
        case .key(let key):
            // APIM verifies id_tokens with RS256 or RS512 (rule 36).
            let algorithm = header["alg"]?.stringValue.flatMap { RSASignatureAlgorithm(jwsName: $0) }
            guard let algorithm, algorithm != .rs384,
                key.verifies(jwt.signature, over: jwt.signingInput, algorithm: algorithm)
            else { return .apimError(401, "public_key error", E.signatureFailed) }
            return nil
        }
    }

    private func success(exchange: Bool, now: Int64) -> EndpointResponse {
        var members: [(String, JSONValue)] = [
            ("access_token", .string(RandomToken.make(count: 28))),
            ("expires_in", .string(String(accessTokenLifetime))),
            ("token_type", .string("Bearer")),
            ("issued_at", .string(String(now * 1000))),
        ]
        if exchange {
            members += [
                ("issued_token_type", .string("urn:ietf:params:oauth:token-type:access_token")),
                ("refresh_token", .string(RandomToken.make(count: 32))),
                ("refresh_token_expires_in", .string(String(refreshTokenLifetime))),
                ("refresh_count", .string("0")),
            ]
        }
        return .json(200, members)
    }

    /// `aud` as APIM's `VerifyJWT` reads it: the string, or an array of strings that contains it.
    static func audience(_ value: JSONValue?, contains expected: String) -> Bool {
        switch value {
        case .string(let s)?: s == expected
        case .array(let items)?: items.contains { $0.stringValue == expected }
        default: false
        }
    }
}

extension EndpointResponse {
    /// NHS-RULES E41: APIM's catch-all (also a CIS2 JWKS that cannot be reached).
    static func unknownError() -> Self {
        .apimError(500, "unknown_error", NHSEndpointMessages.unknownError)
    }

    /// The seconds a client is asked to wait by ``temporarilyUnavailable()``.
    static let retryAfterSeconds = 5

    /// 503 with `Retry-After`, in APIM's shape: the replay store is full or unreachable, so no `jti` can be
    /// recorded and no token issued; a retry a few seconds later may succeed (RFC 6749's `temporarily_unavailable`).
    /// - Parameter cis2: CIS2's error shape instead of APIM's.
    static func temporarilyUnavailable(cis2: Bool = false) -> Self {
        let why = "The service is temporarily unable to handle the request; retry after \(retryAfterSeconds) seconds"
        var response =
            cis2
            ? cis2Error(503, "temporarily_unavailable", why) : apimError(503, "temporarily_unavailable", why)
        response.headers.append(("Retry-After", String(retryAfterSeconds)))
        return response
    }
}

/// Reads a request body as a form, or answers why it is not one.
enum FormReading {
    static func read(_ body: [UInt8]) -> Result<ParsedForm, EndpointResponse> {
        guard let text = String(validating: body, as: UTF8.self) else {
            return .failure(.apimError(400, "invalid_request", "The request body is not valid UTF-8"))
        }
        do throws(FormParseError) {
            return .success(try ParsedForm(parsing: text))
        } catch {
            return .failure(.apimError(400, "invalid_request", "Malformed request body: \(error.reason)"))
        }
    }
}

extension EndpointResponse: Error {}
