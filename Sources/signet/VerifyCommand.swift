// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import Base64URL
import ClientAssertion
import JWS
import SignetKeys

/// `signet verify`: verify a JWT and print its claims.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a JWT (signature, then exp/nbf/iat, aud, iss) and print its verified claims as JSON.",
        discussion: """
            Keys come from a JWKS (each bound to its alg, or to --alg when it has none; an entry with only an x5c \
            certificate uses the certificate's key) or from one key file bound to --alg: a public key (PEM or DER), \
            an X.509 certificate (PEM or DER), or a private key PEM whose public half is used.

            --jwks takes a file or an https:// URL, fetched once within --jwks-timeout seconds (plain http:// is \
            refused unless the host is loopback). A JWKS that cannot be fetched exits with status 1 and its typed \
            code on stderr (RemoteJWKSError.remote-jwks.unreachable, .timeout, .not-https, .not-jwks, …).

            The token is the argument itself, '-' or nothing for stdin, @FILE for a file, or the path of an \
            existing file when the argument is not a compact JWS; trailing spaces, tabs and newlines of stdin or a \
            file are removed. --verbose says on stderr which was used.

            A rejected token exits with status 2 and the reason (JWSError: code, segment, byte offset) on stderr; a \
            file that cannot be read or a key that cannot be loaded exits with status 1 (the path, and the OS \
            reason or the key error's code). To learn everything that is wrong with a token, use `signet doctor`.

            Examples:
              signet verify --jwks jwks.json --iss "$API_KEY" "$TOKEN"
              signet verify --key public.pem --aud "$APIM_TOKEN_URL" token.jwt
              signet verify --key cert.pem --verbose @token.jwt
              signet verify --key key.pem --leeway 10 - < token.jwt
              signet verify --key key-encrypted.pem --key-password-file password.txt \\
                token.jwt
            """)

    @OptionGroup var jwksOptions: JWKSOptions
    @Option(help: "Public key (PEM or DER), X.509 certificate (PEM or DER), or private key PEM (its public half).")
    var key: String?
    @Option(help: "Required audience: aud must contain exactly this string.") var aud: String?
    @Option(help: "Required issuer: iss must be exactly this string.") var iss: String?
    @Option(help: "\"Now\" as seconds since the epoch (default: the system clock).") var now: Int64?
    @Option(help: "Clock-skew leeway in seconds for exp, nbf and iat.") var leeway: Double = 0
    @Option(
        help:
            "Algorithm for --key (default: RS512 for an RSA key, the curve's ES algorithm for EC, EdDSA for Ed25519), and for RSA JWKS keys without alg (default RS512)."
    )
    var alg: JWSAlgorithm?
    @OptionGroup var passwords: KeyPasswordOptions
    @Flag(help: "Say on stderr where the token was read from.") var verbose = false
    @Argument(help: tokenArgumentHelp) var token: String?

    func validate() throws {
        guard (jwksOptions.jwks == nil) != (key == nil) else {
            throw ValidationError("give exactly one of --jwks FILE|URL or --key PUBLIC.pem")
        }
        guard leeway >= 0 else { throw ValidationError("--leeway must not be negative") }
    }

    func run() async throws {
        let token = try readToken(self.token, verbose: verbose)
        let keys: [JWSVerificationKey]
        // RSA JWKS entries without alg, bound to RS512 because --alg was not given: named if the token's alg is
        // refused, with the way to allow it.
        var defaultedRSAKeyIDs: [String] = []
        if let jwks = jwksOptions.jwks {
            let set: JWKSet
            if jwksOptions.isURL {
                do throws(JWKSURLFailure) {
                    set = try await jwksOptions.fetch(jwks)
                } catch {
                    printError("signet: \(error)")
                    throw ExitCode.failure
                }
            } else {
                do {
                    set = try JWKSet.parse(try readText(jwks))
                } catch let error as JSONError {
                    printError("signet: \(jwks): \(error)")
                    throw ExitCode.failure
                }
            }
            keys = set.verificationKeys(defaultAlgorithm: alg ?? .rs512)
            if alg == nil {
                for entry in set.keys where entry.algorithmName == nil {
                    if case .rsa = entry.publicKey { defaultedRSAKeyIDs.append(entry.keyID ?? "(no kid)") }
                }
            }
            guard !keys.isEmpty else {
                printError("signet: \(jwks): no usable verification key")
                for issue in set.issues { printError("  \(issue)") }
                throw ExitCode.failure
            }
        } else if let key {
            // One key: bind it to the token's kid so that a kid in the header selects it. The kid is not trusted
            // for anything else; the algorithm is fixed by --alg before the token is read.
            let publicKey = try loadVerificationKey(key, passwords: passwords)
            let algorithm = alg ?? JWSSigningKeyDefaults.algorithm(for: publicKey)
            do {
                keys = [
                    try JWSVerificationKey(key: publicKey, algorithm: algorithm, keyID: Self.headerKeyID(token))
                ]
            } catch {
                throw ValidationError(error.reason)
            }
        } else {
            throw ValidationError("give --jwks or --key")
        }
        let clock = now.map { JWTClock.fixed(NumericDate($0)) } ?? .system
        let verifier: JWSVerifier
        do {
            verifier = try JWSVerifier(
                keys: keys, policy: JWTValidationPolicy(issuer: iss, audience: aud, leeway: leeway, clock: clock))
        } catch {
            printError("signet: \(error)")
            throw ExitCode.failure
        }
        do {
            let verified = try verifier.verify(token)
            print(JSONValue.object(verified.payloadObject).description)
        } catch {
            printError("signet: \(error)")
            if error.code == .algNotAllowed, !defaultedRSAKeyIDs.isEmpty,
                let tokenAlg = Self.headerAlgorithm(token), tokenAlg != "RS512",
                tokenAlg.hasPrefix("RS") || tokenAlg.hasPrefix("PS")
            {
                let kids = defaultedRSAKeyIDs.prefix(5).map { "\"\($0)\"" }.joined(separator: ", ")
                printError(
                    "signet: the JWKS's RSA key(s) \(kids) have no \"alg\", so they verify RS512 only (APIM's"
                        + " algorithm); give --alg \(tokenAlg) to verify this \(tokenAlg) token, or publish the key with"
                        + " \"alg\": \"\(tokenAlg)\"")
            }
            throw ExitCode(2)
        }
    }

    /// The header's `kid`, when the header decodes; `nil` otherwise (the verifier then reports the real problem).
    static func headerKeyID(_ token: String) -> String? { headerMember("kid", token) }

    /// The header's `alg`, when the header decodes (for a hint after the verifier has refused the token).
    static func headerAlgorithm(_ token: String) -> String? { headerMember("alg", token) }

    /// A string member of the token's header, when the header decodes.
    static func headerMember(_ name: String, _ token: String) -> String? {
        guard let header = token.split(separator: ".", omittingEmptySubsequences: false).first,
            let bytes = try? Base64URL.decode(String(header)),
            let value = try? StrictJSON.parse(bytes)
        else { return nil }
        return value.objectValue?[name]?.stringValue
    }
}
