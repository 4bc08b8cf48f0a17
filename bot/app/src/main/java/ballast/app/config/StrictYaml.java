package ballast.app.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** How Ballast reads every YAML file it is given: the same strictness, the same words when a file is not YAML. */
public final class StrictYaml {

    /** Exact decimals (never through double), and a key given twice is an error, not a silent overwrite. */
    public static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private StrictYaml() {}

    /** {@code file:line: not valid YAML: <what the parser said>}, on one line. */
    public static String syntaxError(String fileName, JsonProcessingException e) {
        var at = e.getLocation();
        String where = at == null ? "" : ":" + at.getLineNr();
        // SnakeYAML's message is "while <context>", " in 'reader', line n, column m:", an echo of the source line, a
        // caret
        // line, then "<problem>" with its own location and echo: keep the context and the problem, drop the drawings.
        java.util.List<String> words = new java.util.ArrayList<>();
        boolean echoNext = false;
        for (String line : e.getOriginalMessage().lines().map(String::trim).toList()) {
            if (echoNext) {
                echoNext = false;
            } else if (line.startsWith("in 'reader'")) {
                echoNext = true;
            } else if (!line.isEmpty() && !line.startsWith("^") && words.size() < 2) {
                words.add(line);
            }
        }
        String what = String.join(": ", words);
        return fileName + where + ": not valid YAML: " + what;
    }
}
