package peft4j.data.source;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Marks a test class that pulls real data over the network: tagged {@code network}, and run only with
 * {@code -Dpeft4j.network=true}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("network")
@EnabledIfSystemProperty(named = "peft4j.network", matches = "true")
@interface RealNetwork {
}
