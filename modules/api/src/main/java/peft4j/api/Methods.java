package peft4j.api;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** Finds the adaptation methods on the module path. The only way core code gets hold of a method. */
public final class Methods {

    private Methods() {
    }

    /** Every discovered method, sorted by name. */
    public static List<AdaptationMethod<?>> discover() {
        return ServiceLoader.load(AdaptationMethod.class).stream()
                .<AdaptationMethod<?>>map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(AdaptationMethod::name))
                .toList();
    }

    public static Optional<AdaptationMethod<?>> find(String name) {
        return discover().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** The named method, or a {@link UserError} that lists the known ones. */
    public static AdaptationMethod<?> require(String name) {
        return find(name).orElseThrow(() -> new UserError("unknown method '" + name + "'; known methods: "
                + String.join(", ", discover().stream().map(AdaptationMethod::name).toList())
                + " (see 'peft4j methods')"));
    }
}
