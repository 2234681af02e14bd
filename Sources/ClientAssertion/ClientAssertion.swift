// SPDX-License-Identifier: Apache-2.0

/// Namespace of the `ClientAssertion` module.
public enum ClientAssertionModule {}
