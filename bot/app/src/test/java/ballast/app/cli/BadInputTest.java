package ballast.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A trader's mistakes, class by class, through the real command line: each ends with exit 2 and one message that names
 * the flag, file and line, or key, and the value; none reaches "unexpected error" or shows a Java class name. Real FTX
 * data from the repository's shipped scenario data.
 */
class BadInputTest {

    static final Path FTX =
            Path.of("../../config/scenarios/data/ftx-2022-11").toAbsolutePath().normalize();
    static final Pattern JAVA =
            Pattern.compile("Exception|java\\.|\\sat [a-z][\\w.$/]*\\(|unexpected error|Input length");

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    /** One command line, as the launcher runs it, with no environment and the clock at 2026-12-01. */
    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(
                args,
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                Map.of(),
                Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC));
        return new Result(exit, out.toString(), err.toString());
    }

    /** A mistake: exit 2, one line (or one line per problem), nothing a programmer would write. */
    Result mistake(String... args) {
        Result r = run(args);
        assertThat(r.exit())
                .as(String.join(" ", args) + " → " + r.err() + r.out())
                .isEqualTo(2);
        assertThat(r.err()).isNotBlank();
        assertThat(JAVA.matcher(r.err()).find()).as(r.err()).isFalse();
        return r;
    }

    String scenario = """
            name: probe
            exchange: %s
            from: 2022-11-06
            to: 2022-11-09
            account:
              wallet: %s
            positions:
              - symbol: %s
                side: long
                leverage: %s
                margin: %s
                data:
                  candles: %s/binance_um_BTCUSDT_1h.csv
                  mark: %s/binance_um_BTCUSDT_1h_mark.csv
            """;

    Path scenario(String exchange, String wallet, String symbol, String leverage, String margin) throws IOException {
        return Files.writeString(
                dir.resolve("s.yaml"), scenario.formatted(exchange, wallet, symbol, leverage, margin, FTX, FTX));
    }

    @BeforeEach
    void clean() throws IOException {
        Files.deleteIfExists(dir.resolve("s.yaml"));
    }

    @ParameterizedTest(name = "{0} {1} {2} lev {3} margin {4}")
    @CsvSource(
            delimiter = '|',
            value = {
                "okx|5000|BTCUSDT|10|1000|s.yaml:8: positions[0].symbol: no risk tiers ship for okx BTCUSDT",
                "binance|5000|DOGEUSDT|10|1000|s.yaml:8: positions[0].symbol: no risk tiers ship for binance DOGEUSDT",
                "binance|-5000|BTCUSDT|10|1000|s.yaml:6: account.wallet: must be from 0 to",
                "binance|5000|BTCUSDT|200|1000|s.yaml:10: positions[0].leverage: must be from 1 to 125 (times the margin), was 200",
                "binance|5000|BTCUSDT|1e400|1000|s.yaml:10: positions[0].leverage: must be from 1 to 125 (times the margin), was 1E+400",
                "binance|5000|BTCUSDT|125|1000|s.yaml:8: positions[0].leverage: the venue allows at most 100x for",
                "binance|5000|BTCUSDT|10|1e-9|s.yaml:8: positions[0].margin: 0.000000001 USDT at 10x buys less than",
            })
    void scenario_values_a_venue_would_refuse_are_named(
            String exchange, String wallet, String symbol, String leverage, String margin, String message)
            throws IOException {
        Path file = scenario(exchange, wallet, symbol, leverage, margin);
        assertThat(mistake("replay", file.toString(), "--compare", "-").err()).contains(message);
    }

    @Test
    void a_venue_without_shipped_tiers_runs_on_a_rate_the_scenario_gives() throws IOException {
        Path file = scenario("okx", "5000", "BTCUSDT", "10", "1000");
        Files.writeString(
                file, Files.readString(file).replace("    margin: 1000\n", "    margin: 1000\n    mmr: 0.004\n"));
        Result r = run("replay", file.toString(), "--compare", "-");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("maintenance margin 0.4 % of the notional less 0 (one flat tier, from the scenario)");
    }

    @Test
    void silent_things_are_said() throws IOException {
        // ETHUSDT on BTC candles, and a window that runs past the data's end (the FTX files end 2022-11-10T23:00).
        Path file = Files.writeString(
                dir.resolve("s.yaml"),
                scenario.formatted("binance", "5000", "ETHUSDT", "10", "1000", FTX, FTX)
                        .replace("to: 2022-11-09", "to: 2022-11-14"));
        Result r = run("replay", file.toString(), "--compare", "-");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("WARNING ETHUSDT: the path of binance_um_BTCUSDT_1h.csv names BTCUSDT")
                .contains("WARNING ETHUSDT: the first price in binance_um_BTCUSDT_1h.csv, 21289.8, is outside")
                .contains("ETHUSDT: the data covers only 2022-11-06T00:00:00Z to 2022-11-11T00:00:00Z of the window");
    }

    @Test
    void a_second_yaml_document_a_binary_file_and_bad_policy_values() throws IOException {
        Path file = scenario("binance", "5000", "BTCUSDT", "10", "1000");
        Files.writeString(file, Files.readString(file) + "---\nname: another\n");
        assertThat(mistake("replay", file.toString()).err()).contains("s.yaml:16: a second YAML document");

        Path binary = Files.write(dir.resolve("b.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80});
        assertThat(mistake("replay", binary.toString()).err()).contains("not a text file");

        Path policy = scenario("binance", "5000", "BTCUSDT", "10", "1000");
        Files.writeString(
                policy, Files.readString(policy) + "policy:\n  ladder:\n    topUpZ: -4\n    maxCutSharePct: 250\n");
        assertThat(mistake("replay", policy.toString()).err())
                .isEqualTo("ballast replay: s.yaml:17: policy.ladder.topUpZ: must be > 0, was -4\n"
                        + "s.yaml:18: policy.ladder.maxCutSharePct: must be in (0, 100], was 250\n");
    }

    @Test
    void data_files_speak_plainly() throws IOException {
        Path candles = Files.writeString(
                dir.resolve("nan.json"), "[[1667692800000,20000,NaN,19000,19500,1],[1667696400000,1,1,1,1,1]]");
        Path file = Files.writeString(
                dir.resolve("s.yaml"),
                scenario.formatted("binance", "5000", "BTCUSDT", "10", "1000", FTX, FTX)
                        .replace(FTX + "/binance_um_BTCUSDT_1h.csv", candles.toString()));
        assertThat(mistake("replay", file.toString()).err())
                .contains("nan.json: line 1, row 1: NaN is not a number")
                .doesNotContain("JsonReadFeature");
    }

    @Test
    void report_paths_are_checked_before_the_replay() throws IOException {
        Path file = scenario("binance", "5000", "BTCUSDT", "10", "1000");
        Path same = dir.resolve("r.out");
        assertThat(mistake("replay", file.toString(), "--json", same.toString(), "--html", same.toString())
                        .err())
                .contains("--json and --html name the same file");
        Path aFile = Files.writeString(dir.resolve("plain"), "x");
        assertThat(mistake(
                                "replay",
                                file.toString(),
                                "--html",
                                aFile.resolve("r.html").toString())
                        .err())
                .contains("--html " + aFile.resolve("r.html") + ": " + aFile + " is a file, not a folder");
        Result ok = run(
                "replay",
                file.toString(),
                "--compare",
                "-",
                "--html",
                dir.resolve("new/r.html").toString());
        assertThat(ok.out()).contains("(folder " + dir.resolve("new") + " created)");
        String html = Files.readString(dir.resolve("new/r.html"));
        assertThat(Pattern.compile("\\d\\.\\d{9,}").matcher(html).find())
                .as("no 20-digit quotients in the HTML report")
                .isFalse();
    }

    @Test
    void liq_mistakes_and_answers_a_trader_can_use() {
        assertThat(mistake(
                                "liq",
                                "--exchange",
                                "binance",
                                "--side",
                                "long",
                                "--qty",
                                "1e400",
                                "--entry",
                                "60000",
                                "--leverage",
                                "10",
                                "--symbol",
                                "BTCUSDT")
                        .err())
                .isEqualTo("ballast liq: --qty must be from 0.00000001 to 1000000000 (base units), was 1E+400\n");
        assertThat(mistake(
                                "liq",
                                "--exchange",
                                "binance",
                                "--side",
                                "long",
                                "--qty",
                                "1e-30",
                                "--entry",
                                "60000",
                                "--leverage",
                                "10",
                                "--symbol",
                                "BTCUSDT")
                        .err())
                .contains("--qty must be from 0.00000001");
        Result unnamed = run(
                "liq",
                "--exchange",
                "binance",
                "--side",
                "long",
                "--qty",
                "0.5",
                "--entry",
                "60000",
                "--leverage",
                "10",
                "--mmr",
                "0.004",
                "--json");
        assertThat(unnamed.out()).contains("\"symbol\" : null").doesNotContain("\"position\"");
        Result wrongSide = run(
                "liq",
                "--exchange",
                "binance",
                "--side",
                "long",
                "--qty",
                "0.5",
                "--entry",
                "60000",
                "--wallet",
                "100",
                "--mmr",
                "0.2");
        assertThat(wrongSide.out()).contains("on the wrong side of the entry price");
        Result past = run(
                "liq",
                "--exchange",
                "binance",
                "--side",
                "long",
                "--qty",
                "0.5",
                "--entry",
                "60000",
                "--leverage",
                "10",
                "--symbol",
                "BTCUSDT",
                "--mark",
                "50000",
                "--target-distance",
                "10");
        assertThat(past.out())
                .contains("No target: the mark is past the liquidation price")
                .doesNotContain("  add margin ");
    }

    @Test
    void scenario_shapes_a_venue_cannot_hold_are_named_at_their_line() throws IOException {
        String base = scenario.formatted("binance", "5000", "BTCUSDT", "10", "1000", FTX, FTX);
        String second = base.substring(base.indexOf("  - symbol:"));
        Path twice = Files.writeString(dir.resolve("twice.yaml"), base + second);
        assertThat(mistake("replay", twice.toString()).err())
                .contains("twice.yaml:15: positions[1].side: a second long BTCUSDT (the first is at twice.yaml:8:"
                        + " positions[0]): a venue holds one position per symbol and side");
        Path mixed = Files.writeString(
                dir.resolve("mixed.yaml"),
                base
                        + second.replace("side: long", "side: short")
                                .replace("margin: 1000", "margin: 1000\n    marginMode: cross"));
        assertThat(mistake("replay", mixed.toString()).err())
                .contains("BTCUSDT is isolated at mixed.yaml:8: positions[0]:" + " a symbol has one margin mode");
        Path bybitCross = Files.writeString(
                dir.resolve("bc.yaml"),
                base.replace("exchange: binance", "exchange: bybit")
                        .replace("margin: 1000", "margin: 1000\n    marginMode: cross"));
        assertThat(mistake("replay", bybitCross.toString()).err())
                .contains("positions[0].marginMode: cross is measured on Binance's rules only");
        Path noWallet = Files.writeString(
                dir.resolve("nw.yaml"),
                base.replace("wallet: 5000", "wallet: 0")
                        .replace("margin: 1000", "margin: 1000\n    marginMode: cross"));
        assertThat(mistake("replay", noWallet.toString()).err())
                .contains("account.wallet: must be above 0 with a cross position");
        Path tab = Files.writeString(dir.resolve("tab.yaml"), base.replace("  wallet: 5000", "\twallet: 5000"));
        assertThat(mistake("replay", tab.toString()).err()).contains("tab.yaml:5: not valid YAML: a tab character");
        Path nan = Files.writeString(dir.resolve("nan.yaml"), base.replace("wallet: 5000", "wallet: .nan"));
        assertThat(mistake("replay", nan.toString()).err()).contains("'.nan' is not a number");
        Path list = Files.writeString(dir.resolve("list.yaml"), base.replace("wallet: 5000", "wallet: [5000]"));
        assertThat(mistake("replay", list.toString()).err())
                .contains("account.wallet: must be a decimal number, not a list, was [5000]");
    }

    @Test
    void a_report_never_replaces_what_the_replay_reads() throws IOException {
        Path file = scenario("binance", "5000", "BTCUSDT", "10", "1000");
        String before = Files.readString(file);
        assertThat(mistake("replay", file.toString(), "--html", file.toString()).err())
                .contains("--html " + file + " is one of the replay's own inputs");
        assertThat(mistake(
                                "replay",
                                file.toString(),
                                "--json",
                                FTX.resolve("binance_um_BTCUSDT_1h.csv").toString())
                        .err())
                .contains("is one of the replay's own inputs");
        assertThat(mistake("replay", file.toString(), "--html", "-").err()).contains("--html takes a file name");
        assertThat(mistake("demo", "--html", "-").err()).contains("--html takes a file name");
        assertThat(mistake("demo", "--html", dir.toString()).err()).contains("is a folder");
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void download_flags_are_checked_before_the_network_and_named() {
        String[] base = {
            "data",
            "download",
            "--symbol",
            "BTCUSDT",
            "--from",
            "2022-11-05",
            "--to",
            "2022-11-07",
            "--interval",
            "1h",
            "--rest-url",
            "http://127.0.0.1:9",
            "--archive-url",
            "http://127.0.0.1:9",
            "--dir",
            dir.resolve("d").toString()
        };
        assertThat(mistake(concat(base, "--leverage", "20")).err()).contains("--leverage goes with --scenario FILE");
        assertThat(mistake(concat(base, "--scenario", dir.resolve("s.yaml").toString(), "--leverage", "500"))
                        .err())
                .contains("--leverage must be from 1 to 125");
        assertThat(mistake(concat(base, "--scenario", dir.resolve("s.yaml").toString(), "--wallet", "1e400"))
                        .err())
                .contains("--wallet must be from 0 to 1000000000000 (USDT), was 1E+400");
        assertThat(mistake(concat(base, "--scenario", dir.toString())).err())
                .contains("--scenario " + dir + " is a folder");
        Result runHelp = run("run", "--help");
        assertThat(runHelp.exit()).isZero();
        assertThat(runHelp.out())
                .contains("testnet")
                .contains("live")
                .contains("--profile paper runs the whole bot on a paper account");
    }

    static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void example_commands_in_the_help_fit_80_columns_so_a_copy_works() {
        for (String[] command : new String[][] {
            {"--help"},
            {"liq", "--help"},
            {"replay", "--help"},
            {"demo", "--help"},
            {"check", "--help"},
            {"data", "--help"},
            {"data", "download", "--help"},
            {"data", "scenario", "--help"},
            {"data", "list", "--help"},
            {"plan", "--help"},
            {"study", "--help"},
            {"sweep", "--help"},
            {"run", "--help"},
            {"journal", "--help"},
            {"status", "--help"}
        }) {
            // picocli formats help text: a lone '%' makes it warn on the process's stderr and print the raw text.
            java.io.PrintStream stderr = System.err;
            java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
            String help;
            try {
                System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
                help = run(command).out();
            } finally {
                System.setErr(stderr);
            }
            assertThat(warnings.toString(java.nio.charset.StandardCharsets.UTF_8))
                    .as(String.join(" ", command))
                    .doesNotContain("picocli WARN");
            assertThat(help.lines().filter(l -> l.contains("ballast ") && !l.startsWith("Usage:")))
                    .as(String.join(" ", command))
                    .allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(80));
        }
    }

    @Test
    void commands_that_do_not_exist_say_what_does() {
        assertThat(mistake("run").err()).contains("ballast run: Missing required option: '--profile=NAME'");
        assertThat(mistake("run", "--profile", "staging").err())
                .contains("--profile must be one of demo, paper, testnet, live, was 'staging'");
        // A paper account that cannot be made: every mistake named at once, before anything is read from the venue.
        Path paper = dir.resolve("paper");
        try {
            Files.createDirectories(paper);
            Files.writeString(paper.resolve("application-paper.yaml"), """
                    run:
                      venue:
                        symbols: [BTCUSDT]
                      paper:
                        balance: 1000
                        positions:
                          - {symbol: ETHUSDT, side: long, leverage: 10, margin: 500, mode: isolated}
                          - {symbol: BTCUSDT, side: sideways, leverage: 200, margin: 700, mode: hedged}
                    """);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(mistake("run", "--profile", "paper", "--config-dir", paper.toString())
                        .err())
                .contains("application-paper.yaml:")
                .contains("application-paper.yaml:7: run.paper.positions[0].symbol: must be one of the symbols"
                        + " Ballast keeps")
                .contains("application-paper.yaml:8: run.paper.positions[1].side")
                .contains("run.paper.positions[1].side: must be long or short, was sideways")
                .contains("run.paper.positions[1].leverage: must be from 1 to 125, was 200")
                .contains("run.paper.positions[1].mode: must be isolated or cross, was hedged")
                .contains("run.paper.positions: take 1200 USDT of isolated margin; run.paper.balance is only 1000");
        // Without the key and the secret: both named at once, before any file is made.
        assertThat(mistake("run", "--profile", "testnet", "--config-dir", "../../config")
                        .err())
                .contains("environment variables BINANCE_API_KEY and BINANCE_API_SECRET are not set or are empty");
        // The shipped live profile refuses to start until the trader names the symbols and confirms.
        assertThat(mistake("run", "--profile", "live", "--config-dir", "../../config")
                        .err())
                .contains("application-live.yaml:")
                .contains("run.venue.symbols: the live profile needs the symbols Ballast keeps")
                .contains("run.venue.confirmLive: the live profile sends real orders with real money");
        assertThat(mistake("run", "--profile", "demo", "--speed", "fast").err())
                .contains("--speed takes a whole number (market seconds per second) or max, was 'fast'");
        assertThat(mistake("run", "--profile", "demo", "--speed", "0").err())
                .contains("--speed must be at least 1 (or max), was 0");
        assertThat(mistake("run", "--profile", "demo", "--status-every", "0s").err())
                .contains("--status-every must be positive, was 0s");
        assertThat(mistake("status", "--profile", "nosuch").err())
                .contains("no nosuch bot is running here (no run/nosuch/status.port; start one with 'ballast run"
                        + " --profile nosuch', or give --port)");
        assertThat(mistake("run", "--profile", "demo", "--status-port", "70000").err())
                .contains("--status-port must be from 0 (any free port) to 65535, was 70000");
        assertThat(mistake("journal", "--file", "no/such/journal.sqlite").err())
                .contains("no journal at")
                .contains("ballast run --profile demo");
        assertThat(mistake("fly").err()).startsWith("ballast: unknown command 'fly'; commands: liq, replay");
        Result help = run("help", "replay");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: ballast replay");
    }

    @Test
    void check_that_cannot_reach_the_venue_says_so_in_words_with_its_own_exit_code() {
        Result r = run(
                "check",
                "--symbols",
                "BTCUSDT",
                "--rest-url",
                "http://127.0.0.1:9",
                "--key-env",
                "K",
                "--secret-env",
                "S");
        assertThat(r.exit()).as("missing credentials are a mistake").isEqualTo(2);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(
                new String[] {"check", "--symbols", "BTCUSDT", "--rest-url", "http://127.0.0.1:9"},
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                Map.of("BINANCE_API_KEY", "k", "BINANCE_API_SECRET", "s"),
                Clock.systemUTC());
        assertThat(exit).as(out + " " + err).isEqualTo(4);
        assertThat(out.toString())
                .contains("position mode unknown")
                .contains("Could not check")
                .doesNotContain("Exception");
    }

    @Test
    void a_study_names_the_flag_and_the_value() {
        String data = FTX.toString();
        assertThat(mistake("study", "--data", dir.resolve("nowhere").toString()).err())
                .contains("--data:")
                .contains("is not a folder");
        assertThat(mistake("study", "--data", dir.toString()).err())
                .contains("no 1h history of BTCUSDT")
                .contains("ballast data download");
        assertThat(mistake("study", "--data", data, "--sides", "sideways").err())
                .contains("--sides takes long and short, was 'sideways'");
        assertThat(mistake("study", "--data", data, "--leverage", "200").err())
                .contains("--leverage must be between 1 and 125, was 200");
        assertThat(mistake("study", "--data", data, "--horizons", "soon").err())
                .contains("--horizons takes durations like 7d");
        assertThat(mistake("study", "--data", data, "--policies", "budget,yolo").err())
                .contains("--policies takes budget, ladder");
        assertThat(mistake("study", "--data", data, "--entries", "0").err()).contains("--entries must be between");
        assertThat(mistake("study", "--data", data, "--from", "2019-01-01").err())
                .contains("the data covers entries from 2022-11-06");
        assertThat(mistake("study", "--data", data, "--horizons", "30d").err())
                .contains("shorter than the horizon 30d");
        assertThat(mistake("study", "--data", data, "--react-every", "0m").err())
                .contains("--react-every must be longer than 0");
        // A typo names the option alone (not the value after it) and the one it was likely meant to be.
        assertThat(mistake("study", "--data", data, "--entires", "10").err().strip())
                .isEqualTo("ballast study: unknown option '--entires'; did you mean --entries? (see 'ballast study"
                        + " --help')");
        assertThat(mistake("study", "--data", data, "--entries", "abc").err())
                .contains("'abc' is not a whole number")
                .doesNotContain(" int");
    }

    @Test
    void a_study_names_the_broken_file_and_line_the_first_of_several_in_its_order() throws Exception {
        // The study reads every file before its first entry, on several threads: a broken one is named as it would be
        // alone, and where two are broken, the first in the order of the symbols and their files (candles, mark,
        // funding) is, whichever thread came to it first.
        java.nio.file.Path data = dir.resolve("data");
        java.nio.file.Files.createDirectories(data);
        try (var files = java.nio.file.Files.list(FTX)) {
            for (java.nio.file.Path f : files.toList()) {
                java.nio.file.Files.copy(f, data.resolve(f.getFileName()));
            }
        }
        java.nio.file.Path btcMark = data.resolve("binance_um_BTCUSDT_1h_mark.csv");
        java.nio.file.Path ethFunding = data.resolve("binance_um_ETHUSDT_funding.csv");
        breakLine(btcMark, 3);
        breakLine(ethFunding, 2);
        for (String threads : new String[] {"1", "2", "4"}) {
            String err = mistake("study", "--data", data.toString(), "--threads", threads, "--horizons", "1d")
                    .err();
            assertThat(err).as(threads).contains("binance_um_BTCUSDT_1h_mark.csv:3: open \"twelve\" is not a number");
        }
        // A mistake in a flag is said before any file is read.
        assertThat(mistake("study", "--data", data.toString(), "--from", "soon").err())
                .contains("--from takes a day");
        java.nio.file.Files.copy(
                FTX.resolve("binance_um_BTCUSDT_1h_mark.csv"),
                btcMark,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(mistake("study", "--data", data.toString(), "--threads", "2", "--horizons", "1d")
                        .err())
                .contains("binance_um_ETHUSDT_funding.csv:2:");
    }

    /** Replaces line {@code n} (from 1) of {@code file} with one whose second field is not a number. */
    private static void breakLine(java.nio.file.Path file, int n) throws java.io.IOException {
        java.util.List<String> lines = new java.util.ArrayList<>(java.nio.file.Files.readAllLines(file));
        String[] fields = lines.get(n - 1).split(",", -1);
        fields[1] = "twelve";
        lines.set(n - 1, String.join(",", fields));
        java.nio.file.Files.write(file, lines);
    }

    @Test
    void a_plan_names_the_flag_and_the_value() {
        String[] btcLong = {"plan", "--symbol", "BTCUSDT", "--side", "long", "--entry", "60000"};
        String[] d1 = concat(btcLong, "--leverage", "10");
        assertThat(mistake("plan").err()).contains("give the position (--symbol, --side, --entry");
        assertThat(mistake("plan", "--symbol", "BTCUSDT", "--side", "up", "--entry", "60000", "--margin", "1000")
                        .err())
                .contains("--side must be long or short, was 'up'");
        assertThat(mistake(btcLong).err()).contains("--margin or --qty is required");
        assertThat(mistake(concat(btcLong, "--margin", "1000", "--budget", "lots"))
                        .err())
                .contains("policy.budget.lossBudget: must be auto, an amount");
        assertThat(mistake(concat(btcLong, "--margin", "1000", "--sigma", "0")).err())
                .contains("--sigma must be from 0.01 to 50");
        assertThat(mistake("plan", "--symbol", "DOGEUSDT", "--side", "long", "--entry", "0.1", "--margin", "100")
                        .err())
                .contains("DOGEUSDT");
        assertThat(mistake("plan", "../../config/scenarios/crash-days/ftx-2022-11-BTCUSDT-long.yaml", "--side", "long")
                        .err())
                .contains("give either a scenario or the position flags, not both");
        assertThat(mistake(concat(d1, "--margin", "3000", "--mark", "53000")).err())
                .contains("--mark 53,000.00 is at or beyond the liquidation price 54,216.87");
        assertThat(mistake(concat(d1, "--margin", "1000", "--qty", "5")).err())
                .contains("--margin 1,000.00 is less than the initial margin 30,000.00");
        assertThat(mistake(concat(btcLong, "--leverage", "125", "--margin", "3000"))
                        .err())
                .contains("--leverage: the venue allows at most 100x");
        assertThat(mistake(concat(d1, "--margin", "3000", "--conviction", "1.5"))
                        .err())
                .contains("--conviction must be from 0 to 1");
        // A window older than every shipped table plans on the oldest one, as its replay does, and says so.
        Result old = run("plan", "../../config/scenarios/crash-days/covid-2020-03-BTCUSDT-long.yaml");
        assertThat(old.exit()).as(old.err()).isZero();
        assertThat(old.out()).contains("the oldest shipped; none is as old as 2020-03-11");
    }
}
