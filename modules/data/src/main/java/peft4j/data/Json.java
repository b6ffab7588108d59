package peft4j.data;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.stream.Collectors;

/** The one Jackson configuration for this module's files: snake_case keys, every field required, no unknown keys. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** A one-line description of a mapping problem, naming the field by its path, e.g. {@code split.seed}. */
    static String describe(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        String message = e.getOriginalMessage().lines().findFirst().orElse("").strip();
        if (e instanceof ValueInstantiationException && e.getCause() instanceof FieldProblem problem) {
            String field = path.isEmpty() ? problem.field : path + "." + problem.field;
            return problem.problem + " '" + field + "'";
        }
        if (e instanceof UnrecognizedPropertyException) {
            return "unknown field '" + path + "'";
        }
        if (message.startsWith("Missing creator property") || message.startsWith("Null value for creator property")) {
            return "missing field '" + path + "'";
        }
        return path.isEmpty() ? message : message + " (at " + path + ")";
    }

    /** A problem with one field of an object read by hand in a delegating creator; {@link #describe} names it. */
    static final class FieldProblem extends IllegalArgumentException {
        final String field;
        final String problem;

        FieldProblem(String field, String problem) {
            super(problem + " '" + field + "'");
            this.field = field;
            this.problem = problem;
        }
    }
}
