// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import ClientAssertion
import CryptoEVP
import JWS

/// `signet mint`: one client assertion on stdout.
struct MintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mint",
        abstract: "Mint one RFC 7523 client assertion (compact JWT) on stdout.",
        discussion: """
            Examples:
              signet mint --key key.pem --kid prod-1 --client-id $API_KEY --profile apim --env int
              signet mint --key key.pem --kid k1 --client-id 1234.apps.supplier --profile cis2 \\
                --aud 'https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk:443/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare/access_token'
              signet mint --key key.pem --client-id my-client --aud https://as.example/token --alg RS256
            """)

    @Option(help: "Private key PEM (PKCS#8 or PKCS#1).") var key: String
    @Option(help: "The kid registered in the server's JWKS.") var kid: String?
    @Option(name: .customLong("client-id"), help: "Client id: iss and sub (APIM: the application's API key).")
    var clientID: String
    @Option(help: "Audience: the token endpoint, byte for byte (apim: defaults to the --env token URL).") var aud: String?
    @Option(help: "RS256 or RS512 (default: the profile's).") var alg: RSASignatureAlgorithm?
    @Option(help: "Seconds until exp (at most 300 for apim and cis2).") var lifetime: Int = 300
    @Option(help: "apim, cis2 or rfc7523.") var profile: String = "rfc7523"
    @Option(help: "APIM environment: sandbox, int, prod, internal-dev, dev, dep.") var env: String = "int"

    func run() throws {
        let profile: ClientAssertionProfile
        switch self.profile {
        case "apim":
            guard let environment = APIMEnvironment(rawValue: env) else {
                throw ValidationError("unknown APIM environment '\(env)'")
            }
            profile = .apim(environment)
            if let aud, aud != environment.tokenURL {
                throw ValidationError("APIM requires aud to be exactly \(environment.tokenURL), not \(aud)")
            }
        case "cis2":
            guard let aud else { throw ValidationError("--aud is required for cis2: the discovery token_endpoint, verbatim") }
            profile = .cis2(tokenEndpoint: aud)
        case "rfc7523":
            guard let aud else { throw ValidationError("--aud is required") }
            profile = .rfc7523(audience: aud)
        default:
            throw ValidationError("unknown profile '\(self.profile)'; use apim, cis2 or rfc7523")
        }
        let privateKey = try loadPrivateKey(key)
        do {
            let minter = try ClientAssertionMinter(
                key: privateKey, keyID: kid, clientID: clientID, profile: profile, algorithm: alg, lifetime: lifetime)
            print(try minter.mint())
        } catch let error as ClientAssertionError {
            throw ValidationError(error.reason)
        }
    }
}
