package ballast.exchange.binance;

import ballast.core.margin.MarginMode;
import ballast.exchange.venue.VenueResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The ownership check before the bot touches an account: is this an account Ballast can keep alive, and is the API key
 * one it should hold? Every finding says what is wrong and what to change; the ones a user may knowingly accept name
 * the override that accepts them, the rest stop the bot.
 */
public final class BinanceAccountCheck {

    /** The set-ups a user may accept on purpose. */
    public enum Override {
        /** Positions in cross margin: the ladder can cut them, but not move margin in or out of them. */
        CROSS_MARGIN,
        /** Binance's own auto-add-margin on a position: it spends the free balance outside Ballast's budgets. */
        EXCHANGE_AUTO_ADD,
        /** An API key without an IP whitelist. */
        NO_IP_RESTRICTION
    }

    /**
     * One finding. {@code blocking} findings stop the bot unless their {@code override} is accepted (one without an
     * override always stops it).
     */
    public record Finding(boolean blocking, String what, String change, java.util.Optional<Override> override) {}

    /**
     * What the check saw: the account's position mode (empty when it could not be read), every finding, and whether
     * every read succeeded ({@code complete}: a check that could not read something is not a verdict on the account).
     */
    public record Report(java.util.Optional<Boolean> hedgeMode, List<Finding> findings, boolean complete) {
        public Report {
            findings = List.copyOf(findings);
        }

        /** The findings that stop the bot, given the overrides the user accepted. */
        public List<Finding> stoppers(Set<Override> accepted) {
            return findings.stream()
                    .filter(Finding::blocking)
                    .filter(f -> f.override().map(o -> !accepted.contains(o)).orElse(true))
                    .toList();
        }
    }

    private BinanceAccountCheck() {}

    /** Reads what it needs from the venue; a read that fails is itself a stopper (unknown counts as unsafe). */
    public static Report run(BinanceRestClient client, Set<String> symbols) {
        List<Finding> findings = new ArrayList<>();
        java.util.Optional<Boolean> hedge = java.util.Optional.empty();
        boolean complete = true;
        switch (client.apiRestrictions()) {
            case VenueResult.Ok<BinanceApiRestrictions> ok -> {
                BinanceApiRestrictions r = ok.value();
                if (r.enableWithdrawals()) {
                    findings.add(new Finding(
                            true,
                            "the API key can withdraw funds",
                            "create a key without withdrawal permission for Ballast",
                            java.util.Optional.empty()));
                }
                if (!r.enableFutures()) {
                    findings.add(new Finding(
                            true,
                            "the API key cannot trade futures",
                            "enable futures on the key (Binance: API management, Enable Futures)",
                            java.util.Optional.empty()));
                }
                if (!r.ipRestrict()) {
                    findings.add(new Finding(
                            true,
                            "the API key works from any IP address",
                            "restrict the key to this machine's IP",
                            java.util.Optional.of(Override.NO_IP_RESTRICTION)));
                }
            }
            case VenueResult.Failed<BinanceApiRestrictions> failed -> {
                findings.add(unreadable("the API key's permissions", failed));
                complete = false;
            }
        }
        switch (client.dualSidePosition()) {
            case VenueResult.Ok<Boolean> ok -> hedge = java.util.Optional.of(ok.value());
            case VenueResult.Failed<Boolean> failed -> {
                findings.add(unreadable("the position mode", failed));
                complete = false;
            }
        }
        switch (client.multiAssetsMargin()) {
            case VenueResult.Ok<Boolean> ok -> {
                if (ok.value()) {
                    findings.add(new Finding(
                            true,
                            "multi-assets margin mode is on: margin is pooled across assets",
                            "switch the futures account to single-asset mode",
                            java.util.Optional.empty()));
                }
            }
            case VenueResult.Failed<Boolean> failed -> {
                findings.add(unreadable("the multi-assets mode", failed));
                complete = false;
            }
        }
        switch (client.positions()) {
            case VenueResult.Ok<List<BinancePosition>> ok -> {
                // positionRisk has a row for every symbol the account can trade, open or flat: no row, no symbol.
                Set<String> listed = new java.util.HashSet<>();
                ok.value().forEach(p -> listed.add(p.symbol()));
                for (String symbol : symbols) {
                    if (!listed.contains(symbol)) {
                        findings.add(new Finding(
                                true,
                                symbol + " is not a symbol of this USD-M futures account (positionRisk has no row for"
                                        + " it)",
                                "check the spelling (BTCUSDT, ETHUSDT, ...) and that the symbol trades on USD-M futures",
                                java.util.Optional.empty()));
                    }
                }
                for (BinancePosition p : ok.value()) {
                    if (!symbols.contains(p.symbol()) || p.flat()) {
                        continue;
                    }
                    String name = p.symbol() + " " + p.side().orElseThrow().label();
                    if (p.marginType() == MarginMode.CROSS) {
                        findings.add(new Finding(
                                true,
                                name + " is in cross margin: margin cannot be added to it alone",
                                "switch " + p.symbol() + " to isolated margin",
                                java.util.Optional.of(Override.CROSS_MARGIN)));
                    }
                    if (p.isAutoAddMargin()) {
                        findings.add(new Finding(
                                true,
                                name
                                        + " has Binance's auto-add-margin on: it spends the free balance outside Ballast's budgets",
                                "turn auto-add margin off for " + p.symbol(),
                                java.util.Optional.of(Override.EXCHANGE_AUTO_ADD)));
                    }
                }
            }
            case VenueResult.Failed<List<BinancePosition>> failed -> {
                findings.add(unreadable("the positions", failed));
                complete = false;
            }
        }
        return new Report(hedge, findings, complete);
    }

    private static Finding unreadable(String what, VenueResult.Failed<?> failed) {
        return new Finding(
                true,
                "could not read " + what + " (" + words(failed.error().describe()) + ")",
                "fix the connection or the key and start again",
                java.util.Optional.empty());
    }

    /** A failure in words: the Java class names the network stack puts in its messages are not for a trader. */
    public static String words(String reason) {
        return reason.replaceAll("\\b(?:[a-z]+\\.)*[A-Z][A-Za-z]*(?:Exception|Error): ?", "")
                .replace("Failed to connect to /", "cannot connect to ")
                .replace("Failed to connect to", "cannot connect to");
    }
}
