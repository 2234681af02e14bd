// SPDX-License-Identifier: Apache-2.0

import JWS
import SignetKeys

/// An NHS England API Management environment (its OAuth2 token URL is `https://<host>/oauth2/token`).
public enum APIMEnvironment: String, Sendable, CaseIterable {
    /// `sandbox.api.service.nhs.uk`
    case sandbox
    /// `int.api.service.nhs.uk` (integration testing)
    case integration = "int"
    /// `api.service.nhs.uk` (production)
    case production = "prod"
    /// `internal-dev.api.service.nhs.uk`
    case internalDev = "internal-dev"
    /// `dev.api.service.nhs.uk`
    case dev
    /// `dep.api.service.nhs.uk`
    case dep

    /// The environment's host name.
    public var host: String {
        switch self {
        case .sandbox: "sandbox.api.service.nhs.uk"
        case .integration: "int.api.service.nhs.uk"
        case .production: "api.service.nhs.uk"
        case .internalDev: "internal-dev.api.service.nhs.uk"
        case .dev: "dev.api.service.nhs.uk"
        case .dep: "dep.api.service.nhs.uk"
        }
    }

    /// The token endpoint, which is also the exact `aud` APIM requires (NHS-RULES rule 10).
    public var tokenURL: String { "https://\(host)/oauth2/token" }
}

/// The rules an authorisation server applies to a client assertion, used to mint one it accepts.
public struct ClientAssertionProfile: Sendable, Equatable {
    /// Which family of rules a profile follows.
    public enum Kind: String, Sendable, CaseIterable {
        /// NHS England API Management (``ClientAssertionProfile/apim(_:)``).
        case apim
        /// NHS CIS2 `private_key_jwt` (``ClientAssertionProfile/cis2(tokenEndpoint:)``).
        case cis2
        /// Generic RFC 7523 (``ClientAssertionProfile/rfc7523(audience:maximumLifetime:)``).
        case rfc7523
        /// FAPI `private_key_jwt` (``ClientAssertionProfile/fapi(tokenEndpoint:maximumLifetime:)``).
        case fapi
    }

    /// The family of rules, from ``name``.
    public var kind: Kind { Kind(rawValue: name) ?? .rfc7523 }

    /// A short name: `apim`, `cis2`, `rfc7523` or `fapi`.
    public let name: String
    /// The exact `aud` value.
    public let audience: String
    /// Algorithms the server accepts.
    public let allowedAlgorithms: [JWSAlgorithm]
    /// The algorithm used when none is asked for (with a key of its family).
    public let defaultAlgorithm: JWSAlgorithm
    /// The longest `exp - now` the server accepts, in seconds.
    public let maximumLifetime: Int
    /// Whether the header must carry a `kid`.
    public let requiresKeyID: Bool
    /// The `typ` header value.
    public let type: String?

    /// NHS England APIM signed-JWT authentication: RS512 only, `typ: JWT`, `kid` required, `iss = sub = API key`,
    /// `aud` = the environment's token URL, `exp` at most 300 s ahead (NHS-RULES §B–C).
    public static func apim(_ environment: APIMEnvironment) -> ClientAssertionProfile {
        ClientAssertionProfile(
            name: "apim", audience: environment.tokenURL, allowedAlgorithms: [.rs512], defaultAlgorithm: .rs512,
            maximumLifetime: 300, requiresKeyID: true, type: "JWT")
    }

    /// NHS CIS2 `private_key_jwt`: `iss = sub = client_id`, `aud` = the discovery document's `token_endpoint`
    /// **verbatim** (it carries `:443`; never normalise it), RS256 or RS512 as registered, `kid` required (§F).
    ///
    /// - Parameter tokenEndpoint: The `token_endpoint` value from CIS2's discovery document, byte for byte.
    public static func cis2(tokenEndpoint: String) -> ClientAssertionProfile {
        ClientAssertionProfile(
            name: "cis2", audience: tokenEndpoint, allowedAlgorithms: [.rs256, .rs512], defaultAlgorithm: .rs512,
            maximumLifetime: 300, requiresKeyID: true, type: "JWT")
    }

    /// Generic RFC 7523 §2.2 client authentication.
    ///
    /// - Parameters:
    ///   - audience: The authorisation server's token endpoint (or its issuer identifier).
    ///   - maximumLifetime: The longest lifetime to allow (default 300 s).
    public static func rfc7523(audience: String, maximumLifetime: Int = 300) -> ClientAssertionProfile {
        ClientAssertionProfile(
            name: "rfc7523", audience: audience, allowedAlgorithms: JWSAlgorithm.all, defaultAlgorithm: .rs256,
            maximumLifetime: maximumLifetime, requiresKeyID: false, type: "JWT")
    }

    /// FAPI client authentication with `private_key_jwt` (FAPI 1.0 Advanced §5.2.2, FAPI 2.0 Security Profile
    /// §5.4; UK Open Banking): PS256 or ES256 only (never RS256: FAPI forbids PKCS#1 v1.5), `aud` = the token
    /// endpoint, a short `exp` (at most 60 s ahead by default), `kid` required, `typ: JWT`.
    ///
    /// - Parameters:
    ///   - tokenEndpoint: The authorisation server's token endpoint, byte for byte.
    ///   - maximumLifetime: The longest lifetime to allow (default 60 s).
    public static func fapi(tokenEndpoint: String, maximumLifetime: Int = 60) -> ClientAssertionProfile {
        ClientAssertionProfile(
            name: "fapi", audience: tokenEndpoint, allowedAlgorithms: [.ps256, .es256], defaultAlgorithm: .ps256,
            maximumLifetime: maximumLifetime, requiresKeyID: true, type: "JWT")
    }

    /// The algorithm a minter uses with `key` when none is asked for: ``defaultAlgorithm`` when the key can sign
    /// it, else the first allowed algorithm it can sign, else `nil`.
    ///
    /// - Parameter key: The signing key.
    public func algorithm(for key: JWSSigningKey) -> JWSAlgorithm? {
        let canSign = key.publicKey.canVerify
        return canSign(defaultAlgorithm) ? defaultAlgorithm : allowedAlgorithms.first(where: canSign)
    }
}
