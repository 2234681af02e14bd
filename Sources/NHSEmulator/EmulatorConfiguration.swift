// SPDX-License-Identifier: Apache-2.0

import ClientAssertion
import Foundation

/// Everything `signet serve` runs with: the APIM applications, the CIS2 clients, lifetimes, limits, the replay store
/// and a switch per check. Read from JSON (``load(json:)``) or any decoder's format (``decoded(_:)``; `signet serve` reads YAML); every member has a default, so a file names only
/// what differs. See the README for an example.
public struct EmulatorConfiguration: Sendable, Equatable {
    /// Address to listen on (default `127.0.0.1`: loopback only).
    public var host: String = "127.0.0.1"
    /// TCP port (0 picks a free one; the server reports the one it got).
    public var port: Int = 7523
    /// The base URL clients use to reach the server, when it differs from `http://host:port` (behind a proxy).
    public var publicBaseURL: String?
    /// The APIM side: `/oauth2/token`.
    public var apim = APIM()
    /// The CIS2 side: the realm's authorize, access_token, discovery and JWKS endpoints.
    public var cis2 = CIS2()
    /// Request limits.
    public var limits = Limits()
    /// The `jti` replay store.
    public var replay = Replay()
    /// Checks switched off by name (all are on by default), so that one failure can be reproduced at a time.
    public var checks = Checks()

    /// A configuration with every default.
    public init() {}

    /// APIM's token endpoint.
    public struct APIM: Sendable, Equatable {
        /// The applications it knows.
        public var applications: [Application] = []
        /// The environment whose real token URL is the `aud` demanded (`int`, `sandbox`, `prod`, …); `nil`: the
        /// emulator's own token URL.
        public var environment: APIMEnvironment?
        /// An explicit `aud` to demand (wins over ``environment``).
        public var audience: String?
        /// `expires_in` of an access token, seconds (APIM: 599).
        public var accessTokenLifetime: Int = 599
        /// `refresh_token_expires_in` on token exchange, seconds (APIM: 43199).
        public var refreshTokenLifetime: Int = 43_199
        /// Seconds a client JWKS fetched by URL is cached (APIM: 3600).
        public var jwksCacheSeconds: Int = 3600
        /// Whether an unknown `kid` re-fetches a client JWKS URL (APIM: no).
        public var jwksRefetchOnUnknownKeyID: Bool = false
        /// The CIS2 issuer an exchanged id_token must carry; `nil`: this emulator's CIS2 issuer.
        public var cis2Issuer: String?
        /// The CIS2 JWKS that signs exchanged id_tokens, by file or URL; `nil`: this emulator's CIS2 key.
        public var cis2JWKS: String?
        /// Seconds the CIS2 JWKS is cached (APIM: 86400), re-fetched on an unknown `kid`.
        public var cis2JWKSCacheSeconds: Int = 86_400

        /// Defaults.
        public init() {}
    }

    /// One APIM application.
    public struct Application: Sendable, Equatable {
        /// A name for logs.
        public var name: String?
        /// The API key (the assertion's `iss` and `sub`).
        public var apiKey: String
        /// The JWKS, as a file path or an `https://` URL; `nil`: none registered (403 on use).
        public var jwks: String?

        /// An application.
        public init(name: String? = nil, apiKey: String, jwks: String?) {
            self.name = name
            self.apiKey = apiKey
            self.jwks = jwks
        }
    }

    /// The CIS2 realm.
    public struct CIS2: Sendable, Equatable {
        /// The realm path (NHS-RULES §A).
        public var realmPath: String = "/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare"
        /// The issuer published and put in id_tokens; `nil`: the base URL with an explicit port and the realm path
        /// (CIS2 publishes `:443`, rule 3).
        public var issuer: String?
        /// The registered clients.
        public var clients: [Client] = []
        /// The signed-in user's claims put in every id_token (`sub` included).
        public var user: [String: String] = [
            "sub": "555254242106", "name": "Signet Emulator User", "authentication_assurance_level": "3",
        ]
        /// id_token lifetime in seconds.
        public var idTokenLifetime: Int = 300
        /// Access token lifetime in seconds (`expires_in`, a number at CIS2).
        public var accessTokenLifetime: Int = 3599
        /// Seconds an authorisation code stays usable.
        public var codeLifetime: Int = 60
        /// PEM file of the RSA key that signs id_tokens; `nil`: a fresh RSA-2048 key per start.
        public var signingKey: String?
        /// The `kid` of that key.
        public var signingKeyID: String = "signet-emulator-cis2"
        /// Most seconds an assertion's `exp` may be ahead (an assumption: CIS2 does not publish its limit).
        public var maximumAssertionLifetime: Int = 310

        /// Defaults.
        public init() {}
    }

