/**
 * Scaling policies: pure functions from a position snapshot to proposed actions. This module depends on
 * {@code bot/core} only, so a policy cannot reach the network, the clock or the application; the build enforces it.
 */
package ballast.strategies;
