// SPDX-License-Identifier: Apache-2.0

import Dispatch
import Foundation
import JWS
import NHSEmulator
import Synchronization

extension FuzzTargets {
    /// `signet serve`'s request path after the HTTP layer: the form parser, the unverified JWT reading and APIM's
    /// ordered claim checks, with the in-memory replay guard, through ``APIMTokenEndpoint/respond(contentType:body:now:)``.
    ///
    /// The first byte picks the `Content-Type` (even: the exact form type), the rest is the body. Properties: the
    /// answer is a status from 200 to 503 but never another 5xx (input from a client never produces one; 503 is the
    /// overloaded replay store), and every error is APIM's JSON shape with an `error_description`.
    static func serve(_ data: UnsafeRawBufferPointer) {
        let bytes = [UInt8](data)
        let contentType = (bytes.first ?? 0) & 1 == 0 ? APIMTokenEndpoint.contentType : "text/plain"
        let body = Array(bytes.dropFirst())
        // Each input is one second later, so replay records expire as they would under steady traffic.
        let now = ServeFixture.tick()
        let response = ServeFixture.respond(contentType: contentType, body: body, now: now)
        if !(200...503).contains(response.status) || (response.status >= 500 && response.status != 503) {
            violated("status \(response.status) for client input: \(response.bodyText)")
        }
        guard response.status >= 400 else { return }
        guard let object = (try? StrictJSON.parse(response.body))?.objectValue,
            object["error"]?.stringValue != nil, object["error_description"]?.stringValue != nil
        else { violated("error answer not in APIM's shape: \(response.bodyText)") }
    }
}

/// One emulator (an APIM application `client` with the fixture JWKS) shared by every `serve` input.
enum ServeFixture {
    static let clock = Atomic<Int64>(1_800_000_000)

    static func tick() -> Int64 { clock.add(1, ordering: .relaxed).newValue }

    static let server: NHSEmulatorServer = {
        let path = NSTemporaryDirectory() + "signet-fuzz-jwks-\(getpid()).json"
        guard FileManager.default.createFile(atPath: path, contents: Data(Fixture.jwks.utf8)) else {
            violated("cannot write \(path)")
        }
        var configuration = EmulatorConfiguration()
        configuration.apim.applications = [.init(name: "fuzz", apiKey: "client", jwks: path)]
        configuration.apim.audience = "https://fuzz.example/oauth2/token"
        guard let server = try? NHSEmulatorServer(configuration: configuration) else { violated("server fixture") }
        return server
    }()

    /// Runs the endpoint's async answer to completion from libFuzzer's synchronous callback.
    static func respond(contentType: String, body: [UInt8], now: Int64) -> EndpointResponse {
        let endpoint = server.apim
        let result = Answer()
        let done = DispatchSemaphore(value: 0)
        Task {
            let response = await endpoint.respond(contentType: contentType, body: body, now: now)
            result.value.withLock { $0 = response }
            done.signal()
        }
        done.wait()
        guard let response = result.value.withLock({ $0 }) else { violated("no answer") }
        return response
    }

    /// Where the task leaves its answer.
    final class Answer: Sendable {
        let value = Mutex<EndpointResponse?>(nil)
    }
}
