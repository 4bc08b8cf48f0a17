package ballast.app.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import ballast.app.replay.ReplayReport.ActionEvent;
import ballast.app.replay.ReplayReport.PolicyRun;
import ballast.app.replay.ReplayReport.PositionTrace;
import ballast.app.replay.ReplayReport.Summary;
import ballast.app.replay.ReplayReport.TracePoint;
import ballast.core.Side;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The replay page: self-contained, escaped, and showing every policy, action and liquidation. */
class HtmlReportTest {

    static final Instant T0 = Instant.parse("2024-08-05T00:00:00Z");
    static final String NAME = "2024-08-05 <script>alert(1)</script> yen & carry unwind";
    static final BigDecimal D1_LIQ = new BigDecimal("54216.87");

    // ---------------------------------------------------------------- a hand-made crash

    static Instant at(int minute) {
        return T0.plus(Duration.ofMinutes(minute));
    }

    static BigDecimal bd(String v) {
        return new BigDecimal(v);
    }

    /** BTC mark: a slow slide, a crash to 52,500 at 05:00, a bounce and a partial recovery. */
    static BigDecimal btcMark(int minute) {
        int[][] knots = {{0, 60_000}, {180, 58_500}, {300, 52_500}, {420, 55_500}, {720, 57_500}};
        for (int k = 1; k < knots.length; k++) {
            if (minute <= knots[k][0]) {
                int m0 = knots[k - 1][0];
                BigDecimal p0 = BigDecimal.valueOf(knots[k - 1][1]);
                BigDecimal p1 = BigDecimal.valueOf(knots[k][1]);
                return p0.add(p1.subtract(p0)
                                .multiply(BigDecimal.valueOf(minute - m0))
                                .divide(BigDecimal.valueOf(knots[k][0] - m0), 2, RoundingMode.HALF_UP))
                        .setScale(2, RoundingMode.HALF_UP);
            }
        }
        return BigDecimal.valueOf(57_500).setScale(2);
    }

    /** Last wiggles around mark, deterministically. */
    static BigDecimal btcLast(int minute) {
        return btcMark(minute)
                .add(BigDecimal.valueOf((minute * 7_919L) % 13 - 6).multiply(BigDecimal.valueOf(35)));
    }

    static List<TracePoint> btcPoints(IntFunction<BigDecimal> liq) {
        List<TracePoint> points = new ArrayList<>();
        for (int m = 0; m <= 720; m += 5) {
            points.add(new TracePoint(at(m), btcLast(m), btcMark(m), Optional.ofNullable(liq.apply(m))));
        }
        return points;
    }

    static PositionTrace eth(List<ActionEvent> actions) {
        List<TracePoint> points = new ArrayList<>();
        for (int m = 0; m <= 720; m += 15) {
            BigDecimal mark = ethMark(m);
            points.add(new TracePoint(at(m), mark.add(bd("1.5")), mark, Optional.of(bd("3101.40"))));
        }
        return new PositionTrace("ETHUSDT", Side.SHORT, points, actions, Optional.empty(), bd("2"), BigDecimal.ZERO);
    }

    static ActionEvent funding(int minute, String amount) {
        return funding(minute, amount, btcMark(minute));
    }

    static ActionEvent funding(int minute, String amount, BigDecimal mark) {
        return new ActionEvent(at(minute), "funding", bd(amount), mark, "rate 0.0100 % on notional");
    }

    static BigDecimal ethMark(int minute) {
        return bd("2600").subtract(BigDecimal.valueOf(minute).multiply(bd("0.42"), MathContext.DECIMAL64));
    }

    static PolicyRun scaling() {
        List<ActionEvent> actions = List.of(
                new ActionEvent(
                        at(215), "top-up", bd("1452.60"), btcMark(215), "distance 4.1 % < 5 %; liq → 51,300.00"),
                new ActionEvent(
                        at(272), "cut", bd("0.1"), btcMark(272), "reduce-only 0.1 @ 53,900; z < 1.5 & budget spent"),
                funding(480, "-3.12"),
                new ActionEvent(at(600), "release", bd("800"), btcMark(600), "distance 9.8 % > 9 %"));
        PositionTrace btc = new PositionTrace(
                "BTCUSDT",
                Side.LONG,
                btcPoints(m -> m < 215
                        ? D1_LIQ
                        : m < 275 ? bd("51300") : m < 295 ? null : m < 600 ? bd("49512.5") : bd("52410.25")),
                actions,
                Optional.empty(),
                bd("0.4"),
                bd("0.1"));
        Summary summary = new Summary(
                0,
                bd("9432.18"),
                bd("1452.60"),
                bd("0"),
                bd("800"),
                bd("0.1"),
                bd("-612.40"),
                bd("41.37"),
                bd("-2.07"),
                3,
                Optional.of(bd("2.4871")));
        return new PolicyRun("scaling", summary, List.of(btc, eth(List.of(funding(480, "1.05", ethMark(480))))));
    }

