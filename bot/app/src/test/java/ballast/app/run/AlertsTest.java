package ballast.app.run;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ballast.app.config.RunSettings;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Alerts to a JSON webhook, Slack and Telegram, served on 127.0.0.1 by WireMock. */
class AlertsTest {
    static final Instant T = Instant.parse("2022-11-09T20:51:00Z");
    static final String TOKEN = "123456:SECRET-token-never-shown";

    WireMockServer venue;
    final List<String> faults = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() {
        venue = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        venue.start();
        venue.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        venue.stubFor(
                post(urlEqualTo("/slack/T000/B000/XXXX")).willReturn(aResponse().withStatus(200)));
        venue.stubFor(post(urlEqualTo("/bot" + TOKEN + "/sendMessage"))
                .willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stop() {
        venue.stop();
    }

    RunSettings.Alerts settings(int maxPerMinute) {
        return new RunSettings.Alerts(
                Duration.ofHours(1),
                maxPerMinute,
                "BALLAST_WEBHOOK",
                "BALLAST_SLACK",
                "BALLAST_TELEGRAM",
                "-100123",
                venue.baseUrl());
    }

    Map<String, String> env() {
        return Map.of(
                "BALLAST_WEBHOOK", venue.baseUrl() + "/hook",
                "BALLAST_SLACK", venue.baseUrl() + "/slack/T000/B000/XXXX",
                "BALLAST_TELEGRAM", TOKEN);
    }

    static Alerter.Alert cut(String key) {
        return new Alerter.Alert(T, "warning", "BTCUSDT:long", "cut 0.1 BTCUSDT:long (guard) [blabcd-7]", key);
    }

    @Test
    void an_alert_reaches_the_webhook_slack_and_telegram_with_their_own_bodies() throws Exception {
        StringWriter file = new StringWriter();
        List<Alerter.Target> targets = new ArrayList<>(AlertTargets.from(settings(20), env(), "testnet"));
        targets.add(AlertTargets.file(new PrintWriter(file)));
        try (Alerter alerter = new Alerter(targets, new SimClock(T), Duration.ofHours(1), 20, faults::add)) {
            alerter.alert(cut("blabcd-7 issued"));
            alerter.flush(Duration.ofSeconds(10));
        }
        venue.verify(postRequestedFor(urlEqualTo("/hook"))
                .withRequestBody(equalToJson("{\"time\":\"2022-11-09T20:51:00Z\",\"severity\":\"warning\","
                        + "\"book\":\"BTCUSDT:long\",\"text\":\"cut 0.1 BTCUSDT:long (guard) [blabcd-7]\","
                        + "\"profile\":\"testnet\",\"suppressed\":0}")));
        venue.verify(postRequestedFor(urlEqualTo("/slack/T000/B000/XXXX"))
                .withRequestBody(equalToJson("{\"text\":\"Ballast testnet warning BTCUSDT:long: cut 0.1 BTCUSDT:long"
                        + " (guard) [blabcd-7] (2022-11-09T20:51:00Z)\"}")));
        venue.verify(postRequestedFor(urlEqualTo("/bot" + TOKEN + "/sendMessage"))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(equalToJson("{\"chat_id\":\"-100123\",\"text\":\"Ballast testnet warning BTCUSDT:long:"
                        + " cut 0.1 BTCUSDT:long (guard) [blabcd-7] (2022-11-09T20:51:00Z)\","
                        + "\"disable_web_page_preview\":true}")));
        assertThat(file.toString()).contains("warning  BTCUSDT:long  cut 0.1 BTCUSDT:long (guard)");
        assertThat(faults).isEmpty();
    }

    @Test
    void the_same_alert_goes_once_per_window_and_a_flood_is_cut_to_the_rate_limit() throws Exception {
        try (Alerter alerter = new Alerter(
                AlertTargets.from(settings(3), env(), "testnet").subList(0, 1),
                new SimClock(T),
                Duration.ofHours(1),
                3,
                faults::add)) {
            for (int i = 0; i < 5; i++) {
                alerter.alert(cut("same"));
            }
            for (int i = 0; i < 10; i++) {
                alerter.alert(cut("distinct " + i));
            }
            alerter.flush(Duration.ofSeconds(10));
        }
        // One of the five repeats, then three in the minute: four attempts, three within the limit.
        venue.verify(3, postRequestedFor(urlEqualTo("/hook")));
    }

    @Test
    void a_failing_target_is_reported_without_its_address_or_token_and_never_blocks_the_others() throws Exception {
        venue.stubFor(post(urlEqualTo("/bot" + TOKEN + "/sendMessage"))
                .willReturn(aResponse().withStatus(401)));
        try (Alerter alerter = new Alerter(
                AlertTargets.from(settings(20), env(), "testnet"),
                new SimClock(T),
                Duration.ofHours(1),
                20,
                faults::add)) {
            alerter.alert(cut("one"));
            alerter.alert(cut("two"));
            alerter.flush(Duration.ofSeconds(10));
        }
        venue.verify(2, postRequestedFor(urlEqualTo("/hook")));
        assertThat(faults).containsExactly("alerts to Telegram failed: Telegram answered HTTP 401");
        assertThat(String.join(" ", faults)).doesNotContain(TOKEN).doesNotContain("127.0.0.1");
    }

    @Test
    void a_variable_the_settings_name_but_the_environment_lacks_is_a_clear_error() {
        assertThatThrownBy(() -> AlertTargets.from(settings(20), Map.of(), "testnet"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("run.alerts.webhookUrlEnv names BALLAST_WEBHOOK, but that environment variable is not set");
        assertThatThrownBy(() -> AlertTargets.from(
                        settings(20),
                        Map.of("BALLAST_WEBHOOK", "not a url", "BALLAST_SLACK", "x", "BALLAST_TELEGRAM", "y"),
                        "testnet"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("run.alerts.webhookUrlEnv: the variable's value is not an http(s) URL");
    }
}
