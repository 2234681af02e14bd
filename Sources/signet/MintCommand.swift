// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import ClientAssertion
import JWS
import SignetKeys

/// `signet mint`: one client assertion on stdout.
struct MintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mint",
        abstract: "Mint one RFC 7523 client assertion (compact JWT) on stdout, or the token-request body carrying it.",
        discussion: """
            Every run makes a fresh jti: mint once per HTTP attempt, retries included (APIM burns each jti).

            With --form GRANT the whole application/x-www-form-urlencoded body is printed instead of the bare JWT: \
            client_credentials, authorization_code (needs --code and --redirect-uri; client_id is --client-id) or \
            token-exchange (needs --subject-token, the CIS2 id_token, read like a token argument: itself, '-' for \
            stdin, @FILE, or the path of an existing file).

            The key is a PEM private key: PKCS#8 (PRIVATE KEY, or ENCRYPTED PRIVATE KEY with \
            --key-password-file or SIGNET_KEY_PASSWORD) or PKCS#1 (RSA PRIVATE KEY).

            Examples:
              signet mint --key key.pem --kid prod-1 --client-id "$API_KEY" --profile apim
              signet mint --key key.pem --kid k1 --client-id 1234.apps.supplier \\
                --profile cis2 --aud "$CIS2_TOKEN_URL"
              signet mint --key key.pem --client-id me --aud https://as.example/token
              signet mint --key key-encrypted.pem --key-password-file password.txt \\
                --kid prod-1 --client-id "$API_KEY" --profile apim --env int
              signet mint --key key.pem --kid prod-1 --client-id "$API_KEY" \\
                --profile apim --form client_credentials > body.txt
              signet mint --key key.pem --kid prod-1 --client-id "$API_KEY" \\
                --profile apim --form token-exchange --subject-token "$ID_TOKEN"
              signet mint --key ec.pem --kid fapi-1 --client-id my-client --profile fapi \\
                --aud https://as.example/token --alg ES256
            """)

    @Option(
        help: ArgumentHelp(
            "Private key PEM: RSA (PKCS#8 or PKCS#1), EC (PKCS#8 or SEC 1) or Ed25519 (PKCS#8); any PKCS#8 key may be "
                + "encrypted."))
    var key: String
    @OptionGroup var passwords: KeyPasswordOptions
    @Option(help: "The kid registered in the server's JWKS.") var kid: String?
    @Option(name: .customLong("client-id"), help: "Client id: iss and sub (APIM: the application's API key).")
    var clientID: String
    @Option(help: "Audience: the token endpoint, byte for byte (apim: defaults to the --env token URL).") var aud:
        String?
    @Option(
        help: "RS256…RS512, PS256…PS512, ES256…ES512 or EdDSA, as the key and profile allow (default: the profile's).")
    var alg: JWSAlgorithm?
    @Option(help: "Seconds until exp (default 300, at most 300 for apim and cis2; fapi: default and at most 60).")
    var lifetime: Int?
    @Option(help: "apim, cis2, rfc7523 or fapi.") var profile: ClientAssertionProfile.Kind = .rfc7523
    @Option(help: "APIM environment: sandbox, int, prod, internal-dev, dev, dep.") var env: APIMEnvironment =
        .integration
    @Option(help: "Print the token-request body instead: client_credentials, authorization_code or token-exchange.")
    var form: FormGrant?
    @Option(help: "The authorisation code (--form authorization_code).") var code: String?
    @Option(name: .customLong("redirect-uri"), help: "The redirect URI (--form authorization_code).") var redirectURI:
        String?
    @Option(
        name: .customLong("subject-token"),
        help: "The CIS2 id_token: itself, '-' for stdin, @FILE or a file's path (--form token-exchange).")
    var subjectToken: String?

    /// The token-request bodies `--form` can print.
    enum FormGrant: String, ExpressibleByArgument, CaseIterable {
        case clientCredentials = "client_credentials"
        case authorizationCode = "authorization_code"
        case tokenExchange = "token-exchange"
    }

    func validate() throws {
        switch form {
        case .authorizationCode?:
            guard code != nil, redirectURI != nil else {
                throw ValidationError("--form authorization_code needs --code and --redirect-uri")
            }
        case .tokenExchange?:
            guard subjectToken != nil else { throw ValidationError("--form token-exchange needs --subject-token") }
        case .clientCredentials?, nil: break
        }
        if form != .authorizationCode && (code != nil || redirectURI != nil) {
            throw ValidationError("--code and --redirect-uri go with --form authorization_code")
        }
        if form != .tokenExchange && subjectToken != nil {
            throw ValidationError("--subject-token goes with --form token-exchange")
        }
    }

    func run() throws {
        let profile: ClientAssertionProfile
        switch self.profile {
        case .apim:
            profile = .apim(env)
            if let aud, aud != env.tokenURL {
                throw ValidationError("APIM requires aud to be exactly \(env.tokenURL), not \(aud)")
            }
        case .cis2:
            guard let aud else {
                throw ValidationError("--aud is required for cis2: the discovery token_endpoint, verbatim")
            }
            profile = .cis2(tokenEndpoint: aud)
        case .rfc7523:
            guard let aud else { throw ValidationError("--aud is required") }
            profile = .rfc7523(audience: aud)
        case .fapi:
            guard let aud else { throw ValidationError("--aud is required for fapi: the token endpoint") }
            profile = .fapi(tokenEndpoint: aud)
        }
        let privateKey = try loadSigningKey(key, passwords: passwords)
        let assertion: String
        do throws(ClientAssertionError) {
            let minter = try ClientAssertionMinter(
                signingKey: privateKey, keyID: kid, clientID: clientID, profile: profile, algorithm: alg,
                lifetime: lifetime)
            assertion = try minter.mint()
        } catch {
            throw ValidationError(error.description)  // a usage error (64) that keeps its typed code
        }
        switch form {
        case nil: print(assertion)
        case .clientCredentials?: print(TokenRequestForm.clientCredentials(assertion: assertion).encoded)
        case .authorizationCode?:
            print(
                TokenRequestForm.authorizationCode(
                    code: code ?? "", redirectURI: redirectURI ?? "", clientID: clientID, assertion: assertion
                ).encoded)
        case .tokenExchange?:
            print(
                TokenRequestForm.tokenExchange(subjectToken: try readToken(subjectToken), assertion: assertion).encoded)
        }
    }
}
