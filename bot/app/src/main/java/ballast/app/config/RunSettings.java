package ballast.app.config;

import java.time.Duration;

/**
 * How the running bot runs ({@code run:} in the settings): where it keeps its files, where it serves its status, its
 * inbox and quota reserve, how long a stop waits, and where alerts go. Secrets are never values here: a setting ending
 * in {@code Env} names the environment variable that holds one.
 *
 * @param dir the folder of each profile's files: {@code <dir>/<profile>/journal.sqlite}, {@code alerts.log},
 *     {@code status.port}
 * @param statusPort where /status, /health and /metrics are served on 127.0.0.1 (0: any free port)
 * @param inboxCapacity events the engine's inbox holds before an account event counts as an overflow
 * @param protectiveReservePct the share of every venue quota that only protective requests may use
 * @param stopGrace on SIGTERM, how long requests in flight may take to settle before the bot exits
 */
public record RunSettings(
        String dir,
        int statusPort,
        int inboxCapacity,
        int protectiveReservePct,
        Duration stopGrace,
        Alerts alerts,
        Venue venue,
        Paper paper) {

    /**
     * The paper profile's account: what it starts with, the first time (after that, the account is read back from
     * {@code <dir>/paper/paper-account.json}, as the venue left it). Its costs are the {@code paper:} section's.
     *
     * @param balance the USDT the account holds before the positions are opened
     * @param positions opened at the venue's mark when the account is created
     */
    public record Paper(java.math.BigDecimal balance, java.util.List<Opening> positions) {
        public Paper {
            positions = positions == null ? null : java.util.List.copyOf(positions);
        }

        /**
         * One position the paper account opens: {@code margin} USDT at {@code leverage}, its size that notional at the
         * mark, rounded down to the symbol's step.
         *
         * @param side long or short
         * @param mode isolated or cross
         */
        public record Opening(
                String symbol, String side, java.math.BigDecimal leverage, java.math.BigDecimal margin, String mode) {}

        public static Paper defaults() {
            return new Paper(new java.math.BigDecimal("10000"), java.util.List.of());
        }
    }

    /**
     * Where the paper, testnet and live profiles connect, and what they keep. Hosts left empty are the profile's
     * Binance hosts (testnet: Binance's futures testnet; live: Binance); tests point them at 127.0.0.1.
     *
     * @param restUrl the USDⓈ-M futures REST host (empty: the profile's)
     * @param spotUrl the spot API host, where the API key's permissions are read (empty: the profile's)
     * @param streamUrl the WebSocket host of the mark-price and user-data streams (empty: the profile's)
     * @param apiKeyEnv the variable holding the API key
     * @param apiSecretEnv the variable holding the API secret
     * @param symbols the symbols Ballast keeps (its positions in others are left alone)
     * @param accept account set-ups accepted on purpose: cross-margin, exchange-auto-add, no-ip-restriction
     * @param confirmLive the live profile starts only when this is true
     * @param reconcileEvery how often the venue's REST truth is read even when the streams say nothing changed
     * @param bracketsEvery how often the maintenance-margin brackets are read again
     * @param requestTimeout how long a REST request may take before its outcome counts as unknown (a write then
     *     blocks its position until a reconcile saw the truth)
     * @param backstopCheckEvery how often the venue's stops are read back and compared with the engine's backstops
     */
    public record Venue(
            String restUrl,
            String spotUrl,
            String streamUrl,
            String apiKeyEnv,
            String apiSecretEnv,
            java.util.List<String> symbols,
            java.util.List<String> accept,
            boolean confirmLive,
            Duration reconcileEvery,
            Duration bracketsEvery,
            Duration requestTimeout,
            Duration backstopCheckEvery) {
        public Venue {
            symbols = symbols == null ? null : java.util.List.copyOf(symbols);
            accept = accept == null ? null : java.util.List.copyOf(accept);
        }

        public static Venue defaults() {
            return new Venue(
                    "",
                    "",
                    "",
                    "BINANCE_API_KEY",
                    "BINANCE_API_SECRET",
                    java.util.List.of(),
                    java.util.List.of(),
                    false,
                    Duration.ofMinutes(1),
                    Duration.ofHours(1),
                    Duration.ofSeconds(10),
                    Duration.ofMinutes(5));
        }
    }

    /**
     * Where alerts go besides the console and the alert file, once per {@code dedupeWindow} for the same alert, at most
     * {@code maxPerMinute} a minute to each target.
     *
     * @param webhookUrlEnv the variable holding a URL that receives each alert as JSON (empty: none)
     * @param slackWebhookUrlEnv the variable holding a Slack incoming-webhook URL (empty: none)
     * @param telegramBotTokenEnv the variable holding a Telegram bot token (empty: none)
     * @param telegramChatId the chat the Telegram bot writes to
     * @param telegramApiUrl Telegram's Bot API
     */
    public record Alerts(
            Duration dedupeWindow,
            int maxPerMinute,
            String webhookUrlEnv,
            String slackWebhookUrlEnv,
            String telegramBotTokenEnv,
            String telegramChatId,
            String telegramApiUrl) {
        public static Alerts defaults() {
            return new Alerts(Duration.ofHours(1), 20, "", "", "", "", "https://api.telegram.org");
        }
    }

    public static RunSettings defaults() {
        return new RunSettings(
                "run", 0, 10_000, 20, Duration.ofSeconds(10), Alerts.defaults(), Venue.defaults(), Paper.defaults());
    }
}