    static PolicyRun none() {
        List<ActionEvent> actions = List.of(new ActionEvent(
                at(266), "liquidation", bd("3000"), bd("54200.00"), "mark ≤ liq 54,216.87; fee 271.08"));
        PositionTrace btc = new PositionTrace(
                "BTCUSDT",
                Side.LONG,
                btcPoints(m -> m < 270 ? D1_LIQ : null),
                actions,
                Optional.of(at(266)),
                BigDecimal.ZERO,
                BigDecimal.ZERO);
        Summary summary = new Summary(
                1,
                bd("6698.92"),
                BigDecimal.ZERO,
                bd("0"),
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                bd("301.08"),
                BigDecimal.ZERO,
                0,
                Optional.of(BigDecimal.ZERO));
        return new PolicyRun("none", summary, List.of(btc, eth(List.of())));
    }

    static PolicyRun autoAdd() {
        List<ActionEvent> actions = List.of(
                new ActionEvent(at(262), "auto-add", bd("500"), btcMark(262), "exchange auto-add"),
                new ActionEvent(at(282), "auto-add", bd("500"), btcMark(282), "exchange auto-add"),
                new ActionEvent(at(298), "auto-add", bd("500"), btcMark(298), "exchange auto-add"),
                funding(480, "-3.90"));
        PositionTrace btc = new PositionTrace(
                "BTCUSDT",
                Side.LONG,
                btcPoints(m -> m < 262 ? D1_LIQ : m < 282 ? bd("53216.87") : m < 298 ? bd("52216.87") : bd("51216.87")),
                actions,
                Optional.empty(),
                bd("0.5"),
                BigDecimal.ZERO);
        Summary summary = new Summary(
                0,
                bd("9701.44"),
                bd("1500"),
                bd("0"),
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                bd("30.00"),
                bd("-3.90"),
                3,
                Optional.of(bd("0.3120")));
        return new PolicyRun("exchange-auto-add", summary, List.of(btc, eth(List.of())));
    }

    static ReplayReport report(String markSource, List<PolicyRun> runs) {
        return new ReplayReport(
                NAME,
                "binance",
                T0,
                at(720),
                12_483_920,
                1_874_211,
                markSource,
                bd("10000"),
                List.of("2 gaps over 60 s in the trade file (longest 4 min at 04:12)", "tier table binance 2024-10-24"),
                runs);
    }

    static ReplayReport sample() {
        return report("last", List.of(scaling(), none(), autoAdd()));
    }

    // ---------------------------------------------------------------- helpers

