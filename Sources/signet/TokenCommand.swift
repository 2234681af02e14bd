// SPDX-License-Identifier: Apache-2.0

// `signet serve` and `signet token` exist only with the Networking trait (the default).
#if Networking
import ArgumentParser
import ClientAssertion
import Foundation
import JWS
import Logging
import TokenClient
import Yams

/// `signet token`: a real token request, answered by APIM, CIS2 or a local `signet serve`.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Get an access token: mint a fresh assertion, send the token request, print the access token.",
        discussion: """
            The profile decides the assertion's aud; --token-url only decides where the request is sent, so a local \
            `signet serve --env int` stands in for INT with assertions minted for INT, unchanged. Every HTTP attempt \
            carries a fresh assertion and jti; connection failures, timeouts, 429 and 5xx are retried (--retries), \
            honouring Retry-After; any other 4xx is not.

            --profile apim (the default) sends client_credentials, or with --exchange the CIS2 id_token → APIM token \
            exchange; the id_token (itself, '-' for stdin, @FILE or a file's path) is checked first as APIM checks \
            it, and one APIM would refuse is not sent (its iss is compared with --cis2-issuer when given). \
            --profile cis2 exchanges an authorisation --code for tokens with private_key_jwt: the realm's discovery \
            document (--cis2-issuer) gives the token_endpoint that is both the aud and the URL.

            Prints the access token on stdout, or with --json the whole answer. When the endpoint refuses, exits 2 \
            and writes the NHS error string, its message_id and the doctor's findings on the exact assertion sent to \
            stderr (with --jwks, the registered JWKS, the doctor checks kid and signature too). Keys are never \
            printed or logged.

            --config FILE reads the options from a YAML or JSON mapping whose keys are the long option names \
            (key, kid, client-id, profile, env, token-url, cis2-issuer, jwks, timeout, retries, key-password-file); \
            options on the command line win. An unknown key is an error that names it.

            Examples:
              signet token --key key.pem --kid prod-1 --client-id "$API_KEY" --env int \\
                --token-url "$TOKEN_URL"
              signet token --key key.pem --kid prod-1 --client-id "$API_KEY" \\
                --token-url "$TOKEN_URL" --json
              signet token --config token.yaml --token-url "$TOKEN_URL"
            """)

    @Option(help: "A YAML or JSON file of these options (long names as keys).") var config: String?
    @Option(
        help: ArgumentHelp(
            "Private key PEM: RSA (PKCS#8 or PKCS#1), EC (PKCS#8 or SEC 1) or Ed25519 (PKCS#8); any PKCS#8 key may be "
                + "encrypted."))
    var key: String?
    @Option(
        name: .customLong("key-password-file"),
        help: "The password of an encrypted PKCS#8 key, in a file (or set SIGNET_KEY_PASSWORD).")
    var keyPasswordFile: String?
    @Option(help: "The kid registered in the JWKS.") var kid: String?
    @Option(name: .customLong("client-id"), help: "APIM: the application's API key; CIS2: the client id.")
    var clientID: String?
    @Option(help: "apim or cis2 (default apim).") var profile: ClientAssertionProfile.Kind?
    @Option(help: "APIM environment, which decides aud: sandbox, int, prod, internal-dev, dev, dep (default int).")
    var env: APIMEnvironment?
    @Option(
        name: .customLong("token-url"),
        help: "Send the request here instead (https, or http to loopback); aud stays the profile's.")
    var tokenURL: String?
    @Option(help: "APIM token exchange: the CIS2 id_token (itself, '-' for stdin, @FILE or a file's path).")
    var exchange: String?
    @Option(
        name: .customLong("cis2-issuer"),
        help: "The CIS2 realm URL: its discovery document (cis2), or the iss APIM trusts (--exchange).")
    var cis2Issuer: String?
    @Option(help: "CIS2: the authorisation code from the redirect.") var code: String?
    @Option(name: .customLong("redirect-uri"), help: "CIS2: the redirect URI of the authorisation request.")
    var redirectURI: String?
    @Option(help: "The JWKS registered for the key, a file: lets the doctor check kid and signature on refusal.")
    var jwks: String?
    @Option(help: "Seconds one HTTP attempt may take (default 10).") var timeout: Double?
    @Option(help: "Attempts after the first for transient failures (default 3).") var retries: Int?
    @Flag(help: "Print the whole answer as JSON instead of the access token.") var json = false
    @Flag(help: "Log each attempt on stderr (request id, status, retries; never a token or a key).")
    var verbose = false

    /// The options after `--config` is merged in.
    struct Settings {
        var key: String
        var keyPasswordFile: String?
        var kid: String?
        var clientID: String
        var profile: ClientAssertionProfile.Kind
        var env: APIMEnvironment
        var tokenURL: String?
        var cis2Issuer: String?
        var jwks: String?
        var timeout: Double
        var retries: Int
    }

    static let configKeys: Set<String> = [
        "key", "key-password-file", "kid", "client-id", "profile", "env", "token-url", "cis2-issuer", "jwks",
        "timeout", "retries",
    ]

    func settings() throws -> Settings {
        var file: [String: String] = [:]
        if let config {
            let text = try readText(config)
            let loaded: Any?
            do { loaded = try Yams.load(yaml: text) } catch {
                throw ValidationError("\(config): not YAML or JSON: \(error)")
            }
            guard let mapping = loaded as? [String: Any] else {
                throw ValidationError("\(config): expected a mapping of option names to values")
            }
            for (name, value) in mapping {
                guard Self.configKeys.contains(name) else {
                    throw ValidationError(
                        "\(config): unknown key '\(name)' (known: \(Self.configKeys.sorted().joined(separator: ", ")))")
                }
                file[name] = "\(value)"
            }
        }
        func pick<T>(_ cli: T?, _ name: String, _ parse: (String) -> T?) throws -> T? {
            if let cli { return cli }
            guard let text = file[name] else { return nil }
            guard let value = parse(text) else {
                throw ValidationError("\(config ?? ""): '\(name)' is not valid: \(text)")
            }
            return value
        }
        guard let key = try pick(key, "key", { $0 }) else { throw ValidationError("--key is required") }
        guard let clientID = try pick(clientID, "client-id", { $0 }) else {
            throw ValidationError("--client-id is required")
        }
        let profile = try pick(profile, "profile", ClientAssertionProfile.Kind.init(rawValue:)) ?? .apim
        guard profile == .apim || profile == .cis2 else {
            throw ValidationError("--profile must be apim or cis2 (signet token speaks NHS's flows)")
        }
        let timeout = try pick(timeout, "timeout", Double.init) ?? 10
        guard timeout > 0, timeout <= 600 else { throw ValidationError("--timeout must be in (0, 600] seconds") }
        let retries = try pick(retries, "retries", Int.init) ?? 3
        guard (0...10).contains(retries) else { throw ValidationError("--retries must be 0…10") }
        return Settings(
            key: key, keyPasswordFile: try pick(keyPasswordFile, "key-password-file", { $0 }),
            kid: try pick(kid, "kid", { $0 }), clientID: clientID, profile: profile,
            env: try pick(env, "env", APIMEnvironment.init(rawValue:)) ?? .integration,
            tokenURL: try pick(tokenURL, "token-url", { $0 }), cis2Issuer: try pick(cis2Issuer, "cis2-issuer", { $0 }),
            jwks: try pick(jwks, "jwks", { $0 }), timeout: timeout, retries: retries)
    }

    func run() async throws {
        let s = try settings()
        var passwords = try KeyPasswordOptions.parse([])
        passwords.keyPasswordFile = s.keyPasswordFile
        let signingKey = try loadSigningKey(s.key, passwords: passwords)
        let registered = try s.jwks.map(readText)
        var logger = Logger(label: "signet.token")
        logger.logLevel = verbose ? .debug : .critical
        let configuration = TokenEndpoint.Configuration(
            requestTimeout: .milliseconds(Int64(s.timeout * 1000)), retry: RetryPolicy(maxAttempts: s.retries + 1))
        let send: () async throws(TokenClientError) -> TokenResponse
        switch s.profile {
        case .cis2:
            guard let issuer = s.cis2Issuer, let code, let redirectURI else {
                throw ValidationError("--profile cis2 needs --cis2-issuer, --code and --redirect-uri")
            }
            guard let kid = s.kid else { throw ValidationError("--kid is required for cis2") }
            guard exchange == nil, s.tokenURL == nil else {
                throw ValidationError("--exchange and --token-url go with --profile apim (cis2's URL is discovered)")
            }
            let discovery = CIS2Discovery(issuer: issuer, requestTimeout: configuration.requestTimeout)
            send = { () async throws(TokenClientError) -> TokenResponse in
                let endpoint = try await discovery.tokenEndpoint(
                    key: signingKey, keyID: kid, clientID: s.clientID, configuration: configuration,
                    registeredJWKS: registered, logger: logger)
                return try await endpoint.authorizationCode(code: code, redirectURI: redirectURI)
            }
        default:
            guard code == nil, redirectURI == nil else {
                throw ValidationError("--code and --redirect-uri go with --profile cis2")
            }
            let minter: ClientAssertionMinter
            do throws(ClientAssertionError) {
                minter = try ClientAssertionMinter(
                    signingKey: signingKey, keyID: s.kid, clientID: s.clientID, profile: .apim(s.env))
            } catch {
                throw ValidationError(error.description)
            }
            let subjectToken = try exchange.map { try readToken($0) }
            let issuer = s.cis2Issuer
            let endpoint: TokenEndpoint
            do throws(TokenClientError) {
                endpoint = try TokenEndpoint(
                    tokenURL: s.tokenURL, minter: minter, configuration: configuration, registeredJWKS: registered,
                    logger: logger)
            } catch {
                throw ValidationError(error.description)
            }
            send = { () async throws(TokenClientError) -> TokenResponse in
                if let subjectToken {
                    return try await endpoint.tokenExchange(subjectToken: subjectToken, expectedIssuer: issuer)
                }
                return try await endpoint.clientCredentials()
            }
        }
        let response: TokenResponse
        do throws(TokenClientError) {
            response = try await send()
        } catch {
            Self.report(error)
            throw ExitCode(error.code == .refused || error.code == .requestInvalid ? 2 : 1)
        }
        print(json ? response.json : response.accessToken)
    }

    /// The error, the NHS string and `message_id`, and the doctor's findings, on stderr.
    static func report(_ error: TokenClientError) {
        printError("signet token: \(error)")
        if let nhs = error.nhsError {
            printError("  endpoint says: \"\(nhs)\"" + (error.refusal?.messageID.map { " (message_id \($0))" } ?? ""))
        }
        if error.attempts > 1 { printError("  after \(error.attempts) attempts") }
        for finding in error.findings { printError("  \(finding)") }
    }
}
#endif
