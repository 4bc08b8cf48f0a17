package ballast.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsFileTest {

    static final Path SHIPPED = Path.of("../../config").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void the_shipped_application_yaml_states_exactly_the_built_in_defaults() {
        assertThat(SettingsFile.load(SHIPPED, Optional.empty(), List.of()))
                .usingRecursiveComparison()
                .withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
                .isEqualTo(Settings.defaults());
    }

    @Test
    void the_shipped_run_section_states_exactly_the_built_in_defaults() {
        assertThat(SettingsFile.loadAll(SHIPPED, Optional.empty(), List.of()).run())
                .isEqualTo(RunSettings.defaults());
        assertThat(SettingsFile.loadAll(dir.resolve("nowhere"), Optional.empty(), List.of())
                        .run())
                .isEqualTo(RunSettings.defaults());
    }

    @Test
    void the_run_section_is_bound_over_its_defaults_and_every_mistake_is_named_with_file_and_line() throws IOException {
        Files.writeString(dir.resolve("application.yaml"), """
                run:
                  statusPort: 9464
                  alerts:
                    maxPerMinute: 5
                    telegramBotTokenEnv: BALLAST_TELEGRAM_TOKEN
                    telegramChatId: "-100123"
                """);
        RunSettings run = SettingsFile.loadAll(dir, Optional.empty(), List.of()).run();
        assertThat(run.statusPort()).isEqualTo(9464);
        assertThat(run.alerts().maxPerMinute()).isEqualTo(5);
        assertThat(run.alerts().telegramBotTokenEnv()).isEqualTo("BALLAST_TELEGRAM_TOKEN");
        assertThat(run.inboxCapacity()).isEqualTo(RunSettings.defaults().inboxCapacity());
        assertThat(run.stopGrace()).isEqualTo(RunSettings.defaults().stopGrace());

        Files.writeString(dir.resolve("application-bad.yaml"), """
                run:
                  statusPort: lots
                  inboxCapacity: 5
                  stopGrace: soon
                  colour: blue
                  alerts:
                    maxPerMinute: 0
                    slackWebhookUrlEnv: https://hooks.slack.com/services/T000/B000/XXXX
                    telegramBotTokenEnv: BALLAST_TELEGRAM_TOKEN
                    telegramChatId: ""
                """);
        assertThatThrownBy(() -> SettingsFile.loadAll(dir, Optional.of("bad"), List.of()))
                .isInstanceOf(SettingsFile.SettingsException.class)
                .hasMessageContaining("application-bad.yaml:2: run.statusPort: must be a whole number, was lots")
                .hasMessageContaining("application-bad.yaml:3: run.inboxCapacity: must be from 100 to 10000000, was 5")
                .hasMessageContaining(
                        "application-bad.yaml:4: run.stopGrace: must be a duration (30s, 5m, 1h), was soon")
                .hasMessageContaining("application-bad.yaml:5: run.colour: unknown key (known here: ")
                .hasMessageContaining("application-bad.yaml:7: run.alerts.maxPerMinute: must be from 1 to 600, was 0")
                .hasMessageContaining("run.alerts.slackWebhookUrlEnv: must name an environment variable")
                .hasMessageContaining(
                        "application-bad.yaml:9: run.alerts.telegramBotTokenEnv: needs telegramChatId too")
                // A URL written where a variable's name belongs is a secret in a file: it is not echoed back.
                .hasMessageNotContaining("hooks.slack.com")
                .hasMessageNotContaining("XXXX");
    }

    @Test
    void run_values_of_the_wrong_shape_are_each_named_and_none_hides_another() throws IOException {
        Files.writeString(dir.resolve("application-shapes.yaml"), """
                run:
                  statusPort: 70000.5
                  stopGrace: [1, 2]
                  inboxCapacity: 50
                  alerts:
                    maxPerMinute: 0
                    webhookUrlEnv: abcdefghijklmnopqrstuvwxyz123456
                """);
        assertThatThrownBy(() -> SettingsFile.loadAll(dir, Optional.of("shapes"), List.of()))
                .isInstanceOf(SettingsFile.SettingsException.class)
                .hasMessageContaining("run.statusPort: must be a whole number, was 70000.5")
                .hasMessageContaining("run.stopGrace: must be a duration (30s, 5m, 1h), was a list")
                .hasMessageContaining("run.inboxCapacity: must be from 100 to 10000000, was 50")
                .hasMessageContaining("run.alerts.maxPerMinute: must be from 1 to 600, was 0")
                .hasMessageContaining("run.alerts.webhookUrlEnv: must name an environment variable")
                .hasMessageNotContaining("abcdefghijklmnopqrstuvwxyz123456");

        Files.writeString(dir.resolve("application-empty.yaml"), """
                run:
                  stopGrace: ~
                  alerts: ~
                """);
        assertThatThrownBy(() -> SettingsFile.loadAll(dir, Optional.of("empty"), List.of()))
                .isInstanceOf(SettingsFile.SettingsException.class)
                .hasMessageContaining("run.stopGrace: must be a duration (30s, 5m, 1h), was (empty)")
                .hasMessageContaining("run.alerts: must be a mapping, was (empty)");
    }

    @Test
    void the_shipped_testnet_profile_keeps_two_symbols_and_the_live_one_refuses_until_confirmed() {
        RunSettings testnet =
                SettingsFile.loadAll(SHIPPED, Optional.of("testnet"), List.of()).run();
        assertThat(testnet.venue().symbols()).containsExactly("BTCUSDT", "ETHUSDT");
        assertThat(testnet.venue().apiSecretEnv()).isEqualTo("BINANCE_API_SECRET");
        assertThatThrownBy(() -> SettingsFile.loadAll(SHIPPED, Optional.of("live"), List.of()))
                .isInstanceOf(SettingsFile.SettingsException.class)
                .hasMessageContaining("application-live.yaml:")
                .hasMessageContaining("run.venue.symbols: the live profile needs the symbols Ballast keeps")
                .hasMessageContaining("run.venue.confirmLive: the live profile sends real orders with real money");
    }

    @Test
    void a_venue_profile_with_five_mistakes_reports_all_five_with_file_and_line() throws IOException {
        Files.writeString(dir.resolve("application-testnet.yaml"), """
                run:
                  venue:
                    restUrl: https://fapi.binance.com
                    streamUrl: fstream.binancefuture.com
                    apiSecretEnv: "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
                    symbols: [BTCUSDT, btc-usdt]
                    accept: [withdrawals]
                """);
        assertThatThrownBy(() -> SettingsFile.loadAll(dir, Optional.of("testnet"), List.of()))
                .isInstanceOf(SettingsFile.SettingsException.class)
                .hasMessageContaining("application-testnet.yaml:3: run.venue.restUrl: the testnet profile never"
                        + " connects to a live Binance host, was https://fapi.binance.com")
                .hasMessageContaining("application-testnet.yaml:4: run.venue.streamUrl: must be a WebSocket host")
                .hasMessageContaining(
                        "application-testnet.yaml:5: run.venue.apiSecretEnv: must name an environment" + " variable")
                .hasMessageContaining(
                        "run.venue.symbols: takes the venue's symbols in capitals, like BTCUSDT, was" + " btc-usdt")
                .hasMessageContaining("run.venue.accept: takes cross-margin, exchange-auto-add, no-ip-restriction,"
                        + " was withdrawals")
                // The secret pasted where its variable's name belongs is never repeated.
                .hasMessageNotContaining("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j");

        Files.writeString(dir.resolve("application-shape.yaml"), """
                run:
                  venue:
                    symbols: BTCUSDT
                    confirmLive: yes please
                """);
        assertThatThrownBy(() -> SettingsFile.loadAll(dir, Optional.of("shape"), List.of()))
                .isInstanceOf(SettingsFile.SettingsException.class)
                .hasMessageContaining("run.venue.symbols: must be a list like [BTCUSDT, ETHUSDT], was BTCUSDT")
                .hasMessageContaining("run.venue.confirmLive: must be true or false, was yes please");
    }

    @Test
    void the_shipped_cautious_profile_overrides_what_it_names() {
        Settings cautious = SettingsFile.load(SHIPPED, Optional.of("cautious"), List.of());
        assertThat(cautious.ladder().topUpZ()).isEqualByComparingTo("5");
        assertThat(cautious.gate().episodeSharePct()).isEqualByComparingTo("10");
        assertThat(cautious.ladder().closeZ())
                .isEqualByComparingTo(Settings.defaults().ladder().closeZ());
        assertThat(cautious.gate().daySharePct()).isEqualByComparingTo("60");
    }

    @Test
    void no_config_folder_means_the_defaults() {
        assertThat(SettingsFile.load(dir.resolve("nowhere"), Optional.empty(), List.of()))
                .usingRecursiveComparison()
                .withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
                .isEqualTo(Settings.defaults());
    }

    @Test
    void layers_merge_in_order_and_durations_and_percents_are_typed() throws IOException {
        Files.writeString(
                dir.resolve("application.yaml"),
                "engine:\n  horizon: 10m\n  sigmaFloorPct: 2\npolicy:\n  name: none\n");
        Files.writeString(dir.resolve("application-night.yaml"), "engine:\n  horizon: PT45M\n");
        Path scenario = dir.resolve("s.yaml");
        Files.writeString(scenario, "name: ladder\nladder:\n  cooldown: 90s\n");
        SettingsFile.Layer policy = SettingsFile.read(scenario);
        Settings settings = SettingsFile.load(
                dir,
                Optional.of("night"),
                List.of(new SettingsFile.Layer("s.yaml", "policy", policy.tree(), policy.lines())));
        assertThat(settings.engine().horizon()).isEqualTo(Duration.ofMinutes(45));
        assertThat(settings.engine().sigmaFloor()).isEqualByComparingTo("0.02");
        assertThat(settings.policy()).isEqualTo("ladder");
        assertThat(settings.ladder().cooldown()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void every_problem_is_reported_with_file_line_and_path() throws IOException {
        Files.writeString(dir.resolve("application.yaml"), """
                engine:
                  horizon: soon
                gate:
                  episodeShare: 10
                policy:
                  name: yolo
                  ladder:
                    topUpZ: high
                    maxTopUpsPerEpisode: 1.5
                """);
        assertThatThrownBy(() -> SettingsFile.load(dir, Optional.empty(), List.of()))
                .isInstanceOf(SettingsFile.SettingsException.class)
                .hasMessageContaining(
                        "application.yaml:2: engine.horizon: must be a duration like 30s, 5m, 2h, 1d (or ISO PT30S), was soon")
                .hasMessageContaining("application.yaml:4: gate.episodeShare: unknown key")
                .hasMessageContaining(
                        "application.yaml:6: policy.name: must be one of budget, ladder, none, buffer-exit, exchange-auto-add, was yolo")
                .hasMessageContaining("application.yaml:8: policy.ladder.topUpZ: must be a number, was high")
                .hasMessageContaining(
                        "application.yaml:9: policy.ladder.maxTopUpsPerEpisode: must be a whole number, was 1.5");
    }

    @Test
    void the_loss_budget_is_auto_an_amount_or_a_share_of_equity() throws IOException {
        Files.writeString(dir.resolve("application-amount.yaml"), "policy:\n  budget:\n    lossBudget: 250\n");
        Files.writeString(dir.resolve("application-share.yaml"), "policy:\n  budget:\n    lossBudget: 4 %\n");
        Files.writeString(dir.resolve("application-auto.yaml"), "policy:\n  budget:\n    lossBudget: auto\n");
        Settings amount = SettingsFile.load(dir, Optional.of("amount"), List.of());
        Settings share = SettingsFile.load(dir, Optional.of("share"), List.of());
        Settings auto = SettingsFile.load(dir, Optional.of("auto"), List.of());

        assertThat(amount.policy()).isEqualTo("budget");
        assertThat(amount.budget().budgetAmount()).contains(new BigDecimal("250"));
        assertThat(amount.budget().budgetPct()).isEmpty();
        assertThat(share.budget().budgetPct()).contains(new BigDecimal("4"));
        assertThat(share.budget().budgetAmount()).isEmpty();
        assertThat(auto.budget().budgetAmount()).isEmpty();
        assertThat(auto.budget().budgetPct()).isEmpty();
    }

    @Test
    void a_wrong_loss_budget_is_named_with_what_it_may_be() throws IOException {
        Files.writeString(
                dir.resolve("application-bad.yaml"),
                "policy:\n  budget:\n    lossBudget: lots\n    safePct: 2\n    cutToShare: 1.2\n");
        assertThatThrownBy(() -> SettingsFile.load(dir, Optional.of("bad"), List.of()))
                .hasMessageContaining("application-bad.yaml:3: policy.budget.lossBudget: must be auto, an amount in the"
                        + " quote currency (250) or a percent of equity (4%), was lots")
                .hasMessageContaining("application-bad.yaml:4: policy.budget.safePct: must be above guardPct (3), or a"
                        + " guard cut would not leave the guard, was 2")
                .hasMessageContaining("application-bad.yaml:5: policy.budget.cutToShare: must be in (0, 1), was 1.2");
        Files.writeString(dir.resolve("application-bad.yaml"), "policy:\n  budget:\n    lossBudget: 150%\n");
        assertThatThrownBy(() -> SettingsFile.load(dir, Optional.of("bad"), List.of()))
                .hasMessage("application-bad.yaml:3: policy.budget.lossBudget: a percent of equity must be in (0, 100],"
                        + " was 150%");
    }

    @Test
    void a_symbol_has_its_own_policy_gate_and_backstop_settings_over_the_common_ones() throws IOException {
        Files.writeString(dir.resolve("application-eth.yaml"), """
                policy:
                  ladder:
                    warnZ: 7
                symbols:
                  ETHUSDT:
                    policy:
                      ladder:
                        topUpZ: 5
                    gate:
                      maxTopUpsPerEpisode: 1
                    engine:
                      backstopPct: 0
                """);
        Settings settings = SettingsFile.load(dir, Optional.of("eth"), List.of());
        Settings eth = settings.of("ETHUSDT");
        assertThat(eth.ladder().topUpZ()).isEqualByComparingTo("5");
        // The rest is the common settings, the profile's included.
        assertThat(eth.ladder().warnZ()).isEqualByComparingTo("7");
        assertThat(eth.gate().maxTopUpsPerEpisode()).isEqualTo(1);
        assertThat(eth.gate().daySharePct())
                .isEqualByComparingTo(settings.gate().daySharePct());
        assertThat(settings.of("BTCUSDT")).isSameAs(settings);
        assertThat(settings.ladder().topUpZ()).isEqualByComparingTo("4");
        assertThat(settings.engineWithSymbols().backstopFor("ETHUSDT")).isEmpty();
        assertThat(settings.engineWithSymbols().backstopFor("BTCUSDT"))
                .isEqualTo(settings.engine().backstop());
        // --policy budget keeps each symbol's own settings.
        assertThat(settings.withPolicy("budget").of("ETHUSDT").ladder().topUpZ())
                .isEqualByComparingTo("5");
    }

    @Test
    void a_symbols_mistakes_are_named_under_the_symbol_with_file_and_line() throws IOException {
        Files.writeString(dir.resolve("application-eth.yaml"), """
                symbols:
                  ETHUSDT:
                    policy:
                      name: none
                      ladder:
                        cutZ: 5
                    gate:
                      daySharePct: 90
                  ethusdt: {}
                  BTCUSDT:
                    policy:
                      ladder:
                        cutZ: 5
                """);
        assertThatThrownBy(() -> SettingsFile.load(dir, Optional.of("eth"), List.of()))
                .hasMessageContaining("application-eth.yaml:4: symbols.ETHUSDT.policy.name: is not a symbol's own"
                        + " setting (a symbol may set here: budget, ladder, bufferExit; the rest is the account's)")
                .hasMessageContaining("application-eth.yaml:8: symbols.ETHUSDT.gate.daySharePct: is not a symbol's own")
                .hasMessageContaining("symbols.ethusdt: must be a symbol in capitals, like BTCUSDT")
                .hasMessageContaining(
                        "application-eth.yaml:13: symbols.BTCUSDT.policy.ladder.cutZ: must be below topUpZ (4), was 5");
    }

    @Test
    void a_symbols_mistakes_are_named_beside_the_common_ones_and_a_symbol_not_kept_is_refused() throws IOException {
        Files.writeString(dir.resolve("application-paper.yaml"), """
                policy:
                  budget:
                    lossBudjet: 100
                run:
                  venue:
                    symbols: [BTCUSDT]
                symbols:
                  ETHUSDTT:
                    gate:
                      daySharePct: 10
                  BTCUSDT:
                    policy:
                      ladder:
                        cutZ: 9
                """);
        assertThatThrownBy(() -> SettingsFile.loadAll(dir, Optional.of("paper"), List.of()))
                .hasMessageContaining("application-paper.yaml:3: policy.budget.lossBudjet: unknown key")
                .hasMessageContaining("application-paper.yaml:10: symbols.ETHUSDTT.gate.daySharePct: is not a"
                        + " symbol's own setting")
                .hasMessageContaining("application-paper.yaml:8: symbols.ETHUSDTT: is not a symbol Ballast keeps here"
                        + " (run.venue.symbols: BTCUSDT)")
                .hasMessageContaining(
                        "application-paper.yaml:14: symbols.BTCUSDT.policy.ladder.cutZ: must be below topUpZ (4), was 9")
                // The common mistake is told once, not again under each symbol.
                .satisfies(e -> assertThat(e.getMessage().split("policy.budget.lossBudjet", -1))
                        .hasSize(2));
    }

    @Test
    void a_rule_across_values_names_the_key_that_breaks_it() throws IOException {
        Files.writeString(dir.resolve("application-bad.yaml"), "policy:\n  ladder:\n    cutZ: 5\n");
        assertThatThrownBy(() -> SettingsFile.load(dir, Optional.of("bad"), List.of()))
                .hasMessage("application-bad.yaml:3: policy.ladder.cutZ: must be below topUpZ (4), was 5");
    }

    @Test
    void every_setting_has_a_range_and_every_problem_is_reported_at_once_in_line_order() throws IOException {
        Files.writeString(dir.resolve("application-wild.yaml"), """
                engine:
                  horizon: 0s
                  volatilityMemory: 0s
                  sigmaFloorPct: -1
                gate:
                  daySharePct: 250
                  episodeSharePct: lots
                policy:
                  ladder:
                    topUpZ: -4
                    maxCutSharePct: 0
                    cooldown: 1d
                paper:
                  slippagePct: 200
                  takerFeePct: 1e400
                """);
        assertThatThrownBy(() -> SettingsFile.load(dir, Optional.of("wild"), List.of()))
                .hasMessage(String.join(
                        System.lineSeparator(),
                        "application-wild.yaml:2: engine.horizon: must be longer than 0 (a duration like 30s, 5m, 2h),"
                                + " was 0s",
                        "application-wild.yaml:3: engine.volatilityMemory: must be longer than 0 (a duration like 30s,"
                                + " 5m, 2h), was 0s",
                        "application-wild.yaml:4: engine.sigmaFloorPct: must be in (0, 100), was -1",
                        "application-wild.yaml:6: gate.daySharePct: must be in [0, 100], was 250",
                        "application-wild.yaml:7: gate.episodeSharePct: must be a number, was lots",
                        "application-wild.yaml:10: policy.ladder.topUpZ: must be > 0, was -4",
                        "application-wild.yaml:11: policy.ladder.maxCutSharePct: must be in (0, 100], was 0",
                        "application-wild.yaml:14: paper.slippagePct: must be in [0, 10], was 200",
                        "application-wild.yaml:15: paper.takerFeePct: must be a number of a sensible size (at most"
                                + " 1,000,000,000), was 1E+400"));
    }

    @Test
    void a_horizon_and_a_memory_are_whole_seconds() throws IOException {
        // Both monitors take them in whole seconds: a part of one would be dropped without a word.
        for (String key : List.of("horizon", "volatilityMemory")) {
            for (String value : List.of("500ms", "1500ms", "PT0.2S")) {
                Files.writeString(dir.resolve("application-short.yaml"), "engine:\n  " + key + ": " + value + "\n");
                assertThatThrownBy(() -> SettingsFile.load(dir, Optional.of("short"), List.of()))
                        .hasMessageStartingWith("application-short.yaml:2: engine." + key
                                + ": must be whole seconds, at least 1s, was ");
            }
        }
        // A floor of tens of percent over a second leaves the fixed point: the engine takes σ in BigDecimal.
        Files.writeString(dir.resolve("application-short.yaml"), "engine:\n  horizon: 1s\n  sigmaFloorPct: 90\n");
        assertThat(SettingsFile.load(dir, Optional.of("short"), List.of())
                        .engine()
                        .horizon())
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void a_missing_profile_lists_the_profiles_there_are() throws IOException {
        // A folder of its own: a profile a user adds to config/ must not change what this test sees.
        Files.writeString(dir.resolve("application-cautious.yaml"), "engine:\n  horizon: 45m\n");
        Files.writeString(dir.resolve("application-cut-first.yaml"), "gate:\n  daySharePct: 10\n");
        Files.createDirectories(dir.resolve("application-folder.yaml"));
        assertThatThrownBy(() -> SettingsFile.load(dir, Optional.of("nightly"), List.of()))
                .hasMessageContaining("profile 'nightly' not found")
                .hasMessageEndingWith("profiles: cautious, cut-first");
    }
}
