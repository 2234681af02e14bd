// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import CryptoEVP
import Foundation

/// Writes one line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Reads a whole file as UTF-8 text, with a usage-friendly error.
func readText(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ValidationError("cannot read '\(path)'")
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
    } catch let error as CryptoEVPError {
        printError("signet: \(path): \(error.reason)")
        throw ExitCode.failure
    }
}
