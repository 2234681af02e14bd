// SPDX-License-Identifier: Apache-2.0

//
// Base64URL against swift-extras-base64 (URL alphabet, no padding), same sizes, same run. Sizes name the raw
// (decoded) byte count: `decode.48B` decodes the 64 characters that encode 48 bytes. Each library is measured on
// its non-allocating entry point: Base64URL's raw-buffer API (the JWS hot path) and ExtrasBase64's
// `Span` → `MutableSpan` API; `*Span` rows measure Base64URL's `Span` → `OutputSpan` API.
import Base64URL
import Benchmark
import ExtrasBase64

let sizes: [(label: String, count: Int)] = [("48B", 48), ("512B", 512), ("16KiB", 16 << 10), ("1MiB", 1 << 20)]
let extrasEncode: Base64.EncodingOptions = [.base64UrlAlphabet, .omitPaddingCharacter]
let extrasDecode: Base64.DecodingOptions = [.base64UrlAlphabet, .omitPaddingCharacter]

/// Deterministic input bytes (SplitMix64), so every run measures the same data.
func inputBytes(_ count: Int) -> [UInt8] {
    var state: UInt64 = 0x5167_6E65_7442_3634
    return (0..<count).map { _ in
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return UInt8(truncatingIfNeeded: z ^ (z >> 31))
    }
}

/// Fewer, longer samples for the big sizes; 1000 calls per sample for the small ones.
func configuration(_ count: Int, zeroMallocs: Bool) -> Benchmark.Configuration {
    .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 5,
        scalingFactor: count >= 1 << 20 ? .one : .kilo,
        maxDuration: .seconds(1),
        maxIterations: count >= 1 << 20 ? 2_000 : 100_000,
        // Zero-allocation paths: p90 mallocs may not exceed the committed static threshold (Thresholds/) at all.
        thresholds: zeroMallocs ? [.mallocCountTotal: .init(absolute: [.p90: 0])] : [:]
    )
}

let benchmarks: @Sendable () -> Void = {
    for (label, count) in sizes {
        let bytes = inputBytes(count)
        let chars = Base64URL.encodeToBytes(bytes)

        Benchmark("Base64URL.encode.\(label)", configuration: configuration(count, zeroMallocs: true)) { benchmark in
            var output = [UInt8](repeating: 0, count: Base64URL.encodedCount(byteCount: count))
            var outputSpan = output.mutableSpan
            var outputBytes = MutableRawSpan(_elements: &outputSpan)
            let input = RawSpan(_elements: bytes.span)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try? Base64URL.encode(input, into: &outputBytes))
            }
        }

        Benchmark("Base64URL.decode.\(label)", configuration: configuration(count, zeroMallocs: true)) { benchmark in
            var output = [UInt8](repeating: 0, count: count)
            var outputSpan = output.mutableSpan
            var outputBytes = MutableRawSpan(_elements: &outputSpan)
            let input = RawSpan(_elements: chars.span)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try? Base64URL.decode(input, into: &outputBytes))
            }
        }

        Benchmark("ExtrasBase64.encode.\(label)", configuration: configuration(count, zeroMallocs: false)) {
            benchmark in
            var output = [UInt8](repeating: 0, count: Base64.encodedLength(bytesCount: count, options: extrasEncode))
            var span = output.mutableSpan
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(Base64.encode(bytes: bytes.span, into: &span, options: extrasEncode))
            }
        }

        Benchmark("ExtrasBase64.decode.\(label)", configuration: configuration(count, zeroMallocs: false)) {
            benchmark in
            var output = [UInt8](repeating: 0, count: Base64.decodedLength(bytesCount: chars.count))
            var span = output.mutableSpan
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try? Base64.decode(bytes: chars.span, into: &span, options: extrasDecode))
            }
        }

        guard label == "48B" || label == "16KiB" else { continue }

        Benchmark("Base64URL.encodeSpan.\(label)", configuration: configuration(count, zeroMallocs: true)) {
            benchmark in
            let capacity = Base64URL.encodedCount(byteCount: count)
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
            defer { unsafe buffer.deallocate() }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                var output = unsafe OutputSpan(buffer: buffer, initializedCount: 0)
                try? Base64URL.encode(bytes.span, into: &output)
                blackHole(unsafe output.finalize(for: buffer))
            }
        }

        Benchmark("Base64URL.decodeSpan.\(label)", configuration: configuration(count, zeroMallocs: true)) {
            benchmark in
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: count)
            defer { unsafe buffer.deallocate() }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                var output = unsafe OutputSpan(buffer: buffer, initializedCount: 0)
                try? Base64URL.decode(chars.span, into: &output)
                blackHole(unsafe output.finalize(for: buffer))
            }
        }
    }
}
