package ballast.app.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ballast.app.replay.ScenarioFile.ScenarioException;
import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario YAML: a valid file loads into the expected {@link Scenario}; a bad one fails with every problem at once, each
 * as {@code file:line: path: rule, was value}; files that are not scenarios at all fail with one clear line.
 */
class ScenarioFileTest {

    @TempDir
    Path dir;

    /** Writes {@code content} to {@code dir/relative}, creating folders; returns the absolute path. */
    Path write(String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** Data files only have to exist for {@link ScenarioFile}: their content is the loaders' business. */
    Path dummy(String relative) throws IOException {
        return write(relative, "dummy\n");
    }

    static List<String> problems(ScenarioException e) {
        return e.getMessage().lines().toList();
    }

    ScenarioException failure(Path scenario) {
        Throwable thrown = catchThrowable(() -> ScenarioFile.load(scenario));
        assertThat(thrown).isInstanceOf(ScenarioException.class);
        return (ScenarioException) thrown;
    }

    // ---------------------------------------------------------------- valid files

    @Test
    void full_scenario_loads_with_paths_resolved_against_the_scenarios_folder() throws IOException {
        Path btcCandles = dummy("scenarios/data/BTCUSDT-5m.json");
        Path btcMark = dummy("scenarios/data/BTCUSDT-mark.csv");
        Path btcFunding = dummy("scenarios/data/BTCUSDT-funding.csv");
        Path ethCandles = dummy("shared/ETHUSDT-5m.csv");
        Path scenario = write("scenarios/ftx.yaml", """
                name: FTX collapse
                exchange: binance
                tiersAsOf: 2022-11-01
                from: 2022-11-07
                to: 2022-11-10T12:30:00Z
                account:
                  wallet: 1000
                positions:
                  - symbol: btcusdt
                    side: long
                    leverage: 10
                    margin: 250.5
                    data:
                      candles: data/BTCUSDT-5m.json
                      mark: data/BTCUSDT-mark.csv
                      funding: ./data/BTCUSDT-funding.csv
                  - symbol: ETHUSDT
                    side: SHORT
                    leverage: 5
                    margin: 100
                    marginMode: cross
                    data:
                      candles: ../shared/ETHUSDT-5m.csv
                policy:
                  name: ladder
                """);

        Scenario loaded = ScenarioFile.load(scenario);

        // The policy section is carried as a settings layer (checked where the profile is read), named after this file.
        assertThat(loaded.policySettings()).hasValueSatisfying(layer -> {
            assertThat(layer.fileName()).isEqualTo(scenario.getFileName().toString());
            assertThat(layer.prefix()).isEqualTo("policy");
            assertThat(layer.tree().get("name").asText()).isEqualTo("ladder");
        });
        assertThat(loaded)
                .usingRecursiveComparison()
                .ignoringFields("policySettings", "positions.where")
                .isEqualTo(new Scenario(
                        "FTX collapse",
                        Venue.BINANCE,
                        Optional.of(LocalDate.parse("2022-11-01")),
                        Instant.parse("2022-11-07T00:00:00Z"),
                        Instant.parse("2022-11-10T12:30:00Z"),
                        Scenario.DEFAULT_WARM_UP,
                        new BigDecimal("1000"),
                        List.of(
                                new Scenario.PositionSpec(
                                        "BTCUSDT",
                                        Side.LONG,
                                        new BigDecimal("10"),
                                        new BigDecimal("250.5"),
                                        MarginMode.ISOLATED,
                                        btcCandles,
                                        Optional.of(btcMark),
                                        Optional.of(btcFunding)),
                                new Scenario.PositionSpec(
                                        "ETHUSDT",
                                        Side.SHORT,
                                        new BigDecimal("5"),
                                        new BigDecimal("100"),
                                        MarginMode.CROSS,
                                        ethCandles,
                                        Optional.empty(),
                                        Optional.empty())),
                        Optional.empty()));
        // Resolved paths are absolute and normalized (no "./" or "../" left).
        assertThat(loaded.positions()).allSatisfy(p -> {
            assertThat(p.candles()).isAbsolute();
            assertThat(p.candles().toString()).doesNotContain("..").doesNotContain("/./");
        });
    }

    @Test
    void minimal_scenario_takes_the_defaults_and_leaves_optional_fields_empty() throws IOException {
        Path candles = dummy("cases/BTCUSDT.csv");
        Path scenario = write("cases/minimal.yaml", """
                from: 2022-11-07T00:00:00Z
                to: 2022-11-08
                account:
                  wallet: 0.1
                positions:
                  - symbol: solusdt
                    side: short
                    leverage: 2.5
                    margin: 12.75
                    data:
                      candles: BTCUSDT.csv
                """);

        Scenario loaded = ScenarioFile.load(scenario);

        assertThat(loaded.name()).isEqualTo("minimal.yaml");
        assertThat(loaded.exchange()).isEqualTo(Venue.BINANCE);
        assertThat(loaded.tiersAsOf()).isEmpty();
        assertThat(loaded.policySettings()).isEmpty();
        assertThat(loaded.from()).isEqualTo(Instant.parse("2022-11-07T00:00:00Z"));
        assertThat(loaded.to()).isEqualTo(Instant.parse("2022-11-08T00:00:00Z"));
        assertThat(loaded.wallet()).isEqualByComparingTo("0.1");
        assertThat(loaded.positions())
                .containsExactly(new Scenario.PositionSpec(
                        "SOLUSDT",
                        Side.SHORT,
                        new BigDecimal("2.5"),
                        new BigDecimal("12.75"),
                        MarginMode.ISOLATED,
                        candles,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        BigDecimal.ZERO,
                        "minimal.yaml:6: positions[0]"));
    }

    @Test
    void every_venue_is_accepted_case_insensitively() throws IOException {
        dummy("v/c.csv");
        for (Venue venue : Venue.values()) {
            Path scenario = write("v/" + venue.id() + ".yaml", """
                    exchange: %s
                    from: 2024-01-01
                    to: 2024-01-02
                    account: {wallet: 50}
                    positions:
                      - {symbol: BTCUSDT, side: Long, leverage: 3, margin: 10, data: {candles: c.csv}}
                    """.formatted(
                            venue.name().charAt(0) + venue.id().substring(1)));
            assertThat(ScenarioFile.load(scenario).exchange()).isEqualTo(venue);
        }
    }

    // ---------------------------------------------------------------- problems, all at once, with lines

    @Test
    void all_problems_are_reported_together_with_file_line_path_rule_and_value() throws IOException {
        dummy("bad/eth.csv");
        Path scenario = write("bad/broken.yaml", """
                name: broken
                exchange: ftx
                levrage: 10
                from: yesterday
                to: 2022-11-10
                positions:
                  - symbol: BTCUSDT
                    side: up
                    leverage: -5
                    margin: 100
                    data:
                      candles: missing.json
                  - symbol: ETHUSDT
                    side: short
                    leverge: 10
                    margin: 50
                    data:
                      candles: eth.csv
                """);

        ScenarioException e = failure(scenario);

        String missing = dir.resolve("bad/missing.json").toString();
        assertThat(problems(e))
                .containsExactly(
                        "broken.yaml:3: levrage: unknown key (known: account, exchange, from, name, policy, positions,"
                                + " signals, tiersAsOf, to, warmUp), was levrage",
                        "broken.yaml:2: exchange: must be one of binance, bybit, okx, gate, kucoin, was ftx",
                        "broken.yaml:4: from: must be a UTC time like 2022-11-07T00:00:00Z (or a date 2022-11-07),"
                                + " was yesterday",
                        "broken.yaml:1: account: is required (account: wallet: free balance besides the positions'"
                                + " margin), was missing",
                        "broken.yaml:8: positions[0].side: must be one of long, short, was up",
                        "broken.yaml:9: positions[0].leverage: must be from 1 to 125 (times the margin), was -5",
                        "broken.yaml:12: positions[0].data.candles: no such file or folder (paths are relative to"
                                + " the scenario file), was " + missing,
                        "broken.yaml:15: positions[1].leverge: unknown key (known: data, leverage, maintAmount, margin,"
                                + " marginMode, mmr, side, symbol), was leverge",
                        "broken.yaml:13: positions[1].leverage: is required, was missing");
    }

    @Test
    void to_before_from_points_at_to() throws IOException {
        dummy("order/c.csv");
        Path scenario = write("order/backwards.yaml", """
                # window given backwards
                from: 2022-11-10T00:00:00Z
                to: 2022-11-07
                account:
                  wallet: 100
                positions:
                  - symbol: BTCUSDT
                    side: long
                    leverage: 10
                    margin: 10
                    data:
                      candles: c.csv
                """);

        assertThat(problems(failure(scenario)))
                .containsExactly("backwards.yaml:3: to: must be after from (2022-11-10T00:00:00Z),"
                        + " was 2022-11-07T00:00:00Z");
    }

    @Test
    void to_equal_to_from_is_an_empty_window() throws IOException {
        dummy("eq/c.csv");
        Path scenario = write("eq/empty.yaml", """
                from: 2022-11-07
                to: 2022-11-07T00:00:00Z
                account: {wallet: 100}
                positions: [{symbol: BTCUSDT, side: long, leverage: 10, margin: 10, data: {candles: c.csv}}]
                """);

        assertThat(problems(failure(scenario)))
                .containsExactly(
                        "empty.yaml:2: to: must be after from (2022-11-07T00:00:00Z), was 2022-11-07T00:00:00Z");
    }

    @Test
    void missing_and_wrong_values_in_nested_blocks() throws IOException {
        Path scenario = write("nested/n.yaml", """
                from: 2022-11-07
                to: 2022-11-08
                tiersAsOf: last week
                account:
                  wallet: lots
                  currency: USDT
                positions:
                  - symbol: BTCUSDT
                    side: long
                    leverage: 10x
                    margin: 0
                    marginMode: portfolio
                  - just a string
                policy:
                  name: ladder
                  aggressive: true
                """);

        assertThat(problems(failure(scenario)))
                .containsExactly(
                        "n.yaml:3: tiersAsOf: must be a date YYYY-MM-DD, was last week",
                        "n.yaml:6: account.currency: unknown key (known: wallet), was currency",
                        "n.yaml:5: account.wallet: must be a decimal number, was lots",
                        "n.yaml:10: positions[0].leverage: must be a decimal number, was 10x",
                        "n.yaml:11: positions[0].margin: must be > 0, was 0",
                        "n.yaml:12: positions[0].marginMode: must be one of isolated, cross, was portfolio",
                        "n.yaml:8: positions[0].data: is required (data: candles: FILE|FOLDER, mark: FILE|FOLDER,"
                                + " funding: FILE|FOLDER), was missing",
                        "n.yaml:13: positions[1]: must be a mapping (symbol:, side:, leverage:, ...),"
                                + " was \"just a string\"",
                        "n.yaml:16: policy.aggressive: unknown key (known: budget, bufferExit, ladder, name), was aggressive");
    }

    @Test
    void missing_required_top_level_keys() throws IOException {
        Path scenario = write("top/empty-ish.yaml", "name: nothing else\n");

        assertThat(problems(failure(scenario)))
                .containsExactly(
                        "empty-ish.yaml:1: from: is required, was missing",
                        "empty-ish.yaml:1: to: is required, was missing",
                        "empty-ish.yaml:1: account: is required (account: wallet: free balance besides the"
                                + " positions' margin), was missing",
                        "empty-ish.yaml:1: positions: must be a list of positions, each starting with '- symbol:', was missing");
    }

    @Test
    void missing_optional_data_files_are_reported_too() throws IOException {
        dummy("opt/c.csv");
        Path scenario = write("opt/o.yaml", """
                from: 2022-11-07
                to: 2022-11-08
                account: {wallet: 100}
                positions:
                  - symbol: BTCUSDT
                    side: long
                    leverage: 10
                    margin: 10
                    data:
                      candles: c.csv
                      mark: nope-mark.csv
                      funding: nope-funding.csv
                """);

        assertThat(problems(failure(scenario)))
                .containsExactly(
                        "o.yaml:11: positions[0].data.mark: no such file or folder (paths are relative to the scenario"
                                + " file), was " + dir.resolve("opt/nope-mark.csv"),
                        "o.yaml:12: positions[0].data.funding: no such file or folder (paths are relative to the"
                                + " scenario file), was " + dir.resolve("opt/nope-funding.csv"));
    }

    @Test
    void a_data_path_may_name_a_folder_of_files_and_warm_up_is_read() throws IOException {
        Files.createDirectories(dir.resolve("dirs/candles"));
        Path scenario = write("dirs/d.yaml", """
                from: 2022-11-07
                to: 2022-11-08
                warmUp: 12h
                account: {wallet: 100}
                positions:
                  - {symbol: BTCUSDT, side: long, leverage: 10, margin: 10, data: {candles: candles}}
                """);

        Scenario loaded = ScenarioFile.load(scenario);
        assertThat(loaded.positions().getFirst().candles()).isEqualTo(dir.resolve("dirs/candles"));
        assertThat(loaded.warmUp()).isEqualTo(java.time.Duration.ofHours(12));
    }

    @Test
    void a_warm_up_that_is_not_a_duration_or_too_long_is_named() throws IOException {
        write("w/c.csv", "date_utc,open,high,low,close\n");
        Path scenario = write("w/w.yaml", """
                from: 2022-11-07
                to: 2022-11-08
                warmUp: a while
                account: {wallet: 100}
                positions:
                  - {symbol: BTCUSDT, side: long, leverage: 10, margin: 10, data: {candles: c.csv}}
                """);
        assertThat(problems(failure(scenario)))
                .containsExactly("w.yaml:3: warmUp: must be a duration like 12h or 1d (0 for none), was a while");
        Path tooLong = write("w/l.yaml", Files.readString(scenario).replace("a while", "90d"));
        assertThat(problems(failure(tooLong)))
                .containsExactly("l.yaml:3: warmUp: must be a duration from 0 to 30d, was 90d");
    }

    // ---------------------------------------------------------------- not a scenario at all

    @Test
    void a_list_at_the_top_is_not_a_scenario() throws IOException {
        Path scenario = write("shapes/list.yaml", "- name: a\n- name: b\n");

        assertThatThrownBy(() -> ScenarioFile.load(scenario))
                .isInstanceOf(ScenarioException.class)
                .hasMessage("list.yaml: a scenario is a YAML mapping (name:, exchange:, from:, ...)");
    }

    @Test
    void a_plain_scalar_or_an_empty_file_is_not_a_scenario() throws IOException {
        Path scalar = write("shapes/scalar.yaml", "just words\n");
        Path empty = write("shapes/empty.yaml", "");

        assertThatThrownBy(() -> ScenarioFile.load(scalar))
                .isInstanceOf(ScenarioException.class)
                .hasMessage("scalar.yaml: a scenario is a YAML mapping (name:, exchange:, from:, ...)");
        assertThatThrownBy(() -> ScenarioFile.load(empty))
                .isInstanceOf(ScenarioException.class)
                .hasMessage("empty.yaml: a scenario is a YAML mapping (name:, exchange:, from:, ...)");
    }

    @Test
    void invalid_yaml_is_one_line_without_stack_trace_text() throws IOException {
        Path scenario = write("syntax/bad.yaml", "name: [unclosed\nfrom: 2022-11-07\n  to: : :\n");

        ScenarioException e = failure(scenario);

        assertThat(e.getMessage())
                .containsPattern("^bad\\.yaml:\\d+: not valid YAML: ")
                .hasSizeGreaterThan("bad.yaml: not valid YAML: ".length())
                .doesNotContain("\n")
                .doesNotContain("\r")
                .doesNotContain("\tat ")
                .doesNotContain("Exception");
    }

    @Test
    void a_tab_indented_file_is_invalid_yaml_in_one_line() throws IOException {
        Path scenario = write("syntax/tabs.yaml", "account:\n\twallet: 1\n");

        assertThat(failure(scenario).getMessage())
                .containsPattern("^tabs\\.yaml:\\d+: not valid YAML: ")
                .doesNotContain("\n");
    }

    @Test
    void a_missing_scenario_file_says_so() {
        Path scenario = dir.resolve("nowhere/scenario.yaml");

        assertThatThrownBy(() -> ScenarioFile.load(scenario))
                .isInstanceOf(ScenarioException.class)
                .hasMessage("scenario file not found: " + scenario)
                .hasNoCause();
    }

    @Test
    void a_folder_instead_of_a_file_cannot_be_read_in_one_line() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("folder.yaml"));