    /// One CIS2 relying party registered for `private_key_jwt`.
    public struct Client: Sendable, Equatable {
        /// The client id (`NNNN.apps.supplier`).
        public var clientID: String
        /// Redirect URIs, compared byte for byte.
        public var redirectURIs: [String]
        /// The client's JWKS, as a file path or URL.
        public var jwks: String
        /// The algorithms registered for its assertions (RS256, RS512).
        public var algorithms: [String] = ["RS256", "RS512"]

        /// A client.
        public init(clientID: String, redirectURIs: [String], jwks: String, algorithms: [String] = ["RS256", "RS512"]) {
            self.clientID = clientID
            self.redirectURIs = redirectURIs
            self.jwks = jwks
            self.algorithms = algorithms
        }
    }

    /// Limits on what the server reads.
    public struct Limits: Sendable, Equatable {
        /// Largest request body accepted, bytes (larger: 413).
        public var maxBodyBytes: Int = 64 * 1024
        /// Seconds allowed from a request's head to its last body byte (slower: the connection is closed).
        public var bodyTimeoutSeconds: Int = 10
        /// Seconds an idle connection stays open.
        public var idleTimeoutSeconds: Int = 30

        /// Defaults.
        public init() {}
    }

    /// The replay store.
    public struct Replay: Sendable, Equatable {
        /// `memory` (default) or `postgres`.
        public var store: String = "memory"
        /// The PostgreSQL URL when ``store`` is `postgres`.
        public var postgresURL: String?
        /// Most live entries the in-memory store keeps (beyond: requests fail closed).
        public var capacity: Int = 1_000_000
        /// Seconds a `jti` is remembered past its `exp`.
        public var skewSeconds: Int = 60
        /// Seconds one PostgreSQL statement (a claim, the table's creation at start) may take before the request
        /// fails closed (`503`).
        public var timeoutSeconds: Int = 10

        /// Defaults.
        public init() {}
    }

    /// Checks switched off, by name (``APIMCheck`` and ``CIS2Check`` raw values).
    public struct Checks: Sendable, Equatable, Decodable {
        /// APIM checks that are off.
        public var apimOff: Set<APIMCheck> = []
        /// CIS2 checks that are off.
        public var cis2Off: Set<CIS2Check> = []

        /// All checks on.
        public init() {}

        /// Whether an APIM check runs.
        public func isOn(_ check: APIMCheck) -> Bool { !apimOff.contains(check) }
        /// Whether a CIS2 check runs.
        public func isOn(cis2 check: CIS2Check) -> Bool { !cis2Off.contains(check) }

        /// Reads `{apim: {jtiReplay: false, …}, cis2: {aud: false, …}}`; an unknown name is an error that lists
        /// the known ones.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: DynamicKey.self)
            if let apim = try c.decodeIfPresent([String: Bool].self, forKey: DynamicKey("apim")) {
                for (name, on) in apim where !on {
                    guard let check = APIMCheck(rawValue: name) else {
                        throw ConfigurationError(
                            "unknown APIM check '\(name)'; known: \(APIMCheck.allCases.map(\.rawValue).joined(separator: ", "))"
                        )
                    }
                    apimOff.insert(check)
                }
            }
            if let cis2 = try c.decodeIfPresent([String: Bool].self, forKey: DynamicKey("cis2")) {
                for (name, on) in cis2 where !on {
                    guard let check = CIS2Check(rawValue: name) else {
                        throw ConfigurationError(
                            "unknown CIS2 check '\(name)'; known: \(CIS2Check.allCases.map(\.rawValue).joined(separator: ", "))"
                        )
                    }
                    cis2Off.insert(check)
                }
            }
            for key in c.allKeys where key.stringValue != "apim" && key.stringValue != "cis2" {
                throw ConfigurationError("unknown key 'checks.\(key.stringValue)'; use checks.apim or checks.cis2")
            }
        }
    }

    /// Reads a configuration from JSON.
    ///
    /// - Throws: ``ConfigurationError`` naming what is wrong.
    public static func load(json text: String) throws(ConfigurationError) -> EmulatorConfiguration {
        try decoded { try JSONDecoder().decode(EmulatorConfiguration.self, from: Data(text.utf8)) }
    }

    /// Runs a decoder of any format and turns its failure into a ``ConfigurationError`` that names the path at
    /// fault: how `signet serve` reads YAML (`try EmulatorConfiguration.decoded { try YAMLDecoder().decode(…) }`)
    /// without this module depending on a YAML parser.
    ///
    /// - Parameter decode: Decodes the configuration (`YAMLDecoder`, `JSONDecoder`, …).
    /// - Throws: ``ConfigurationError`` naming what is wrong.
    public static func decoded(
        _ decode: () throws -> EmulatorConfiguration
    ) throws(ConfigurationError) -> EmulatorConfiguration {
        do {
            return try decode()
        } catch let error as ConfigurationError {
            throw error
        } catch let error where configurationError(in: error) != nil {
            throw configurationError(in: error) ?? ConfigurationError("\(error)")
        } catch let DecodingError.keyNotFound(key, context) {
            throw ConfigurationError("missing '\(Self.path(context.codingPath + [key]))'")
        } catch let DecodingError.typeMismatch(_, context) {
            throw ConfigurationError("wrong type at '\(Self.path(context.codingPath))': \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            throw ConfigurationError("invalid value at '\(Self.path(context.codingPath))': \(context.debugDescription)")
        } catch {
            throw ConfigurationError("not a valid configuration: \(error)")
        }
    }

    /// The ``ConfigurationError`` a decoder wrapped (YAML decoders report an error thrown while decoding as corrupt
    /// data).
    private static func configurationError(in error: any Error) -> ConfigurationError? {
        if let error = error as? ConfigurationError { return error }
        if case DecodingError.dataCorrupted(let context) = error, let inner = context.underlyingError {
            return configurationError(in: inner)
        }
        return nil
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

/// A configuration that cannot be used, with a one-line reason.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable code. Spellings never change; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable spelling.
        public let rawValue: String
        /// Internal: the set of codes is closed (other modules read codes, never invent them).
        init(rawValue: String) { self.rawValue = rawValue }

        /// The configuration (file, options or the values they name: keys, JWKS) cannot be used.
        public static let invalid = Code(rawValue: "emulator.configuration-invalid")

        /// The stable spelling.
        public var description: String { rawValue }
    }

    /// What kind of failure.
    public let code: Code
    /// What is wrong, in one line.
    public let reason: String

    /// Creates the error.
    public init(_ reason: String) {
        self.code = .invalid
        self.reason = reason
    }

    /// Compares the code only, as every Signet error does.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, matching `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// `ConfigurationError.emulator.configuration-invalid: <reason>`.
    public var description: String { "ConfigurationError.\(code.rawValue): \(reason)" }
}

