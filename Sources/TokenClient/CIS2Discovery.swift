// SPDX-License-Identifier: Apache-2.0

import AsyncHTTPClient
import ClientAssertion
import JWS
import Logging
import NIOCore
import NIOHTTP1
import NetworkSupport
import Synchronization

/// A CIS2 realm's OpenID Connect discovery document, fetched once and cached: the source of the `token_endpoint`
/// that a CIS2 client assertion's `aud` must equal byte for byte (`:443` included, as CIS2 publishes it).
public final class CIS2Discovery: Sendable {
    /// The members of the document a token client uses.
    public struct Document: Sendable, Equatable {
        /// `issuer`: equal to the realm URL the document was fetched from (OpenID Connect Discovery §4.3).
        public let issuer: String
        /// `token_endpoint`, verbatim.
        public let tokenEndpoint: String
        /// `authorization_endpoint`, if published.
        public let authorizationEndpoint: String?
        /// `jwks_uri`, if published.
        public let jwksURI: String?
    }

    /// The realm (the issuer), without the `/.well-known/openid-configuration` suffix.
    public let issuer: String
    /// How long a document is reused.
    public let timeToLive: Duration

    private let httpClient: HTTPClient
    private let requestTimeout: Duration
    private let now: @Sendable () -> Duration
    private let cache = Mutex<(document: Document, fetchedAt: Duration)?>(nil)

    /// Creates a discovery client; nothing is fetched until ``document()``.
    ///
    /// - Parameters:
    ///   - issuer: The CIS2 realm URL (e.g. `https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk:443/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare`).
    ///   - timeToLive: How long a document is reused (24 h by default).
    ///   - requestTimeout: The longest the fetch may take.
    ///   - httpClient: The HTTP client (by default one that never follows redirects).
    ///   - clock: The clock the cache age is measured on.
    public init(
        issuer: String, timeToLive: Duration = .seconds(86_400), requestTimeout: Duration = .seconds(10),
        httpClient: HTTPClient = TokenEndpoint.sharedHTTPClient, clock: some Clock<Duration> = ContinuousClock()
    ) {
        self.issuer = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        self.timeToLive = timeToLive
        self.requestTimeout = requestTimeout
        self.httpClient = httpClient
        let start = clock.now
        self.now = { start.duration(to: clock.now) }
    }

    /// The discovery document, cached for ``timeToLive``.
    ///
    /// - Throws: `token-client.discovery` when the issuer is not https (or http to loopback), or the document
    ///   cannot be fetched within the request timeout (body included), is not JSON, has no string
    ///   `token_endpoint`, or names another issuer.
    public func document() async throws(TokenClientError) -> Document {
        let t = now()
        if let cached = cache.withLock({ $0 }), t - cached.fetchedAt < timeToLive { return cached.document }
        let document = try await fetch()
        cache.withLock { $0 = (document, t) }
        return document
    }

    /// A token endpoint for a CIS2 client: the assertion's `aud` and the URL requests go to are the discovered
    /// `token_endpoint`.
    ///
    /// - Parameters:
    ///   - key: The client's signing key (RS512 or RS256 per the CIS2 profile).
    ///   - keyID: The `kid` registered in the client's JWKS.
    ///   - clientID: The CIS2 client id (not an APIM API key).
    ///   - configuration: Timeouts, bounds and retries.
    ///   - registeredJWKS: The JWK set registered with CIS2 for the key, to diagnose refusals with.
    ///   - logger: Where the endpoint logs its requests.
    /// - Throws: `token-client.discovery`, or `token-client.mint` when the key does not suit the CIS2 profile.
    public func tokenEndpoint(
        key: JWSSigningKey, keyID: String, clientID: String,
        configuration: TokenEndpoint.Configuration = TokenEndpoint.Configuration(), registeredJWKS: String? = nil,
        logger: Logger = Logger(label: "signet.token-client")
    ) async throws(TokenClientError) -> TokenEndpoint {
        let document = try await document()
        let minter: ClientAssertionMinter
        do {
            minter = try ClientAssertionMinter(
                signingKey: key, keyID: keyID, clientID: clientID,
                profile: .cis2(tokenEndpoint: document.tokenEndpoint))
        } catch {
            throw TokenClientError(.mint, reason: error.reason, underlying: error)
        }
        return try TokenEndpoint(
            tokenURL: document.tokenEndpoint, minter: minter, configuration: configuration,
            registeredJWKS: registeredJWKS, httpClient: httpClient, logger: logger)
    }

    private func fetch() async throws(TokenClientError) -> Document {
        let url = issuer + "/.well-known/openid-configuration"
        guard url.lowercased().hasPrefix("https://") || LoopbackURL.isLoopback(url) else {
            throw TokenClientError(
                .discovery, reason: "\(issuer) is not https: the discovery document decides where codes are sent")
        }
        let body = try await download(url)
        guard let object = (try? StrictJSON.parse(body))?.objectValue else {
            throw TokenClientError(.discovery, reason: "\(url) did not answer a JSON object")
        }
        guard let tokenEndpoint = object["token_endpoint"]?.stringValue, !tokenEndpoint.isEmpty else {
            throw TokenClientError(.discovery, reason: "\(url) has no string \"token_endpoint\"")
        }
        let published = object["issuer"]?.stringValue
        guard published == issuer else {
            throw TokenClientError(
                .discovery,
                reason:
                    "\(url) names the issuer \(published.map { "\"\($0)\"" } ?? "nothing"), not \"\(issuer)\": configure the issuer exactly as CIS2 publishes it"
            )
        }
        guard tokenEndpoint.lowercased().hasPrefix("https://") || LoopbackURL.isLoopback(tokenEndpoint) else {
            throw TokenClientError(
                .discovery, reason: "\(url) names a token_endpoint that is not https: \(tokenEndpoint)")
        }
        return Document(
            issuer: issuer, tokenEndpoint: tokenEndpoint,
            authorizationEndpoint: object["authorization_endpoint"]?.stringValue,
            jwksURI: object["jwks_uri"]?.stringValue)
    }

    /// The document's text, the whole exchange bounded by the request timeout (a body trickled in byte by byte
    /// cannot hold it up).
    private func download(_ url: String) async throws(TokenClientError) -> String {
        let client = httpClient
        let limit = requestTimeout
        let fetch: @Sendable () async -> Result<String, TokenClientError> = {
            do {
                var request = HTTPClientRequest(url: url)
                request.headers.add(name: "Accept", value: "application/json")
                let response = try await client.execute(request, timeout: .init(limit))
                let bytes = try await response.body.collect(upTo: 256 * 1024)
                guard response.history.count <= 1 else {
                    return .failure(TokenClientError(.discovery, reason: "\(url) redirected; not followed"))
                }
                guard response.status.code == 200 else {
                    return .failure(TokenClientError(.discovery, reason: "\(url) answered \(response.status.code)"))
                }
                return .success(String(buffer: bytes))
            } catch {
                return .failure(
                    TokenClientError(.discovery, reason: "\(url) could not be fetched: \(error)", underlying: error))
            }
        }
        let outcome: Result<String, TokenClientError>
        switch await Deadline.run(timeout: limit, fetch) {
        case .success(let fetched): outcome = fetched
        case .failure(is DeadlineExceeded):
            outcome = .failure(TokenClientError(.discovery, reason: "\(url) did not answer within \(limit)"))
        case .failure:
            outcome = .failure(TokenClientError(.cancelled, reason: "cancelled while fetching \(url)"))
        }
        return try outcome.get()
    }
}
