// SPDX-License-Identifier: Apache-2.0

/// Namespace of the `JWS` module.
public enum JWSModule {}