/// The APIM checks, in the order APIM makes them (NHS-RULES §I); each can be switched off in the configuration.
public enum APIMCheck: String, Sendable, CaseIterable, Decodable {
    /// Rule 20: the exact Content-Type.
    case contentType
    /// `grant_type` present and known.
    case grantType
    /// Rule 21–22: `client_assertion_type`.
    case clientAssertionType
    /// Rule 22: `subject_token_type` on token exchange.
    case subjectTokenType
    /// Rule 4: `alg` is RS512.
    case alg
    /// Rule 15: not expired.
    case expired
    /// Rule 5: `kid` present.
    case kid
    /// Rule 6: `typ` is JWT.
    case typ
    /// Rule 14: `exp` present.
    case expMissing
    /// Rule 14: `exp` a number.
    case expType
    /// Rule 8: `iss` = `sub`.
    case issSub
    /// Rule 12: `jti` present.
    case jtiMissing
    /// Rule 12: `jti` a string.
    case jtiType
    /// Rule 13: `jti` not seen before.
    case jtiReplay
    /// Rule 16: `exp` at most 310 s ahead.
    case expTooFar
    /// Rule 9: `sub` is a known API key.
    case apiKey
    /// Rule 11: `aud` is the token URL.
    case aud
    /// Rule 5: `kid` names a key of the application's JWKS.
    case kidLookup
    /// The signature verifies.
    case signature
    /// §G: the exchanged id_token's checks.
    case subjectToken
}

/// The CIS2 `private_key_jwt` checks; any failure is CIS2's terse `invalid_client` / `JWT is not valid`.
public enum CIS2Check: String, Sendable, CaseIterable, Decodable {
    /// `alg` is one the client registered.
    case alg
    /// `kid` names a key of the client's JWKS.
    case kid
    /// The signature verifies.
    case signature
    /// `iss` = `sub` = the client id.
    case issSub
    /// `aud` is the token endpoint, byte for byte (`:443` included).
    case aud
    /// `exp` present, not expired, not too far ahead.
    case exp
    /// `jti` present and not seen before.
    case jti
}

struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension APIMEnvironment: Decodable {}

extension EmulatorConfiguration {
    /// The configuration with every relative file path (JWKS files, the CIS2 signing key) taken relative to
    /// `directory`, as a configuration file's paths are read relative to the file; URLs and absolute paths unchanged.
    ///
    /// - Parameter directory: The directory of the configuration file.
    public func resolvingPaths(relativeTo directory: String) -> EmulatorConfiguration {
        func resolve(_ path: String?) -> String? {
            guard let path, !path.hasPrefix("/"), !path.hasPrefix("https://"), !path.hasPrefix("http://") else {
                return path
            }
            return directory.hasSuffix("/") ? directory + path : directory + "/" + path
        }
        var copy = self
        copy.apim.applications = apim.applications.map { app in
            var app = app
            app.jwks = resolve(app.jwks)
            return app
        }
        copy.apim.cis2JWKS = resolve(apim.cis2JWKS)
        copy.cis2.clients = cis2.clients.map { client in
            var client = client
            client.jwks = resolve(client.jwks) ?? client.jwks
            return client
        }
        copy.cis2.signingKey = resolve(cis2.signingKey)
        return copy
    }
}
