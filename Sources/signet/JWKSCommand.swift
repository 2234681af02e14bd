// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import ClientAssertion
import JWS
import SignetRSA

/// `signet jwks`: the public JWKS for a key, on stdout.
struct JWKSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jwks",
        abstract: "Print the public JWKS for a key (private or public PEM) on stdout.",
        discussion: """
            Prints {"keys":[{"kty":"RSA","n":…,"e":…,"alg":…,"kid":…,"use":"sig"}]}: public members only, ready to
            publish (APIM: host it at an https URL with a path, or upload it to NHS England).
            Examples:
              signet jwks --key key.pem --kid prod-2025-01 > jwks.json
              signet jwks --key public.pem --kid k1 --alg RS256
            """)

    @Option(help: "The key: a private key PEM (PKCS#8 or PKCS#1) or a public key PEM.") var key: String
    @Option(help: "The kid to publish the key under.") var kid: String
    @Option(help: "The alg written in the JWKS: RS256, RS384 or RS512.") var alg: RSASignatureAlgorithm = .rs512

    func validate() throws {
        guard !kid.isEmpty else { throw ValidationError("--kid must not be empty") }
    }

    func run() throws {
        let publicKey = try loadPublicKey(key)
        print(JWKSet.document([(publicKey, kid, alg)]))
    }
}
