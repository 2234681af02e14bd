// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import ClientAssertion
import Foundation
import JWS
import SignetKeys

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `signet keygen`: a new key pair (RSA, EC or Ed25519, as `--alg` says), the private key as PKCS#8 PEM in a file
/// created with mode 0600.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract:
            "Generate a key pair for --alg (RSA, EC P-256/384/521 or Ed25519): PKCS#8 PEM private key (mode 0600) and, optionally, its public JWKS.",
        discussion: """
            The private key file is created with mode 0600 from the start and is never printed. An existing file \
            is not overwritten unless --force is given (then the new key replaces it atomically). NHS England uses \
            RSA-4096 with RS512. Nothing is written to stdout; a summary goes to stderr.

            --alg picks the key type: RS*/PS* an RSA key of --bits, ES256/ES384/ES512 an EC key on \
            P-256/P-384/P-521, EdDSA an Ed25519 key.

            To keep the key encrypted at rest, convert it with OpenSSL and give the password to the other commands \
            with --key-password-file or SIGNET_KEY_PASSWORD: openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem \
            -out key-encrypted.pem.

            Examples:
              signet keygen --bits 4096 --kid prod-2 --out new-key.pem --jwks new-jwks.json
              signet keygen --bits 2048 --kid test --out test.pem
              signet keygen --alg ES256 --kid fapi-2 --out ec2.pem --jwks ec2-jwks.json
            """)

    @Option(help: "RSA key size in bits: 2048, 3072 or 4096 (RS*/PS* only).") var bits: Int = 4096
    @Option(help: "The kid to publish the key under (written in the JWKS).") var kid: String
    @Option(help: "Where to write the private key (PKCS#8 PEM, mode 0600).") var out: String
    @Option(help: "Also write the public JWKS here.") var jwks: String?
    @Option(help: "The alg the key is for, written in the JWKS: RS256…RS512, PS256…PS512, ES256…ES512 or EdDSA.")
    var alg: JWSAlgorithm = .rs512
    @Flag(help: "Replace existing files.") var force = false

    func validate() throws {
        guard [2048, 3072, 4096].contains(bits) else { throw ValidationError("--bits must be 2048, 3072 or 4096") }
        guard !kid.isEmpty else { throw ValidationError("--kid must not be empty") }
        if let jwks, jwks == out { throw ValidationError("--jwks and --out must be different files") }
    }

    func run() throws {
        let key = try JWSSigningKey.generate(for: alg, rsaBits: bits)
        try unsafe key.withPKCS8PEM { pem in try unsafe writeFile(out, pem, mode: 0o600, force: force) }
        printError(
            "signet: wrote \(out): \(key.publicKey.keyDescription) private key, PKCS#8 PEM, mode 0600 (keep it secret)")
        if let jwks {
            let document = Array((JWKSet.document([(key.publicKey, kid, alg)]) + "\n").utf8)
            try unsafe document.withUnsafeBytes { try unsafe writeFile(jwks, $0, mode: 0o644, force: force) }
            printError("signet: wrote \(jwks): public JWKS, kid \"\(kid)\", alg \(alg)")
        }
    }
}

/// Why a file could not be written.
struct FileWriteError: Error, CustomStringConvertible {
    let description: String
}

/// Writes `bytes` to a new file at `path` created with `mode` (less the umask). Without `force`, an existing file is
/// an error; with it, the bytes go to a temporary file beside it (created 0600 by `mkstemp`) that then atomically
/// replaces `path`. Either way the file is never readable by others while it is being written.
func writeFile(_ path: String, _ bytes: UnsafeRawBufferPointer, mode: mode_t, force: Bool) throws {
    var temporaryPath: String? = nil
    let fd: Int32
    if force {
        var template = Array((path + ".tmp-XXXXXX").utf8CString)
        fd = unsafe mkstemp(&template)
        temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    } else {
        fd = unsafe open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode)
    }
    guard fd >= 0 else {
        let reason =
            errno == EEXIST ? "it already exists (use --force to replace it)" : unsafe String(cString: strerror(errno))
        printError("signet: cannot create \(path): \(reason)")
        throw ExitCode.failure
    }
    var failure: Int32 = 0
    if force {
        let mask = umask(0)
        umask(mask)
        if fchmod(fd, mode & ~mask) != 0 { failure = errno }
    }
    var written = 0
    while failure == 0, written < bytes.count, let base = bytes.baseAddress {
        let n = unsafe write(fd, base + written, bytes.count - written)
        if n > 0 {
            written += n
        } else if n < 0 && errno == EINTR {
            continue
        } else {
            failure = n < 0 ? errno : EIO
        }
    }
    if failure == 0 && fsync(fd) != 0 { failure = errno }
    close(fd)
    if failure == 0, let temporaryPath, unsafe rename(temporaryPath, path) != 0 { failure = errno }
    guard failure != 0 else { return }
    unsafe unlink(temporaryPath ?? path)
    printError("signet: cannot write \(path): \(unsafe String(cString: strerror(failure)))")
    throw ExitCode.failure
}
