// SPDX-License-Identifier: Apache-2.0
import AsyncHTTPClient
import ClientAssertion
import JWS
import Logging
import NIOCore
import NIOHTTP1
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
    ///   - httpClient: The HTTP client.
    ///   - clock: The clock the cache age is measured on.
    public init(
        issuer: String, timeToLive: Duration = .seconds(86_400), requestTimeout: Duration = .seconds(10),
        httpClient: HTTPClient = .shared, clock: some Clock<Duration> = ContinuousClock()
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
    /// - Throws: `token-client.discovery` when it cannot be fetched, is not JSON, has no string `token_endpoint`,
    ///   or names another issuer.
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
    ///   - logger: Where the endpoint logs its requests.
    /// - Throws: `token-client.discovery`, or `token-client.mint` when the key does not suit the CIS2 profile.
    public func tokenEndpoint(
        key: JWSSigningKey, keyID: String, clientID: String,
        configuration: TokenEndpoint.Configuration = TokenEndpoint.Configuration(),
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
            tokenURL: document.tokenEndpoint, minter: minter, configuration: configuration, httpClient: httpClient,
            logger: logger)
    }

    private func fetch() async throws(TokenClientError) -> Document {
        let url = issuer + "/.well-known/openid-configuration"
        let body: String
        do {
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "Accept", value: "application/json")
            let response = try await httpClient.execute(request, timeout: .init(requestTimeout))
            let bytes = try await response.body.collect(upTo: 256 * 1024)
            guard response.status.code == 200 else {
                throw TokenClientError(.discovery, reason: "\(url) answered \(response.status.code)")
            }
            body = String(buffer: bytes)
        } catch let error as TokenClientError {
            throw error
        } catch {
            throw TokenClientError(.discovery, reason: "\(url) could not be fetched: \(error)", underlying: error)
        }
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
        return Document(
            issuer: issuer, tokenEndpoint: tokenEndpoint,
            authorizationEndpoint: object["authorization_endpoint"]?.stringValue,
            jwksURI: object["jwks_uri"]?.stringValue)
    }
}
