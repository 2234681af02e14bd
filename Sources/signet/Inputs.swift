// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import Foundation
import SignetKeys

/// Reads a whole file, or exits with status 1 after naming the path and the operating system's reason
/// (`strerror`: "No such file or directory", "Permission denied", "Is a directory") on stderr.
func readFile(_ path: String) throws -> [UInt8] {
    func fail(_ code: Int32) -> ExitCode {
        printError("signet: cannot read '\(path)': \(String(cString: strerror(code)))")
        return ExitCode.failure
    }
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw fail(errno) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw fail(errno) }
    if info.st_mode & S_IFMT == S_IFDIR { throw fail(EISDIR) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n > 0 {
            bytes.append(contentsOf: chunk[..<n])
        } else if n == 0 {
            break
        } else if errno != EINTR {
            throw fail(errno)
        }
    }
    return bytes
}

/// Reads a whole file as UTF-8 text (see ``readFile(_:)`` for the errors).
func readText(_ path: String) throws -> String {
    String(decoding: try readFile(path), as: UTF8.self)
}

/// `bytes` without trailing ASCII whitespace (space, tab, CR, LF): what an editor or `echo` adds to a file.
func trimmingTrailingWhitespace(_ bytes: [UInt8]) -> [UInt8] {
    var end = bytes.count
    while end > 0, [0x20, 0x09, 0x0D, 0x0A].contains(bytes[end - 1]) { end -= 1 }
    return Array(bytes[..<end])
}

/// Whether `text` has the shape of a compact JWS: three base64url segments joined by two dots.
func looksLikeCompactJWS(_ text: String) -> Bool {
    var dots = 0
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "."): dots += 1
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            continue
        default: return false
        }
    }
    return dots == 2
}

/// The help text every token argument shares.
let tokenArgumentHelp = ArgumentHelp(
    "The token itself; '-' (or nothing) for stdin; @FILE for a file; or a path to an existing file when the "
        + "argument is not a compact JWS. Trailing spaces, tabs and newlines of stdin or a file are removed.",
    valueName: "token")

/// A token from an argument: stdin for `-` or none, the file after `@`, the argument itself when it has the shape of
/// a compact JWS, else the file it names if one exists, else the argument (the verifier then says what is wrong).
/// Trailing whitespace of stdin or a file is removed; a literal argument loses one trailing newline only. With
/// `verbose`, stderr says which source was used.
func readToken(_ argument: String?, verbose: Bool = false) throws -> String {
    func say(_ source: String, _ bytes: Int) {
        if verbose { printError("signet: token from \(source) (\(bytes) bytes)") }
    }
    guard let argument, argument != "-" else {
        let token = trimmingTrailingWhitespace(readStandardInput())
        say("standard input, trailing whitespace removed", token.count)
        return String(decoding: token, as: UTF8.self)
    }
    var path: String? = nil
    if argument.hasPrefix("@") {
        path = String(argument.dropFirst())
    } else if !looksLikeCompactJWS(argument) {
        var info = stat()
        if stat(argument, &info) == 0, info.st_mode & S_IFMT != S_IFDIR { path = argument }
    }
    if let path {
        let token = trimmingTrailingWhitespace(try readFile(path))
        say("file '\(path)', trailing whitespace removed", token.count)
        return String(decoding: token, as: UTF8.self)
    }
    let token = droppingOneNewline(argument)
    say("the argument itself", token.utf8.count)
    return token
}

/// Where an encrypted private key's password comes from: a file, or the environment. Never the command line, where
/// other users (`ps`) and shell history would see it.
struct KeyPasswordOptions: ParsableArguments {
    /// The environment variable read when no file is given.
    static let environmentVariable = "SIGNET_KEY_PASSWORD"

    @Option(
        name: .customLong("key-password-file"),
        help: ArgumentHelp(
            "File holding the password of an encrypted PKCS#8 key (ENCRYPTED PRIVATE KEY); one trailing newline is "
                + "removed. Without it, the SIGNET_KEY_PASSWORD environment variable is used. The password is never "
                + "taken from the command line and never printed.",
            valueName: "file"))
    var keyPasswordFile: String?

    /// The password's bytes, or `nil` when neither the file nor the environment gives one.
    func password() throws -> [UInt8]? {
        if let keyPasswordFile {
            var bytes = try readFile(keyPasswordFile)
            var end = bytes.count
            if end > 0, bytes[end - 1] == 0x0A { end -= 1 }
            if end > 0, bytes[end - 1] == 0x0D { end -= 1 }
            let password = Array(bytes[..<end])
            wipe(&bytes)
            return password
        }
        guard let value = getenv(Self.environmentVariable) else { return nil }
        let count = strlen(value)
        return Array(UnsafeRawBufferPointer(start: value, count: count))
    }
}

/// Overwrites `bytes` with zeros through a volatile path the optimiser keeps (`explicit_bzero`).
func wipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { buffer in
        if let base = buffer.baseAddress { explicit_bzero(base, buffer.count) }
    }
}

/// Prints a key error with its typed code and the file it came from, and exits with status 1.
func keyFailure(_ path: String, _ error: SignetKeyError) -> ExitCode {
    var message = "signet: \(path): \(error)"
    switch error.code {
    case .passwordRequired:
        message += "; give --key-password-file FILE or set \(KeyPasswordOptions.environmentVariable)"
    case .wrongPassword:
        message += " (check --key-password-file or \(KeyPasswordOptions.environmentVariable))"
    default: break
    }
    printError(message)
    return ExitCode.failure
}

/// Loads an RSA public key: PEM `PUBLIC KEY` / `RSA PUBLIC KEY`, an X.509 certificate (PEM `CERTIFICATE` or DER), or
/// a DER public key. (Private keys, of every family and encrypted or not, are read by ``loadVerificationKey``.)
func loadRSAPublicKey(_ path: String) throws -> RSAPublicKey {
    let bytes = try readFile(path)
    let text = String(decoding: bytes, as: UTF8.self)
    do throws(SignetKeyError) {
        guard text.contains("-----BEGIN ") || bytes.first != 0x30 else {
            // DER: a public key structure, else a certificate.
            do throws(SignetKeyError) {
                return try RSAPublicKey(der: bytes)
            } catch {
                do throws(SignetKeyError) {
                    let certificate = try X509Certificate(der: bytes)
                    guard let rsa = certificate.rsaPublicKey else {
                        throw SignetKeyError(.notRSA, reason: "the certificate holds \(certificate.keyFamily.name)")
                    }
                    return rsa
                } catch let certificateError where certificateError.code != .certificateInvalid {
                    throw certificateError
                } catch _ {
                    throw error
                }
            }
        }
        return try RSAPublicKey(pem: text)
    } catch {
        throw keyFailure(path, error)
    }
}
