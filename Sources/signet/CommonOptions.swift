// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import ClientAssertion
import Foundation
import SignetRSA

/// Writes one line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Reads a whole file as UTF-8 text; an unreadable file is reported on stderr and exits with status 1.
func readText(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        printError("signet: cannot read '\(path)'")
        throw ExitCode.failure
    }
    return String(decoding: data, as: UTF8.self)
}

extension RSASignatureAlgorithm: ExpressibleByArgument {
    public init?(argument: String) { self.init(jwsName: argument.uppercased()) }
    public static var allValueStrings: [String] { RSASignatureAlgorithm.all.map(\.jwsName) }
}

/// Loads a private key from a PEM file, mapping key errors to exit status 1 with the reason on stderr.
func loadPrivateKey(_ path: String) throws -> RSAPrivateKey {
    do {
        return try RSAPrivateKey(pem: readText(path))
    } catch let error as SignetRSAError {
        printError("signet: \(path): \(error.reason)")
        throw ExitCode.failure
    }
}

extension ClientAssertionProfile.Kind: ExpressibleByArgument {}
extension APIMEnvironment: ExpressibleByArgument {}

/// All of standard input.
func readStandardInput() -> [UInt8] {
    Array(FileHandle.standardInput.readDataToEndOfFile())
}

/// `text` without exactly one trailing "\n", if it has one (anything else is kept, so damage stays visible).
func droppingOneNewline(_ text: String) -> String {
    text.utf8.last == UInt8(ascii: "\n") ? String(decoding: text.utf8.dropLast(), as: UTF8.self) : text
}

/// A token from an argument, or from standard input when the argument is `-` or absent; exactly one trailing
/// newline is removed.
func readToken(_ argument: String?) -> String {
    guard let argument, argument != "-" else {
        return droppingOneNewline(String(decoding: readStandardInput(), as: UTF8.self))
    }
    return droppingOneNewline(argument)
}

/// Writes bytes to standard output as they are.
func writeStandardOutput(_ bytes: [UInt8]) {
    FileHandle.standardOutput.write(Data(bytes))
}

/// Loads a public key from PEM: a public key, or the public half of a private key.
func loadPublicKey(_ path: String) throws -> RSAPublicKey {
    let text = try readText(path)
    do {
        return try RSAPublicKey(pem: text)
    } catch let error where error.code == .wrongKeyKind {
        do {
            return try RSAPrivateKey(pem: text).publicKey
        } catch {
            printError("signet: \(path): \(error.reason)")
            throw ExitCode.failure
        }
    } catch {
        printError("signet: \(path): \(error.reason)")
        throw ExitCode.failure
    }
}
