// SPDX-License-Identifier: Apache-2.0
import Testing
import TestSupport
import Foundation

@Suite struct RSAGMPSmokeTests {
    @Test func vectorsDirectoryExists() throws {
        #expect(FileManager.default.fileExists(atPath: Vectors.directory.path))
    }
}
