package ballast.core.policy;

import ballast.core.venue.Capability;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * One policy with settings of its own for some symbols: each decision is taken by the policy of the position's symbol,
 * or by the common one. The settings' {@code symbols:} section builds it; every policy here has the same name.
 */
public final class SymbolPolicies implements ScalingPolicy {
    private final ScalingPolicy common;
    private final Map<String, ScalingPolicy> bySymbol;

    public SymbolPolicies(ScalingPolicy common, Map<String, ScalingPolicy> bySymbol) {
        this.common = common;
        this.bySymbol = Map.copyOf(bySymbol);
        for (Map.Entry<String, ScalingPolicy> e : this.bySymbol.entrySet()) {
            if (!e.getValue().name().equals(common.name())) {
                throw new IllegalArgumentException(
                        "the policy of " + e.getKey() + " is " + e.getValue().name() + ", not " + common.name()
                                + ": a symbol may change the policy's settings, not the policy");
            }
        }
    }

    /** The policy that decides for {@code symbol}. */
    public ScalingPolicy of(String symbol) {
        return bySymbol.getOrDefault(symbol, common);
    }

    @Override
    public String name() {
        return common.name();
    }

    @Override
    public Set<Capability> requires() {
        Set<Capability> all = EnumSet.noneOf(Capability.class);
        all.addAll(common.requires());
        bySymbol.values().forEach(p -> all.addAll(p.requires()));
        return all;
    }

    @Override
    public boolean readsSpeed() {
        return common.readsSpeed() || bySymbol.values().stream().anyMatch(ScalingPolicy::readsSpeed);
    }

    @Override
    public Decision decide(PolicyInput input) {
        return of(input.risk().symbol()).decide(input);
    }
}
