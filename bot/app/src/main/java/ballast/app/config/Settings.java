package ballast.app.config;

import ballast.kernel.Engine;
import ballast.kernel.Gate;
import ballast.strategies.BudgetParams;
import ballast.strategies.LadderParams;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Everything a profile configures, typed. Built by {@link SettingsFile} from {@code config/application.yaml}, the
 * profile's {@code application-<profile>.yaml} and a scenario's {@code policy:} section, in that order.
 *
 * @param policy the policy to run: budget, ladder, none, buffer-exit, exchange-auto-add
 * @param budget the loss-budget policy's settings
 * @param bufferExit the buffer of the buffer-exit baseline, as a fraction of |entry − liquidation|
 */
public record Settings(
        Engine.Params engine,
        Gate.Params gate,
        String policy,
        BudgetParams budget,
        LadderParams ladder,
        BigDecimal bufferExit,
        Paper paper,
        java.util.Map<String, Settings> symbols) {

    /**
     * @param symbols symbols with settings of their own (the {@code symbols:} section: the policy's settings, the gate's
     *     episode share and top-up cap, the backstop), each whole; every other symbol is measured on these
     */
    public Settings {
        symbols = java.util.Map.copyOf(symbols);
    }

    /** Settings with no symbol of its own. */
    public Settings(
            Engine.Params engine,
            Gate.Params gate,
            String policy,
            BudgetParams budget,
            LadderParams ladder,
            BigDecimal bufferExit,
            Paper paper) {
        this(engine, gate, policy, budget, ladder, bufferExit, paper, java.util.Map.of());
    }

    /** These settings without any symbol's own: what every other symbol is kept by. */
    public Settings withSymbolsOnly() {
        return new Settings(engine, gate, policy, budget, ladder, bufferExit, paper);
    }

    /** The settings {@code symbol} is kept by. */
    public Settings of(String symbol) {
        return symbols.getOrDefault(symbol, this);
    }

    /** The engine's settings, each symbol's backstop with them. */
    public Engine.Params engineWithSymbols() {
        java.util.Map<String, Optional<BigDecimal>> backstops = new java.util.LinkedHashMap<>();
        symbols.forEach((symbol, s) -> backstops.put(symbol, s.engine().backstop()));
        return engine.withSymbolBackstops(backstops);
    }

    /** A gate for these settings, each symbol's episode share and top-up cap with it. */
    public Gate newGate() {
        java.util.Map<String, Gate.Params> gates = new java.util.LinkedHashMap<>();
        symbols.forEach((symbol, s) -> gates.put(symbol, s.gate()));
        return new Gate(gate, gates);
    }

    /** The paper venue's costs, as fractions of notional. */
    public record Paper(BigDecimal takerFee, BigDecimal slippage, BigDecimal liquidationFee) {
        public static Paper defaults() {
            return new Paper(new BigDecimal("0.0005"), new BigDecimal("0.0005"), new BigDecimal("0.0125"));
        }
    }

    /** The built-in defaults; the shipped config/application.yaml states the same values (a test keeps them equal). */
    public static Settings defaults() {
        return new Settings(
                Engine.Params.defaults().withBackstop(Optional.of(new BigDecimal("0.005"))),
                Gate.Params.defaults(),
                "budget",
                BudgetParams.defaults(),
                LadderParams.defaults(),
                new BigDecimal("0.05"),
                Paper.defaults());
    }

    public Settings withPolicy(String name) {
        java.util.Map<String, Settings> renamed = new java.util.LinkedHashMap<>();
        symbols.forEach((symbol, s) -> renamed.put(symbol, s.withPolicy(name)));
        return new Settings(engine, gate, name, budget, ladder, bufferExit, paper, renamed);
    }
}
