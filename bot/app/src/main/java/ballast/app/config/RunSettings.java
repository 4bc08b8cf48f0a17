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
        String dir, int statusPort, int inboxCapacity, int protectiveReservePct, Duration stopGrace, Alerts alerts) {

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
        return new RunSettings("run", 0, 10_000, 20, Duration.ofSeconds(10), Alerts.defaults());
    }
}
