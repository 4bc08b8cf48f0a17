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

    /** A file that holds more than one YAML document: only one is read, so the rest would be ignored silently. */
    public static final class SecondDocument extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SecondDocument(String message) {
            super(message);
        }
    }

    /**
     * The one YAML document of a file's {@code text}; a second document (after {@code ---}) is refused with its line,
     * since reading only the first would drop the rest without a word.
     */
    public static com.fasterxml.jackson.databind.JsonNode readOne(String fileName, String text)
            throws java.io.IOException {
        try (com.fasterxml.jackson.core.JsonParser parser = MAPPER.createParser(text)) {
            com.fasterxml.jackson.databind.JsonNode first = MAPPER.readTree(parser);
            if (parser.nextToken() != null) {
                int line = parser.currentTokenLocation().getLineNr();
                throw new SecondDocument(fileName + ":" + line + ": a second YAML document (after ---): a file holds"
                        + " one, and the rest would be ignored; put it in a file of its own");
            }
            return first;
        }
    }

    /**
     * A file's text as UTF-8; a file that is not text (a binary, another encoding) is named as such instead of the
     * decoder's "Input length = 1".
     */
    public static String text(java.nio.file.Path file) throws java.io.IOException {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new java.io.IOException("not a text file (its bytes are not UTF-8 text); YAML is expected", e);
        }
    }

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
        String message = e.getOriginalMessage();
        if (message.contains("'\\t(TAB)'") || message.contains("\\t(TAB)")) {
            what = "a tab character: YAML indents with spaces only";
        } else if (message.startsWith("Malformed numeric value")) {
            java.util.regex.Matcher value = java.util.regex.Pattern.compile("Malformed numeric value '([^']*)'")
                    .matcher(message);
            what = (value.find() ? "'" + value.group(1) + "'" : "a value") + " is not a number Ballast can use";
        }
        return fileName + where + ": not valid YAML: " + what;
    }
}
