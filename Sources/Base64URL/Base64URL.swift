// SPDX-License-Identifier: Apache-2.0

/// Namespace of the `Base64URL` module.
public enum Base64URLModule {}
