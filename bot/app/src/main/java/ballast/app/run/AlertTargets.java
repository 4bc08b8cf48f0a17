package ballast.app.run;

import ballast.app.config.RunSettings;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The alert targets: a file, a JSON webhook, Slack and Telegram. Addresses and tokens come from the environment
 * variables the settings name and never appear in a message: a failure says the target and the HTTP status only.
 */
public final class AlertTargets {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private AlertTargets() {}

    /** The targets the settings name, with their secrets from {@code env}; an unset variable is a clear error. */
    public static List<Alerter.Target> from(RunSettings.Alerts settings, Map<String, String> env, String profile) {
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofSeconds(10))
                .build();
        List<Alerter.Target> targets = new ArrayList<>();
        if (!settings.webhookUrlEnv().isEmpty()) {
            targets.add(webhook(http, secret(env, settings.webhookUrlEnv(), "run.alerts.webhookUrlEnv"), profile));
        }
        if (!settings.slackWebhookUrlEnv().isEmpty()) {
            targets.add(
                    slack(http, secret(env, settings.slackWebhookUrlEnv(), "run.alerts.slackWebhookUrlEnv"), profile));
        }
        if (!settings.telegramBotTokenEnv().isEmpty()) {
            targets.add(telegram(
                    http,
                    settings.telegramApiUrl(),
                    secret(env, settings.telegramBotTokenEnv(), "run.alerts.telegramBotTokenEnv"),
                    settings.telegramChatId(),
                    profile));
        }
        return targets;
    }

    private static String secret(Map<String, String> env, String name, String setting) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    setting + " names " + name + ", but that environment variable is not set");
        }
        return value;
    }

    /** Alerts as lines in a file (the alert file beside the journal). */
    public static Alerter.Target file(PrintWriter out) {
        return new Alerter.Target() {
            @Override
            public String name() {
                return "the alert file";
            }

            @Override
            public boolean limited() {
                return false;
            }

            @Override
            public void send(Alerter.Alert a, int suppressed) {
                out.println(a.time() + "  " + a.severity() + "  " + a.book() + "  " + a.text()
                        + (suppressed > 0 ? "  (" + suppressed + " more not sent: over the rate limit)" : ""));
                out.flush();
            }
        };
    }

    /** A target that posts each alert as JSON to a URL; {@code body} writes the alert in the target's own fields. */
    private record Post(OkHttpClient http, HttpUrl url, String name, BodyWriter body) implements Alerter.Target {
        @Override
        public void send(Alerter.Alert a, int suppressed) throws Exception {
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            body.write(json, a, suppressed);
            post(http, url, json, name);
        }
    }

    @FunctionalInterface
    private interface BodyWriter {
        void write(ObjectNode json, Alerter.Alert alert, int suppressed);
    }

    /** {@code {"time","severity","book","text","profile","suppressed"}} posted to a URL. */
    static Alerter.Target webhook(OkHttpClient http, String url, String profile) {
        return new Post(http, parse(url, "run.alerts.webhookUrlEnv"), "the webhook", (json, a, suppressed) -> {
            json.put("time", a.time().toString());
            json.put("severity", a.severity());
            json.put("book", a.book());
            json.put("text", a.text());
            json.put("profile", profile);
            json.put("suppressed", suppressed);
        });
    }

    /** Slack's incoming webhook: {@code {"text": ...}}. */
    static Alerter.Target slack(OkHttpClient http, String url, String profile) {
        return new Post(
                http,
                parse(url, "run.alerts.slackWebhookUrlEnv"),
                "Slack",
                (json, a, suppressed) -> json.put("text", line(a, profile, suppressed)));
    }

    /** Telegram's Bot API {@code sendMessage}. */
    static Alerter.Target telegram(OkHttpClient http, String api, String token, String chatId, String profile) {
        HttpUrl target = parse(api, "run.alerts.telegramApiUrl")
                .newBuilder()
                .addPathSegment("bot" + token)
                .addPathSegment("sendMessage")
                .build();
        return new Post(http, target, "Telegram", (json, a, suppressed) -> {
            json.put("chat_id", chatId);
            json.put("text", line(a, profile, suppressed));
            json.put("disable_web_page_preview", true);
        });
    }

    private static String line(Alerter.Alert a, String profile, int suppressed) {
        return "Ballast " + profile + " " + a.severity() + " " + a.book() + ": " + a.text() + " (" + a.time() + ")"
                + (suppressed > 0 ? " [" + suppressed + " more not sent: over the rate limit]" : "");
    }

    private static HttpUrl parse(String url, String setting) {
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            // The value is a secret: named by its setting, never shown.
            throw new IllegalArgumentException(setting + ": the variable's value is not an http(s) URL");
        }
        return parsed;
    }

    private static void post(OkHttpClient http, HttpUrl url, ObjectNode body, String name) throws Exception {
        Request request = new Request.Builder()
                .url(url)
                .post(RequestBody.create(body.toString(), JSON))
                .build();
        try (Response response = http.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                throw new IllegalStateException(name + " answered HTTP " + response.code());
            }
        } catch (java.io.IOException e) {
            // OkHttp's messages may name the host; the class says enough.
            throw new IllegalStateException(
                    name + " could not be reached (" + e.getClass().getSimpleName() + ")");
        }
    }
}
