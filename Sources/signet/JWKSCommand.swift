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
            Prints {"keys": [{"kty": "RSA", "n", "e", "alg", "kid", "use": "sig"}]}: public members only, ready to \
            publish (APIM: host it at an https URL with a path, or upload it to NHS England).

            The key may be a private key PEM (PKCS#8, encrypted PKCS#8 with --key-password-file or \
            SIGNET_KEY_PASSWORD, or PKCS#1), a public key (PEM or DER) or an X.509 certificate (PEM or DER).

            Examples:
              signet jwks --key key.pem --kid prod-2025-01 > published.json
              signet jwks --key public.pem --kid k1 --alg RS256
              signet jwks --key cert.der --kid k1
              signet jwks --key key-encrypted.pem --key-password-file password.txt --kid k1
            """)

    @Option(help: "The key: a private key PEM, a public key (PEM or DER) or an X.509 certificate (PEM or DER).")
    var key: String
    @OptionGroup var passwords: KeyPasswordOptions
    @Option(help: "The kid to publish the key under.") var kid: String
    @Option(help: "The alg written in the JWKS: RS256, RS384, RS512, PS256, PS384 or PS512.") var alg:
        RSASignatureAlgorithm = .rs512

    func validate() throws {
        guard !kid.isEmpty else { throw ValidationError("--kid must not be empty") }
    }

    func run() throws {
        let publicKey = try loadPublicKey(key, passwords: passwords)
        print(JWKSet.document([(publicKey, kid, alg)]))
    }
}
