package ballast.kernel;

import ballast.core.policy.Action;

/** An action the gate admitted, with the client id every retry of it must reuse. */
public record Intent(String clientId, Action action) {}
