package ballast.app.run;

import ballast.core.PositionKey;
import ballast.core.policy.Action;
import ballast.core.venue.Outcome;
import ballast.kernel.Book;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/**
 * The journal's JSON: the kernel's records as they are, with the type names of the sealed variants added here (the
 * kernel carries no serialisation annotations). Decimals are written as they are, never through a binary float.
 */
final class JournalJson {
    private JournalJson() {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = Action.TopUpMargin.class, name = "top-up"),
        @JsonSubTypes.Type(value = Action.ReleaseMargin.class, name = "release"),
        @JsonSubTypes.Type(value = Action.ReducePosition.class, name = "cut"),
        @JsonSubTypes.Type(value = Action.ClosePosition.class, name = "close"),
        @JsonSubTypes.Type(value = Action.CancelRiskAddingOrders.class, name = "cancel"),
        @JsonSubTypes.Type(value = Action.PlaceBackstop.class, name = "backstop"),
        @JsonSubTypes.Type(value = Action.CancelBackstop.class, name = "backstop-cancel"),
        @JsonSubTypes.Type(value = Action.Alert.class, name = "alert")
    })
    interface ActionTypes {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = Outcome.Accepted.class, name = "accepted"),
        @JsonSubTypes.Type(value = Outcome.Rejected.class, name = "rejected"),
        @JsonSubTypes.Type(value = Outcome.Denied.class, name = "denied"),
        @JsonSubTypes.Type(value = Outcome.NotSent.class, name = "not-sent"),
        @JsonSubTypes.Type(value = Outcome.Fatal.class, name = "fatal"),
        @JsonSubTypes.Type(value = Outcome.Unknown.class, name = "unknown")
    })
    interface OutcomeTypes {}

    /** A book is its label: {@code BTCUSDT:long}, or {@code cross}. */
    private static final class BookWriter extends JsonSerializer<Book> {
        @Override
        public void serialize(Book book, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeString(book.label());
        }
    }

    private static final class BookReader extends JsonDeserializer<Book> {
        @Override
        public Book deserialize(JsonParser in, DeserializationContext context) throws IOException {
            String label = in.getValueAsString();
            if (Book.CROSS.label().equals(label)) {
                return Book.CROSS;
            }
            try {
                return Book.of(PositionKey.parse(label));
            } catch (IllegalArgumentException e) {
                return (Book) context.handleWeirdStringValue(Book.class, label, e.getMessage());
            }
        }
    }

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .addModule(new SimpleModule("ballast-journal")
                    .addSerializer(Book.class, new BookWriter())
                    .addDeserializer(Book.class, new BookReader()))
            .addMixIn(Action.class, ActionTypes.class)
            .addMixIn(Outcome.class, OutcomeTypes.class)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "the journal could not write " + value.getClass().getSimpleName(), e);
        }
    }

    static <T> T read(String json, Class<T> type, String where) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new Journal.JournalException(where + ": not a " + type.getSimpleName() + " this Ballast can read ("
                    + e.getOriginalMessage() + ")");
        }
    }
}
