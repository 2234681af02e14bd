// SPDX-License-Identifier: Apache-2.0

import ClientAssertion
import JWS
import ReplayGuard
import SignetKeys
import Synchronization

/// The CIS2 side of the emulator: one realm with `authorize`, `access_token` (authorisation code with
/// `private_key_jwt`), the OpenID discovery document and the JWKS of the key that signs its id_tokens.
///
/// `authorize` signs nobody in: it redirects at once with a one-time code, and the id_token carries the user claims
/// of the configuration. Any fault in a client assertion is answered as CIS2 answers it, `401`
/// `{"error_description":"JWT is not valid","error":"invalid_client"}`, whatever the cause (NHS-RULES rule 32).
public final class CIS2Realm: Sendable {
    /// ForgeRock AM's answer to an unknown, used or expired code.
    static let invalidGrant = "The provided access grant is invalid, expired, or revoked."

    struct Client: Sendable {
        let keys: KeySource
        let redirectURIs: [String]
        let algorithms: [RSASignatureAlgorithm]
    }

    struct Grant: Sendable {
        let clientID: String
        let redirectURI: String
        let nonce: String?
        let expires: Int64
    }

    let base: BaseURL
    let configuration: EmulatorConfiguration.CIS2
    let clients: [String: Client]
    let checks: EmulatorConfiguration.Checks
    let replayGuard: any ReplayGuard
    let replaySkew: Int64
    let signer: JWSSigner
    let signingKey: RSAPublicKey
    private let codes = Mutex<[String: Grant]>([:])

    init(
        base: BaseURL, configuration: EmulatorConfiguration, clients: [String: Client], signingKey: RSAPrivateKey,
        replayGuard: any ReplayGuard
    ) throws(ConfigurationError) {
        self.base = base
        self.configuration = configuration.cis2
        self.clients = clients
        self.checks = configuration.checks
        self.replayGuard = replayGuard
        self.replaySkew = Int64(configuration.replay.skewSeconds)
        do {
            self.signer = try JWSSigner(
                key: signingKey, algorithm: .rs256, keyID: configuration.cis2.signingKeyID, type: "JWT")
            self.signingKey = signingKey.publicKey
        } catch {
            throw ConfigurationError("the CIS2 signing key cannot sign: \(error)")
        }
    }

    /// The issuer: configured, or the base URL (with its explicit port, as CIS2 publishes `:443`) and the realm.
    public var issuer: String { configuration.issuer ?? base.value + configuration.realmPath }
    /// The token endpoint an assertion's `aud` must equal, byte for byte.
    public var tokenEndpoint: String { issuer + "/access_token" }
    /// The authorisation endpoint.
    public var authorizeEndpoint: String { issuer + "/authorize" }
    /// The JWKS URI.
    public var jwksURI: String { issuer + "/connect/jwk_uri" }

    /// The JWKS that verifies this realm's id_tokens.
    public var jwksDocument: String {
        JWKSet.document([(key: signingKey, keyID: configuration.signingKeyID, algorithm: .rs256)])
    }

    /// The key source APIM uses for this realm's id_tokens when no other CIS2 JWKS is configured.
    var keySource: KeySource {
        (try? JWKSet.parse(jwksDocument)).map { .fixed(FixedKeys($0)) } ?? .none
    }

    /// `GET …/.well-known/openid-configuration`.
    func discovery() -> EndpointResponse {
        .json(
            200,
            [
                ("issuer", .string(issuer)),
                ("authorization_endpoint", .string(authorizeEndpoint)),
                ("token_endpoint", .string(tokenEndpoint)),
                ("jwks_uri", .string(jwksURI)),
                ("response_types_supported", .array([.string("code")])),
                ("grant_types_supported", .array([.string("authorization_code")])),
                ("subject_types_supported", .array([.string("public")])),
                ("id_token_signing_alg_values_supported", .array([.string("RS256")])),
                ("token_endpoint_auth_methods_supported", .array([.string("private_key_jwt")])),
                (
                    "token_endpoint_auth_signing_alg_values_supported",
                    .array([.string("RS256"), .string("RS512")])
                ),
                ("scopes_supported", .array([.string("openid")])),
            ])
    }

