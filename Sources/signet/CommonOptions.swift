// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import ClientAssertion
import Foundation
import SignetKeys

/// Writes one line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

extension RSASignatureAlgorithm: ExpressibleByArgument {
    public init?(argument: String) { self.init(jwsName: argument.uppercased()) }
    public static var allValueStrings: [String] { RSASignatureAlgorithm.all.map(\.jwsName) }
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

/// Writes bytes to standard output as they are.
func writeStandardOutput(_ bytes: [UInt8]) {
    FileHandle.standardOutput.write(Data(bytes))
}
