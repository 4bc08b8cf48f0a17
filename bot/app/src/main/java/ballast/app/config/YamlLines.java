package ballast.app.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/** Where each key of a YAML document is, so that an error can name the file and the line. */
public final class YamlLines {
    private YamlLines() {}

    /** Maps each YAML path ({@code positions[0].leverage}) to the line its key or value starts on. */
    public static Map<String, Integer> index(String text) throws IOException {
        final class Frame {
            final boolean array;
            final String path;
            int index = -1;

            Frame(boolean array, String path) {
                this.array = array;
                this.path = path;
            }
        }
        Map<String, Integer> lines = new HashMap<>();
        Deque<Frame> stack = new ArrayDeque<>();
        String field = null;
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                int line = parser.currentTokenLocation().getLineNr();
                Frame top = stack.peekLast();
                switch (token) {
                    case FIELD_NAME -> {
                        field = parser.currentName();
                        lines.put(child(top.path, field), line);
                    }
                    case START_OBJECT, START_ARRAY -> {
                        String path = top == null
                                ? ""
                                : top.array ? top.path + "[" + (++top.index) + "]" : child(top.path, field);
                        lines.putIfAbsent(path, line);
                        stack.addLast(new Frame(token == JsonToken.START_ARRAY, path));
                    }
                    case END_OBJECT, END_ARRAY -> stack.pollLast();
                    default -> {
                        if (top != null && top.array) {
                            lines.putIfAbsent(top.path + "[" + (++top.index) + "]", line);
                        }
                    }
                }
            }
        }
        return lines;
    }

    private static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }
}
