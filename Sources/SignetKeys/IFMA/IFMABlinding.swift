// SPDX-License-Identifier: Apache-2.0

internal import COpenSSL
internal import CSignetIFMA

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One thread's blinding pair and private-operation workspace (see `signet_rsa_blinding_new`).
@safe final class IFMABlinding: @unchecked Sendable {  // used by one thread at a time (taken from a pool)
    let state: OpaquePointer
    /// The key it was made for, kept alive as long as the blinding.
    private let key: IFMAKeyHandle
    /// The process that made it (see the fork check in ``IFMAEngineKey/privateOperation(_:into:)``).
    let process: pid_t

    init(key: IFMAKeyHandle, byteCount: Int) throws(SignetKeyError) {
        var err: Int32 = 0
        let state = try unsafe withUnsafeTemporaryAllocation(byteCount: byteCount, alignment: 16) {
            (random) throws(SignetKeyError) -> OpaquePointer? in
            defer { unsafe OPENSSL_cleanse(random.baseAddress, random.count) }
            try openSSLCheck(
                unsafe COpenSSL_RAND_priv_bytes(random.baseAddress, Int32(byteCount)), "RAND_priv_bytes")
            return unsafe signet_rsa_blinding_new(
                key.pointer, random.bindMemory(to: UInt8.self).baseAddress, byteCount, &err)
        }
        guard let state = unsafe state else {
            throw SignetKeyError(.engineFault, reason: "the IFMA engine could not set up blinding (code \(err))")
        }
        unsafe self.state = state
        self.key = key
        self.process = getpid()
    }

    deinit { unsafe signet_rsa_blinding_free(state) }
}