    /// `GET …/connect/jwk_uri`.
    func jwks() -> EndpointResponse {
        EndpointResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array(jwksDocument.utf8))
    }

    /// `GET …/authorize`: redirects to the registered `redirect_uri` with a fresh one-time code, or answers 400
    /// (never redirecting to a URI that is not registered).
    func authorize(query: [String: String], now: Int64) -> EndpointResponse {
        guard let clientID = query["client_id"], let client = clients[clientID] else {
            return .cis2Error(400, "invalid_client", "Client authentication failed")
        }
        guard let redirect = query["redirect_uri"] ?? (client.redirectURIs.count == 1 ? client.redirectURIs[0] : nil),
            client.redirectURIs.contains(redirect)
        else {
            return .cis2Error(
                400, "invalid_request", "The redirection URI provided does not match a pre-registered value.")
        }
        var parameters: [(String, String)]
        if query["response_type"] != "code" {
            parameters = [("error", "unsupported_response_type")]
        } else if !(query["scope"] ?? "").split(separator: " ").contains("openid") {
            parameters = [("error", "invalid_scope")]
        } else {
            let code = RandomToken.make(count: 32)
            let grant = Grant(
                clientID: clientID, redirectURI: redirect, nonce: query["nonce"],
                expires: now + Int64(configuration.codeLifetime))
            codes.withLock { codes in
                codes = codes.filter { $0.value.expires >= now }
                codes[code] = grant
            }
            parameters = [("code", code)]
        }
        if let state = query["state"] { parameters.append(("state", state)) }
        let encoded = parameters.map { "\($0.0)=\(FormEncoding.encode($0.1))" }.joined(separator: "&")
        let location = redirect + (redirect.contains("?") ? "&" : "?") + encoded
        return EndpointResponse(status: 302, headers: [("Location", location)])
    }

    /// `POST …/access_token`: the authorisation code grant with a `private_key_jwt` client assertion.
    func accessToken(contentType: String?, body: [UInt8], now: Int64) async -> EndpointResponse {
        guard let contentType, contentType.lowercased().hasPrefix(APIMTokenEndpoint.contentType) else {
            return .cis2Error(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded")
        }
        let form: ParsedForm
        switch FormReading.read(body) {
        case .success(let f): form = f
        case .failure:
            return .cis2Error(400, "invalid_request", "The request body is not a valid form")
        }
        guard form["grant_type"]?.value == "authorization_code" else {
            return .cis2Error(400, "unsupported_grant_type", "Grant type is not supported")
        }
        guard let clientID = form["client_id"]?.value, let client = clients[clientID] else {
            return .cis2Error(401, "invalid_client", "Client authentication failed")
        }
        guard form["client_assertion_type"]?.value == TokenRequestForm.jwtBearerAssertionType,
            let assertion = form["client_assertion"]?.value.nonEmpty
        else {
            return .cis2Error(401, "invalid_client", NHSEndpointMessages.cis2JWTNotValid)
        }
        switch await assertionVerdict(assertion, clientID: clientID, client: client, now: now) {
        case .valid: break
        case .invalid: return .cis2Error(401, "invalid_client", NHSEndpointMessages.cis2JWTNotValid)
        case .storeUnavailable: return .temporarilyUnavailable(cis2: true)
        }
        guard let code = form["code"]?.value,
            let grant = codes.withLock({ $0.removeValue(forKey: code) }),
            grant.expires >= now, grant.clientID == clientID, grant.redirectURI == form["redirect_uri"]?.value
        else {
            return .cis2Error(400, "invalid_grant", Self.invalidGrant)
        }
        guard let idToken = try? mintIDToken(clientID: clientID, nonce: grant.nonce, now: now) else {
            return .cis2Error(500, "server_error", "The id_token could not be signed")
        }
        return .json(
            200,
            [
                ("access_token", .string(RandomToken.make(count: 27))),
                ("refresh_token", .string(RandomToken.make(count: 27))),
                ("scope", .string("openid")),
                ("id_token", .string(idToken)),
                ("token_type", .string("Bearer")),
                ("expires_in", .number(JSONNumber(Int64(configuration.accessTokenLifetime)))),
            ])
    }

    /// What the `private_key_jwt` checks found: the client's fault (said tersely, as CIS2 does), or a replay store
    /// that could not record the `jti` (the server's condition, never blamed on the client).
    enum AssertionVerdict {
        case valid, invalid, storeUnavailable
    }

    /// CIS2's `private_key_jwt` checks (NHS-RULES rules 29–32); which one failed is not said, as CIS2 does not.
    private func assertionVerdict(
        _ text: String, clientID: String, client: Client, now: Int64
    ) async -> AssertionVerdict {
        let valid = await assertionIsValid(text, clientID: clientID, client: client, now: now)
        switch valid {
        case .success(true): return .valid
        case .success(false): return .invalid
        case .failure(let error):
            return APIMTokenEndpoint.isOverload(error) ? .storeUnavailable : .invalid
        }
    }

    /// The checks themselves: `false` for the first that fails, the store's error if the `jti` could not be recorded.
    private func assertionIsValid(
        _ text: String, clientID: String, client: Client, now: Int64
    ) async -> Result<Bool, ReplayGuardError> {
        guard let jwt = UnverifiedJWT(text) else { return .success(false) }
        let algorithm = jwt.header["alg"]?.stringValue.flatMap { RSASignatureAlgorithm(jwsName: $0) }
        if checks.isOn(cis2: .alg) {
            guard let algorithm, client.algorithms.contains(algorithm) else { return .success(false) }
        }
        let claims = jwt.claims
        if checks.isOn(cis2: .issSub) {
            guard claims["iss"]?.stringValue == clientID, claims["sub"]?.stringValue == clientID else {
                return .success(false)
            }
        }
        if checks.isOn(cis2: .aud), !APIMTokenEndpoint.audience(claims["aud"], contains: tokenEndpoint) {
            return .success(false)
        }
        let exp = claims["exp"]?.numberValue?.doubleValue
        if checks.isOn(cis2: .exp) {
            guard let exp, Double(now) <= exp, exp - Double(now) <= Double(configuration.maximumAssertionLifetime)
            else { return .success(false) }
        }
        let kid = jwt.header["kid"]?.stringValue ?? ""
        let key: JWKSet.Key?
        switch await client.keys.lookup(kid) {
        case .key(let k): key = k
        default: key = nil
        }
        if checks.isOn(cis2: .kid), key == nil { return .success(false) }
        if checks.isOn(cis2: .signature) {
            guard let key, let algorithm, key.verifies(jwt.signature, over: jwt.signingInput, algorithm: algorithm)
            else { return .success(false) }
        }
        if checks.isOn(cis2: .jti) {
            guard let jti = claims["jti"]?.stringValue, !jti.isEmpty else { return .success(false) }
            let longest =
                checks.isOn(cis2: .exp)
                ? Int64(configuration.maximumAssertionLifetime) : ReplayWindow.apimCacheSeconds
            let until = ReplayWindow.expiry(exp: exp, now: now, longestLifetime: longest, skew: replaySkew)
            do throws(ReplayGuardError) {
                let claim = try await replayGuard.claim(subject: clientID, jti: jti, until: until, now: now)
                guard case .firstUse = claim else { return .success(false) }
            } catch {
                return .failure(error)
            }
        }
        return .success(true)
    }

    /// An id_token for the configured user, signed RS256 by the realm's key, as `access_token` issues it.
    ///
    /// - Parameters:
    ///   - clientID: The `aud` (and `azp`).
    ///   - nonce: The `nonce` of the authorisation request, if any.
    ///   - now: `iat` and `auth_time`; `exp` is `now` plus the configured lifetime.
    /// - Throws: `JWSError` `crypto.failure` when signing fails.
    public func mintIDToken(clientID: String, nonce: String?, now: Int64) throws(JWSError) -> String {
        var members: [JSONObject.Member] = [
            .init(name: "iss", value: .string(issuer)),
            .init(name: "sub", value: .string(configuration.user["sub"] ?? "555254242106")),
            .init(name: "aud", value: .string(clientID)),
            .init(name: "azp", value: .string(clientID)),
            .init(name: "exp", value: .number(JSONNumber(now + Int64(configuration.idTokenLifetime)))),
            .init(name: "iat", value: .number(JSONNumber(now))),
            .init(name: "auth_time", value: .number(JSONNumber(now))),
            .init(name: "tokenName", value: .string("id_token")),
            .init(name: "jti", value: .string(RandomToken.make(count: 24))),
        ]
        if let nonce { members.append(.init(name: "nonce", value: .string(nonce))) }
        for (name, value) in configuration.user.sorted(by: { $0.key < $1.key }) where name != "sub" {
            members.append(.init(name: name, value: .string(value)))
        }
        return try signer.token(payload: Array(JSONValue.object(JSONObject(members: members)).description.utf8))
    }
}

/// The base URL the server is reachable at, known once it listens (port 0 picks one).
final class BaseURL: Sendable {
    private let storage: Mutex<String>

    init(_ value: String) { storage = Mutex(value) }

    var value: String { storage.withLock { $0 } }

    func set(_ value: String) { storage.withLock { $0 = value } }
}

/// Percent-encoding for query and form values (RFC 3986 unreserved characters pass through).
enum FormEncoding {
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 15)])
            }
        }
        return out
    }
}

extension String {
    /// `nil` when empty.
    var nonEmpty: String? { isEmpty ? nil : self }
}