        assertThat(failure(folder).getMessage())
                .startsWith("cannot read scenario file " + folder)
                .doesNotContain("\n");
    }

    // ---------------------------------------------------------------- known gaps (production code not changed here)

    @Test
    void decimals_keep_every_digit_written() throws IOException {
        dummy("digits/c.csv");
        Path scenario = write("digits/d.yaml", """
                from: 2022-11-07
                to: 2022-11-08
                account: {wallet: 1234567.123456789012345}
                positions:
                  - {symbol: BTCUSDT, side: long, leverage: 10, margin: 0.30000000000000001, data: {candles: c.csv}}
                """);

        Scenario loaded = ScenarioFile.load(scenario);

        assertThat(loaded.wallet()).isEqualByComparingTo("1234567.123456789012345");
        assertThat(loaded.positions().get(0).margin()).isEqualByComparingTo("0.30000000000000001");
    }

    @Test
    void a_duplicate_key_is_a_problem() throws IOException {
        dummy("dup/c.csv");
        Path scenario = write("dup/d.yaml", """
                from: 2022-11-07
                to: 2022-11-08
                account: {wallet: 1}
                positions:
                  - symbol: BTCUSDT
                    side: long
                    leverage: 10
                    leverage: 20
                    margin: 1
                    data: {candles: c.csv}
                """);

        assertThat(problems(failure(scenario)))
                .singleElement()
                .asString()
                .startsWith("d.yaml:8:")
                .contains("Duplicate field 'leverage'");
    }

    @Test
    void invalid_yaml_names_the_line() throws IOException {
        Path scenario = write("syntax/where.yaml", "name: ok\nfrom: 2022-11-07\npositions: [unclosed\nto: x\n");

        assertThat(failure(scenario).getMessage()).doesNotContain("\n").containsPattern("where\\.yaml:\\d+|line \\d+");
    }

    // ---------------------------------------------------------------- the trader's signals

    @Test
    void signals_load_in_time_order_and_a_policy_section_may_set_the_budget() throws IOException {
        dummy("sig/c.csv");
        Path scenario = write("sig/s.yaml", """
                from: 2022-11-07
                to: 2022-11-10
                account:
                  wallet: 0
                positions:
                  - symbol: BTCUSDT
                    side: long
                    leverage: 10
                    margin: 100
                    data:
                      candles: c.csv
                signals:
                  - at: 2022-11-09T00:00:00Z
                    symbol: btcusdt
                    conviction: 0
                  - at: 2022-11-08
                    symbol: BTCUSDT
                    conviction: 0.5
                policy:
                  name: budget
                  budget:
                    lossBudget: 4%
                """);

        Scenario loaded = ScenarioFile.load(scenario);

        assertThat(loaded.signals())
                .containsExactly(
                        new Scenario.Signal(Instant.parse("2022-11-08T00:00:00Z"), "BTCUSDT", new BigDecimal("0.5")),
                        new Scenario.Signal(Instant.parse("2022-11-09T00:00:00Z"), "BTCUSDT", BigDecimal.ZERO));
        assertThat(loaded.policySettings()).isPresent();
    }

    @Test
    void a_bad_signal_names_its_item_key_and_value() throws IOException {
        dummy("badsig/c.csv");
        Path scenario = write("badsig/s.yaml", """
                from: 2022-11-07
                to: 2022-11-10
                account:
                  wallet: 0
                positions:
                  - symbol: BTCUSDT
                    side: long
                    leverage: 10
                    margin: 100
                    data:
                      candles: c.csv
                signals:
                  - at: 2022-12-01
                    symbol: BTCUSDT
                    conviction: 0.5
                  - at: 2022-11-08
                    symbol: ETHUSDT
                    conviction: 1.5
                  - at: 2022-11-08
                    conviction: 1
                    mood: calm
                """);

        assertThat(problems(failure(scenario)))
                .containsExactly(
                        "s.yaml:13: signals[0].at: must be inside the window, from 2022-11-07T00:00:00Z to"
                                + " 2022-11-10T00:00:00Z, was 2022-12-01T00:00:00Z",
                        "s.yaml:18: signals[1].conviction: must be from 0 to 1 (1: full conviction, 0: none),"
                                + " was 1.5",
                        "s.yaml:17: signals[1].symbol: must be a symbol the scenario holds (BTCUSDT), was ETHUSDT",
                        "s.yaml:21: signals[2].mood: unknown key (known: at, conviction, symbol), was mood",
                        "s.yaml:19: signals[2].symbol: is required, was missing");
    }
}
