// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import ClientAssertion
import JWS
import SignetKeys

/// `signet jwks`: the public JWKS for a key, on stdout.
struct JWKSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jwks",
        abstract: "Print the public JWKS for a key (private or public PEM) on stdout.",
        discussion: """
            Prints {"keys": [{"kty": "RSA", "n", "e", "alg", "kid", "use": "sig"}]} (EC: "crv", "x", "y"; Ed25519: \
            "kty": "OKP", "crv": "Ed25519", "x"): public members only, ready to publish (APIM: host it at an https \
            URL with a path, or upload it to NHS England).

            The key may be a private key PEM (RSA, EC or Ed25519; PKCS#8, encrypted PKCS#8 with \
            --key-password-file or SIGNET_KEY_PASSWORD, or PKCS#1), a public key (PEM or DER) or an X.509 \
            certificate (PEM or DER).

            Examples:
              signet jwks --key key.pem --kid prod-2025-01 > published.json
              signet jwks --key public.pem --kid k1 --alg RS256
              signet jwks --key cert.der --kid k1
              signet jwks --key key-encrypted.pem --key-password-file password.txt --kid k1
              signet jwks --key ec.pem --kid fapi-1
            """)

    @Option(
        help:
            "The key: a private key PEM (RSA, EC or Ed25519), a public key (PEM or DER) or an X.509 certificate (PEM or DER)."
    )
    var key: String
    @OptionGroup var passwords: KeyPasswordOptions
    @Option(help: "The kid to publish the key under.") var kid: String
    @Option(
        help:
            "The alg written in the JWKS, of the key's family (default: RS512 for RSA, the curve's ES algorithm, EdDSA)."
    )
    var alg: JWSAlgorithm?

    func validate() throws {
        guard !kid.isEmpty else { throw ValidationError("--kid must not be empty") }
    }

    func run() throws {
        let publicKey = try loadVerificationKey(key, passwords: passwords)
        let algorithm = alg ?? JWSSigningKeyDefaults.algorithm(for: publicKey)
        guard publicKey.canVerify(algorithm) else {
            throw ValidationError("a \(publicKey.keyDescription) key cannot be published for \(algorithm)")
        }
        print(JWKSet.document([(publicKey, kid, algorithm)]))
    }
}
