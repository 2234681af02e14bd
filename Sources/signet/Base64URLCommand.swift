// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import Base64URL

/// `signet base64url encode|decode`: strict unpadded base64url between stdin and stdout.
struct Base64URLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "base64url",
        abstract: "Encode or decode strict unpadded base64url (RFC 4648 §5), stdin to stdout.",
        discussion: """
            Examples:
              printf '{"alg":"RS512"}' | signet base64url encode
              cut -d. -f2 token.jwt | signet base64url decode
            """,
        subcommands: [Encode.self, Decode.self])

    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Encode all of stdin; the text and a newline go to stdout.",
            discussion: """
                Examples:
                  printf 'hello' | signet base64url encode      # aGVsbG8
                """)

        func run() throws {
            print(Base64URL.encode(readStandardInput()))
        }
    }

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode stdin (one trailing newline allowed); the bytes go to stdout.",
            discussion: """
                Padding, '+' '/', whitespace and non-canonical trailing bits are rejected: the error (code, offset, \
                byte) goes to stderr and the exit status is 2.

                Examples:
                  echo aGVsbG8 | signet base64url decode        # hello
                """)

        func run() throws {
            var input = readStandardInput()
            if input.last == UInt8(ascii: "\n") { input.removeLast() }
            do {
                writeStandardOutput(try Base64URL.decode(input))
            } catch {
                printError("signet: \(error)")
                throw ExitCode(2)
            }
        }
    }
}