    /** The part of the page from the first {@code <tag ... data-policy="policy"} up to the closing {@code </tag>}. */
    static List<String> blocks(String html, String tag, String policy) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("<" + tag + "\\b[^>]*data-policy=\"" + Pattern.quote(policy) + "\"")
                .matcher(html);
        while (m.find()) {
            int end = html.indexOf("</" + tag + ">", m.start());
            found.add(html.substring(m.start(), end));
        }
        return found;
    }

    static String comparisonTable(String html) {
        int start = html.indexOf("<table class=\"cmp\">");
        return html.substring(start, html.indexOf("</table>", start));
    }

    // ---------------------------------------------------------------- tests

    @Test
    void is_one_self_contained_html5_document() {
        String html = HtmlReport.render(sample());

        assertThat(html).startsWith("<!DOCTYPE html>");
        assertThat(html).doesNotContain("http://", "https://", "<link", "src=", "@import", "url(");
        assertThat(html.toLowerCase(java.util.Locale.ROOT)).doesNotContain("<script");
        assertThat(html).contains("<style>", "<svg class=\"chart\"");
        assertThat(html.length()).isLessThan(400_000);
    }

    @Test
    void user_text_is_escaped() {
        String html = HtmlReport.render(sample());

        assertThat(html).doesNotContain(NAME).doesNotContain("<script>");
        assertThat(html)
                .contains("Replay: 2024-08-05 &lt;script&gt;alert(1)&lt;/script&gt; yen &amp; carry unwind</h1>");
        assertThat(html).contains("z &lt; 1.5 &amp; budget spent");
    }

    @Test
    void the_output_is_well_formed_xml() throws Exception {
        String html = HtmlReport.render(sample());

        Document doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));

        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("html");
        assertThat(doc.getElementsByTagName("svg").getLength()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void header_shows_scenario_exchange_window_notes_and_throughput() {
        String html = HtmlReport.render(sample());

        assertThat(html)
                .contains("<dt>Exchange</dt><dd>binance</dd>")
                .contains("2024-08-05 00:00 → 2024-08-05 12:00 UTC")
                .contains("12 h 0 min")
                .contains("<li>2 gaps over 60 s in the trade file (longest 4 min at 04:12)</li>")
                .contains("<li>tier table binance 2024-10-24</li>")
                .contains("12,483,920 replayed at 1,874,211 events/s");
    }

    @Test
    void warns_when_last_price_stood_in_for_mark() {
        String last = HtmlReport.render(sample());
        String mark = HtmlReport.render(report("mark", List.of(scaling(), none(), autoAdd())));

        assertThat(last).contains("class=\"warn warn-mark\"").contains("last price stood in for mark");
        assertThat(mark).doesNotContain("warn-mark").doesNotContain("last price stood in for mark");
    }

    @Test
    void comparison_table_has_one_row_per_policy_chosen_first_and_highlighted() {
        String table = comparisonTable(HtmlReport.render(sample()));

        Matcher rows = Pattern.compile("<tr( class=\"([^\"]*)\")? data-policy=\"([^\"]+)\"")
                .matcher(table);
        List<String> policies = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        while (rows.find()) {
            classes.add(rows.group(2) == null ? "" : rows.group(2));
            policies.add(rows.group(3));
        }
        assertThat(policies).containsExactly("scaling", "none", "exchange-auto-add");
        assertThat(classes.get(0)).contains("chosen");
        assertThat(classes.get(1)).doesNotContain("chosen").contains("liquidated");
        assertThat(classes.get(2)).isEmpty();
        for (String header : List.of(
                "Liquidations",
                "Final equity",
                "Margin added",
                "Margin released",
                "Cut (USDT)",
                "P&amp;L",
                "Loss realised by cuts",
                "Fees",
                "Funding",
                "Actions",
                "Min distance")) {
            assertThat(table).contains(">" + header + "</th>");
        }
        String scaling = blocks(table, "tr", "scaling").get(0);
        assertThat(scaling)
                .contains("9,432.18")
                .contains("1,452.60")
                .contains("800.00")
                .contains("<span class=\"neg\">-612.40</span>")
                .contains("2.49\u00a0%")
                .contains("+2,733.26"); // vs none
    }

    @Test
    void the_liquidated_badge_marks_the_liquidated_run_only() {
        String html = HtmlReport.render(sample());

        assertThat(blocks(comparisonTable(html), "tr", "none").get(0)).contains("LIQUIDATED");
        assertThat(blocks(comparisonTable(html), "tr", "scaling").get(0)).doesNotContain("LIQUIDATED");
        assertThat(blocks(comparisonTable(html), "tr", "exchange-auto-add").get(0))
                .doesNotContain("LIQUIDATED");
        assertThat(blocks(html, "figure", "none").get(0)).contains("LIQUIDATED", "class=\"liq-line\"");
        for (String policy : List.of("scaling", "exchange-auto-add")) {
            for (String block : blocks(html, "figure", policy)) {
                assertThat(block).doesNotContain("LIQUIDATED").doesNotContain("liq-line");
            }
            assertThat(blocks(html, "section", policy).get(0)).doesNotContain("LIQUIDATED");
        }

        String calm = HtmlReport.render(report("mark", List.of(scaling(), autoAdd())));
        assertThat(calm).doesNotContain("LIQUIDATED");
    }

    @Test
    void every_action_kind_in_the_data_is_a_marker_with_a_tooltip() {
        String html = HtmlReport.render(sample());

        for (String kind : List.of("top-up", "cut", "release", "funding", "auto-add", "liquidation")) {
            Pattern marker = Pattern.compile("<g class=\"mk k-" + Pattern.quote(kind)
                    + "\" transform=\"translate\\([0-9.]+,[0-9.]+\\)\"><title>[^<]*UTC\n" + Pattern.quote(kind)
                    + " ");
            assertThat(marker.matcher(html).find()).as(kind).isTrue();
        }
        assertThat(html)
                .contains("<title>2024-08-05 03:35:00 UTC\ntop-up · BTCUSDT long\namount 1,452.60\nprice 56,750.00\n")
                .contains(
                        "<title>2024-08-05 04:26:00 UTC\nliquidation · BTCUSDT long\namount 3,000.00\nprice 54,200.00")
                .contains("amount 0.1 (size)");
        // A marker per event: 4 + 1 + 3 on BTC, 1 funding on ETH.
        assertThat(Pattern.compile("<g class=\"mk ").matcher(html).results().count())
                .isEqualTo(10);
    }

    @Test
    void charts_have_readable_axes_and_a_liquidation_step_line_with_gaps() {
        String html = HtmlReport.render(sample());
        String scalingBtc = blocks(html, "figure", "scaling").get(0);
        String noneBtc = blocks(html, "figure", "none").get(0);

        assertThat(scalingBtc).contains(">5 Aug 2024 UTC</text>", ">02:00</text>", ">55,000</text>");
        assertThat(scalingBtc).contains("class=\"l-mark\"", "class=\"l-last\"", "class=\"l-liq\"");
        assertThat(liquidationPath(scalingBtc).chars().filter(ch -> ch == 'M')).hasSize(2);
        assertThat(liquidationPath(noneBtc).chars().filter(ch -> ch == 'M')).hasSize(1);
        // Coordinates carry at most one decimal.
        Matcher geometry = Pattern.compile(" (?:d|x|y|x1|x2|y1|y2|width|height|transform)=\"([^\"]*)\"")
                .matcher(html);
        int attributes = 0;
        while (geometry.find()) {
            attributes++;
            assertThat(geometry.group(1)).doesNotContainPattern("\\.[0-9]{2}");
        }
        assertThat(attributes).isGreaterThan(100);
    }

    static String liquidationPath(String figure) {
        Matcher m = Pattern.compile("class=\"l-liq\" d=\"([^\"]+)\"").matcher(figure);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void action_logs_are_chronological_per_policy() {
        String html = HtmlReport.render(sample());
        String log = blocks(html, "section", "scaling").get(0);

        List<String> times = new ArrayList<>();
        Matcher m =
                Pattern.compile("<td class=\"num\">(2024-08-05 [0-9:]+)</td>").matcher(log);
        while (m.find()) {
            times.add(m.group(1));
        }
        assertThat(times)
                .containsExactly(
                        "2024-08-05 03:35:00",
                        "2024-08-05 04:32:00",
                        "2024-08-05 08:00:00",
                        "2024-08-05 08:00:00",
                        "2024-08-05 10:00:00");
        assertThat(log).contains("ETHUSDT short").contains("<span class=\"neg\">-3.12</span>");
        assertThat(blocks(html, "section", "none").get(0)).contains("class=\"k-liquidation\"");
    }

    @Test
    void an_empty_report_still_renders() throws Exception {
        ReplayReport empty = new ReplayReport("", "bybit", T0, T0, 0, 0, "mark", BigDecimal.ZERO, List.of(), List.of());
        PolicyRun bare = new PolicyRun(
                "none",
                new Summary(
                        0,
                        BigDecimal.ZERO,
                        BigDecimal.ZERO,
                        bd("0"),
                        BigDecimal.ZERO,
                        BigDecimal.ZERO,
                        BigDecimal.ZERO,
                        BigDecimal.ZERO,
                        BigDecimal.ZERO,
                        0,
                        Optional.empty()),
                List.of(new PositionTrace(
                        "X", Side.SHORT, List.of(), List.of(), Optional.empty(), BigDecimal.ONE, BigDecimal.ZERO)));

        for (ReplayReport r : List.of(empty, report("mark", List.of(bare)))) {
            String html = HtmlReport.render(r);
            assertThat(html).startsWith("<!DOCTYPE html>");
            assertThatCode(() -> DocumentBuilderFactory.newInstance()
                            .newDocumentBuilder()
                            .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8))))
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void groups_thousands_without_losing_scale() {
        assertThat(HtmlReport.grouped(bd("1234567.50"))).isEqualTo("1,234,567.50");
        assertThat(HtmlReport.grouped(bd("-999.5"))).isEqualTo("-999.5");
        assertThat(HtmlReport.grouped(bd("-1000"))).isEqualTo("-1,000");
        assertThat(HtmlReport.grouped(bd("0.00"))).isEqualTo("0.00");
    }

    @Test
    void writes_a_sample_page_for_people_to_look_at() throws Exception {
        Path file = Path.of("target", "html-report-sample.html");
        Files.createDirectories(file.getParent());
        Files.writeString(file, HtmlReport.render(sample()), StandardCharsets.UTF_8);

        assertThat(file).exists();
    }
}
